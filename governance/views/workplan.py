"""The printable work plan."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest, member_required

from .. import kinds as k
from ..access import require_governance_member
from ..models import PlanAction, ProgressNote
from ..visibility import visible


@member_required
def workplan_print(request: OrgRequest) -> HttpResponse:
    """Every outcome the member sees with its actions, leads and progress notes: four queries."""
    require_governance_member(request)
    actions = PlanAction.objects.for_org(request.org).prefetch_related(
        "leads", Prefetch("progress", queryset=ProgressNote.objects.for_org(request.org).order_by("-noted_on")))
    outcomes = visible(k.KINDS["outcomes"], request.org, request.membership).prefetch_related(
        Prefetch("actions", queryset=actions))
    return render(request, "governance/workplan_print.html", {"outcomes": outcomes, "today": timezone.localdate(),
                                                              "org": request.org})
