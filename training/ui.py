"""Navigation and home panels of the training app."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.models import Flag
from safeguard.tenancy.needs import OVERDUE, Need, register_needs
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .access import VIEW_ALL, is_line_manager, my_person, sees_all, team_of
from .compliance import build_rows, columns_for, current_policy, status_counts, today, totals
from .exports import requirements_for
from .models import Person, Requirement
from .policy.compliance import DUE, EXPIRED, MISSING


def _mine(request: OrgRequest) -> dict[str, Any]:
    """What the member must renew or do, and their team's figure if they manage anyone (fixed queries)."""
    person = my_person(request)
    if person is None:
        return {"person": None}
    org, on, policy = request.org, today(), current_policy(request.org)
    reqs = list(Requirement.objects.for_org(org).filter(job_role_id=person.job_role_id).select_related("course"))
    row = build_rows([person], columns_for(org, reqs, policy), reqs, policy, on)[0]
    todo = [c for c in row.cells if c["status"] in (DUE, EXPIRED, MISSING)]
    team = totals(team_of(request), policy, on)[0]
    return {"person": person, "row": row, "todo": todo, "team": team if team["people"] else None}


def _chase(request: OrgRequest) -> dict[str, Any]:
    """The same counts as the top of the training matrix, by the same function (issue 12.7)."""
    org, on, policy = request.org, today(), current_policy(request.org)
    people = Person.objects.for_org(org).filter(is_active=True)
    counts = status_counts(people, requirements_for(org.pk, None), policy, on, org)
    unsigned = Flag.objects.for_org(org).filter(kind="training.policy_unsigned", cleared_at__isnull=True).count()
    return {"counts": counts, "unsigned": unsigned}


def _needs_mine(request: OrgRequest) -> list[Need]:
    """The member's own DBS check or training that has expired, or runs out today (fixed queries)."""
    person = my_person(request)
    if person is None:
        return []
    org, on, policy = request.org, today(), current_policy(request.org)
    reqs = list(Requirement.objects.for_org(org).filter(job_role_id=person.job_role_id).select_related("course"))
    row = build_rows([person], columns_for(org, reqs, policy), reqs, policy, on)[0]
    url = reverse("training:mine")
    return [Need(OVERDUE, f"Your {c['column']} has expired: renew it", f"{url}#{c['key']}") for c in row.cells
            if c["status"] == EXPIRED and c["key"] != "policy"][:1]


register_nav("Training", "training:matrix", roles=set(VIEW_ALL), order=40)
# Line managers who hold none of those roles see their team's matrix too.
register_nav("Team training", "training:matrix", order=40,
             visible=lambda request: not sees_all(request) and is_line_manager(request))
register_nav("My training", "training:mine", order=45)
register_nav("Compliance figures", "training:figures", roles={Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR}, order=46)
register_panel("training-mine", "Your training and DBS", "training/_panel_mine.html", _mine, order=30)
register_needs(_needs_mine, order=40)
register_panel("training-chase", "Compliance to chase", "training/_panel_chase.html", _chase,
               roles={Role.HR_LD}, order=31)
