"""The board's figures: lag and lead indicators with targets, concerns by month, area, category, type and
source with spikes, referrals by agency, casework, registers, compliance by department.

Every figure is an SQL aggregate (a fixed number of queries whatever the size) and passes through
``safeguard.tenancy.suppression`` before anyone sees it. No name, reference or case leaves this module:
only counts, percentages, averages and medians over at least 5.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Extract, JSONObject
from django.utils import timezone

from cases.models import Action, ActionType, Case, CaseStatus, ConcernType, HarmCategory, Source
from cases.referrals.models import Agency, Outcome, Referral
from registers.models import (
    Entry,
    EntryStatus,
    Review,
    ReviewStatus,
    RiskLevel,
)
from registers.policy.review import add_months, month_start
from safeguard.tenancy import suppression
from safeguard.tenancy.models import Organisation
from safeguard.tenancy.suppression import Figure

# The stored month's column for each figure of ``scalars`` read by month (``MonthFigures``).
STORED_COLUMNS = {"reported": "reported", "allegations": "allegations", "closed": "closed",
                  "duration": "closed_seconds", "visits": "visits", "alerts_due": "alerts_due",
                  "alerts_late": "alerts_late"}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
PERIOD_LABELS = {"month": "Month", "quarter": "Quarter (3 months)", "year": "Year (12 months)"}
LOCAL_AUTHORITY = [Agency.CHILDRENS_SERVICES, Agency.ADULT_SOCIAL_CARE]
SPIKE_HISTORY = 12  # months that make an area's usual level


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.start.replace(day=1) == self.end.replace(day=1):
            return f"{self.start:%B %Y}"
        return f"{self.start:%b %Y} to {self.end:%b %Y}"

    def q(self, lookup: str) -> Q:
        """``lookup`` within the period (a date, or a datetime read in London time)."""
        return Q(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})

    def q_dt(self, lookup: str) -> Q:
        start = timezone.make_aware(datetime(self.start.year, self.start.month, self.start.day))
        nxt = self.end + timedelta(days=1)
        end = timezone.make_aware(datetime(nxt.year, nxt.month, nxt.day))
        return Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end})

    def live_q(self, lookup: str, bound: Bound) -> Q:
        """``lookup`` (a date) within the period and in no stored month: the part read from the records."""
        return Q(**{f"{lookup}__gte": max(self.start, bound.day), f"{lookup}__lte": self.end})

    def live_dt(self, lookup: str, bound: Bound) -> Q:
        """``lookup`` (a datetime) within the period and in no stored month."""
        start = timezone.make_aware(datetime(self.start.year, self.start.month, self.start.day))
        nxt = self.end + timedelta(days=1)
        end = timezone.make_aware(datetime(nxt.year, nxt.month, nxt.day))
        return Q(**{f"{lookup}__gte": max(start, bound.instant), f"{lookup}__lt": end})

    def months_q(self, lookup: str = "month") -> Q:
        """Stored months (their first day) within the period."""
        return Q(**{f"{lookup}__gte": month_start(self.start), f"{lookup}__lte": self.end})


@dataclass(frozen=True)
class Bound:
    """Where the stored months of an organisation end (``board.StoredMonth``): the first day and the first
    instant not stored. Before it the figures come from ``MonthFigures``, from it on from the records; with
    nothing stored, everything is read from the records."""

    day: date
    instant: datetime


NOTHING_STORED = Bound(date(1900, 1, 1), datetime(1900, 1, 1, tzinfo=UTC))


def stored_bound(org: Organisation) -> Bound:
    """One small query (the organisation's latest stored month), so that the figures' date ranges are
    constants the planner can read an (organisation, date) index with."""
    from governance.dashboard.models import StoredMonth

    latest = StoredMonth.objects.for_org(org).order_by("-month").values_list("next_month", "ends_at").first()
    return Bound(*latest) if latest else NOTHING_STORED


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def periods(kind: str, ending: date) -> dict[str, Period]:
    """This period (``kind`` months ending with ``ending``'s month), the one before and the same last year."""
    n = PERIOD_MONTHS[kind]
    end = month_start(ending)
    start = add_months(end, -(n - 1))
    return {
        "now": Period(start, month_end(end)),
        "last": Period(add_months(start, -n), month_end(add_months(end, -n))),
        "last_year": Period(add_months(start, -12), month_end(add_months(end, -12))),
    }


@dataclass
class Indicator:
    """One figure with what good looks like, against the last period and the same period last year."""

    key: str
    label: str
    kind: str  # "lag" or "lead"
    target: str
    now: str
    last: str = ""
    last_year: str = ""
    change_last: str = ""
    change_last_year: str = ""
    note: str = ""
    status: str = ""  # "met", "not met" or "" (no target to meet)


def _count_indicator(key: str, label: str, kind: str, target: str, values: dict[str, int],
                     better: str = "lower") -> Indicator:
    figures = {k: suppression.count(v) for k, v in values.items()}
    return Indicator(key, label, kind, target, figures["now"].shown, figures.get("last", Figure(0)).shown,
                     figures.get("last_year", Figure(0)).shown,
                     suppression.change(figures["now"], figures["last"]) if "last" in figures else "",
                     suppression.change(figures["now"], figures["last_year"]) if "last_year" in figures else "")


def _scoped_cases(org: Organisation, area_ids: set[int] | None) -> QuerySet[Case]:
    qs = Case.objects.for_org(org)
    return qs if area_ids is None else qs.filter(area_id__in=area_ids)


def _scalar(qs: QuerySet[Any], aggregate: Any, duration: bool = False) -> Any:
    """One number from ``qs`` (all of one organisation) as a scalar subquery, so that many figures
    come back in one statement."""
    sub = qs.order_by().values("organisation_id").annotate(v=aggregate).values("v")[:1]
    if duration:
        return Subquery(sub, output_field=DurationField())
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0), output_field=IntegerField())


