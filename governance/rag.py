"""The RAG rating (Connexus 5.1.8), per register (local authority area) and for the organisation,
from stored facts only, in a fixed number of set-based queries for any number of organisations.

For the month M being rated, on the day ``today``:

* Register clause. A register is "updated and monitored" for a month when its review of that month
  is signed off and every entry open during that month has an update in it. M itself is still in
  progress, so the clause counts whole months before M, back to the register's first, in a row
  without that: ``register_months_amber`` (1) of them is Amber, ``register_months_red`` (2) Red.
  The work of M so far is shown beside the rating (a lead indicator), not in it.
* Policy clause. A policy is out of date the day after its review date: Amber (or Red, by setting),
  for the organisation and every area.
* Audit clause. Cases a case audit found not correctly recorded on a register, audited in M, by the
  case's area: ``audit_failures_amber`` (1) is Amber, ``audit_failures_red`` (2: "more than one") Red;
  the organisation counts its areas together.
* Case review clause. A case review that found a failure to report or to follow procedure contributed:
  Red while the review is not closed, and for ``case_review_red_months`` (12) from the month we were
  notified of it. Its areas are those of its cases and its local authority; the organisation is Red.

Green is what is left: policies in date, registers updated and monitored, no audit failure, no such
case review. The organisation's rating is the worst of its areas' and its own facts.

A fact never holds a name or a reference; its link (to the register review, the policy, the audit or
the case review) is resolved for each viewer and shown only to people allowed to open it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from governance.dashboard.models import RANK, RagSettings, Rating
from registers.models import Entry, EntryUpdate, Register, Review, ReviewStatus
from registers.policy.review import add_months, month_start
from safeguard.tenancy import suppression

REGISTER, POLICY, AUDIT, CASE_REVIEW = "register", "policy", "audit", "case_review"
# The page each kind of fact links to (shown only to a viewer its own rule lets in:
# ``governance.dashboard.page.resolve_links``). tests/board/test_rag_links.py reverses every one.
LINK_NAMES = {
    REGISTER: "registers:review",  # a register's review of a month
    POLICY: "governance:policies-detail",  # the policy
    AUDIT: "governance:audits",  # the audit rounds (the month's failures are counted there)
    CASE_REVIEW: "governance:case-reviews-detail",  # the case review
}
DEFAULTS = {f.name: f.default for f in RagSettings._meta.fields if f.name in {
    "audit_failures_amber", "audit_failures_red", "register_months_amber", "register_months_red",
    "case_review_red_months", "policy_out_of_date_rating"}}


@dataclass
class Fact:
    rating: str
    text: str
    kind: str
    link: dict[str, Any] = field(default_factory=dict)  # {"url_name", "args", "register_id" | "kind"}

    def as_json(self) -> dict[str, Any]:
        return {"rating": self.rating, "text": self.text, "kind": self.kind, "link": self.link}


@dataclass
class AreaRating:
    area_id: int | None  # None: the organisation
    name: str
    facts: list[Fact] = field(default_factory=list)
    register_id: int | None = None
    this_month: dict[str, Any] = field(default_factory=dict)  # the current month's work so far

    @property
    def rating(self) -> str:
        return max((f.rating for f in self.facts), key=lambda r: RANK[r], default=Rating.GREEN)  # type: ignore[index]

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)
        self.facts.sort(key=lambda f: -RANK[f.rating])  # type: ignore[index]


def _end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def settings_for(org_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each organisation's thresholds (the defaults where none are saved): one query."""
    ids = list(org_ids)
    found = {s.organisation_id: s for s in RagSettings.all_orgs.filter(organisation_id__in=ids)}
    return {i: ({k: getattr(found[i], k) for k in DEFAULTS} if i in found else dict(DEFAULTS)) for i in ids}


def _register_months(org_ids: list[int], month: date, window: int) -> tuple[list[dict], dict, dict]:
    """Registers with their signed months and their entries not updated, for ``month`` and the
    ``window`` months before it: ONE query (an array of signed months and a count per month)."""
    from django.contrib.postgres.aggregates import ArrayAgg

    months = [add_months(month, -n) for n in range(0, window + 1)]  # this month (progress) and the window
    counts: dict[str, Any] = {}
    for i, m in enumerate(months):
        # on the register at the month's end (as the review sees it), without an update that month
        entries = (Entry.all_orgs.filter(register=OuterRef("pk"), opened_on__lte=_end(m))
                   .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=_end(m)))
                   .exclude(Exists(EntryUpdate.all_orgs.filter(entry=OuterRef("pk"), month=m)))
                   .order_by().values("register").annotate(n=Count("pk")).values("n"))
        counts[f"m{i}"] = Coalesce(Subquery(entries, output_field=IntegerField()), Value(0))
    registers = list(
        Register.all_orgs.filter(organisation_id__in=org_ids, area__is_active=True)
        .annotate(signed=ArrayAgg("reviews__month", filter=Q(reviews__status=ReviewStatus.SIGNED,
                                                             reviews__month__in=months), default=Value([])),
                  **counts)
        .values("pk", "organisation_id", "area_id", "area__name", "created_at", "signed", *counts)
        .order_by("area__name"))
    signed: dict[int, set[date]] = {r["pk"]: set(r["signed"] or []) for r in registers}
    not_updated: dict[int, dict[date, int]] = {r["pk"]: {m: r[f"m{i}"] for i, m in enumerate(months)}
                                               for r in registers}
    return registers, signed, not_updated


