"""Board test data, made through the apps' own actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from registers import actions as reg_actions
from registers.models import Entry, Register
from registers.policy.review import add_months
from safeguard.tenancy.roles import Role
from tests.factories import World
from tests.registers.helpers import make_entry, register_of


def backdate_register(area: Any, month: date) -> Register:
    """Make the area's register as old as ``month`` (registers are made with their area)."""
    from django.utils import timezone

    register = register_of(area)
    Register.all_orgs.filter(pk=register.pk).update(
        created_at=timezone.make_aware(timezone.datetime(month.year, month.month, 1, 9)))  # type: ignore[attr-defined]
    return register


def complete_month(world: World, register: Register, month: date, *, update: bool = True) -> None:
    """Every open entry updated in ``month`` (or given a reason) and the month's review signed."""
    dsl = world.members[Role.DSL] if register.area_id == world.area.pk else world.members[Role.SAFEGUARDING_MANAGER]
    review = reg_actions.start_review(register, month, acting_user=dsl)
    for entry in Entry.objects.for_org(world.org).filter(register=register, status="open"):
        if update:
            reg_actions.do_add_update(entry, liaised_on=month.replace(day=10), with_whom="Case officer",
                                      what_changed="Nothing new.", acting_user=world.members[Role.NSO],
                                      today=add_months(month, 1))
        reg_actions.do_mark_entry(review, entry, comment="Checked", acting_user=dsl,
                                  no_update_reason="" if update else "Officer on leave")
    reg_actions.do_sign_review(review, acting_user=dsl, today=month.replace(day=28))


def entry_since(world: World, month: date, area: Any = None) -> Entry:
    return make_entry(world, area=area, opened_on=month.replace(day=2))


def out_of_date_policy(world: World, review_on: date) -> Any:
    from governance.actions.policies import do_save_policy

    return do_save_policy(world.org, {"title": "Safeguarding adults policy", "kind": "adults", "review_on": review_on,
                                      "status": "approved"}, acting_user=world.members[Role.SAFEGUARDING_MANAGER])


def audit_failure(world: World, audited_on: date, *, area: Any = None, correct: bool = False) -> Any:
    from governance.models import AuditedCase, AuditRound
    from tests.registers.helpers import make_case

    area = area or world.area
    sm = world.members[Role.SAFEGUARDING_MANAGER]
    audit = AuditRound.objects.for_org(world.org).first() or AuditRound.objects.create(
        organisation=world.org, period_start=add_months(audited_on.replace(day=1), -1), period_end=audited_on,
        sample_size=5, seed=7, started_by=sm)
    case = make_case(world, area=area)
    return AuditedCase.objects.create(organisation=world.org, round=audit, case=case, area=area, auditor=sm,
                                      correctly_recorded_on_register=correct, audited_on=audited_on)


def case_review(world: World, notified_on: date, *, local_authority: str = "", failure: bool = True,
                status: str = "open") -> Any:
    from governance.models import CaseReview

    return CaseReview.objects.create(organisation=world.org, kind="sar", title="Adult D",
                                     local_authority=local_authority or world.area.name, notified_on=notified_on,
                                     failure_contributed=failure, status=status)