def _bundle(qs: QuerySet[Any], aggregates: dict[str, Any]) -> Subquery:
    """Many aggregates of one table in one scan, as one JSON object (a scalar subquery)."""
    sub = qs.order_by().values("organisation_id").annotate(j=JSONObject(**aggregates)).values("j")[:1]
    return Subquery(sub, output_field=JSONField())


def _text(qs: QuerySet[Any], field_name: str, out: Any) -> Subquery:
    return Subquery(qs.order_by().values(field_name)[:1], output_field=out)


def in_periods(p: dict[str, Period], lookup: str, dt: bool = False, bound: Bound | None = None) -> Q:
    """``lookup`` within any of the periods (and, with ``bound``, in no stored month): a few ranges of an
    (organisation, date) index."""
    q = Q()
    for period in p.values():
        if bound is not None:
            q |= period.live_dt(lookup, bound) if dt else period.live_q(lookup, bound)
        else:
            q |= period.q_dt(lookup) if dt else period.q(lookup)
    return q


def _stored(model: Any, org: Organisation, area_ids: set[int] | None) -> QuerySet[Any]:
    qs = model.objects.for_org(org)
    return qs if area_ids is None else qs.filter(area_id__in=area_ids)


def scalars(org: Organisation, area_ids: set[int] | None, p: dict[str, Period], today: date,
            month: date | None = None, bound: Bound = NOTHING_STORED,
            extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every single-number figure of the page, for the three periods, with the organisation's RAG
    thresholds, the month's commentary and the current policy version, in ONE query."""
    from django.db.models import CharField, TextField

    from governance.dashboard.models import Commentary, MonthFigures, RagSettings
    from governance.dashboard.page import governance_fields
    from governance.rag import DEFAULTS
    from training.compliance import staff_versions
    cases = _scoped_cases(org, area_ids)
    refs = Referral.objects.for_org(org)
    actions = Action.objects.for_org(org)
    if area_ids is not None:
        refs = refs.filter(case__area_id__in=area_ids)
        actions = actions.filter(case__area_id__in=area_ids)
    # Each bundle reads only the rows its figures can count (open cases; rows dated within the three
    # periods, through the (organisation, date) indexes), and every count of it is a FILTER of one
    # aggregate, brought back as one JSON object.
    open_q = ~Q(status=CaseStatus.CLOSED)
    open_aggs: dict[str, Any] = {
        "open": Count("pk"),
        "awaiting_closure": Count("pk", filter=Q(status=CaseStatus.CLOSURE_REQUESTED)),
        "overdue": Count("pk", filter=~Q(status=CaseStatus.CLOSURE_REQUESTED) & Q(next_action_due__lt=today)),
        "officers": Count("allocated_to", distinct=True, filter=Q(allocated_to__isnull=False)),
        "allocated_open": Count("pk", filter=Q(allocated_to__isnull=False)),
        "unallocated": Count("pk", filter=Q(status=CaseStatus.REPORTED)),
    }
    no_response_q = Q(made_on__isnull=False, outcome=Outcome.AWAITING, response_due_by__lt=today)
    case_aggs: dict[str, Any] = {}
    ref_aggs: dict[str, Any] = {}
    action_aggs: dict[str, Any] = {}
    # Finished months stored by the nightly job (``MonthFigures``) are read from there, the rest (the
    # current month, or everything before the job first ran) from the records: the same counts.
    stored_aggs: dict[str, Any] = {}
    for key, period in p.items():
        reported = period.live_dt("reported_at", bound)
        closed = period.live_dt("closed_at", bound) & Q(status=CaseStatus.CLOSED)
        case_aggs[f"reported_{key}"] = Count("pk", filter=reported)
        case_aggs[f"allegations_{key}"] = Count("pk", filter=reported & Q(is_colleague_allegation=True))
        case_aggs[f"closed_{key}"] = Count("pk", filter=closed)
        # the total of the durations in seconds (divided by the cases closed, with the stored months')
        case_aggs[f"duration_{key}"] = Sum(Extract("closed_at", "epoch") - Extract("reported_at", "epoch"),
                                           filter=closed, output_field=FloatField())
        action_aggs[f"visits_{key}"] = Count("pk", filter=period.live_q("taken_on", bound)
                                             & Q(action_type=ActionType.VISIT))
        due = period.live_q("due_by", bound)
        ref_aggs[f"alerts_due_{key}"] = Count("pk", filter=due)
        ref_aggs[f"alerts_late_{key}"] = Count("pk", filter=due & (Q(made_on__gt=F("due_by"))
                                                                   | Q(made_on__isnull=True, due_by__lt=today)))
        months = period.months_q()
        for name, column in STORED_COLUMNS.items():
            stored_aggs[f"{name}_{key}"] = Sum(column, filter=months)
    stored_months = Q()
    for period in p.values():
        stored_months |= period.months_q()
    bundles = {
        "_open": (cases.filter(open_q), open_aggs),
        "_cases": (cases.filter(in_periods(p, "reported_at", dt=True, bound=bound)
                                | in_periods(p, "closed_at", dt=True, bound=bound)), case_aggs),
        "_no_response": (refs.filter(no_response_q), {"no_response": Count("pk")}),
        "_refs": (refs.filter(in_periods(p, "due_by", bound=bound)), ref_aggs),
        "_actions": (actions.filter(in_periods(p, "taken_on", bound=bound), action_type=ActionType.VISIT),
                     action_aggs),
        "_stored": (_stored(MonthFigures, org, area_ids).filter(stored_months), stored_aggs),
    }
    fields: dict[str, Any] = {name: _bundle(qs, aggs) for name, (qs, aggs) in bundles.items()}
    reviews = Review.objects.for_org(org).filter(month__gte=month_start(p["now"].start), month__lte=p["now"].end)
    if area_ids is not None:
        reviews = reviews.filter(register__area_id__in=area_ids)
    fields["reviews_on_time"] = _scalar(reviews.filter(status=ReviewStatus.SIGNED,
                                                       signed_on__lt=F("month") + timedelta(days=38)), Count("pk"))
    fields.update(governance_fields(org, area_ids, p, today))
    rag = RagSettings.objects.for_org(org)
    for name, default in DEFAULTS.items():
        if isinstance(default, str):
            fields[f"rag_{name}"] = Coalesce(_text(rag, name, CharField()), Value(default), output_field=CharField())
        else:
            fields[f"rag_{name}"] = Coalesce(Subquery(rag.order_by().values(name)[:1], output_field=IntegerField()),
                                             Value(default), output_field=IntegerField())
    notes = Commentary.objects.for_org(org).filter(month=month or month_start(today))
    fields["commentary_text"] = _text(notes, "text", TextField())
    fields["commentary_at"] = _text(notes, "written_at", DateTimeField())
    fields["policy_version"] = Subquery(staff_versions(org).order_by("-published_at", "-pk").values("pk")[:1], output_field=IntegerField())
    fields.update(extra or {})
    # the row's keys are the fields built above: a plain dict, not the TypedDict the stubs infer
    row = cast("dict[str, Any]", Organisation.objects.filter(pk=org.pk).values(**fields).get())
    stored: dict[str, Any] = {}
    for name, (_qs, aggs) in bundles.items():
        values = row.pop(name) or {}
        if isinstance(values, str):
            values = json.loads(values)
        target = stored if name == "_stored" else row
        for k in aggs:
            target[k] = values.get(k) or 0
    for k, v in stored.items():
        row[k] += v
    row["rag_settings"] = {name: row[f"rag_{name}"] for name in DEFAULTS}
    for key in p:
        d = row[f"duration_{key}"]
        row[f"duration_{key}"] = float(d) / row[f"closed_{key}"] / 86400 if row[f"closed_{key}"] else None
    return row


def _days(value: float | None, n: int) -> str:
    if value is None or suppression.is_small(n):
        return suppression.NOT_SHOWN if n else "none closed"
    return f"{round(value):,} days"


def casework_indicators(s: dict[str, Any], org: Organisation) -> list[Indicator]:
    per_officer = s["allocated_open"] / s["officers"] if s["officers"] else None
    per_officer_text = (f"{per_officer:.1f}" if per_officer is not None and not suppression.is_small(s["officers"])
                        and not suppression.is_small(s["allocated_open"]) else suppression.NOT_SHOWN)
    late = {k: s[f"alerts_late_{k}"] for k in ("now", "last", "last_year")}
    out = [
        _count_indicator("concerns", "Concerns reported", "lag", "Reported, not hidden: a rise can mean better "
                         "awareness", {k: s[f"reported_{k}"] for k in ("now", "last", "last_year")}),
        _count_indicator("closed", "Cases closed", "lag", "Closed only with a manager's authorisation",
                         {k: s[f"closed_{k}"] for k in ("now", "last", "last_year")}),
        Indicator("duration", "Average case duration (cases closed in the period)", "lag",
                  "Settle: 187 days in 2022/23", _days(s["duration_now"], s["closed_now"]),
                  _days(s["duration_last"], s["closed_last"]), _days(s["duration_last_year"], s["closed_last_year"])),
        _count_indicator("visits", "Home visits recorded", "lag", "Cases are visited where it is safe to",
                         {k: s[f"visits_{k}"] for k in ("now", "last", "last_year")}),
        _count_indicator("allegations", "Allegations against colleagues (count only)", "lag",
                         "Each one referred to the LADO or HR within one working day",
                         {k: s[f"allegations_{k}"] for k in ("now", "last", "last_year")}),
        Indicator("open", "Cases open now", "lead", "Each with an action in the last "
                  f"{org.action_interval_safeguarding_days} (safeguarding) or {org.action_interval_wow_days} "
                  "(WoW) days", suppression.suppress(s["open"])),
        Indicator("per_officer", "Open cases per officer", "lead", "Settle: 16 or fewer", per_officer_text,
                  status=("met" if per_officer is not None and per_officer <= 16 else "not met")
                  if per_officer_text != suppression.NOT_SHOWN else ""),
        Indicator("overdue", "Cases with their next action overdue", "lead", "None",
                  suppression.suppress(s["overdue"]), status="met" if s["overdue"] == 0 else "not met"),
        Indicator("awaiting_closure", "Cases awaiting a closure decision", "lead", "Decided within 5 working days",
                  suppression.suppress(s["awaiting_closure"])),
        _count_indicator("late_alerts", "Alerts not made within one working day", "lead", "None", late),
        Indicator("no_response", "Referrals without a response after "
                  f"{org.referral_response_days} days", "lead", "None, or escalated",
                  suppression.suppress(s["no_response"]), status="met" if s["no_response"] == 0 else "not met"),
    ]
    out[9].status = "met" if late["now"] == 0 else "not met"
    for indicator in out:
        if indicator.now in (suppression.LABEL, suppression.NOT_SHOWN):
            indicator.status = ""  # "met" or "not met" would tell whether a hidden count is zero
    return out


# --- concerns -------------------------------------------------------------------------------------


def concern_rows(org: Organisation, area_ids: set[int] | None, since: date, until: date,
                 bound: Bound = NOTHING_STORED) -> list[dict[str, Any]]:
    """Concerns per month (London time), area, type and source from ``since`` to ``until``: one query."""
    # The month of each case is found by comparing reported_at with the months' first instants (London
    # time), not by converting every row's time zone: one binary search a row, on the indexed range.
    first, last = month_start(since), month_start(until)
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    bounds = [_instant(m) for m in months] + [_instant(add_months(last, 1))]
    from governance.dashboard.models import MonthFigures

    # the months not stored from the cases, the stored ones from ``MonthFigures``: one statement
    qs = _scoped_cases(org, area_ids).filter(Period(since, until).live_dt("reported_at", bound))
    bucket = Func(F("reported_at"), Value(bounds, output_field=ArrayField(DateTimeField())),
                  function="width_bucket", output_field=IntegerField())
    live = qs.order_by().annotate(b=bucket).values("b", "area_id", "concern_type", "source").annotate(n=Count("pk"))
    day_bucket = Func(F("month"), Value(months + [add_months(last, 1)], output_field=ArrayField(DateField())),
                      function="width_bucket", output_field=IntegerField())
    kept = (_stored(MonthFigures, org, area_ids).filter(Period(since, until).months_q(), reported__gt=0).order_by()
            .annotate(b=day_bucket).values("b", "area_id", "concern_type", "source").annotate(n=Sum("reported")))
    totals: dict[tuple[Any, ...], int] = defaultdict(int)
    for r in live.union(kept, all=True):
        totals[(r["b"], r["area_id"], r["concern_type"], r["source"])] += r["n"]
    return [{"m": months[b - 1], "area_id": a, "concern_type": t, "source": src, "n": n}
            for (b, a, t, src), n in totals.items()]


def _instant(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _month(value: Any) -> date:
    return value.date().replace(day=1) if isinstance(value, datetime) else value.replace(day=1)


@dataclass
class Spike:
    area: str
    month: date
    count: str
    usual: str


def concerns(rows: list[dict[str, Any]], areas: dict[int, str], p: dict[str, Period]) -> dict[str, Any]:
    """By month (the last 12 to the period's end), by area, by type and by source; spikes per area."""
    end = month_start(p["now"].end)
    months = [add_months(end, -n) for n in range(11, -1, -1)]
    by_month: dict[date, dict[str, int]] = {m: {"safeguarding": 0, "wow": 0} for m in months}
    per_area_month: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    by_area: dict[int, dict[str, int]] = defaultdict(lambda: {"now": 0, "last": 0, "last_year": 0})
    by_source: dict[str, dict[str, int]] = defaultdict(lambda: {"now": 0, "last": 0, "last_year": 0})
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"now": 0, "last": 0, "last_year": 0})
    for r in rows:
        m = _month(r["m"])
        if m in by_month:
            by_month[m][r["concern_type"]] += r["n"]
        per_area_month[r["area_id"]][m] += r["n"]
        for key, period in p.items():
            if period.start <= m <= period.end:
                by_area[r["area_id"]][key] += r["n"]
                by_source[r["source"]][key] += r["n"]
                by_type[r["concern_type"]][key] += r["n"]
    month_table = suppression.table([[by_month[m]["safeguarding"], by_month[m]["wow"]] for m in months])
    return {
        "months": [{"label": f"{m:%b %Y}", "short": f"{m:%b}", "safeguarding": month_table["cells"][i][0],
                    "wow": month_table["cells"][i][1], "total": month_table["row_totals"][i]}
                   for i, m in enumerate(months)],
        "months_total": {"safeguarding": month_table["column_totals"][0], "wow": month_table["column_totals"][1],
                         "total": month_table["total"]},
        "areas": _compare_table([(areas.get(a, "Other area"), v) for a, v in by_area.items() if a in areas]
                                + [(name, {"now": 0, "last": 0, "last_year": 0}) for a, name in areas.items()
                                   if a not in by_area]),
        "sources": _compare_table([(Source(s).label, by_source.get(s, {"now": 0, "last": 0, "last_year": 0}))
                                   for s in Source.values]),
        "types": _compare_table([(ConcernType(t).label, by_type.get(t, {"now": 0, "last": 0, "last_year": 0}))
                                 for t in ConcernType.values]),
        "spikes": spikes(per_area_month, areas, p["now"]),
    }


