"""Celery tasks of the foundation: e-mail delivery and the daily flag run."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger("safeguard.tasks")

# Each app's ``flags.py`` registers its daily flag jobs here (name -> callable).
DAILY_FLAG_JOBS: dict[str, object] = {}


def register_daily_job(name: str):  # type: ignore[no-untyped-def]
    def decorator(func):  # type: ignore[no-untyped-def]
        DAILY_FLAG_JOBS[name] = func
        return func

    return decorator


@shared_task(name="safeguard.tenancy.tasks.deliver_pending_notifications", ignore_result=True)
def deliver_pending_notifications() -> int:
    from .notifications import deliver_pending

    return deliver_pending()


@shared_task(name="safeguard.tenancy.tasks.run_daily_flags", ignore_result=True)
def run_daily_flags() -> dict[str, str]:
    """Run every app's daily flag job; one failing job does not stop the others."""
    autodiscover_modules("jobs")
    results: dict[str, str] = {}
    for name, job in sorted(DAILY_FLAG_JOBS.items()):
        try:
            results[name] = str(job())  # type: ignore[operator]
        except Exception:
            log.exception("daily job %s failed", name)
            results[name] = "failed"
    return results


@shared_task(name="safeguard.tenancy.tasks.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from .models import Invitation

    invitation = Invitation.all_orgs.select_related("organisation").get(pk=invitation_id)
    if not invitation.is_usable:
        return
    link = settings.SITE_URL + reverse("accept-invitation", args=[invitation.token])
    send_mail(
        f"You are invited to join {invitation.organisation.name} on Safeguard",
        f"Hello {invitation.full_name},\n\n{invitation.organisation.name} has invited you to Safeguard.\n"
        f"Accept the invitation within 14 days: {link}\n",
        None,
        [invitation.email],
    )
