"""The training matrix and its export: people down, requirements across.

A fixed number of queries whatever the number of people: one page of people,
their records for that page, and the totals summed by the database.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from safeguard.tenancy import audit
from safeguard.tenancy.access import member_required
from safeguard.tenancy.models import Department

from .access import is_line_manager, sees_all, visible_people
from .compliance import (
    LABELS,
    NOT_NEEDED,
    breakdown,
    build_rows,
    columns_for,
    current_policy,
    today,
)
from .models import JobRole, Person, Requirement

PAGE_SIZE = 50


def _allowed(request: HttpRequest) -> None:
    if not (sees_all(request) or is_line_manager(request)):
        raise PermissionDenied


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filtered(request: HttpRequest) -> tuple[QuerySet[Person], dict[str, Any]]:
    """The people the member may see, narrowed by the filters (ids of another organisation match no one)."""
    params = {"department": _int(request.GET.get("department")), "job_role": _int(request.GET.get("job_role")),
              "team": request.GET.get("team", "").strip()[:120], "q": request.GET.get("q", "").strip()[:100]}
    qs = visible_people(request).filter(is_active=True)
    if params["department"]:
        qs = qs.filter(department_id=params["department"])
    if params["job_role"]:
        qs = qs.filter(job_role_id=params["job_role"])
    if params["team"]:
        qs = qs.filter(team=params["team"])
    if params["q"]:
        qs = qs.filter(full_name__icontains=params["q"])
    return qs, params


def _requirements(request: HttpRequest, job_role_id: int | None) -> list[Requirement]:
    qs = Requirement.objects.for_org(request.org).select_related("course")  # type: ignore[attr-defined]
    return list(qs.filter(job_role_id=job_role_id) if job_role_id else qs)


@member_required
def matrix(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    org = request.org  # type: ignore[attr-defined]
    people, params = _filtered(request)
    on, policy = today(), current_policy(org)
    requirements = _requirements(request, params["job_role"])
    columns = columns_for(org, requirements, policy)
    page = Paginator(people.select_related("job_role", "department"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = build_rows(list(page.object_list), columns, requirements, policy, on)
    visible = visible_people(request).filter(is_active=True)
    context = {
        "columns": columns, "rows": rows, "page": page, "params": params, "on": on,
        "query_string": urlencode({k: v for k, v in params.items() if v}),
        **_totals(people, policy, on),
        "departments": Department.objects.for_org(org).filter(is_active=True),
        "job_roles": JobRole.objects.for_org(org),
        "teams": visible.exclude(team="").order_by("team").values_list("team", flat=True).distinct(),
        "sees_all": sees_all(request),
    }
    return render(request, "training/matrix.html", context)


def _totals(people: QuerySet[Person], policy: Any, on: Any) -> dict[str, Any]:
    split = breakdown(people, policy, on, "department__name", "team")
    return {"organisation": split["all"], "by_department": split["department__name"], "by_team": split["team"]}


def _table(request: HttpRequest) -> list[list[Any]]:
    org = request.org  # type: ignore[attr-defined]
    people, params = _filtered(request)
    on, policy = today(), current_policy(org)
    requirements = _requirements(request, params["job_role"])
    columns = columns_for(org, requirements, policy)
    rows = build_rows(list(people.select_related("job_role", "department")), columns, requirements, policy, on)
    table: list[list[Any]] = [["Name", "Reference", "Department", "Team", "Job role",
                               *[f"{c.label}" for c in columns], "Requirements met", "Per cent"]]
    for row in rows:
        p = row.person
        cells = [LABELS[c["status"]] + (f" until {c['until']:%d/%m/%Y}" if c.get("until") else "")
                 if c["status"] != NOT_NEEDED else "" for c in row.cells]
        table.append([p.full_name, p.reference, p.department.name if p.department else "", p.team,
                      p.job_role.name if p.job_role else "", *cells, f"{row.met} of {row.required}",
                      row.percent if row.percent is not None else ""])
    return table


@member_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    """The filtered matrix as CSV or XLSX (every matching person, not just one page)."""
    _allowed(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    table = _table(request)
    audit.record(org=request.org, actor=request.user, action="training.matrix_exported",  # type: ignore[attr-defined]
                 rows=len(table) - 1, format=fmt)
    name = f"training-matrix-{today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows([[_safe(v) for v in r] for r in table])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(table, "Training matrix"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _safe(value: Any) -> Any:
    """Stop a spreadsheet from running a name that starts with = + - @ as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_bytes(table: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for r in table:
        sheet.append([_safe(v) for v in r])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
