"""The training matrix and its export: people down, requirements across.

A fixed number of queries whatever the number of people: one page of people,
their records for that page, and the totals summed by the database.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job, enqueue_job
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, deny, member_required
from safeguard.tenancy.models import Department
from safeguard.tenancy.searches import Search, kept_search

from .access import VIEW_ALL, is_line_manager, sees_all, visible_people
from .background_jobs import EXPORT
from .compliance import LABELS, breakdown, build_rows, columns_for, current_policy, status_counts, today
from .exports import (
    INLINE_MAX_PEOPLE,
    clean_params,
    filter_people,
    matrix_table,
    render_table,
    requirements_for,
)
from .models import JobRole, Person

PAGE_SIZE = 50


def _allowed(request: OrgRequest) -> None:
    if not (sees_all(request) or is_line_manager(request)):
        raise deny(request, VIEW_ALL)


def _filtered(request: OrgRequest, search: Search) -> tuple[QuerySet[Person], dict[str, Any]]:
    """The people the member may see, narrowed by the filters."""
    params = clean_params(search.params)
    return filter_people(visible_people(request), params), params


@member_required
def matrix(request: OrgRequest) -> HttpResponse:
    _allowed(request)
    search = kept_search(request)  # names searched for stay out of the URL
    if search.redirect:
        return search.redirect
    org = request.org
    people, params = _filtered(request, search)
    on, policy = today(), current_policy(org)
    requirements = requirements_for(org.pk, params["job_role"])
    columns = columns_for(org, requirements, policy)
    page = Paginator(people.select_related("job_role", "department"), PAGE_SIZE).get_page(search.params.get("page"))
    rows = build_rows(list(page.object_list), columns, requirements, policy, on)
    visible = visible_people(request).filter(is_active=True)
    context = {
        "columns": columns, "rows": rows, "page": page, "params": params, "on": on,
        "query_string": search.query_string, "search_expired": search.expired,
        **_totals(people, policy, on),
        "departments": Department.objects.for_org(org).filter(is_active=True),
        "job_roles": JobRole.objects.for_org(org),
        "teams": visible.exclude(team="").order_by("team").values_list("team", flat=True).distinct(),
        "sees_all": sees_all(request),
        "counts": status_counts(people, requirements, policy, on, org),
        "labels": LABELS,
    }
    return render(request, "training/matrix.html", context)


def _totals(people: QuerySet[Person], policy: Any, on: Any) -> dict[str, Any]:
    split = breakdown(people, policy, on, "department__name", "team")
    return {"organisation": split["all"], "by_department": split["department__name"], "by_team": split["team"]}


@member_required
def matrix_export(request: OrgRequest) -> HttpResponse:
    """The filtered matrix as CSV or XLSX: at once for a few people, by a task for many."""
    _allowed(request)
    search = kept_search(request, path=reverse("training:matrix"))
    if search.redirect:
        return search.redirect
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    people, params = _filtered(request, search)
    audit.record(org=request.org, actor=request.user, action="training.matrix_exported",
                 format=fmt, **{k: v for k, v in params.items() if v})
    if people.count() > INLINE_MAX_PEOPLE:
        job = create_job(org=request.org, kind=EXPORT, requested_by=request.user,
                         params={"format": fmt, "filters": params})
        enqueue_job(job)
        return redirect("background:job", pk=job.pk)
    table = matrix_table(people, params, request.org.pk)
    return _download(render_table(table, fmt), fmt)


def _download(data: bytes, fmt: str) -> HttpResponse:
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(data, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="training-matrix-{today():%Y-%m-%d}.{fmt}"'
    return response


@member_required
def export_download(request: OrgRequest, pk: int) -> HttpResponse:
    """Only the member who asked for an export may download it (404 for anyone else)."""
    jobs = BackgroundJob.objects.for_org(request.org).filter(kind=EXPORT, requested_by=request.user)
    job = get_object_or_404(jobs, pk=pk)
    if job.status != BackgroundJob.Status.DONE or not job.file:
        return redirect("background:job", pk=job.pk)
    with job.file.open("rb") as fh:
        return _download(fh.read(), job.params.get("format", "csv"))
