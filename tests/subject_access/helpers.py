"""Test data for subject access requests, made through the action functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from cases.actions import ConcernData, PersonData, do_add_addendum, do_record_action, do_report_concern
from cases.models import Case, ConcernType
from governance.subject_access import actions
from governance.subject_access.models import FoundRecord, Kind, Request
from registers import actions as register_actions
from registers.signals import ensure_registers
from safeguard.tenancy.roles import Role
from tests.factories import World
from training import actions as training_actions

NAME, DOB, TENANCY = "Perpetua Lindqvist", date(1984, 3, 9), "GH-0042"
REPORTER_SECRET = "Ingrid Next-Door"  # the third party who reported: redacted in tests


def dpm(world: World) -> Any:
    return world.members[Role.DATA_PRIVACY_MANAGER]


def subject_case(
    world: World, *, org: Any = None, name: str = NAME, dob: date | None = DOB, tenancy: str = TENANCY
) -> Case:
    org = org or world.org
    area, dept = (
        (world.area, world.department) if org == world.org else (world.other_area, world.other_department)
    )
    reporter = world.members[Role.FRONTLINE] if org == world.org else world.outsider
    data = ConcernData(
        concern_type=ConcernType.SAFEGUARDING,
        area_id=area.pk,
        department_id=dept.pk,
        source="neighbour",
        what_happened=f"{REPORTER_SECRET} at number 12 rang: she heard shouting and saw {name} crying at the door.",
        happened_on=date(2026, 11, 2),
        people=[
            PersonData(full_name=name, date_of_birth=dob, tenancy_reference=tenancy, address="42 Gorse Hill"),
            PersonData(full_name="Albin Lindqvist", person_type="child", age=6),
        ],
    )
    return do_report_concern(org, data, acting_user=reporter)


def subject_entry(world: World, *, name: str = NAME, dob: date | None = DOB) -> Any:
    from registers.models import Register

    ensure_registers(world.org.pk)
    register = Register.objects.for_org(world.org).get(area=world.area)
    return register_actions.do_add_entry(
        register,
        {
            "household": "Lindqvist household",
            "risk_level": "high",
            "risk": "Domestic abuse by a partner.",
            "department": world.department,
        },
        people=[register_actions.PersonSpec("adult", name, dob)],
        acting_user=world.members[Role.NSO],
    )


def subject_training(world: World, *, name: str = NAME) -> Any:
    return training_actions.do_save_person(
        world.org, {"full_name": name, "reference": "V77"}, acting_user=None
    )[0]


def make_request(
    world: World, *, kind: str = Kind.ACCESS, received_on: date = date(2026, 11, 20), **extra: Any
) -> Request:
    data = {
        "kind": kind,
        "requester_name": NAME,
        "subject_name": NAME,
        "subject_date_of_birth": DOB,
        "received_on": received_on,
        **extra,
    }
    return actions.do_record_request(world.org, data, acting_user=dpm(world))


def found_of(req: Request, source: str) -> FoundRecord:
    return FoundRecord.objects.for_org(req.organisation).get(request=req, source=source)


__all__ = ["do_add_addendum", "do_record_action"]
