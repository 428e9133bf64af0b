"""Organisation administrators invite people, set roles, deactivate leavers; people switch organisations."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safeguard.tenancy.actions import RoleSpec, do_add_member, do_set_roles
from safeguard.tenancy.models import Invitation, Membership, User
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import deliver_pending_notifications
from tests.factories import World


def _admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.members[Role.ORG_ADMIN])
    return client


def test_it_invites_a_person_who_then_joins_with_the_roles_given(world: World, django_capture_on_commit_callbacks) -> None:
    client = _admin_client(world)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("people-invite"), {
            "full_name": "Robin Newcombe", "email": "Robin@Oakridge.test", "job_title": "Neighbourhood Officer",
            "roles": [Role.CASE_OFFICER], "areas": [world.second_area.pk],
        })
    assert response.status_code == 302
    deliver_pending_notifications()  # the sweep sends the invitation even if the broker was down
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["robin@oakridge.test"]
    link = re.search(r"https?://[^/]+(/account/invitation/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[arg-type]

    newcomer = Client()
    weak = newcomer.post(link, {"full_name": "Robin Newcombe", "password1": "short", "password2": "short"})
    assert "too short" in weak.content.decode() and "Robin Newcombe" in weak.content.decode()
    joined = newcomer.post(link, {"full_name": "Robin Newcombe", "password1": "Lantern-orchard-29",
                                  "password2": "Lantern-orchard-29"})
    assert joined.status_code == 302
    membership = Membership.objects.for_org(world.org).get(user__email="robin@oakridge.test")
    grant = membership.grants[Role.CASE_OFFICER]
    assert grant.area_ids == frozenset({world.second_area.pk})
    assert newcomer.get(link).status_code == 404  # used once only


def test_it_refuses_an_area_of_another_organisation_in_posted_roles(world: World) -> None:
    client = _admin_client(world)
    member = world.membership(Role.FRONTLINE)
    response = client.post(reverse("people-detail", args=[member.pk]),
                           {"roles": [Role.CASE_OFFICER], "areas": [world.other_area.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError):
        do_set_roles(member, [RoleSpec(Role.CASE_OFFICER, [world.other_area.pk])], acting_user=None)


def test_it_changes_roles_and_keeps_their_history(world: World) -> None:
    client = _admin_client(world)
    member = world.membership(Role.FRONTLINE)
    client.post(reverse("people-detail", args=[member.pk]),
                {"roles": [Role.FRONTLINE, Role.CASE_OFFICER], "areas": [world.area.pk], "job_title": "Officer"})
    member = Membership.objects.for_org(world.org).get(pk=member.pk)
    assert set(member.grants) == {Role.FRONTLINE, Role.CASE_OFFICER}
    assert member.grants[Role.CASE_OFFICER].area_ids == frozenset({world.area.pk})
    assert member.grants[Role.FRONTLINE].area_ids is None  # frontline reporting is never area-limited
    page = client.get(reverse("people-detail", args=[member.pk])).content.decode()
    assert "History" in page


def test_it_deactivates_a_leaver_who_then_sees_no_organisation(world: World) -> None:
    client = _admin_client(world)
    leaver = world.members[Role.CASE_OFFICER]
    member = world.membership(Role.CASE_OFFICER)
    client.post(reverse("people-deactivate", args=[member.pk]))
    member.refresh_from_db()
    assert not member.is_active and member.deactivated_at is not None
    assert User.objects.filter(pk=leaver.pk).exists()  # the person and their history stay
    other = Client()
    other.force_login(leaver)
    assert other.get("/")["Location"] == reverse("no-organisation")


def test_it_does_not_let_an_administrator_deactivate_themself(world: World) -> None:
    client = _admin_client(world)
    own = world.membership(Role.ORG_ADMIN)
    client.post(reverse("people-deactivate", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_active


def test_it_switches_between_a_persons_organisations_only(world: World) -> None:
    person = world.members[Role.CASE_MANAGER]
    do_add_member(world.other_org, person, [RoleSpec(Role.CASE_OFFICER)])
    client = Client()
    client.force_login(person)
    client.post(reverse("switch-organisation"), {"organisation": world.other_org.pk})
    assert "Marshgate Homes" in client.get("/").content.decode().split("<main")[1]
    client.post(reverse("switch-organisation"), {"organisation": world.org.pk})
    assert "Oakridge Housing" in client.get("/").content.decode().split("<main")[1]
    # An organisation the person is not in cannot be chosen.
    stranger = Client()
    stranger.force_login(world.members[Role.NSO])
    stranger.post(reverse("switch-organisation"), {"organisation": world.other_org.pk})
    assert "Oakridge Housing" in stranger.get("/").content.decode().split("<main")[1]


def test_it_lists_people_in_a_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:
    client = _admin_client(world)
    client.get(reverse("people"))
    with django_assert_max_num_queries(20):
        small = client.get(reverse("people"))
    for i in range(30):
        user = User.objects.create_user(f"extra{i}@oakridge.test", "x" * 16, full_name=f"Extra {i}")
        do_add_member(world.org, user, [RoleSpec(Role.CASE_OFFICER, [world.area.pk], [world.department.pk])])
    with django_assert_max_num_queries(20):
        large = client.get(reverse("people"))
    assert small.status_code == large.status_code == 200
    assert "Extra 29" in large.content.decode()


def test_it_keeps_invitations_inside_their_organisation(world: World) -> None:
    inv = Invitation.objects.create(organisation=world.org, email="z@oakridge.test", full_name="Z",
                                    roles=[Role.FRONTLINE], invited_by=world.members[Role.ORG_ADMIN])
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.post(reverse("invitation-revoke", args=[inv.pk])).status_code == 404
    inv.refresh_from_db()
    assert inv.revoked_at is None
