"""Cases in the navigation and on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.needs import LIMIT, NEW, OVERDUE, TODAY, Need, register_needs
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .models import Case, CaseStatus
from .policy.management import MANAGER_ROLES
from .policy.roles import CASE_ROLES, HOLDER_ROLES
from .policy.visibility import managed_cases, visible_cases

PANEL_SIZE = 10


def _my_cases(request: OrgRequest) -> dict[str, Any]:
    from .views.lists import urgency

    org, membership = request.org, request.membership
    qs = visible_cases(org, membership).filter(allocated_to=request.user).exclude(status=CaseStatus.CLOSED)
    return {"cases": list(urgency(qs)[:PANEL_SIZE]), "today": timezone.localdate()}


def _due_bucket(due: Any, today: Any) -> str:
    return OVERDUE if due < today else TODAY


def _needs_mine(request: OrgRequest) -> list[Need]:
    """The member's own cases whose next action is overdue or due today (one query)."""
    org, membership = request.org, request.membership
    today = timezone.localdate()
    qs = (visible_cases(org, membership).filter(allocated_to=request.user, next_action_due__lte=today,
                                                 status__in=[CaseStatus.REPORTED, CaseStatus.ALLOCATED])
          .order_by("next_action_due")[:LIMIT])
    return [Need(_due_bucket(c.next_action_due, today), f"Record the next action on your case {c.reference}",
                 reverse("cases:detail", args=[c.pk]), detail=f"due {c.next_action_due:%-d %B}",
                 due=c.next_action_due, urgent=c.immediate_risk) for c in qs]


def _needs_manage(request: OrgRequest) -> list[Need]:
    """New concerns to allocate, closures to decide, and others' overdue cases in the member's area (3 queries)."""
    org, membership = request.org, request.membership
    managed = managed_cases(org, membership)
    needs = [Need(NEW, f"Allocate the new concern {c.reference}", reverse("cases:allocate", args=[c.pk]),
                  detail=f"{c.area.name}, reported {timezone.localtime(c.reported_at):%-d %B}",
                  at=c.reported_at, urgent=c.immediate_risk)
             for c in managed.filter(status=CaseStatus.REPORTED).select_related("area")
             .order_by("-immediate_risk", "reported_at")[:LIMIT]]
    needs += [Need(NEW, f"Decide on closing case {c.reference}", reverse("cases:closure", args=[c.pk]),
                   detail="closure requested", at=c.closure_requested_at)
              for c in managed.filter(status=CaseStatus.CLOSURE_REQUESTED)
              .exclude(closure_requested_by=request.user).order_by("closure_requested_at")[:LIMIT]]
    from .views.lists import overdue

    late = overdue(managed).exclude(allocated_to=request.user).select_related("allocated_to")
    needs += [Need(OVERDUE, f"Case {c.reference} is overdue", reverse("cases:detail", args=[c.pk]),
                   detail=f"held by {c.allocated_to.full_name if c.allocated_to else 'no one yet'}, "
                          f"due {c.next_action_due:%-d %B}", due=c.next_action_due, urgent=c.immediate_risk)
              for c in late.order_by("next_action_due")[:LIMIT]]
    return needs


def _reported(request: OrgRequest) -> dict[str, Any]:
    qs = Case.objects.for_org(request.org).filter(reported_by=request.user)
    return {"cases": list(qs.select_related("allocated_to").order_by("-reported_at")[:PANEL_SIZE])}


register_nav("Cases", "cases:list", roles=CASE_ROLES, order=10)
register_nav("My cases", "cases:mine", roles=HOLDER_ROLES, order=11)
register_nav("To allocate", "cases:triage", roles=MANAGER_ROLES, order=12)
register_nav("Case lists", "cases:lists", roles={Role.ORG_ADMIN}, order=96)
register_panel("cases-mine", "My cases", "cases/_panel_mine.html", _my_cases,
               roles=HOLDER_ROLES, order=10)
# New concerns, closures to decide and overdue cases are in the "needs you now" list (issue 12.7), not
# in panels of their own that repeated them; the triage page and the case list hold the full lists.
register_needs(_needs_mine, roles={Role.CASE_OFFICER, Role.CASE_MANAGER, *MANAGER_ROLES}, order=10,
               covers=("case.no_action",))
register_needs(_needs_manage, roles=MANAGER_ROLES, order=11, covers=("case.reported", "case.closure_requested"))
register_panel("cases-reported", "Concerns you reported", "cases/_panel_reported.html", _reported, order=60)
