"""Signing in, lock-out, password reset, sessions and two-factor authentication."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.tenancy.notifications import deliver_password_resets
from safeguard.tenancy.roles import Role
from tests.factories import PASSWORD, World


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_it_signs_in_with_email_and_password(world: World) -> None:
    client = Client()
    response = _sign_in(client, world.members[Role.NSO].email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Your work" in client.get("/").content.decode()


def test_it_explains_a_wrong_password_without_saying_which_part_was_wrong(world: World) -> None:
    response = _sign_in(Client(), world.members[Role.NSO].email, "wrong-password-123")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in page
    assert world.members[Role.NSO].email in page  # what was typed is kept


def test_it_locks_an_account_after_five_failed_attempts(world: World) -> None:
    client = Client()
    email = world.members[Role.DSL].email
    for _ in range(5):
        _sign_in(client, email, "not-the-password-1")
    response = _sign_in(client, email)  # even the right password is refused now
    assert response.status_code == 429
    assert "locked for 30 minutes" in response.content.decode()


def test_it_resets_a_forgotten_password_by_email(world: World) -> None:
    user = world.members[Role.CASE_OFFICER]
    client = Client()
    client.post(reverse("password_reset"), {"email": user.email})
    assert mail.outbox == [] and deliver_password_resets() == 1  # sent by the worker, not in the request
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[arg-type]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert "This password is too short" in weak.content.decode()
    done = client.post(form_url, {"new_password1": "a-Brand-new-passphrase-77", "new_password2": "a-Brand-new-passphrase-77"})
    assert done.status_code == 302
    assert _sign_in(Client(), user.email, "a-Brand-new-passphrase-77").status_code == 302


def test_it_does_not_reveal_whether_an_email_has_an_account(db) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody-here@example.test"})
    assert response.status_code == 302 and deliver_password_resets() == 0 and mail.outbox == []


def test_it_ends_sessions_after_thirty_idle_minutes(world: World) -> None:
    from safeguard import settings as production

    assert production.SESSION_COOKIE_AGE == 30 * 60 and production.SESSION_REFRESH_SECONDS == 60
    client = Client()
    _sign_in(client, world.members[Role.NSO].email)
    client.get("/")
    assert 0 < client.session.get_expiry_age() <= 30 * 60


def test_it_moves_the_idle_time_out_on_at_most_once_a_minute_without_writing_on_every_get(world: World, settings) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from safeguard.tenancy.middleware import SESSION_SEEN_KEY

    settings.SESSION_REFRESH_SECONDS = 60
    client = Client()
    _sign_in(client, world.members[Role.NSO].email)
    client.get("/")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=20))
    client.get("/")  # seen under a minute ago: nothing written, the expiry stays
    assert Session.objects.get(session_key=key).expire_date < timezone.now() + timedelta(minutes=21)
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=20))
    client.get("/")  # a minute on: the idle time-out starts again
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)


def _device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_it_asks_for_the_code_after_the_password_when_a_device_is_set_up(world: World) -> None:
    user = world.members[Role.DSL]
    device = _device_for(user)
    client = Client()
    _sign_in(client, user.email)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))
    wrong = client.post(reverse("two-factor"), {"token": "000000", "next": "/"})
    assert "The code is not right" in wrong.content.decode()
    # django-otp throttles a device after a failure; wait it out rather than sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post(reverse("two-factor"), {"token": f"{totp(device.bin_key):06d}", "next": "/"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_it_makes_everyone_set_up_two_factor_when_the_organisation_requires_it(world: World) -> None:
    world.org.require_two_factor = True
    world.org.save()
    user = world.members[Role.CASE_OFFICER]
    client = Client()
    _sign_in(client, user.email)
    first = client.get("/")
    assert first["Location"].startswith(reverse("two-factor"))
    setup = client.get(reverse("two-factor-setup"))
    assert "Scan this QR code" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("two-factor-setup"), {"token": f"{totp(device.bin_key):06d}", "next": "/"})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    # And it cannot be switched off while the organisation requires it.
    client.post(reverse("two-factor-disable"))
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_it_asks_again_for_the_password_before_sensitive_pages(world: World) -> None:
    from safeguard.tenancy.views.accounts import REAUTH_SESSION_KEY

    user = world.members[Role.DSL]
    client = Client()
    client.force_login(user)
    bad = client.post(reverse("reauthenticate"), {"password": "nope-nope-nope", "next": "/"})
    assert "The password is not right" in bad.content.decode()
    assert REAUTH_SESSION_KEY not in client.session
    good = client.post(reverse("reauthenticate"), {"password": PASSWORD, "next": "/"})
    assert good.status_code == 302 and REAUTH_SESSION_KEY in client.session
