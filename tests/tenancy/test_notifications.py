"""Notifications are stored with their event, shown in the app, e-mailed once,
and survive the broker (Redis) or the mail server being down."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.celery import app as celery_app
from safeguard.tenancy.models import Notification
from safeguard.tenancy.notifications import deliver_pending, enqueue_pending_emails, notify
from safeguard.tenancy.roles import Role
from tests.factories import World


def test_it_stores_nothing_when_the_event_is_rolled_back(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(org=world.org, recipients=[world.members[Role.CASE_OFFICER]], kind="t", title="Case SG-1 allocated")
        raise RuntimeError("the event failed")
    assert not Notification.objects.for_org(world.org).exists()


def test_it_emails_each_notification_once(world: World) -> None:
    notify(org=world.org, recipients=[world.members[Role.CASE_OFFICER]], kind="t", title="Case SG-1 allocated",
           url="/cases/1/")
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.members[Role.CASE_OFFICER].email]
    assert "Case SG-1 allocated" in message.subject
    assert "/cases/1/" in message.body


def test_it_tells_a_person_once_per_dedupe_key(world: World) -> None:
    for _ in range(3):
        notify(org=world.org, recipients=[world.members[Role.NSO]], kind="flag", title="Entry overdue",
               dedupe_key="flag:1")
    assert Notification.objects.for_org(world.org).filter(recipient=world.members[Role.NSO]).count() == 1


def test_it_keeps_a_notification_pending_while_the_mail_server_is_down(world: World) -> None:
    notify(org=world.org, recipients=[world.members[Role.DSL]], kind="t", title="Review due")
    with mock.patch("safeguard.tenancy.notifications.send_mail", side_effect=ConnectionRefusedError):
        assert deliver_pending() == 0
    note = Notification.objects.for_org(world.org).get()
    assert note.email_status == Notification.EmailStatus.PENDING and note.email_attempts == 1
    assert deliver_pending() == 0  # not again at once: it waits a minute (backoff)
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert deliver_pending() == 1
    assert len(mail.outbox) == 1


def test_it_shows_unread_notifications_in_the_header_and_list(world: World) -> None:
    user = world.members[Role.CASE_OFFICER]
    notify(org=world.org, recipients=[user], kind="t", title="Case SG-7 allocated to you", url="/")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("notifications")).content.decode()
    assert "Case SG-7 allocated to you" in page
    assert 'class="sg-badge">1<' in page
    note = Notification.objects.for_org(world.org).get()
    assert client.post(reverse("notification-open", args=[note.pk])).status_code == 302
    assert 'class="sg-badge"' not in client.get(reverse("notifications")).content.decode()


def test_it_does_not_open_another_persons_notification(world: World) -> None:
    note = notify(org=world.org, recipients=[world.members[Role.DSL]], kind="t", title="Private")[0]
    client = Client()
    client.force_login(world.members[Role.NSO])
    assert client.post(reverse("notification-open", args=[note.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_it_delivers_a_notification_made_while_the_broker_was_down_once_it_is_back(world: World) -> None:
    from celery.contrib.testing.worker import start_worker

    working_broker = celery_app.conf.broker_url
    working_options = celery_app.conf.broker_transport_options
    _use_broker("redis://127.0.0.1:1/0", {"max_retries": 1})  # nothing listens there: the broker is "down"
    try:
        with transaction.atomic():
            notify(org=world.org, recipients=[world.members[Role.CASE_MANAGER]], kind="t", title="SG-9 needs you")
        # The request did not fail, and the notification waits in the database.
        note = Notification.objects.for_org(world.org).get()
        assert note.email_status == Notification.EmailStatus.PENDING
        assert mail.outbox == []
    finally:
        _use_broker(working_broker, working_options)

    # The broker is back: a real worker consumes the beat sweep and sends it, once.
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        enqueue_pending_emails()
        enqueue_pending_emails()
        _wait_for(lambda: len(mail.outbox) >= 1)
        time.sleep(1)
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.email_status == Notification.EmailStatus.SENT


def _use_broker(url: str, options: dict[str, Any]) -> None:
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    celery_app.conf.broker_url = url  # type: ignore[misc]
    celery_app.conf.broker_transport_options = options


def _wait_for(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")