def _compare_table(items: list[tuple[str, dict[str, int]]]) -> dict[str, Any]:
    """Rows of this period / last period / last year, suppressed with their totals, and the changes."""
    items = sorted(items, key=lambda kv: kv[0])
    if not items:
        return {"rows": [], "total": None}
    t = suppression.table([[v["now"], v["last"], v["last_year"]] for _, v in items], row_totals=False)
    rows = []
    for i, (label, _v) in enumerate(items):
        now, last, ly = t["cells"][i]
        rows.append({"label": label, "now": now, "last": last, "last_year": ly,
                     "change_last": suppression.change(now, last), "change_last_year": suppression.change(now, ly)})
    now, last, ly = t["column_totals"]
    return {"rows": rows, "total": {"label": "Total", "now": now, "last": last, "last_year": ly,
                                    "change_last": suppression.change(now, last),
                                    "change_last_year": suppression.change(now, ly)}}


def spikes(per_area_month: dict[int, dict[date, int]], areas: dict[int, str], period: Period) -> list[Spike]:
    """Months of the period well above the area's usual level (Paradigm): more than twice the usual
    and more than the usual plus two standard deviations over the 12 months before, and at least 5."""
    found = []
    for area_id, counts in per_area_month.items():
        if area_id not in areas:
            continue
        m = month_start(period.start)
        while m <= period.end:
            history = [counts.get(add_months(m, -k), 0) for k in range(1, SPIKE_HISTORY + 1)]
            usual = statistics.mean(history)
            spread = statistics.pstdev(history)
            n = counts.get(m, 0)
            if n >= suppression.THRESHOLD and n > 2 * usual and n > usual + 2 * spread:
                found.append(Spike(areas[area_id], m, suppression.suppress(n),
                                   "fewer than 1 a month" if usual < 1 else f"about {round(usual)} a month"))
            m = add_months(m, 1)
    return sorted(found, key=lambda s: (s.month, s.area))


