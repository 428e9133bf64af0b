"""Every scheduled job, in one place.

Daily flag jobs are idempotent: running one twice in a day changes nothing the
second time. The notification sweep is what makes e-mail survive a broker or
mail-server outage: anything not yet sent is picked up on its next run.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "deliver-pending-notifications": {
        "task": "safeguard.tenancy.tasks.deliver_pending_notifications",
        "schedule": 60.0,
    },
    # issue 13: webhooks not yet delivered (the endpoint was down) are retried with the outbox's backoff
    "deliver-pending-webhooks": {
        "task": "safeguard.api.tasks.deliver_pending_webhooks",
        "schedule": 60.0,
    },
    "clear-expired-sessions": {
        "task": "safeguard.tenancy.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    "sweep-background-jobs": {
        "task": "safeguard.background.tasks.sweep_background_jobs",
        "schedule": 60.0,
    },
    "daily-flags": {
        "task": "safeguard.tenancy.tasks.run_daily_flags",
        "schedule": crontab(hour=6, minute=0),
    },
    # issue 10: the board's reports (weekly on Mondays, monthly/quarterly/annual on the first working day)
    "board-reports": {
        "task": "governance.dashboard.tasks.scheduled_reports",
        "schedule": crontab(hour=6, minute=30),
    },
}
