"""The compliance states of a requirement (a DBS check, a course at a level, the policy signed).

A requirement is met by the qualifying record with the latest expiry:
  expired  - it ran out before today (or there is none: missing);
  due      - it runs out today or within ``DUE_DAYS`` days (still valid);
  ok       - it runs out later.
Percentages count ``ok`` and ``due`` as up to date. A higher DBS check covers a lower one.
A DBS check is renewed, and training refreshed, after the job role's years, else the organisation's.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, CharField, Value, When

from safeguard.tenancy.models import Organisation

from ..models import DBS_RANK, DBSLevel, JobRole

DUE_DAYS = 60
OK, DUE, EXPIRED, MISSING, NOT_NEEDED = "ok", "due", "expired", "missing", "na"
LABELS = {OK: "Compliant", DUE: "Due soon", EXPIRED: "Expired", MISSING: "Missing", NOT_NEEDED: "Not needed"}
UP_TO_DATE = frozenset({OK, DUE})


def status_for(expiry: date | None, on: date) -> str:
    if expiry is None:
        return MISSING
    if expiry < on:
        return EXPIRED
    return DUE if expiry <= on + timedelta(days=DUE_DAYS) else OK


def status_in_sql(expiry: str, on: date) -> Case:
    """``status_for`` as a database expression over an expiry column or annotation (counts in SQL)."""
    return Case(
        When(**{f"{expiry}__isnull": True}, then=Value(MISSING)),
        When(**{f"{expiry}__lt": on}, then=Value(EXPIRED)),
        When(**{f"{expiry}__lte": on + timedelta(days=DUE_DAYS)}, then=Value(DUE)),
        default=Value(OK), output_field=CharField(),
    )


def acceptable_levels(required: str) -> list[str]:
    """DBS levels that satisfy a job role's level (a higher check covers a lower one)."""
    rank = DBS_RANK[DBSLevel(required)]
    return [lvl for lvl, r in DBS_RANK.items() if r >= rank and lvl != DBSLevel.NONE]


def dbs_years(org: Organisation, job_role: JobRole | None) -> int:
    return (job_role.dbs_renewal_years if job_role and job_role.dbs_renewal_years else None) or org.dbs_renewal_years


def training_years(org: Organisation, job_role: JobRole | None) -> int:
    own = job_role.training_refresh_years if job_role else None
    return own or org.training_refresh_years
