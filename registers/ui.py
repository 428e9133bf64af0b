"""The registers app's navigation and home panels."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.needs import LIMIT, OVERDUE, TODAY, Need, register_needs
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .models import MANAGE, REVIEW, Entry, EntryStatus, EntryUpdate, Review, ReviewStatus
from .permissions import has_any_register, registers_for
from .policy.review import add_months, reviewable_months, this_month
from .status import not_on_register


def _sees_a_register(request: OrgRequest) -> bool:
    """One EXISTS query: the nav shows "Registers" only to people with access to one."""
    return has_any_register(request.user, request.org)


def _to_update(request: OrgRequest) -> dict[str, Any]:
    month = this_month()
    qs = (Entry.objects.for_org(request.org)
          .filter(register__in=registers_for(request.user, request.org, MANAGE),
                  status=EntryStatus.OPEN)
          .exclude(Exists(EntryUpdate.objects.filter(entry=OuterRef("pk"), month=month)))
          .select_related("register__area").order_by("register__area__name", "reference"))
    return {"entries": list(qs[:10]), "total": qs.count(), "month": month,
            "not_on_register": list(not_on_register(request)[:5]) if request.membership.has_role(Role.NSO) else []}


def _review_due(request: OrgRequest) -> dict[str, Any]:
    registers = list(registers_for(request.user, request.org, REVIEW).select_related("area"))
    months = reviewable_months()
    signed = set(Review.objects.for_org(request.org).filter(
        register__in=[r.pk for r in registers], month__in=months, status=ReviewStatus.SIGNED)
        .values_list("register_id", "month"))
    due = [{"register": r, "month": m} for r in registers for m in reversed(months) if (r.pk, m) not in signed]
    return {"due": due}


def _needs_review(request: OrgRequest) -> list[Need]:
    """Last month's review not yet signed off is overdue for the DSL (two queries)."""
    last = reviewable_months()[-1]
    registers = list(registers_for(request.user, request.org, REVIEW).select_related("area"))
    signed = set(Review.objects.for_org(request.org).filter(
        register__in=[r.pk for r in registers], month=last, status=ReviewStatus.SIGNED)
        .values_list("register_id", flat=True))
    return [Need(OVERDUE, f"Review and sign off the {r.area.name} register for {last:%B %Y}",
                 reverse("registers:review", args=[r.pk, last.year, last.month]), due=this_month())
            for r in registers if r.pk not in signed][:LIMIT]


def _needs_updates(request: OrgRequest) -> list[Need]:
    """In the last five days of a month, each entry still without its monthly update is due (one query)."""
    today = timezone.localdate()
    month_end = add_months(this_month(today), 1) - timedelta(days=1)
    if (month_end - today).days > 5:
        return []
    qs = (Entry.objects.for_org(request.org)
          .filter(register__in=registers_for(request.user, request.org, MANAGE), status=EntryStatus.OPEN)
          .exclude(Exists(EntryUpdate.objects.filter(entry=OuterRef("pk"), month=this_month(today))))
          .order_by("reference")[:LIMIT])
    return [Need(TODAY, f"Record this month's update of register entry {e.reference}",
                 reverse("registers:update-add", args=[e.pk]), detail=f"due by {month_end:%-d %B}", due=month_end)
            for e in qs]


def register() -> None:
    from cases.sections import register_section

    from .templatetags.registers import case_section_context

    register_section("registers", "Safeguarding register", "registers/_case_section_body.html",
                     case_section_context, order=40)
    register_nav("Registers", "registers:index", order=30, visible=_sees_a_register)
    register_panel("registers-to-update", "Register entries to update this month", "registers/_panel_updates.html",
                   _to_update, roles={Role.NSO, Role.REGISTER_ADMIN}, order=20)
    register_panel("registers-oversight", "Registers: figures and oversight", "registers/_panel_oversight.html",
                   lambda request: {}, roles={Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN},
                   order=60)
    register_needs(_needs_review, roles={Role.DSL}, order=20,
                   covers=("registers.review_missed", "registers.review_missed_two_months"))
    register_needs(_needs_updates, roles={Role.NSO, Role.REGISTER_ADMIN}, order=21)
    register_panel("registers-review-due", "Register review due", "registers/_panel_review.html", _review_due,
                   roles={Role.DSL}, order=21)


register()
