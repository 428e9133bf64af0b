"""Making cases for tests through the cases app's own actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import actions
from cases.models import Case, ConcernType, Source
from cases.policy.cadence import next_due_limit
from safeguard.tenancy.models import Membership, User
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def membership(world: World, role: str) -> Membership:
    return world.membership(role)


def concern(world: World, **overrides: Any) -> actions.ConcernData:
    data: dict[str, Any] = {
        "concern_type": ConcernType.SAFEGUARDING, "area_id": world.area.pk, "department_id": world.department.pk,
        "source": Source.COLLEAGUE, "what_happened": "Bruising seen on the arm of the younger child.",
        "happened_on": timezone.localdate() - timedelta(days=1),
        "people": [actions.PersonData(full_name="Robin Testwell", tenancy_reference="T-1001"),
                   actions.PersonData(full_name="Skye Testwell", person_type="child", age=6)],
    }
    data.update(overrides)
    return actions.ConcernData(**data)


def report(world: World, reporter: User | None = None, **overrides: Any) -> Case:
    return actions.do_report_concern(world.org, concern(world, **overrides),
                                     acting_user=reporter or world.members["frontline"])


def allocated(world: World, officer: str = "case_officer", **overrides: Any) -> Case:
    case = report(world, **overrides)
    manager = "people_director" if overrides.get("is_colleague_allegation") else "case_manager"
    return actions.do_allocate(case, officer=world.members[officer], concern_type=case.concern_type,
                               version=case.version, acting_user=world.members[manager])


def with_action(world: World, case: Case, days_ago: int = 0) -> Case:
    day = timezone.localdate() - timedelta(days=days_ago)
    actions.do_record_action(case, action_type="visit", taken_on=day, note="Visited the household.",
                             next_due=next_due_limit(case, day),
                             acting_user=case.allocated_to or world.members["case_officer"])
    case.refresh_from_db()
    return case


def closure_requested(world: World, **overrides: Any) -> Case:
    case = with_action(world, allocated(world, **overrides))
    return actions.do_request_closure(case, outcome="Support in place; risk reduced.", version=case.version,
                                      acting_user=world.members["case_officer"])


def closed(world: World, **overrides: Any) -> Case:
    case = closure_requested(world, **overrides)
    return actions.do_decide_closure(case, authorise=True, reason="", version=case.version,
                                     acting_user=world.members["case_manager"],
                                     membership=world.membership("case_manager"))


def pdf_upload(name: str = "letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
