"""Who meets what: the matrix, and totals in SQL, by the states of ``training.policy.compliance``.

Totals are worked out by the database for every person matching the filters, not just the page shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguard.tenancy.models import Organisation

from .models import (
    LIVE,
    DBSCheck,
    DBSLevel,
    Person,
    PolicyAcknowledgement,
    PolicyVersion,
    Requirement,
    TrainingRecord,
)
from .policy.compliance import (
    DUE,
    EXPIRED,
    LABELS,
    MISSING,
    NOT_NEEDED,
    OK,
    acceptable_levels,
    status_for,
    status_in_sql,
)


def today() -> date:
    return timezone.localdate()


def current_policy(org: Organisation | int) -> PolicyVersion | None:
    """The newest version of the policy staff sign."""
    return staff_versions(org).order_by("-published_at", "-pk").first()


def staff_versions(org: Organisation | int) -> QuerySet[PolicyVersion]:
    """Versions of the policy staff sign (one policy of governance's policies register)."""
    return PolicyVersion.objects.for_org(org).filter(policy__staff_sign_off=True)


def _one(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _dbs_met(on: date) -> Case:
    """1 where the person holds an in-date check at the level their role needs (or higher)."""
    whens = [
        When(Q(job_role__dbs_level=lvl) & Exists(DBSCheck.objects.filter(
            person=OuterRef("pk"), renews_on__gte=on, level__in=acceptable_levels(lvl), entered_in_error_at__isnull=True)), then=Value(1))
        for lvl in DBSLevel.values[1:]
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _courses_required() -> Coalesce:
    counted = (Requirement.objects.filter(job_role=OuterRef("job_role")).order_by()
               .values("job_role").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _courses_met(on: date) -> Coalesce:
    holds = TrainingRecord.objects.filter(
        person=OuterRef(OuterRef("pk")), course=OuterRef("course"), level__gte=OuterRef("level"), expires_on__gte=on,
        entered_in_error_at__isnull=True,
    )
    counted = (Requirement.objects.filter(job_role=OuterRef("job_role")).filter(Exists(holds)).order_by()
               .values("job_role").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotate_compliance(people: QuerySet[Person], policy: PolicyVersion | None, on: date) -> QuerySet[Person]:
    """Add ``required`` and ``met`` (numbers of requirements) to each person, in SQL."""
    needs_dbs = Q(job_role__isnull=False) & ~Q(job_role__dbs_level=DBSLevel.NONE)
    qs = people.annotate(
        dbs_req=_one(needs_dbs), dbs_met=_dbs_met(on),
        course_req=_courses_required(), course_met=_courses_met(on),
    )
    if policy is None:
        qs = qs.annotate(pol_req=Value(0), pol_met=Value(0))
    else:
        signed = Exists(PolicyAcknowledgement.objects.filter(person=OuterRef("pk"), version=policy,
                                                              signed_at__isnull=False))
        qs = qs.annotate(pol_req=_one(Q(membership__isnull=False)),
                         pol_met=_one(Q(membership__isnull=False) & signed))  # type: ignore[arg-type]
    return qs


def percent(met: int | None, required: int | None) -> int | None:
    if not required:
        return None
    return int(100 * (met or 0) / required)


def totals(people: QuerySet[Person], policy: PolicyVersion | None, on: date,
           by: str | tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Requirements and how many are met, summed over ``people`` (grouped by ``by``)."""
    qs = annotate_compliance(people.order_by(), policy, on)
    sums = {
        "people": Count("pk"),
        "required": Sum("dbs_req") + Sum("course_req") + Sum("pol_req"),
        "met": Sum("dbs_met") + Sum("course_met") + Sum("pol_met"),
    }
    keys = (by,) if isinstance(by, str) else by
    rows = [qs.aggregate(**sums)] if not keys else list(qs.values(*keys).annotate(**sums).order_by(*keys))
    for row in rows:
        row["required"] = row["required"] or 0
        row["met"] = row["met"] or 0
        row["percent"] = percent(row["met"], row["required"])
    return rows


def breakdown(people: QuerySet[Person], policy: PolicyVersion | None, on: date,
              first: str, second: str) -> dict[str, Any]:
    """Overall, by ``first`` and by ``second`` from one grouped query (the database sums each
    pair of groups; the few pair rows are added up here)."""
    pairs = totals(people, policy, on, by=(first, second))
    return {"all": _rollup(pairs, None)[0], first: _rollup(pairs, first), second: _rollup(pairs, second)}


def _rollup(rows: list[dict[str, Any]], key: str | None) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for row in rows:
        name = row[key] if key else None
        group = groups.setdefault(name, {"name": name or "", "people": 0, "required": 0, "met": 0})
        for field_name in ("people", "required", "met"):
            group[field_name] += row[field_name] or 0
    result = sorted(groups.values(), key=lambda g: (g["name"] == "", g["name"]))
    for group in result:
        group["percent"] = percent(group["met"], group["required"])
    return result or [{"name": "", "people": 0, "required": 0, "met": 0, "percent": None}]


@dataclass
class Column:
    key: str  # "dbs", "policy" or "course:<id>"
    label: str


@dataclass
class Row:
    person: Person
    cells: list[dict[str, Any]] = field(default_factory=list)
    required: int = 0
    met: int = 0

    @property
    def percent(self) -> int | None:
        return percent(self.met, self.required)


def columns_for(org: Organisation, requirements: list[Requirement], policy: PolicyVersion | None) -> list[Column]:
    cols = [Column("dbs", "DBS check")]
    seen: dict[int, str] = {}
    for req in requirements:
        seen.setdefault(req.course_id, req.course.name)
    cols += [Column(f"course:{cid}", name) for cid, name in sorted(seen.items(), key=lambda kv: kv[1])]
    if policy is not None:
        cols.append(Column("policy", f"Policy {policy.label}"))
    return cols


def _best_dbs(checks: list[DBSCheck], required: str) -> DBSCheck | None:
    ok = set(acceptable_levels(required))
    fitting = [c for c in checks if c.level in ok]
    return max(fitting, key=lambda c: (c.renews_on, c.pk), default=None)


def _best_record(records: list[TrainingRecord], level: int) -> TrainingRecord | None:
    fitting = [r for r in records if r.level >= level]
    return max(fitting, key=lambda r: (r.expires_on, r.pk), default=None)


def _dbs_cell(person: Person, checks: list[DBSCheck], on: date) -> dict[str, Any]:
    if person.job_role is None or not person.job_role.needs_dbs:
        return {"status": NOT_NEEDED}
    best = _best_dbs(checks, person.job_role.dbs_level)
    return {"status": status_for(best.renews_on if best else None, on), "until": best.renews_on if best else None,
            "detail": person.job_role.get_dbs_level_display()}


def _course_cell(req: Requirement | None, records: list[TrainingRecord], on: date) -> dict[str, Any]:
    if req is None:
        return {"status": NOT_NEEDED}
    best = _best_record(records, req.level)
    return {"status": status_for(best.expires_on if best else None, on), "until": best.expires_on if best else None,
            "detail": f"Level {req.level}"}


def _policy_cell(person: Person, signed: set[int]) -> dict[str, Any]:
    if person.membership_id is None:
        return {"status": NOT_NEEDED}
    return {"status": OK if person.pk in signed else MISSING, "until": None, "detail": ""}


def build_rows(people: list[Person], columns: list[Column], requirements: list[Requirement],
               policy: PolicyVersion | None, on: date) -> list[Row]:
    """The cells for one page of people: three queries whatever the page size."""
    if not people:
        return []
    ids, org_id = [p.pk for p in people], people[0].organisation_id
    checks: dict[int, list[DBSCheck]] = defaultdict(list)
    for c in DBSCheck.objects.for_org(org_id).filter(LIVE, person_id__in=ids):
        checks[c.person_id].append(c)
    records: dict[tuple[int, int], list[TrainingRecord]] = defaultdict(list)
    for r in (TrainingRecord.objects.for_org(org_id).filter(LIVE, person_id__in=ids)
              .only("person_id", "course_id", "level", "expires_on")):
        records[(r.person_id, r.course_id)].append(r)
    signed: set[int] = set()
    if policy is not None:
        signed = set(PolicyAcknowledgement.objects.for_org(org_id)
                     .filter(version=policy, person_id__in=ids, signed_at__isnull=False)
                     .values_list("person_id", flat=True))
    by_role: dict[int, dict[int, Requirement]] = defaultdict(dict)
    for req in requirements:
        by_role[req.job_role_id][req.course_id] = req
    rows = []
    for person in people:
        row = Row(person)
        for col in columns:
            row.cells.append(_cell(person, col, checks, records, signed, by_role, on))
        counted = [c for c in row.cells if c["status"] != NOT_NEEDED]
        row.required, row.met = len(counted), sum(c["status"] in (OK, DUE) for c in counted)
        rows.append(row)
    return rows


def _cell(person: Person, col: Column, checks: dict, records: dict, signed: set[int],
          by_role: dict[int, dict[int, Requirement]], on: date) -> dict[str, Any]:
    if col.key == "dbs":
        cell = _dbs_cell(person, checks[person.pk], on)
    elif col.key == "policy":
        cell = _policy_cell(person, signed)
    else:
        course_id = int(col.key.split(":")[1])
        req = by_role.get(person.job_role_id or 0, {}).get(course_id)
        cell = _course_cell(req, records[(person.pk, course_id)], on)
    cell["label"] = LABELS[cell["status"]]
    cell["column"], cell["key"] = col.label, col.key
    return cell


# What the HR home panel and the matrix both show (issue 12.7): the same function, so the same numbers.
COUNTED = (EXPIRED, DUE, MISSING)


def _best_dbs_until() -> Case:
    """The latest renewal date of a live check at the level the person's job role needs (or higher)."""
    def latest(levels: list[str]) -> Subquery:
        checks = (DBSCheck.objects.filter(LIVE, person=OuterRef("pk"), level__in=levels).order_by()
                  .values("person").annotate(m=Max("renews_on")).values("m"))
        return Subquery(checks, output_field=DateField())

    whens = [When(job_role__dbs_level=lvl, then=latest(acceptable_levels(lvl))) for lvl in DBSLevel.values[1:]]
    return Case(*whens, default=Value(None), output_field=DateField())


def status_counts(people: QuerySet[Person], requirements: list[Requirement], policy: PolicyVersion | None,
                  on: date, org: Organisation | int) -> dict[str, dict[str, int]]:
    """How many DBS and training cells of ``people`` are expired, due soon or missing, by the states of
    ``training.policy.compliance`` worked out in SQL (two aggregate queries whatever the number of people)."""
    needs_dbs = Q(job_role__isnull=False) & ~Q(job_role__dbs_level=DBSLevel.NONE)
    dbs = (people.order_by().annotate(dbs_until=_best_dbs_until())
           .annotate(dbs_status=status_in_sql("dbs_until", on))
           .aggregate(**{s: Count("pk", filter=needs_dbs & Q(dbs_status=s)) for s in COUNTED}))
    counts = {"dbs": {s: dbs[s] or 0 for s in COUNTED}, "course": dict.fromkeys(COUNTED, 0)}
    if requirements:
        held = (TrainingRecord.objects.filter(LIVE, person=OuterRef("job_role__people"), course=OuterRef("course"),
                                              level__gte=OuterRef("level")).order_by()
                .values("person").annotate(m=Max("expires_on")).values("m"))
        cells = (Requirement.objects.for_org(org).filter(pk__in=[r.pk for r in requirements],
                                                         job_role__people__in=people.order_by().values("pk"))
                 .annotate(until=Subquery(held, output_field=DateField()))
                 .annotate(status=status_in_sql("until", on))
                 .aggregate(**{s: Count("pk", filter=Q(status=s)) for s in COUNTED}))
        counts["course"] = {s: cells[s] or 0 for s in COUNTED}
    return counts