def categories(org: Organisation, area_ids: set[int] | None, p: dict[str, Period],
               bound: Bound = NOTHING_STORED) -> dict[str, Any]:
    """Concerns by category of harm (a concern may have several): one query."""
    # the counts read only the cases reported in the periods (the (organisation, reported_at) index);
    # every category with any case in scope is listed, with nothing in the periods or not
    from governance.dashboard.models import MonthCategoryFigures

    qs = _scoped_cases(org, area_ids).filter(in_periods(p, "reported_at", dt=True, bound=bound),
                                             categories__isnull=False)
    agg = {key: Count("pk", filter=period.live_dt("reported_at", bound)) for key, period in p.items()}
    counted = qs.order_by().values("categories__name").annotate(**agg)
    months = Q()
    for period in p.values():
        months |= period.months_q()
    kept = (_stored(MonthCategoryFigures, org, area_ids).filter(months).order_by().values("category__name")
            .annotate(**{key: Sum("reported", filter=period.months_q()) for key, period in p.items()}))
    # A category is the organisation's own, so are its links to cases: for the whole organisation the
    # links alone (a narrow table) say whether it is used, without reading the cases.
    through = Case.categories.through.objects.filter(harmcategory_id=OuterRef("pk"))
    if area_ids is not None:
        through = through.filter(case__organisation_id=org.pk, case__area_id__in=area_ids)
    categories_qs = HarmCategory.objects.for_org(org).filter(Exists(through))
    listed = categories_qs.order_by().values("name").annotate(
        **{key: Value(0, output_field=IntegerField()) for key in p})
    figures: dict[str, dict[str, int]] = {}
    for r in cast("Iterable[dict[str, Any]]", counted.union(kept, listed, all=True)):
        name = r["categories__name"]
        row = figures.setdefault(name, dict.fromkeys(p, 0))
        for k in p:
            row[k] += r[k] or 0
    return _compare_table(list(figures.items()))


