"""The training matrix as a spreadsheet: built in the request for a few people, by a
Celery task (with a progress page) for many."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db.models import QuerySet

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import Progress
from safeguard.tenancy.models import Membership
from safeguard.tenancy.spreadsheets import csv_text, xlsx_bytes

from .access import people_visible_to
from .compliance import build_rows, columns_for, current_policy, today
from .models import Person, Requirement
from .policy.compliance import LABELS, NOT_NEEDED

INLINE_MAX_PEOPLE = 1000
CHUNK = 500


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


def clean_params(raw: Any) -> dict[str, Any]:
    """The matrix filters from a query string (or a stored job), checked and trimmed."""
    return {"department": _int(raw.get("department")), "job_role": _int(raw.get("job_role")),
            "team": str(raw.get("team") or "").strip()[:120], "q": str(raw.get("q") or "").strip()[:100]}


def filter_people(people: QuerySet[Person], params: dict[str, Any]) -> QuerySet[Person]:
    """Active people narrowed by the filters (another organisation's ids match no one)."""
    qs = people.filter(is_active=True)
    if params["department"]:
        qs = qs.filter(department_id=params["department"])
    if params["job_role"]:
        qs = qs.filter(job_role_id=params["job_role"])
    if params["team"]:
        qs = qs.filter(team=params["team"])
    if params["q"]:
        qs = qs.filter(full_name__icontains=params["q"])
    return qs


def requirements_for(org_id: int, job_role_id: int | None) -> list[Requirement]:
    qs = Requirement.objects.for_org(org_id).select_related("course")
    return list(qs.filter(job_role_id=job_role_id) if job_role_id else qs)


def matrix_table(people: QuerySet[Person], params: dict[str, Any], org_id: int,
                 progress: Any = None) -> list[list[Any]]:
    """Header and one row per person; records are read a chunk of people at a time."""
    on, policy = today(), current_policy(org_id)
    requirements = requirements_for(org_id, params["job_role"])
    columns = columns_for(None, requirements, policy)  # type: ignore[arg-type]
    table: list[list[Any]] = [["Name", "Reference", "Department", "Team", "Job role",
                               *[c.label for c in columns], "Requirements met", "Per cent"]]
    everyone = list(people.select_related("job_role", "department"))
    for start in range(0, len(everyone), CHUNK):
        for row in build_rows(everyone[start:start + CHUNK], columns, requirements, policy, on):
            p = row.person
            cells = [LABELS[c["status"]] + (f" until {c['until']:%d/%m/%Y}" if c.get("until") else "")
                     if c["status"] != NOT_NEEDED else "" for c in row.cells]
            table.append([p.full_name, p.reference, p.department.name if p.department else "", p.team,
                          p.job_role.name if p.job_role else "", *cells, f"{row.met} of {row.required}",
                          row.percent if row.percent is not None else ""])
        if progress:
            progress(min(start + CHUNK, len(everyone)), len(everyone))
    return table


def render_table(table: list[list[Any]], fmt: str) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, for Excel) or XLSX, every cell escaped."""
    if fmt == "csv":
        return csv_text(table).encode("utf-8-sig")
    return xlsx_bytes(table, "Training matrix")


def run_export(job: BackgroundJob, progress: Progress) -> None:
    """The task's work: build the file for the member who asked, with what they may see."""
    membership = Membership.all_orgs.get(organisation_id=job.organisation_id, user_id=job.requested_by_id)
    fmt = job.params.get("format", "csv")
    params = clean_params(job.params.get("filters", {}))
    people = filter_people(people_visible_to(membership), params)
    table = matrix_table(people, params, job.organisation_id, progress)
    job.file.save(f"training-matrix.{fmt}", ContentFile(render_table(table, fmt)), save=False)
    job.result = {"rows": len(table) - 1}
    job.total = len(table) - 1
