"""Compliance figures for governance: percentages only, never names."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.tenancy.models import Organisation

from .compliance import breakdown, current_policy, today
from .models import Person


def compliance(org: Organisation, on: date | None = None) -> dict[str, Any]:
    """Percentages of requirements met per organisation, department and job role (two queries).

    ``{"organisation": {"people", "required", "met", "percent"}, "departments": [{"name", ...}],
    "job_roles": [{"name", ...}]}``; ``percent`` is None where nothing is required.
    """
    on = on or today()
    policy = current_policy(org)
    people = Person.objects.for_org(org).filter(is_active=True)
    split = breakdown(people, policy, on, "department__name", "job_role__name")
    return {
        "on": on,
        "organisation": split["all"],
        "departments": [{**r, "name": r["name"] or "No department"} for r in split["department__name"]],
        "job_roles": [{**r, "name": r["name"] or "No job role"} for r in split["job_role__name"]],
    }