# --- referrals ------------------------------------------------------------------------------------


def _median(freq: dict[float, int]) -> float | None:
    total = sum(freq.values())
    if not total:
        return None
    ordered = sorted(freq.items())
    def at(index: int) -> float:
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        return ordered[-1][0]
    return at(total // 2) if total % 2 else (at(total // 2 - 1) + at(total // 2)) / 2


def referrals(org: Organisation, area_ids: set[int] | None, period: Period) -> dict[str, Any]:
    """Referrals made in the period by agency: % accepted, declined, no response (whg 4.7), and the median
    local-authority response time by authority. One grouped query (agency, outcome, authority, days to
    respond); the median is read from that frequency table."""
    qs = Referral.objects.for_org(org).filter(period.q("made_on"))
    if area_ids is not None:
        qs = qs.filter(case__area_id__in=area_ids)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days: dict[str, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    rows = qs.order_by().annotate(days=F("response_on") - F("made_on")).values(
        "agency", "outcome", "agency_name", "days").annotate(n=Count("pk"))
    for r in rows:
        counts[r["agency"]][r["outcome"]] += r["n"]
        if r["agency"] in LOCAL_AUTHORITY and r["days"] is not None:
            d = r["days"].total_seconds() / 86400 if isinstance(r["days"], timedelta) else float(r["days"])
            days[r["agency_name"] or "Authority not named"][d] += r["n"]
    agencies = []
    for value, label in Agency.choices:
        c = counts.get(value)
        if not c:
            continue
        made = sum(c.values())
        agencies.append({
            "label": label, "made": suppression.suppress(made), "made_n": made,
            "accepted": suppression.percent(c[Outcome.ACCEPTED], made),
            "declined": suppression.percent(c[Outcome.DECLINED], made),
            "no_response": suppression.percent(c[Outcome.NO_RESPONSE], made),
            "awaiting": suppression.percent(c[Outcome.AWAITING], made),
            "accepted_value": suppression.percent_value(c[Outcome.ACCEPTED], made),
        })
    authorities = []
    for name, freq in sorted(days.items()):
        n = sum(freq.values())
        median = _median(freq)
        authorities.append({"label": name, "responses": suppression.suppress(n),
                            "median": suppression.NOT_SHOWN if suppression.is_small(n) or median is None
                            else f"{median:.1f} days"})
    return {"agencies": agencies, "authorities": authorities}


# --- registers ------------------------------------------------------------------------------------


def register_figures(org: Organisation, areas: dict[int, str], area_ids: set[int] | None, period: Period,
                     s: dict[str, Any]) -> dict[str, Any]:
    """Families, children and adults on the registers per area and level of risk (one query); reviews
    signed on time in the period (from ``scalars``)."""
    entries = Entry.objects.for_org(org).filter(status=EntryStatus.OPEN)
    if area_ids is not None:
        entries = entries.filter(register__area_id__in=area_ids)
    grid: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: {"families": 0, "children": 0, "adults": 0})
    adult = Q(people__person_type="adult")
    rows = entries.order_by().values("register__area_id", "risk_level").annotate(
        families=Count("pk", distinct=True), adults=Count("people", filter=adult),
        children=Count("people", filter=~adult & Q(people__isnull=False)))
    for r in rows:
        cell = grid[(r["register__area_id"], r["risk_level"])]
        for c in ("families", "children", "adults"):
            cell[c] += r[c]
    cols = ("families", "children", "adults")
    shown_areas = [(a, n) for a, n in areas.items() if area_ids is None or a in area_ids]

    def table(keys: list[tuple[Any, str]], pick: Any) -> dict[str, Any]:
        cells = [[sum(v[c] for k, v in grid.items() if pick(k, key)) for c in cols] for key, _ in keys]
        if not cells:
            return {"rows": [], "total": {}}
        t = suppression.table(cells, row_totals=False)
        return {"rows": [{"label": label, **{c: t["cells"][i][j] for j, c in enumerate(cols)}}
                         for i, (_, label) in enumerate(keys)],
                "total": {"label": "Total", **{c: t["column_totals"][j] for j, c in enumerate(cols)}}}

    due = len(shown_areas) * ((period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1)
    on_time = s["reviews_on_time"]
    return {
        "areas": table([(a, n) for a, n in shown_areas], lambda k, key: k[0] == key),
        "risks": table(list(RiskLevel.choices), lambda k, key: k[1] == key),
        "reviews_due": due, "reviews_on_time": on_time,
        "reviews_on_time_text": f"{on_time} of {due}",
        "reviews_percent": f"{round(100 * on_time / due)}%" if due else "none due",
    }


# --- compliance -----------------------------------------------------------------------------------


def compliance_by_department(org: Organisation, today: date, *, policy_id: int | None) -> dict[str, Any]:
    """Training, DBS and policy sign-off compliance by department (target 100%, settle): one query
    (``policy_id``, the current policy version, comes from ``scalars``)."""
    from training.compliance import annotate_compliance
    from training.models import Person, PolicyVersion

    policy = PolicyVersion(pk=policy_id, organisation_id=org.pk) if policy_id else None
    people = Person.objects.for_org(org).filter(is_active=True)
    qs = annotate_compliance(people.order_by(), policy, today)
    rows = list(qs.values("department__name").annotate(
        people=Count("pk"), dbs_req=Sum("dbs_req"), dbs_met=Sum("dbs_met"), course_req=Sum("course_req"),
        course_met=Sum("course_met"), pol_req=Sum("pol_req"), pol_met=Sum("pol_met")).order_by("department__name"))
    if not rows:
        return {"rows": [], "total": None}
    people_t = suppression.table([[r["people"]] for r in rows], row_totals=False)

    def pct(r: dict[str, Any], met: str, req: str) -> str:
        if not r[req]:
            return "not required"
        if suppression.is_small(r["people"]):
            return suppression.NOT_SHOWN
        return suppression.percent(r[met], r[req])

    out = []
    totals: dict[str, int] = defaultdict(int)
    for i, r in enumerate(rows):
        for k in ("people", "dbs_req", "dbs_met", "course_req", "course_met", "pol_req", "pol_met"):
            totals[k] += r[k] or 0
        out.append({"label": r["department__name"] or "No department", "people": people_t["cells"][i][0],
                    "training": pct(r, "course_met", "course_req"), "dbs": pct(r, "dbs_met", "dbs_req"),  # type: ignore[arg-type]
                    "policy": pct(r, "pol_met", "pol_req"),  # type: ignore[arg-type]
                    "training_value": _value(r, "course_met", "course_req")})  # type: ignore[arg-type]
    total = {"label": "Organisation", "people": people_t["column_totals"][0],
             "training": pct(totals, "course_met", "course_req"), "dbs": pct(totals, "dbs_met", "dbs_req"),
             "policy": pct(totals, "pol_met", "pol_req")}
    return {"rows": out, "total": total}


def _value(r: dict[str, Any], met: str, req: str) -> float | None:
    if not r[req] or suppression.is_small(r["people"]):
        return None
    return suppression.percent_value(r[met], r[req])

