"""One way to tell people things: ``notify``.

The notification rows are written in the caller's transaction, so they exist
exactly when the event does. After commit a Celery task is asked to e-mail
them; if the broker is down that request is dropped quietly and the beat
sweep (``deliver_pending_notifications``, every minute) sends them later.

Delivery (``deliver_outbox``, shared with password-reset e-mails) takes one row
at a time (``SELECT ... FOR UPDATE SKIP LOCKED``), sends it and commits its sent
state before the next, so a worker killed mid-batch re-sends nothing already
sent and two workers never send one twice. A failed attempt is retried with
exponential backoff (``next_attempt_at``: 1, 2, 4 ... minutes, at most 6 hours
apart) for ``RETRY_FOR`` (three days); then the row is marked failed and shows
on the organisation administrator's "Mail that could not be sent" page.

E-mails carry the title and a link only: what a case is about stays behind
the sign-in. Titles must therefore never hold a name; use references. An
``app_title``, shown only inside the app, may name the colleague concerned.
A title says what happened to which record, then what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from .models import Notification, Organisation, PasswordResetRequest, User

log = logging.getLogger("safeguard.notifications")

RETRY_FOR = timedelta(days=3)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MIN_ATTEMPTS = 10  # after "Send again" a row is tried at least this often more (about 8 hours) before failing



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


Message = tuple[str, str, str]  # subject, body, to


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    delay: timedelta = min(FIRST_RETRY * 2 ** min(attempts - 1, 20), LONGEST_WAIT)
    return delay


def _send_mail(what: Message) -> None:
    subject, body, to = what
    send_mail(subject, body, None, [to])


def deliver_outbox(rows: Any, message: Callable[[Any], Any], limit: int = 200,
                   send: Callable[[Any], None] = _send_mail) -> int:
    """Send pending e-mails of an outbox queryset one at a time, committing each; returns how many were sent.

    ``message(row)`` gives (subject, body, address), or None when nothing needs sending any more.
    Stops at the first failure (the mail server is most likely down; the next sweep goes on).
    ``send(message)`` delivers it (e-mail by default; the API's webhooks POST it instead) and raises on failure.
    """
    pending = Notification.EmailStatus.PENDING
    sent = 0
    for _ in range(limit):
        now = timezone.now()
        with transaction.atomic():
            row = (rows.select_for_update(skip_locked=True, of=("self",))
                   .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), email_status=pending)
                   .order_by("created_at").first())
            if row is None:
                return sent
            what = message(row)
            if what is None:
                _mark(row, email_status=Notification.EmailStatus.NOT_NEEDED)
                continue
            try:
                send(what)
            except Exception as exc:  # noqa: BLE001 - mail server down or refusing: retry later
                _failed_attempt(row, now, exc)
                return sent
            _mark(row, email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now())
        sent += 1  # committed: a worker killed from here on never sends this one again
    return sent


def _mark(row: Model, **fields: Any) -> None:
    type(row)._base_manager.filter(pk=row.pk).update(**fields)


def _failed_attempt(row: Any, now: Any, exc: Exception) -> None:
    attempts = row.email_attempts + 1
    if now - row.created_at >= RETRY_FOR and attempts >= MIN_ATTEMPTS:
        log.error("gave up e-mailing %s %s after %s attempts (%s)", type(row).__name__, row.pk, attempts,
                  type(exc).__name__)
        _mark(row, email_attempts=attempts, email_status=Notification.EmailStatus.FAILED)
        return
    log.warning("could not e-mail %s %s (%s); will retry", type(row).__name__, row.pk, type(exc).__name__)
    _mark(row, email_attempts=attempts, next_attempt_at=now + retry_delay(attempts))


def _notification_message(note: Notification) -> Message | None:
    if not note.recipient.is_active:
        return None
    link = f"{settings.SITE_URL}{note.url}" if note.url else settings.SITE_URL
    text = (
        f"{note.title}\n\nOrganisation: {note.organisation.name}\n"
        f"Sign in to see it: {link}\n\nThis message holds no personal details on purpose."
    )
    return f"Safeguard: {note.title}", text, note.recipient.email


def deliver_pending(limit: int = 200) -> int:
    """Send pending notification e-mails; returns how many were sent."""
    rows = Notification.all_orgs.select_related("recipient", "organisation")
    return deliver_outbox(rows, _notification_message, limit)


def _reset_message(request: PasswordResetRequest) -> Message | None:
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = request.user
    if user is None or not user.is_active or not user.has_usable_password():
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    text = (
        "Someone asked to reset the password of your Safeguard account.\n\n"
        f"Choose a new password here: {link}\n\n"
        f"The link works once, for {settings.PASSWORD_RESET_TIMEOUT // 3600} hours. "
        "If you did not ask, ignore this e-mail: your password has not changed."
    )
    return "Reset your Safeguard password", text, user.email


RESET_RECORDS_KEPT = timedelta(days=7)


def deliver_password_resets(limit: int = 200) -> int:
    # Requests older than the rate limits' hour serve nothing after a week: delete them.
    PasswordResetRequest.objects.filter(created_at__lt=timezone.now() - RESET_RECORDS_KEPT).exclude(
        email_status=Notification.EmailStatus.PENDING).delete()
    rows = PasswordResetRequest.objects.select_related("user")
    return deliver_outbox(rows, _reset_message, limit)


def mark_read(*, org: Organisation, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.for_org(org).filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


