"""Board test data, made through the apps' own actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from registers import actions as reg_actions
from registers.models import Entry, Register, add_months
from safeguard.tenancy.roles import Role
from tests.factories import World
from tests.registers.helpers import make_entry, register_of


def backdate_register(area: Any, month: date) -> Register:
    """Make the area's register as old as ``month`` (registers are made with their area)."""
    from django.utils import timezone

    register = register_of(area)
    Register.all_orgs.filter(pk=register.pk).update(
        created_at=timezone.make_aware(timezone.datetime(month.year, month.month, 1, 9)))
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
