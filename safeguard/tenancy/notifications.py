"""One way to tell people things: ``notify``.

The notification rows are written in the caller's transaction, so they exist
exactly when the event does. After commit a Celery task is asked to e-mail
them; if the broker is down that request is dropped quietly and the beat
sweep (``deliver_pending_notifications``, every minute) sends them later.
Sending locks each row (``SELECT ... FOR UPDATE SKIP LOCKED``) and marks it
sent in the same transaction, so two workers never send one twice.

E-mails carry the title and a link only: what a case is about stays behind
the sign-in. Titles must therefore never hold a name; use references. An
``app_title``, shown only inside the app, may name the colleague concerned.
A title says what happened to which record, then what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Notification, Organisation, User

log = logging.getLogger("safeguard.notifications")

MAX_EMAIL_ATTEMPTS = 20


def notify(
    *,
    org: Organisation,
    recipients: Iterable[User | int],
    kind: str,
    title: str,
    app_title: str = "",
    url: str = "",
    body: str = "",
    dedupe_key: str | None = None,
    email: bool = True,
) -> list[Notification]:
    """Store one notification per recipient (once per ``dedupe_key``) and e-mail after commit."""
    ids = sorted({r if isinstance(r, int) else r.pk for r in recipients})
    rows = [
        Notification(
            organisation=org,
            recipient_id=uid,
            kind=kind,
            title=title[:200],
            app_title=app_title[:200],
            url=url,
            body=body,
            dedupe_key=dedupe_key,
            email_status=Notification.EmailStatus.PENDING if email else Notification.EmailStatus.NOT_NEEDED,
        )
        for uid in ids
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None)
    if email and rows:
        transaction.on_commit(enqueue_pending_emails)
    return created


def enqueue_pending_emails() -> None:
    """Ask the worker to send; never fails the request if the broker is unreachable."""
    from .tasks import deliver_pending_notifications

    try:
        deliver_pending_notifications.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the beat sweep sends later
        log.warning("broker unavailable (%s); notification e-mail will be sent by the next sweep", type(exc).__name__)


def deliver_pending(limit: int = 200) -> int:
    """Send pending notification e-mails; returns how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.all_orgs.select_for_update(skip_locked=True, of=("self",))
                .filter(email_status=Notification.EmailStatus.PENDING, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
                .select_related("recipient", "organisation")
                .order_by("created_at")[:limit]
            )
            if not batch:
                return sent
            delivered, failed = _send_batch(batch)
            now = timezone.now()
            Notification.all_orgs.filter(pk__in=delivered).update(
                email_status=Notification.EmailStatus.SENT, emailed_at=now
            )
            if failed:
                Notification.all_orgs.filter(pk__in=failed).update(email_attempts=F("email_attempts") + 1)
                return sent + len(delivered)
            sent += len(delivered)


def _send_batch(batch: list[Notification]) -> tuple[list[int], list[int]]:
    delivered: list[int] = []
    failed: list[int] = []
    for note in batch:
        if not note.recipient.is_active:
            delivered.append(note.pk)
            continue
        link = f"{settings.SITE_URL}{note.url}" if note.url else settings.SITE_URL
        text = (
            f"{note.title}\n\nOrganisation: {note.organisation.name}\n"
            f"Sign in to see it: {link}\n\nThis message holds no personal details on purpose."
        )
        try:
            send_mail(f"Safeguard: {note.title}", text, None, [note.recipient.email])
        except Exception:  # noqa: BLE001 - mail server down: keep it pending, retry later
            log.warning("could not e-mail notification %s; will retry", note.pk)
            failed.append(note.pk)
            continue
        delivered.append(note.pk)
    return delivered, failed


def mark_read(*, org: Organisation, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.for_org(org).filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


