"""Who sees which register: defaults from roles, kept in step, and changed by hand with a record."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from registers import actions
from registers.models import MANAGE, REVIEW, VIEW, VIEW_CP
from registers.permissions import registers_for, user_perms
from safeguard.tenancy.actions import RoleSpec, do_add_area, do_deactivate_member, do_set_roles
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from tests.factories import make_user
from tests.registers.helpers import register_of


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_gives_each_role_its_default_permissions(world) -> None:
    first, second = register_of(world.area), register_of(world.second_area)
    assert user_perms(world.members[Role.NSO], first) == {VIEW, MANAGE}
    assert user_perms(world.members[Role.REGISTER_ADMIN], second) == {VIEW, MANAGE}
    assert user_perms(world.members[Role.SAFEGUARDING_MANAGER], second) == {VIEW, VIEW_CP}
    assert user_perms(world.members[Role.DSL], first) == {VIEW, REVIEW, VIEW_CP}
    assert user_perms(world.members[Role.DSL], second) == set()
    for role in (Role.CASE_OFFICER, Role.BOARD_MEMBER, Role.ORG_ADMIN, Role.FRONTLINE, Role.CASE_MANAGER):
        assert not registers_for(world.members[role], world.org).exists(), role


def test_it_makes_a_register_with_a_new_area_and_gives_access(world) -> None:
    area = do_add_area(world.org, name="Greyholm")
    register = register_of(area)
    assert user_perms(world.members[Role.NSO], register) == {VIEW, MANAGE}
    assert user_perms(world.members[Role.DSL], register) == set()


def test_it_takes_access_away_when_a_role_is_removed_or_the_member_leaves(world) -> None:
    nso = world.membership(Role.NSO)
    do_set_roles(nso, [RoleSpec(Role.CASE_OFFICER)], acting_user=world.members[Role.ORG_ADMIN])
    assert not registers_for(world.members[Role.NSO], world.org).exists()
    assert _client(world.members[Role.NSO]).get(reverse("registers:index")).status_code == 404
    dsl = world.membership(Role.DSL)
    do_deactivate_member(dsl, acting_user=world.members[Role.ORG_ADMIN])
    assert not registers_for(world.members[Role.DSL], world.org).exists()


def test_it_follows_a_dsl_moved_to_another_area(world) -> None:
    dsl = world.membership(Role.DSL)
    do_set_roles(dsl, [RoleSpec(Role.DSL, [world.second_area.pk])], acting_user=world.members[Role.ORG_ADMIN])
    assert [r.pk for r in registers_for(world.members[Role.DSL], world.org)] == [register_of(world.second_area).pk]


def test_it_lets_the_safeguarding_manager_grant_and_revoke_with_a_record(world) -> None:
    officer = world.members[Role.CASE_OFFICER]
    register = register_of(world.area)
    client = _client(world.members[Role.SAFEGUARDING_MANAGER])
    response = client.post(reverse("registers:access"), {
        "member": world.membership(Role.CASE_OFFICER).pk, "register": register.pk, "permission": VIEW,
        "allowed": "1", "reason": "Covering the NSO's leave"}, follow=True)
    assert "Permission given" in response.content.decode()
    assert _client(officer).get(reverse("registers:register", args=[register.pk])).status_code == 200
    client.post(reverse("registers:access"), {
        "member": world.membership(Role.CASE_OFFICER).pk, "register": register.pk, "permission": VIEW,
        "allowed": "0", "reason": "Leave over"})
    assert _client(officer).get(reverse("registers:register", args=[register.pk])).status_code == 404
    events = AuditEvent.objects.for_org(world.org).filter(action__startswith="register.access_")
    assert [e.action for e in events.order_by("at")] == ["register.access_granted", "register.access_revoked"]
    page = client.get(reverse("registers:access")).content.decode()
    assert "Covering the NSO&#x27;s leave" in page and "Leave over" in page


def test_it_keeps_a_revocation_when_roles_are_saved_again(world) -> None:
    register = register_of(world.area)
    actions.do_set_access(register, user=world.members[Role.NSO], permission=VIEW, allowed=False,
                          acting_user=world.members[Role.SAFEGUARDING_MANAGER])
    do_set_roles(world.membership(Role.NSO), [RoleSpec(Role.NSO)], acting_user=world.members[Role.ORG_ADMIN])
    assert VIEW not in user_perms(world.members[Role.NSO], register)
    assert VIEW in user_perms(world.members[Role.NSO], register_of(world.second_area))


def test_it_keeps_the_access_form_input_when_something_is_missing(world) -> None:
    client = _client(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("registers:access"), {"permission": VIEW, "allowed": "1",
                                                         "reason": "Typed reason"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose a person" in page and "Typed reason" in page


def test_it_shows_nothing_of_registers_to_a_case_officer(world) -> None:
    officer = make_user("officer2@oakridge.test")
    from safeguard.tenancy.actions import do_add_member

    do_add_member(world.org, officer, [RoleSpec(Role.CASE_OFFICER)])
    home = _client(officer).get(reverse("home")).content.decode()
    assert "Registers" not in home and "register" not in home.lower()


def test_it_shows_the_registers_nav_only_to_people_with_access_to_one(world) -> None:
    nav = '>Registers</a>'
    assert nav in _client(world.members[Role.DSL]).get(reverse("home")).content.decode()
    assert nav not in _client(world.members[Role.BOARD_MEMBER]).get(reverse("home")).content.decode()
    officer = world.members[Role.CASE_OFFICER]
    actions.do_set_access(register_of(world.second_area), user=officer, permission=VIEW, allowed=True,
                          acting_user=world.members[Role.SAFEGUARDING_MANAGER])
    assert nav in _client(officer).get(reverse("home")).content.decode()
