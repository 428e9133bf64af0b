"""Everything on the board dashboard (and in the reports), for one organisation, period and set of areas,
in a fixed number of queries. Nothing here names a person, a household, a case or a reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from governance.rag import AreaRating, rate
from registers.policy.review import add_months, month_start
from safeguard.tenancy import suppression
from safeguard.tenancy.access import may_open
from safeguard.tenancy.models import Area, Organisation
from safeguard.tenancy.roles import Role

from . import charts, indicators
from .models import Rating, RatingSnapshot


@dataclass
class Filters:
    kind: str
    ending: date
    area_id: int | None

    @property
    def query(self) -> str:
        q = f"period={self.kind}&ending={self.ending:%Y-%m}"
        return q + (f"&area={self.area_id}" if self.area_id else "")


def parse_filters(params: Any, allowed_areas: dict[int, str], today: date) -> Filters:
    kind = params.get("period", "month")
    if kind not in indicators.PERIOD_MONTHS:
        kind = "month"
    ending = month_start(today)
    raw = params.get("ending", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        candidate = date(year, month, 1)
        if date(2000, 1, 1) <= candidate <= ending:
            ending = candidate
    except ValueError:
        pass
    area_id = None
    try:
        area_id = int(params.get("area", "") or 0) or None
    except ValueError:
        area_id = None
    if area_id not in allowed_areas:
        area_id = None
    return Filters(kind, ending, area_id)


def allowed_area_ids(membership: Any) -> set[int] | None:
    """None (every area) for the board, executives and the Safeguarding Manager; a DSL's own areas."""
    if membership.has_role(Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR):
        return None
    grant = membership.grants.get(Role.DSL)
    return set(grant.area_ids) if grant is not None and grant.area_ids is not None else None


