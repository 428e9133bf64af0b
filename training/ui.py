"""Navigation and home panels of the training app."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from safeguard.tenancy.models import Flag
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .access import VIEW_ALL, is_line_manager, my_person, sees_all, team_of
from .compliance import build_rows, columns_for, current_policy, today, totals
from .models import Requirement
from .policy.compliance import DUE, EXPIRED, MISSING

CHASE_LABELS = {
    "training.dbs_expired": "DBS checks expired",
    "training.dbs_due_30": "DBS checks due within 30 days",
    "training.course_expired": "Training expired",
    "training.course_due_30": "Training due within 30 days",
    "training.policy_unsigned": "Policy not signed 30 days after publication",
}


def _mine(request: HttpRequest) -> dict[str, Any]:
    """What the member must renew or do, and their team's figure if they manage anyone (fixed queries)."""
    person = my_person(request)
    if person is None:
        return {"person": None}
    org, on, policy = request.org, today(), current_policy(request.org)  # type: ignore[attr-defined]
    reqs = list(Requirement.objects.for_org(org).filter(job_role_id=person.job_role_id).select_related("course"))
    row = build_rows([person], columns_for(org, reqs, policy), reqs, policy, on)[0]
    todo = [c for c in row.cells if c["status"] in (DUE, EXPIRED, MISSING)]
    team = totals(team_of(request), policy, on)[0]
    return {"person": person, "row": row, "todo": todo, "team": team if team["people"] else None}


def _chase(request: HttpRequest) -> dict[str, Any]:
    counts = dict(
        Flag.objects.for_org(request.org).filter(kind__in=list(CHASE_LABELS), cleared_at__isnull=True)  # type: ignore[attr-defined]
        .values_list("kind").annotate(n=Count("pk")).order_by()
    )
    return {"chase": [{"label": label, "count": counts.get(kind, 0)} for kind, label in CHASE_LABELS.items()]}


register_nav("Training", "training:matrix", roles=set(VIEW_ALL), order=40)
# Line managers who hold none of those roles see their team's matrix too.
register_nav("Team training", "training:matrix", order=40,
             visible=lambda request: not sees_all(request) and is_line_manager(request))
register_nav("My training", "training:mine", order=45)
register_nav("Compliance figures", "training:figures", roles={Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR}, order=46)
register_panel("training-mine", "Your training and DBS", "training/_panel_mine.html", _mine, order=30)
register_panel("training-chase", "Compliance to chase", "training/_panel_chase.html", _chase,
               roles={Role.HR_LD}, order=31)