def _register_facts(reg: dict[str, Any], month: date, signed: set[date], not_updated: dict[date, int],
                    cfg: dict[str, Any]) -> list[Fact]:
    """Months before ``month`` in a row the register was not updated and monitored, and the facts."""
    first = month_start(timezone.localdate(reg["created_at"]))
    missed: list[tuple[date, list[str]]] = []
    m = add_months(month, -1)
    window = max(cfg["register_months_red"], cfg["register_months_amber"])
    while m >= first and len(missed) < window:
        why = []
        if m not in signed:
            why.append(f"{m:%B %Y} review not signed")
        n = not_updated.get(m, 0)
        if n:
            why.append(f"{suppression.suppress(n)} entries not updated in {m:%B %Y}")
        if not why:
            break
        missed.append((m, why))
        m = add_months(m, -1)
    if len(missed) >= cfg["register_months_red"]:
        level = Rating.RED
    elif len(missed) >= cfg["register_months_amber"]:
        level = Rating.AMBER
    else:
        return []
    name = reg["area__name"]
    facts = []
    for m, why in missed:
        words = "; ".join(why)
        facts.append(Fact(level, f"{name} register: {words}", REGISTER,
                          {"url_name": LINK_NAMES[REGISTER], "args": [reg["pk"], m.year, m.month],
                           "register_id": reg["pk"]}))
    if level == Rating.RED:
        facts[0].text += f" (not updated and monitored for {len(missed)} months in a row)"
    return facts


def _policy_facts(org_ids: list[int], today: date, cfg_by_org: dict[int, dict[str, Any]]) -> dict[int, list[Fact]]:
    """Policies in force past their review date (out of date the day after ``review_on``): one query."""
    from governance.models import Policy

    result: dict[int, list[Fact]] = defaultdict(list)
    qs = Policy.all_orgs.out_of_date(today).filter(organisation_id__in=org_ids).order_by("review_on", "title")
    for pk, org_id, title, review_on in qs.values_list("pk", "organisation_id", "title", "review_on"):
        level = cfg_by_org[org_id]["policy_out_of_date_rating"]
        result[org_id].append(Fact(level, f"{title}: out of date since {review_on + timedelta(days=1):%-d %B %Y}",
                                   POLICY, {"url_name": LINK_NAMES[POLICY], "args": [pk], "kind": POLICY}))
    return result


def _audit_failures(org_ids: list[int], month: date) -> dict[tuple[int, int | None], int]:
    """Cases found not correctly recorded on a register, audited in ``month``, per area: one query."""
    from governance.models import AuditedCase

    rows = (AuditedCase.all_orgs.filter(organisation_id__in=org_ids, correctly_recorded_on_register=False,
                                        audited_on__gte=month, audited_on__lte=_end(month))
            .order_by().values("organisation_id", "area_id").annotate(n=Count("pk")))
    return {(r["organisation_id"], r["area_id"]): r["n"] for r in rows}


