"""The governance home page: what is due, overdue and recently changed, and the way into each record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest, member_required

from .. import kinds as k
from ..access import is_keeper, require_governance_member
from ..audits import may_audit, month_failure_count
from ..models import FollowUpAction, PlanAction, ReviewRecommendation
from ..visibility import visible

DUE_DAYS = 30
SHOWN = 25


def _detail_url(kind: k.Kind, pk: int) -> str:
    return reverse(kind.n_detail, args=[pk])


def due_items(request: OrgRequest, *, on: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Overdue and due-soon records the member sees: one query a kind, a fixed number in all."""
    on = on or timezone.localdate()
    org, membership = request.org, request.membership
    overdue: list[dict[str, Any]] = []
    soon: list[dict[str, Any]] = []
    sources: list[tuple[k.Kind, Any]] = []
    for kind in k.KINDS.values():
        if not kind.due or kind.slug in ("review-actions", "meeting-actions", "audit-actions", "plan-actions",
                                         "recommendations"):
            continue
        sources.append((kind, visible(kind, org, membership)))
    keeper = is_keeper(membership)
    uid = membership.user_id
    actions = FollowUpAction.objects.for_org(org).select_related("owner")
    plan = PlanAction.objects.for_org(org)
    recs = ReviewRecommendation.objects.for_org(org)
    if not keeper:
        actions, plan, recs = actions.filter(owner_id=uid), plan.filter(leads=uid), recs.filter(owner_id=uid)
    action_kind = {"audit": k.KINDS["audit-actions"], "case_review": k.KINDS["review-actions"],
                   "meeting": k.KINDS["meeting-actions"]}
    sources += [(None, actions), (k.KINDS["plan-actions"], plan), (k.KINDS["recommendations"], recs)]  # type: ignore[list-item]
    for kind, qs in sources:
        due_field = kind.due if kind else "due_on"
        open_qs = qs.exclude(kind.closed) if kind is not None and kind.closed is not None else (
            qs.filter(status="open") if kind is None else qs)
        rows = open_qs.filter(**{f"{due_field}__lte": on + timedelta(days=DUE_DAYS)}).order_by(due_field)[:SHOWN]
        for obj in rows:
            the_kind = kind or action_kind[obj.source]
            when = getattr(obj, due_field)  # type: ignore[arg-type]
            item = {"kind": the_kind, "obj": obj, "when": when, "url": _detail_url(the_kind, obj.pk),
                    "label": the_kind.singular.capitalize()}
            (overdue if when < on else soon).append(item)
    # Groups that have not met within their frequency.
    groups = visible(k.KINDS["groups"], org, membership).filter(is_active=True).annotate(
        last_met=Max("meetings__held_on", filter=Q(meetings__status="held")))
    for g in groups[:SHOWN]:
        due = (g.last_met or g.created_at.date()) + timedelta(days=31 * g.frequency_months)
        if due < on + timedelta(days=DUE_DAYS):
            item = {"kind": k.KINDS["groups"], "obj": g, "when": due, "url": _detail_url(k.KINDS["groups"], g.pk),
                    "label": "Meeting of"}
            (overdue if due < on else soon).append(item)
    overdue.sort(key=lambda i: i["when"])
    soon.sort(key=lambda i: i["when"])
    return {"overdue": overdue, "soon": soon}


def recently_changed(request: OrgRequest, *, days: int = 14) -> list[dict[str, Any]]:
    since = timezone.now() - timedelta(days=days)
    org, membership = request.org, request.membership
    found: list[dict[str, Any]] = []
    for kind in k.KINDS.values():
        if kind.parent or not hasattr(kind.model, "updated_at"):
            continue
        for obj in visible(kind, org, membership).filter(updated_at__gte=since).order_by("-updated_at")[:10]:
            found.append({"kind": kind, "obj": obj, "at": obj.updated_at, "url": _detail_url(kind, obj.pk)})
    found.sort(key=lambda i: i["at"], reverse=True)
    return found[:20]


def sections(request: OrgRequest) -> list[dict[str, Any]]:
    out = []
    for kind in k.KINDS.values():
        if kind.parent or not kind.home:
            continue
        out.append({"title": kind.plural, "url": reverse(kind.n_list), "description": kind.description})
    if may_audit(request.membership):
        out.insert(1, {"title": "Case audits", "url": reverse("governance:audits"),
                       "description": "Sample cases and check they are correctly recorded."})
    return out


@member_required
def home(request: OrgRequest) -> HttpResponse:
    membership = require_governance_member(request)
    today = timezone.localdate()
    keeper = is_keeper(membership)
    context: dict[str, Any] = {"sections": sections(request), "today": today, "is_keeper": keeper,
                               "recent": recently_changed(request), **due_items(request, on=today)}
    if keeper:
        context["month_failures"] = month_failure_count(request.org, today)
        context["out_of_date"] = visible(k.KINDS["policies"], request.org, membership).out_of_date(today).count()  # type: ignore[attr-defined]
    return render(request, "governance/home.html", context)


