"""Creating, queueing, running, failing, retrying and sweeping background jobs.

``enqueue_job(job)`` sends the job to the worker after the caller's transaction commits. If the
broker is down the job simply stays queued: the beat sweep (``sweep_jobs``, every minute) sends it
again, gives up after ``QUEUED_GIVE_UP`` and marks as failed, or retries once, a job whose worker
died (no heartbeat for ``STALLED_AFTER``). Every failure ends the same way: status ``failed`` with
a message in plain words, which the progress page shows with a "Try again" button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguard.tenancy.models import Organisation, User

from .kinds import get_kind
from .models import BackgroundJob

log = logging.getLogger("safeguard.background")

Progress = Callable[..., None]

STALLED_AFTER = timedelta(minutes=getattr(settings, "BACKGROUND_JOB_STALLED_MINUTES", 10))
QUEUED_RESEND_AFTER = timedelta(minutes=1)
QUEUED_GIVE_UP = timedelta(hours=1)
MAX_ATTEMPTS = 2  # a job whose worker died is started once more, then failed

STALLED_MESSAGE = ("The work stopped part way (the server doing it was restarted or stopped), "
                   "so it was not finished. Please try again.")
NOT_STARTED_MESSAGE = "The work could not be started because the server that does it is not available. Please try again."
Status = BackgroundJob.Status


class JobFailed(Exception):
    """A failure the person can understand and act on; its text is shown on the progress page."""


def create_job(*, org: Organisation | int, kind: str, requested_by: User, step: str = "",
               params: dict[str, Any] | None = None, upload: Any = None, file_name: str = "") -> BackgroundJob:
    """Save a queued job (an upload is stored with it); call ``enqueue_job`` or ``run_now`` next."""
    get_kind(kind)  # an unknown kind fails here, not in the worker
    org_id = org if isinstance(org, int) else org.pk
    job = BackgroundJob(organisation_id=org_id, kind=kind, step=step, requested_by=requested_by,
                        params=params or {}, file_name=(file_name or getattr(upload, "name", "") or "")[:200])
    if upload is not None:
        job.upload.save(getattr(upload, "name", "upload"), upload if isinstance(upload, File) else File(upload),
                        save=False)
    job.save()
    return job


def enqueue_job(job: BackgroundJob) -> None:
    """Send the job to the worker once the current transaction commits; never fails the request."""
    pk = job.pk
    transaction.on_commit(lambda: _send(pk))


def _send(pk: int) -> bool:
    from .tasks import run_background_job

    try:
        run_background_job.apply_async((pk,), retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the job stays queued for the sweep
        log.warning("broker unavailable (%s); background job %s waits for the sweep", type(exc).__name__, pk)
        return False
    return True


def run_now(job: BackgroundJob) -> BackgroundJob:
    """Do a small job during the request, through the same path as the worker."""
    return run_job(job.pk)


def restart_step(job: BackgroundJob, step: str, **fields: Any) -> None:
    """Queue the next step of a finished job (an import's "import" after its "check")."""
    now = timezone.now()
    BackgroundJob.all_orgs.filter(pk=job.pk).update(step=step, status=Status.QUEUED, progress=0, message="",
                                                    attempts=0, heartbeat_at=now, queued_at=now,
                                                    started_at=None, finished_at=None, **fields)
    job.refresh_from_db()


def run_job(pk: int) -> BackgroundJob:
    """Claim a queued job and do it; a job already taken, finished or failed is left alone."""
    now = timezone.now()
    claimed = BackgroundJob.all_orgs.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1)
    job = BackgroundJob.all_orgs.select_related("organisation", "requested_by").get(pk=pk)
    if not claimed:
        return job
    kind = get_kind(job.kind)

    def progress(done: int, total: int | None = None) -> None:
        fields: dict[str, Any] = {"progress": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        for key, value in fields.items():
            setattr(job, key, value)
        BackgroundJob.all_orgs.filter(pk=job.pk, status=Status.RUNNING).update(**fields)

    try:
        kind.run(job, progress)
    except JobFailed as exc:
        return fail_job(job, str(exc))
    except Exception:
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        return fail_job(job, kind.failure_message)
    job.status, job.finished_at, job.heartbeat_at = Status.DONE, timezone.now(), timezone.now()
    if job.total:
        job.progress = job.total
    job.save(update_fields=["status", "finished_at", "heartbeat_at", "progress", "total", "result", "file"])
    return job


def fail_job(job: BackgroundJob, message: str) -> BackgroundJob:
    """The one failure path: failed, with a message in plain words."""
    now = timezone.now()
    BackgroundJob.all_orgs.filter(pk=job.pk).update(status=Status.FAILED, message=message, finished_at=now,
                                                    heartbeat_at=now)
    job.status, job.message, job.finished_at = Status.FAILED, message, now
    return job


def retry_job(job: BackgroundJob) -> bool:
    """Start a failed job again (the "Try again" button); False when it had not failed."""
    now = timezone.now()
    updated = BackgroundJob.all_orgs.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED, progress=0, message="", attempts=0, heartbeat_at=now, queued_at=now,
        started_at=None, finished_at=None)
    if updated:
        enqueue_job(job)
    return bool(updated)


def check_stalled(job: BackgroundJob) -> BackgroundJob:
    """The sweep's rules for one job, applied when its page is looked at (so a page never waits for beat)."""
    limit = STALLED_AFTER if job.status == Status.RUNNING else QUEUED_RESEND_AFTER
    if job.is_working and job.heartbeat_at < timezone.now() - limit:
        sweep_jobs(BackgroundJob.all_orgs.filter(pk=job.pk))
        job.refresh_from_db()
    return job


def sweep_jobs(jobs: Any = None) -> dict[str, int]:
    """Beat, every minute: resend queued jobs, restart once or fail jobs whose worker died."""
    jobs = BackgroundJob.all_orgs.all() if jobs is None else jobs
    now = timezone.now()
    counts = {"resent": 0, "restarted": 0, "failed": 0}
    with transaction.atomic():
        stalled = list(jobs.select_for_update(skip_locked=True)
                       .filter(status=Status.RUNNING, heartbeat_at__lt=now - STALLED_AFTER)
                       .values_list("pk", "attempts"))
        restart = [pk for pk, attempts in stalled if attempts < MAX_ATTEMPTS]
        give_up = [pk for pk, attempts in stalled if attempts >= MAX_ATTEMPTS]
        BackgroundJob.all_orgs.filter(pk__in=restart).update(status=Status.QUEUED, queued_at=now,
                                                           heartbeat_at=now - QUEUED_RESEND_AFTER)
        BackgroundJob.all_orgs.filter(pk__in=give_up).update(status=Status.FAILED, message=STALLED_MESSAGE,
                                                             finished_at=now)
        never = BackgroundJob.all_orgs.filter(status=Status.QUEUED, queued_at__lt=now - QUEUED_GIVE_UP,
                                              pk__in=jobs.values("pk"))
        counts["failed"] = len(give_up) + never.update(status=Status.FAILED, message=NOT_STARTED_MESSAGE,
                                                       finished_at=now)
        counts["restarted"] = len(restart)
        waiting = list(jobs.filter(status=Status.QUEUED, heartbeat_at__lte=now - QUEUED_RESEND_AFTER)
                       .values_list("pk", flat=True)[:100])
        BackgroundJob.all_orgs.filter(pk__in=waiting).update(heartbeat_at=now)
    counts["resent"] = sum(_send(pk) for pk in waiting)
    if any(counts.values()):
        log.info("background job sweep: %s", counts)
    return counts
