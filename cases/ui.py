"""Cases in the navigation and on the home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .models import Case, CaseStatus
from .policy.cadence import ALLOCATION_ORDER
from .policy.management import MANAGER_ROLES
from .policy.roles import CASE_ROLES, HOLDER_ROLES
from .policy.visibility import managed_cases, visible_cases

PANEL_SIZE = 10


def _my_cases(request: HttpRequest) -> dict[str, Any]:
    from .views.lists import urgency

    org, membership = request.org, request.membership  # type: ignore[attr-defined]
    qs = visible_cases(org, membership).filter(allocated_to=request.user).exclude(status=CaseStatus.CLOSED)
    return {"cases": list(urgency(qs)[:PANEL_SIZE]), "today": timezone.localdate()}


def _to_allocate(request: HttpRequest) -> dict[str, Any]:
    org, membership = request.org, request.membership  # type: ignore[attr-defined]
    managed = managed_cases(org, membership)
    new = managed.filter(status=CaseStatus.REPORTED).select_related("area").order_by(*ALLOCATION_ORDER)
    return {
        "cases": list(new[:PANEL_SIZE]),
        "closing": managed.filter(status=CaseStatus.CLOSURE_REQUESTED).count(),
        "today": timezone.localdate(),
    }


def _overdue(request: HttpRequest) -> dict[str, Any]:
    from .views.lists import overdue

    org, membership = request.org, request.membership  # type: ignore[attr-defined]
    qs = overdue(managed_cases(org, membership)).select_related("allocated_to", "area").order_by("next_action_due")
    return {"cases": list(qs[:PANEL_SIZE]), "today": timezone.localdate()}


def _reported(request: HttpRequest) -> dict[str, Any]:
    qs = Case.objects.for_org(request.org).filter(reported_by=request.user)  # type: ignore[attr-defined]
    return {"cases": list(qs.select_related("allocated_to").order_by("-reported_at")[:PANEL_SIZE])}


register_nav("Cases", "cases:list", roles=CASE_ROLES, order=10)
register_nav("My cases", "cases:mine", roles=HOLDER_ROLES, order=11)
register_nav("To allocate", "cases:triage", roles=MANAGER_ROLES, order=12)
register_nav("Case lists", "cases:lists", roles={Role.ORG_ADMIN}, order=96)
register_panel("cases-mine", "My cases", "cases/_panel_mine.html", _my_cases,
               roles=HOLDER_ROLES, order=10)
register_panel("cases-to-allocate", "New concerns to allocate", "cases/_panel_allocate.html", _to_allocate,
               roles=MANAGER_ROLES, order=11)
register_panel("cases-overdue", "Overdue in your area", "cases/_panel_overdue.html", _overdue,
               roles=MANAGER_ROLES, order=12)
register_panel("cases-reported", "Concerns you reported", "cases/_panel_reported.html", _reported, order=60)
