"""Register test data, made through the apps' own actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from cases.actions import ConcernData, PersonData, do_report_concern
from cases.models import Case, ConcernType
from registers import actions
from registers.models import Entry, Register
from safeguard.tenancy.roles import Role
from tests.factories import World


def register_of(area: Any) -> Register:
    return Register.objects.for_org(area.organisation_id).get(area=area)


def make_case(world: World, *, area: Any = None, department: Any = None, name: str = "Robin Tester") -> Case:
    area = area or world.area
    data = ConcernData(
        concern_type=ConcernType.SAFEGUARDING, area_id=area.pk, department_id=(department or world.department).pk,
        source="colleague", what_happened="Bruising seen on a visit.", happened_on=date(2026, 11, 2),
        people=[PersonData(full_name=name, person_type="adult", address="1 Test Row", tenancy_reference="T-1"),
                PersonData(full_name="Sam Tester", person_type="child")],
    )
    return do_report_concern(world.org, data, acting_user=world.members[Role.FRONTLINE])


def make_entry(world: World, *, area: Any = None, household: str = "Tester household", cp_plan: bool = False,
               case: Case | None = None, opened_on: date | None = None, **extra: Any) -> Entry:
    register = register_of(area or world.area)
    data = {"household": household, "risk_level": extra.pop("risk_level", "high"), "risk": "A known risk.",
            "department": world.department, "case": case, "cp_plan": cp_plan, **extra}
    if opened_on:
        data["opened_on"] = opened_on
    people = [actions.PersonSpec("adult", f"{household} Adult"), actions.PersonSpec("child", f"{household} Child")]
    return actions.do_add_entry(register, data, people=people, acting_user=world.members[Role.NSO])


def update(world: World, entry: Entry, on: date, today: date | None = None) -> None:
    actions.do_add_update(entry, liaised_on=on, with_whom="Case officer", what_changed="Nothing new.",
                          acting_user=world.members[Role.NSO], today=today or on)
