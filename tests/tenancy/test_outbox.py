"""E-mail is sent exactly once and never silently dropped: each notification's sent state is
committed as it is sent, failures are retried with backoff for three days and then shown to the
organisation's administrator; password-reset e-mails go through the same outbox, limited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.models import Notification, PasswordResetRequest
from safeguard.tenancy.notifications import RETRY_FOR, deliver_password_resets, deliver_pending, notify
from safeguard.tenancy.roles import Role
from tests.factories import World

Status = Notification.EmailStatus


class WorkerKilled(BaseException):
    """What the worker process being killed looks like from inside it: nothing after this runs."""


class DiesAfterThreeSends(EmailBackend):
    sent = 0

    def send_messages(self, messages: Any) -> int:
        if DiesAfterThreeSends.sent >= 3:
            raise WorkerKilled
        DiesAfterThreeSends.sent += len(messages)
        return super().send_messages(messages)


def test_it_never_sends_an_email_twice_when_the_worker_is_killed_mid_batch(world: World, settings: Any) -> None:
    people = list(world.members.values())[:8]
    for n in range(15):
        notify(org=world.org, recipients=[people[n % len(people)]], kind="t", title=f"Case SG-{n} allocated")
    settings.EMAIL_BACKEND = "tests.tenancy.test_outbox.DiesAfterThreeSends"
    DiesAfterThreeSends.sent = 0
    with pytest.raises(WorkerKilled):
        deliver_pending()
    assert len(mail.outbox) == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending() == 12  # the next worker sends only the rest
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 15 and len(set(subjects)) == 15
    assert not Notification.objects.for_org(world.org).exclude(email_status=Status.SENT).exists()


def test_it_retries_with_backoff_for_three_days_then_shows_the_administrator(world: World) -> None:
    start = timezone.now()
    notify(org=world.org, recipients=[world.members[Role.DSL]], kind="t", title="Case SG-4 needs a review")
    note = Notification.objects.for_org(world.org).get()
    waits = []
    with (mock.patch("safeguard.tenancy.notifications.send_mail", side_effect=ConnectionRefusedError),
          time_machine.travel(start, tick=False) as clock):
        while note.email_status == Status.PENDING:
            assert deliver_pending() == 0
            note.refresh_from_db()
            if note.next_attempt_at and note.email_status == Status.PENDING:
                waits.append(note.next_attempt_at - timezone.now())
                clock.move_to(note.next_attempt_at - timedelta(seconds=1))
                assert deliver_pending() == 0  # not before its time: nothing is tried
                assert Notification.objects.for_org(world.org).get().email_attempts == note.email_attempts
                clock.move_to(note.next_attempt_at)
        gave_up = timezone.now()
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]  # exponential
    assert max(waits) == timedelta(hours=6)
    assert gave_up - start >= RETRY_FOR and note.email_status == Status.FAILED and mail.outbox == []

    admin = Client()
    admin.force_login(world.members[Role.ORG_ADMIN])
    assert "1 e-mail could not be sent" in admin.get(reverse("home")).content.decode()
    page = admin.get(reverse("undelivered-mail")).content.decode()
    assert "Case SG-4 needs a review" in page and world.members[Role.DSL].email in page
    other = Client()
    other.force_login(world.members[Role.DSL])
    assert "could not be sent" not in other.get(reverse("home")).content.decode()
    assert other.get(reverse("undelivered-mail")).status_code == 403

    admin.post(reverse("undelivered-mail-retry"))
    assert deliver_pending() == 1 and len(mail.outbox) == 1
    assert "Every e-mail has been sent" in admin.get(reverse("undelivered-mail")).content.decode()


def _reset(email: str, ip: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=ip).post(reverse("password_reset"), {"email": email})


def test_it_answers_a_reset_request_at_once_and_the_worker_sends_it_even_after_an_outage(world: World) -> None:
    user = world.members[Role.CASE_OFFICER]
    with mock.patch("safeguard.tenancy.notifications.send_mail", side_effect=ConnectionRefusedError) as down:
        response = _reset(user.email)
        assert down.call_count == 0  # nothing is sent inside the request
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        assert deliver_password_resets() == 0
    row = PasswordResetRequest.objects.get()
    assert row.email_status == Status.PENDING and row.email_attempts == 1 and row.user == user
    assert user.email not in str(row.__dict__)  # only digests of the address and the client are kept
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert deliver_password_resets() == 1
    assert deliver_password_resets() == 0 and len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email] and user.full_name not in mail.outbox[0].body
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[arg-type]
    assert Client().get(link).status_code == 302  # the link works (to the set-password form)


def test_it_gives_the_same_answer_whether_or_not_an_account_exists(world: World) -> None:
    known, unknown = _reset(world.members[Role.NSO].email), _reset("nobody-here@example.test")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert PasswordResetRequest.objects.count() == 2  # the same work either way
    deliver_password_resets()
    assert len(mail.outbox) == 1  # only the account's request became an e-mail


def test_it_limits_reset_requests_per_address_and_per_client(world: World) -> None:
    user = world.members[Role.FRONTLINE]
    for n in range(5):
        _reset(user.email, ip=f"192.0.2.{n}")
    assert deliver_password_resets() == 3  # three an hour for one address, whoever asks
    for n in range(25):
        _reset(f"someone-{n}@example.test", ip="192.0.2.200")
    assert PasswordResetRequest.objects.filter(created_at__gte=timezone.now() - timedelta(hours=1)).count() == 3 + 20
    assert _reset(user.email, ip="192.0.2.9").status_code == 302  # refused looks the same
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        _reset(user.email, ip="192.0.2.9")
        assert deliver_password_resets() == 1
