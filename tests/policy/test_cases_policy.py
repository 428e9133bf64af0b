"""The case rules as a table: role x allegation or not x area x department -> sees, manages, is told.

Every form of each rule is asserted against the same table, so they cannot drift: the queryset
filters (``visible_cases``, ``managed_cases``), the per-object checks (``can_see``, ``can_manage``)
and the set-based queries of the daily jobs (``dangerously_managers_of``, ``dangerously_told_of_flags``).
"""

from __future__ import annotations

from fnmatch import fnmatch

import pytest

from cases.models import Case
from cases.policy.audience import dangerously_told_of_flags
from cases.policy.management import can_manage, dangerously_managers_of, manager_ids
from cases.policy.visibility import can_see, managed_cases, visible_cases
from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.models import Membership, User
from safeguard.tenancy.roles import ALL_ROLES, Role
from tests.cases.helpers import report
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db

# Case keys: "S" (safeguarding concern) or "A" (allegation against a colleague), then area 1/2,
# then department 1/2. Patterns (fnmatch) name the cases each person is expected to reach.
CASE_KEYS = [f"{kind}-a{area}-d{dept}" for kind in "SA" for area in (1, 2) for dept in (1, 2)]
NONE = ""

# person: (areas, departments) limits of their one role; roles of world.members are unlimited.
EXTRA_PEOPLE = {
    "cm_area1": (Role.CASE_MANAGER, [1], []),
    "cm_area2": (Role.CASE_MANAGER, [2], []),
    "cm_dept1": (Role.CASE_MANAGER, [], [1]),
    "cm_area2_dept2": (Role.CASE_MANAGER, [2], [2]),
    "nso_dept2": (Role.NSO, [], [2]),
    "dsl_area1": (Role.DSL, [1], []),
}

# person: (manages, sees, told of daily flags) as patterns over CASE_KEYS (unallocated cases).
EXPECTED: dict[str, tuple[str, str, str]] = {
    Role.CASE_MANAGER: ("S-*", "S-*", "S-*"),
    "cm_area1": ("S-a1-*", "S-a1-*", "S-a1-*"),
    "cm_area2": ("S-a2-*", "S-a2-*", "S-a2-*"),
    "cm_dept1": ("S-*-d1", "S-*-d1", "S-*-d1"),
    "cm_area2_dept2": ("S-a2-d2", "S-a2-d2", "S-a2-d2"),
    Role.SAFEGUARDING_MANAGER: ("S-*", "S-*", NONE),
    Role.PEOPLE_DIRECTOR: ("A-*", "A-*", "A-*"),
    Role.NSO: (NONE, "S-*", NONE),
    "nso_dept2": (NONE, "S-*-d2", NONE),
    "dsl_area1": (NONE, NONE, NONE),
    **dict.fromkeys((Role.FRONTLINE, Role.CASE_OFFICER, Role.DSL, Role.REGISTER_ADMIN, Role.DATA_PRIVACY_MANAGER,
                     Role.HR_LD, Role.BOARD_MEMBER, Role.ORG_ADMIN), (NONE, NONE, NONE)),
}


def _matching(pattern: str) -> set[str]:
    return {key for key in CASE_KEYS if pattern and fnmatch(key, pattern)}


@pytest.fixture
def table(world: World) -> tuple[dict[str, User], dict[str, Case]]:
    areas = {1: world.area.pk, 2: world.second_area.pk}
    depts = {1: world.department.pk, 2: world.second_department.pk}
    people: dict[str, User] = dict(world.members)
    for name, (role, area_nos, dept_nos) in EXTRA_PEOPLE.items():
        user = make_user(f"{name}@oakridge.test", name.replace("_", " ").title())
        do_add_member(world.org, user, [RoleSpec(role, [areas[a] for a in area_nos], [depts[d] for d in dept_nos])])
        people[name] = user
    cases = {}
    for key in CASE_KEYS:
        kind, area, dept = key.split("-")
        cases[key] = report(world, area_id=areas[int(area[1])], department_id=depts[int(dept[1])],
                            is_colleague_allegation=kind == "A")
    return people, cases


def test_it_covers_every_role() -> None:
    assert set(ALL_ROLES) <= set(EXPECTED)
    assert set(EXTRA_PEOPLE) <= set(EXPECTED)


def test_it_gives_one_answer_for_who_manages_in_every_form(world: World, table) -> None:
    people, cases = table
    ids = [c.pk for c in cases.values()]
    set_rows = set(dangerously_managers_of(ids, flags=False))
    for name, (manages, _, _) in EXPECTED.items():
        membership = Membership.objects.for_org(world.org).get(user=people[name])
        expected = _matching(manages)
        by_filter = {k for k, c in cases.items() if managed_cases(world.org, membership).filter(pk=c.pk).exists()}
        by_object = {k for k, c in cases.items() if can_manage(c, membership)}
        by_set = {k for k, c in cases.items() if (c.pk, world.org.pk, people[name].pk) in set_rows}
        by_one = {k for k, c in cases.items() if people[name].pk in manager_ids(c)}
        assert (name, by_filter) == (name, expected)
        assert (name, by_object) == (name, expected)
        assert (name, by_set) == (name, expected)
        assert (name, by_one) == (name, expected)


def test_it_gives_one_answer_for_who_sees_in_every_form(world: World, table) -> None:
    people, cases = table
    for name, (_, sees, _) in EXPECTED.items():
        membership = Membership.objects.for_org(world.org).get(user=people[name])
        expected = _matching(sees)
        by_filter = {k for k, c in cases.items() if visible_cases(world.org, membership).filter(pk=c.pk).exists()}
        by_object = {k for k, c in cases.items() if can_see(c, membership)}
        assert (name, by_filter) == (name, expected)
        assert (name, by_object) == (name, expected)


def test_it_tells_of_flags_only_people_who_can_open_the_case(world: World, table) -> None:
    people, cases = table
    told = set(dangerously_told_of_flags([c.pk for c in cases.values()]))
    for name, (_, sees, told_pattern) in EXPECTED.items():
        expected = _matching(told_pattern)
        assert expected <= _matching(sees), name
        by_set = {k for k, c in cases.items() if (c.pk, world.org.pk, people[name].pk) in told}
        assert (name, by_set) == (name, expected)


def test_it_never_pairs_a_case_with_another_organisation(world: World, table) -> None:
    _, cases = table
    rows = dangerously_told_of_flags([c.pk for c in cases.values()]) + dangerously_managers_of(
        [c.pk for c in cases.values()], flags=False)
    assert world.outsider.pk not in {user_id for _, _, user_id in rows}
    assert {org_id for _, org_id, _ in rows} == {world.org.pk}