def history_field(org: Organisation, month: date) -> dict[str, Any]:
    """The stored ratings of the 12 months to ``month``, as one field of the figures statement."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import F
    from django.db.models.functions import JSONObject

    months = [add_months(month, -n) for n in range(11, -1, -1)]
    rows = RatingSnapshot.objects.for_org(org).filter(month__gte=months[0], month__lte=months[-1]).order_by()
    return {"rating_history": ArraySubquery(rows.values(j=JSONObject(area=F("area_id"), month=F("month"),
                                                                      rating=F("rating"))))}


def _history(stored_rows: list[Any], live: dict[int | None, AreaRating], areas: dict[int, str], month: date,
             area_ids: set[int] | None) -> dict[str, Any]:
    """The stored rating of each area and the organisation over the 12 months to ``month`` (the current
    month's live value in its place), from ``history_field``."""
    import json

    months = [add_months(month, -n) for n in range(11, -1, -1)]
    stored = {}
    for r in stored_rows or []:
        r = json.loads(r) if isinstance(r, str) else r
        stored[(r["area"], date.fromisoformat(r["month"]))] = r["rating"]
    current = month  # the live rating in the last month's place (the dashboard: this month)
    rows = []
    keys = ([None] if area_ids is None else []) + [a for a in areas if area_ids is None or a in area_ids]
    for key in keys:
        cells = []
        for m in months:
            value = live[key].rating if (m == current and key in live) else stored.get((key, m), "")
            cells.append({"month": m, "rating": value, "label": Rating(value).label if value else "Not rated"})
        rows.append({"label": "Organisation" if key is None else areas[key], "cells": cells})
    return {"months": [f"{m:%b %y}" for m in months], "rows": rows}


def build(org: Organisation, *, filters: Filters, area_ids: set[int] | None, today: date | None = None,
          with_rag: bool = True, areas: dict[int, str] | None = None, rag_on: date | None = None) -> dict[str, Any]:
    """``rag_on``: the day the rating is worked out for (a report's last day; the dashboard: today)."""
    today = today or timezone.localdate()
    rag_on = rag_on or today
    if areas is None:
        areas = dict(Area.objects.for_org(org).filter(is_active=True).order_by("name").values_list("pk", "name"))
    visible = areas if area_ids is None else {a: n for a, n in areas.items() if a in area_ids}
    scope = {filters.area_id} if filters.area_id else (None if area_ids is None else set(visible))
    p = indicators.periods(filters.kind, filters.ending)
    data: dict[str, Any] = {"org": org, "filters": filters, "periods": p, "areas": visible, "today": today,
                            "period_label": p["now"].label, "period_kind": indicators.PERIOD_LABELS[filters.kind]}
    bound = indicators.stored_bound(org)
    s = indicators.scalars(org, scope, p, today, month=filters.ending, bound=bound,
                           extra=history_field(org, month_start(rag_on)) if with_rag else None)
    if with_rag:
        live = rate([org.pk], today=rag_on, cfg={org.pk: s["rag_settings"]})[org.pk]
        shown = [live[None]] if area_ids is None and not filters.area_id else []
        shown += [live[a] for a in visible if a in live and (not filters.area_id or a == filters.area_id)]
        data["ratings"] = shown
        data["history"] = _history(s["rating_history"], live, areas, month_start(rag_on), scope)
        data["rag_month"] = month_start(rag_on)
        data["this_month"] = [
            {"label": r.name, "signed": r.this_month.get("signed", False),
             "not_updated": suppression.suppress(r.this_month["not_updated"]) if r.this_month.get("not_updated")
             else "none"}
            for r in shown if r.area_id is not None]
    data["casework"] = indicators.casework_indicators(s, org)
    rows = indicators.concern_rows(org, scope, add_months(month_start(p["now"].end), -(12 + indicators.SPIKE_HISTORY)),
                                   p["now"].end, bound)
    # the same period last year may lie before the 24 months read for spikes: read back far enough
    if p["last_year"].start < add_months(month_start(p["now"].end), -(12 + indicators.SPIKE_HISTORY)):
        rows = indicators.concern_rows(org, scope, p["last_year"].start, p["now"].end, bound)
    concern_areas = visible if not filters.area_id else {filters.area_id: visible[filters.area_id]}
    data["concerns"] = indicators.concerns(rows, concern_areas, p)
    data["categories"] = indicators.categories(org, scope, p, bound)
    data["referrals"] = indicators.referrals(org, scope, p["now"])
    data["registers"] = indicators.register_figures(org, concern_areas, scope, p["now"], s)
    data["compliance"] = indicators.compliance_by_department(org, today, policy_id=s["policy_version"])
    data["governance"] = governance_figures(s, p)
    data["commentary"] = {"text": s["commentary_text"], "written_at": s["commentary_at"]} \
        if s["commentary_text"] else None
    data["charts"] = make_charts(data)
    return data


def governance_fields(org: Organisation, scope: set[int] | None, p: dict[str, indicators.Period],
                      today: date) -> dict[str, Any]:
    """Case reviews, audit pass rate, lessons and the work plan, as scalar subqueries of the one
    figures query (``indicators.scalars``)."""
    from django.db.models import Count

    from governance.models import AuditedCase, CaseReview, Lesson, PlanAction

    audited = AuditedCase.objects.for_org(org).filter(audited_on__isnull=False)
    if scope is not None:
        audited = audited.filter(area_id__in=scope)
    fields: dict[str, Any] = {}
    for key, period in p.items():
        fields[f"reviews_{key}"] = indicators._scalar(
            CaseReview.objects.for_org(org).filter(period.q("notified_on")), Count("pk"))
        fields[f"audited_{key}"] = indicators._scalar(audited.filter(period.q("audited_on")), Count("pk"))
        fields[f"passed_{key}"] = indicators._scalar(
            audited.filter(period.q("audited_on"), correctly_recorded_on_register=True), Count("pk"))
        fields[f"lessons_{key}"] = indicators._scalar(Lesson.objects.for_org(org).filter(period.q("recorded_on")),
                                                      Count("pk"))
    fields["lessons_open"] = indicators._scalar(Lesson.objects.for_org(org).exclude(status="embedded"), Count("pk"))
    plan = PlanAction.objects.for_org(org)
    fields["plan_total"] = indicators._scalar(plan, Count("pk"))
    fields["plan_done"] = indicators._scalar(plan.filter(status="done"), Count("pk"))
    fields["plan_late"] = indicators._scalar(plan.exclude(status="done").filter(target_on__lt=today), Count("pk"))
    return fields


def governance_figures(row: dict[str, Any], p: dict[str, indicators.Period]) -> list[indicators.Indicator]:
    def rate_text(key: str) -> str:
        return suppression.percent(row[f"passed_{key}"], row[f"audited_{key}"])

    return [
        indicators._count_indicator("case_reviews", "Case reviews we were told of", "lag",
                                    "Every lesson taken into the work plan",
                                    {k: row[f"reviews_{k}"] for k in p}),
        indicators.Indicator("audit_pass", "Case audit: cases correctly recorded on a register", "lead", "100%",
                             rate_text("now"), rate_text("last"), rate_text("last_year"),
                             status="met" if row["audited_now"] and row["passed_now"] == row["audited_now"] else ""),
        indicators._count_indicator("lessons", "Lessons recorded", "lag", "Each with an owner and a date",
                                    {k: row[f"lessons_{k}"] for k in p}),
        indicators.Indicator("lessons_open", "Lessons still open", "lead", "Closed once embedded",
                             suppression.suppress(row["lessons_open"])),
        indicators.Indicator("plan", "Work plan actions done", "lead", "All by their target date",
                             f"{row['plan_done']} of {row['plan_total']}" if row["plan_total"] else "no actions yet",
                             note=f"{suppression.suppress(row['plan_late'])} past their target date"
                             if row["plan_late"] else "none past their target date",
                             status="met" if not row["plan_late"] else "not met"),
    ]


def make_charts(data: dict[str, Any]) -> dict[str, charts.Chart]:
    months = data["concerns"]["months"]
    out = {
        "concerns_by_month": charts.columns(
            "Concerns reported by month", "Concerns reported each month, safeguarding and wellbeing or welfare",
            [m["short"] for m in months],
            [("Safeguarding", [m["safeguarding"] for m in months], charts.BLUE),
             ("Wellbeing or welfare", [m["wow"] for m in months], charts.ORANGE)]),
    }
    area_rows = data["concerns"]["areas"]["rows"]
    out["concerns_by_area"] = charts.bars(
        "Concerns by area this period", "Concerns reported in each area this period",
        [r["label"] for r in area_rows], [None if r["now"].hidden else r["now"].value for r in area_rows],
        shown=[r["now"].shown for r in area_rows])
    cat_rows = data["categories"]["rows"]
    out["categories"] = charts.bars(
        "Concerns by category of harm this period", "Concerns by category of harm (a concern can have several)",
        [r["label"] for r in cat_rows], [None if r["now"].hidden else r["now"].value for r in cat_rows],
        shown=[r["now"].shown for r in cat_rows], colour=charts.GREEN)
    agencies = data["referrals"]["agencies"]
    out["referrals"] = charts.bars(
        "Referrals accepted, by agency", "The share of referrals made this period that each agency accepted",
        [a["label"] for a in agencies], [a["accepted_value"] for a in agencies], suffix="%", maximum=100,
        shown=[a["accepted"] for a in agencies])
    depts = data["compliance"]["rows"]
    out["training"] = charts.bars(
        "Training compliance by department", "Safeguarding training up to date, by department (target 100%)",
        [d["label"] for d in depts], [d["training_value"] for d in depts], suffix="%", maximum=100, target=100,
        shown=[d["training"] for d in depts], colour=charts.GREEN)
    return out


def resolve_links(ratings: list[AreaRating], *, request: Any) -> list[dict[str, Any]]:
    """The ratings with each fact's link for this viewer, only where the target would let them in: the
    role rule of its view (``may_open``, as ``{% may %}``) and the object rule it applies (the register
    permission; the governance records the member may read, ``governance.visibility``; the audit rounds
    for auditors). A board member holds none of these, so sees the facts without links. At most one
    query per kind of linked record (registers, policies, case reviews), and none without such facts."""
    from governance.access import board_only
    from governance.audits import may_audit
    from governance.kinds import KINDS
    from governance.rag import AUDIT, CASE_REVIEW, POLICY
    from governance.visibility import visible
    from registers.permissions import registers_for

    org, membership, user = request.org, request.membership, request.user
    links = [f.link for r in ratings for f in r.facts if f.link and f.link.get("url_name")]
    wanted: dict[str, set[int]] = {}
    for link in links:
        key = "register" if "register_id" in link else link.get("kind", "")
        wanted.setdefault(key, set()).add(link["register_id"] if key == "register" else
                                          (link["args"][0] if link.get("args") else 0))
    readable: dict[str, set[int]] = {}
    if "register" in wanted:
        readable["register"] = set(registers_for(user, org).filter(pk__in=wanted["register"])
                                   .values_list("pk", flat=True))
    for kind, slug in ((POLICY, "policies"), (CASE_REVIEW, "case-reviews")):
        if kind in wanted:
            readable[kind] = set(visible(KINDS[slug], org, membership).filter(pk__in=wanted[kind])
                                 .values_list("pk", flat=True))
    if AUDIT in wanted:  # the rounds page: governance members who may audit (views.audits._require_auditor)
        readable[AUDIT] = {0} if not board_only(membership) and may_audit(membership) else set()
    result = []
    for r in ratings:
        facts = []
        for f in r.facts:
            url = ""
            link = f.link or {}
            if link.get("url_name"):
                key = "register" if "register_id" in link else link.get("kind", "")
                target = link["register_id"] if key == "register" else (link["args"][0] if link.get("args") else 0)
                args = link.get("args", [])
                if target in readable.get(key, set()) and may_open(request, link["url_name"], *args):
                    url = reverse(link["url_name"], args=args)  # a name that does not resolve is a bug: fail loudly
            facts.append({"rating": f.rating, "label": Rating(f.rating).label, "text": f.text, "url": url})
        result.append({"name": r.name, "area_id": r.area_id, "rating": r.rating, "label": r.rating_label,
                       "facts": facts})
    return result
