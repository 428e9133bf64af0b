"""Celery tasks of the foundation: e-mail delivery and the daily flag run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from celery import shared_task
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger("safeguard.tasks")

# Each app's ``flags.py`` registers its daily flag jobs here (name -> callable).
DAILY_FLAG_JOBS: dict[str, Callable[..., Any]] = {}

Job = TypeVar("Job", bound=Callable[..., Any])


def register_daily_job(name: str) -> Callable[[Job], Job]:
    def decorator(func: Job) -> Job:
        DAILY_FLAG_JOBS[name] = func
        return func

    return decorator


@shared_task(name="safeguard.tenancy.tasks.deliver_pending_notifications", ignore_result=True)
def deliver_pending_notifications() -> int:
    from . import rls
    from .notifications import deliver_password_resets, deliver_pending

    with rls.dangerously_all_orgs():  # a sweep of every organisation's outbox
        return deliver_password_resets() + deliver_pending() + deliver_pending_invitations()


@shared_task(name="safeguard.tenancy.tasks.run_daily_flags", ignore_result=True)
def run_daily_flags() -> dict[str, str]:
    """Run every app's daily flag job; one failing job does not stop the others."""
    from . import rls

    autodiscover_modules("jobs")
    results: dict[str, str] = {}
    for name, job in sorted(DAILY_FLAG_JOBS.items()):
        try:
            with rls.dangerously_all_orgs():  # each daily job works in sets across organisations
                results[name] = str(job())
        except Exception:
            log.exception("daily job %s failed", name)
            results[name] = "failed"
    return results


@shared_task(name="safeguard.tenancy.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> None:
    """Delete expired sessions, as ``manage.py clearsessions`` does (one SQL delete for the database
    engine): without it every signed-out browser's row, and what it kept, stays for ever."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()  # rls: sessions only, no tenant table


@shared_task(name="safeguard.tenancy.tasks.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int) -> bool:
    """E-mail one invitation, once: the row is locked and marked in one transaction."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from . import rls
    from .models import Invitation

    with rls.org_scope(rls.org_of(Invitation, invitation_id)), transaction.atomic():
        invitation = (
            Invitation.all_orgs.select_for_update(skip_locked=True, of=("self",))
            .select_related("organisation").filter(pk=invitation_id, emailed_at__isnull=True).first()
        )
        if invitation is None or not invitation.is_usable:
            return False
        link = settings.SITE_URL + reverse("accept-invitation", args=[invitation.token])
        send_mail(
            f"You are invited to join {invitation.organisation.name} on Safeguard",
            f"Hello {invitation.full_name},\n\n{invitation.organisation.name} has invited you to Safeguard.\n"
            f"Accept the invitation within 14 days: {link}\n",
            None,
            [invitation.email],
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return True


def deliver_pending_invitations() -> int:
    from django.utils import timezone

    from .models import Invitation

    ids = Invitation.all_orgs.filter(
        emailed_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).values_list("pk", flat=True)[:200]
    sent = 0
    for pk in ids:
        try:
            sent += send_invitation(pk)
        except Exception:  # noqa: BLE001 - mail server down: next sweep
            log.warning("could not e-mail invitation %s; will retry", pk)
            break
    return sent
