"""Two-factor authentication cannot be skipped: not by removing the device with only the
password, nor by switching organisation, removing and enrolling again in any order."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.models import AuditEvent, Membership, Notification
from safeguard.tenancy.roles import Role
from tests.cases.helpers import report
from tests.factories import PASSWORD, World


def _sign_in(client: Client, email: str) -> None:
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _two_org_person(world: World):
    """The case manager of Oakridge (which requires two-factor) is also in Marshgate (which does not).
    Marshgate comes first by name, so a fresh session starts there."""
    world.org.require_two_factor = True
    world.org.save()
    user = world.members[Role.CASE_MANAGER]
    do_add_member(world.other_org, user, [RoleSpec(Role.FRONTLINE)])
    device = TOTPDevice.objects.create(user=user, name="Their phone", confirmed=True)
    return user, device


def _switch(client: Client, org) -> None:
    client.post(reverse("switch-organisation"), {"organisation": org.pk})


def _remove(client: Client) -> None:
    client.post(reverse("two-factor-disable"))


def _enrol(client: Client, user) -> None:
    """The attacker holds only the password; they scan the QR code with their own app."""
    client.get(reverse("two-factor-setup"))
    attacker_device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if attacker_device is not None:
        client.post(reverse("two-factor-setup"), {"token": _code(attacker_device), "next": "/"})


def test_it_refuses_to_remove_a_device_from_a_session_that_entered_only_the_password(world: World) -> None:
    user = world.members[Role.NSO]  # an organisation that does not require two-factor
    device = TOTPDevice.objects.create(user=user, name="Their phone", confirmed=True)
    client = Client()
    _sign_in(client, user.email)
    response = client.post(reverse("two-factor-disable"))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("two-factor"))


def test_it_lets_a_verified_session_turn_two_factor_off_where_no_organisation_requires_it(world: World) -> None:
    user = world.members[Role.NSO]
    device = TOTPDevice.objects.create(user=user, name="Their phone", confirmed=True)
    client = Client()
    _sign_in(client, user.email)
    client.post(reverse("two-factor"), {"token": _code(device), "next": "/"})
    client.post(reverse("two-factor-disable"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.for_org(world.org).filter(action="two_factor.removed", actor=user).exists()


@pytest.mark.parametrize("order", list(itertools.permutations(["switch", "remove", "enrol"])),
                         ids=lambda o: "-".join(o))
def test_it_lets_only_a_verified_session_reach_an_organisation_that_requires_two_factor(world: World, order) -> None:
    user, device = _two_org_person(world)
    case = report(world)
    client = Client()
    _sign_in(client, user.email)
    _switch(client, world.other_org)  # start where two-factor is not required
    for step in order:
        if step == "switch":
            _switch(client, world.org)
        elif step == "remove":
            _remove(client)
        else:
            _enrol(client, user)
    _switch(client, world.org)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:list"), "/"):
        response = client.get(url)
        assert response.status_code == 302, (order, url)
        assert response["Location"].startswith(reverse("two-factor")), (order, url)
    # The person's own device is untouched and no device of the attacker's was confirmed.
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]
    # With the real code, the same session does reach the case.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post(reverse("two-factor"), {"token": _code(device), "next": "/"})
    _switch(client, world.org)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_it_enrols_a_person_without_a_device_at_first_sign_in_and_audits_it(world: World) -> None:
    world.org.require_two_factor = True
    world.org.save()
    user = world.members[Role.CASE_OFFICER]
    client = Client()
    _sign_in(client, user.email)
    assert client.get("/")["Location"].startswith(reverse("two-factor"))
    _enrol(client, user)
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.for_org(world.org).filter(action="two_factor.enrolled", actor=user).exists()


def test_it_sends_an_invitee_of_an_organisation_requiring_two_factor_to_enrol(world: World) -> None:
    from safeguard.tenancy.actions import do_invite

    world.org.require_two_factor = True
    world.org.save()
    invitation = do_invite(world.org, email="newcomer@oakridge.test", full_name="New Comer", job_title="",
                           specs=[RoleSpec(Role.FRONTLINE)], acting_user=world.members[Role.ORG_ADMIN])
    client = Client()
    response = client.post(reverse("accept-invitation", args=[invitation.token]), {
        "full_name": "New Comer", "password1": "a-Long-enough-passphrase-19", "password2": "a-Long-enough-passphrase-19",
    })
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-setup"))
    user = Membership.objects.for_org(world.org).get(user__email="newcomer@oakridge.test").user
    _enrol(client, user)
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.for_org(world.org).filter(action="two_factor.enrolled", actor=user).exists()


def _verified_admin(world: World) -> Client:
    admin = world.members[Role.ORG_ADMIN]
    client = Client()
    client.force_login(admin)
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "next": "/"})
    return client


def test_it_lets_an_administrator_reset_a_lost_device_telling_the_person(world: World) -> None:
    person = world.members[Role.CASE_OFFICER]
    TOTPDevice.objects.create(user=person, name="Lost phone", confirmed=True)
    membership = world.membership(Role.CASE_OFFICER)
    client = _verified_admin(world)
    page = client.get(reverse("people-detail", args=[membership.pk])).content.decode()
    assert "Reset two-factor authentication" in page
    response = client.post(reverse("people-reset-two-factor", args=[membership.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.for_org(world.org).get(action="two_factor.reset")
    assert event.actor == world.members[Role.ORG_ADMIN] and event.object_id == membership.pk
    note = Notification.objects.for_org(world.org).get(recipient=person, kind="account.two_factor_reset")
    assert "two-factor" in note.title.lower() and person.full_name not in note.title


def test_it_asks_the_administrator_to_confirm_it_is_them_before_resetting_a_device(world: World) -> None:
    person = world.members[Role.CASE_OFFICER]
    TOTPDevice.objects.create(user=person, name="Lost phone", confirmed=True)
    client = Client()
    client.force_login(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("people-reset-two-factor", args=[world.membership(Role.CASE_OFFICER).pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauthenticate"))
    assert TOTPDevice.objects.filter(user=person).exists()


def test_it_does_not_let_another_organisations_administrator_reset_a_device(world: World) -> None:
    person = world.members[Role.CASE_OFFICER]
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    client = Client()
    client.force_login(world.outsider)
    client.post(reverse("reauthenticate"), {"password": PASSWORD, "next": "/"})
    response = client.post(reverse("people-reset-two-factor", args=[world.membership(Role.CASE_OFFICER).pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()