def _case_reviews(org_ids: list[int], month: date, cfg_by_org: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Case reviews where a failure to report or follow procedure contributed that count for ``month``:
    not yet closed, or notified within the organisation's ``case_review_red_months``. One query; the
    areas are those of the review's cases and of its local authority (by name)."""
    from governance.models import CaseReview

    qs = (CaseReview.all_orgs.filter(organisation_id__in=org_ids, failure_contributed=True,
                                     notified_on__lte=_end(month))
          .order_by().values("pk", "organisation_id", "notified_on", "status", "local_authority", "cases__area_id"))
    reviews: dict[int, dict[str, Any]] = {}
    for row in qs:
        review = reviews.setdefault(row["pk"], {**row, "area_ids": set()})
        if row["cases__area_id"]:
            review["area_ids"].add(row["cases__area_id"])
    result = []
    for review in reviews.values():
        start = add_months(month, -(cfg_by_org[review["organisation_id"]]["case_review_red_months"] - 1))
        if review["status"] != CaseReview.Status.CLOSED or review["notified_on"] >= start:
            result.append(review)
    return result


def rate(org_ids: Iterable[int], *, today: date | None = None, cfg: dict[int, dict[str, Any]] | None = None
         ) -> dict[int, dict[int | None, AreaRating]]:
    """The live rating of each organisation (key None) and each of its areas, for ``today``'s month.

    ``cfg`` is each organisation's thresholds when the caller has read them already (else one query)."""
    today = today or timezone.localdate()
    month = month_start(today)
    org_ids = list(org_ids)
    cfg = cfg or settings_for(org_ids)
    window = max([max(c["register_months_red"], c["register_months_amber"]) for c in cfg.values()] or [2])
    registers, signed, not_updated = _register_months(org_ids, month, window)
    result: dict[int, dict[int | None, AreaRating]] = {o: {None: AreaRating(None, "Organisation")} for o in org_ids}
    for reg in registers:
        area = AreaRating(reg["area_id"], reg["area__name"], register_id=reg["pk"],
                          this_month={"signed": month in signed[reg["pk"]],
                                      "not_updated": not_updated[reg["pk"]].get(month, 0)})
        result[reg["organisation_id"]][reg["area_id"]] = area
        for fact in _register_facts(reg, month, signed[reg["pk"]], not_updated[reg["pk"]], cfg[reg["organisation_id"]]):
            area.add(fact)
    for org_id, facts in _policy_facts(org_ids, today, cfg).items():
        for fact in facts:
            for area in result[org_id].values():
                area.add(fact)
    failures = _audit_failures(org_ids, month)
    org_totals: dict[int, int] = defaultdict(int)
    for (org_id, area_id), n in failures.items():
        org_totals[org_id] += n
        area = result[org_id].get(area_id)  # type: ignore[assignment]
        if area is not None:
            fact = _audit_fact(n, cfg[org_id], month, area.name)  # type: ignore[assignment]
            if fact:
                area.add(fact)
    for org_id, n in org_totals.items():
        fact = _audit_fact(n, cfg[org_id], month, None)  # type: ignore[assignment]
        if fact:
            result[org_id][None].add(fact)
    for review in _case_reviews(org_ids, month, cfg):
        org_areas = result[review["organisation_id"]]
        by_name = {a.name.lower(): a for a in org_areas.values() if a.area_id is not None}
        named = by_name.get(review["local_authority"].strip().lower())
        area_ids = set(review["area_ids"]) | ({named.area_id} if named else set())
        link = {"url_name": LINK_NAMES[CASE_REVIEW], "args": [review["pk"]], "kind": CASE_REVIEW}
        when = f"notified {review['notified_on']:%B %Y}"
        for area_id in area_ids:
            area = org_areas.get(area_id)  # type: ignore[assignment]
            if area is not None:
                area.add(Fact(Rating.RED, f"{area.name}: a case review ({when}) found that a failure to report or "
                                          "to follow procedure contributed", CASE_REVIEW, link))
        org_areas[None].add(Fact(Rating.RED, f"A case review ({when}) found that a failure to report or to "
                                             "follow procedure contributed", CASE_REVIEW, link))
    for areas in result.values():
        org = areas[None]
        seen = {f.text for f in org.facts}
        for area_id, area in areas.items():
            if area_id is None:
                continue
            for fact in area.facts:
                if fact.text not in seen and fact.kind not in (AUDIT, CASE_REVIEW):
                    org.add(fact)
                    seen.add(fact.text)
    return result


def _audit_fact(n: int, cfg: dict[str, Any], month: date, area_name: str | None) -> Fact | None:
    if n >= cfg["audit_failures_red"]:
        level, words = Rating.RED, "more than one case" if cfg["audit_failures_red"] == 2 else "cases"
    elif n >= cfg["audit_failures_amber"]:
        level, words = Rating.AMBER, "one case" if n == 1 else "cases"
    else:
        return None
    where = f"{area_name}: " if area_name else ""
    return Fact(level, f"{where}case audits in {month:%B %Y} found {words} not correctly recorded on a register",
                AUDIT, {"url_name": LINK_NAMES[AUDIT], "args": [], "kind": AUDIT})


def this_month_progress(org_id: int, today: date | None = None) -> dict[int, dict[str, Any]]:
    """Per register, the current month's work so far (lead indicator): signed yet, entries not yet updated."""
    month = month_start(today or timezone.localdate())
    signed = set(Review.objects.for_org(org_id).filter(month=month, status=ReviewStatus.SIGNED)
                 .values_list("register_id", flat=True))
    rows = (Entry.objects.for_org(org_id).filter(status=Entry.Status.OPEN).order_by().values("register_id")
            .annotate(open=Count("pk"), not_updated=Count(
                "pk", filter=~Exists(EntryUpdate.all_orgs.filter(entry=OuterRef("pk"), month=month)))))
    result = {r["register_id"]: {"signed": r["register_id"] in signed, "open": r["open"],
                                 "not_updated": r["not_updated"]} for r in rows}
    for reg in signed - set(result):
        result[reg] = {"signed": True, "open": 0, "not_updated": 0}
    return result
