"""Compliance figures for governance: percentages only, never names, small numbers suppressed
(``safeguard.tenancy.suppression``: no percentage over fewer than 5 people, people counts under 5
hidden with secondary suppression against the organisation's total)."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.tenancy import suppression
from safeguard.tenancy.models import Organisation

from .compliance import breakdown, current_policy, today
from .models import Person


def shown_percent(row: dict[str, Any]) -> str:
    """A group's percentage as the board may see it: none over fewer than 5 people, none that gives
    away a small number of requirements unmet."""
    if row.get("percent") is None:
        return "No requirements"
    if suppression.is_small(row["people"]):
        return suppression.NOT_SHOWN
    return suppression.percent(row["met"], row["required"])


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people = suppression.table([[r["people"]] for r in rows], row_totals=False)["cells"] if rows else []
    return [{"name": r["name"], "people": people[i][0].shown, "percent": shown_percent(r)}
            for i, r in enumerate(rows)]


def compliance(org: Organisation, on: date | None = None) -> dict[str, Any]:
    """Percentages of requirements met per organisation, department and job role (two queries).

    ``{"organisation": {"people", "required", "met", "percent"}, "departments": [{"name", ...}],
    "job_roles": [{"name", ...}], "shown": {...}}``; ``percent`` is None where nothing is required.
    ``shown`` holds what a board member may see (text, small numbers suppressed).
    """
    on = on or today()
    policy = current_policy(org)
    people = Person.objects.for_org(org).filter(is_active=True)
    split = breakdown(people, policy, on, "department__name", "job_role__name")
    departments = [{**r, "name": r["name"] or "No department"} for r in split["department__name"]]
    job_roles = [{**r, "name": r["name"] or "No job role"} for r in split["job_role__name"]]
    whole = split["all"]
    return {
        "on": on,
        "organisation": whole,
        "departments": departments,
        "job_roles": job_roles,
        "shown": {
            "organisation": {"people": suppression.count(whole["people"]).shown, "percent": shown_percent(whole)},
            "departments": _shown(departments),
            "job_roles": _shown(job_roles),
        },
    }
