"""Uploading spreadsheets: templates, the check and preview, the import and its progress."""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.background import imports as shared_imports
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job
from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.spreadsheets import csv_text

from .access import MANAGE
from .background_jobs import IMPORT
from .exports import render_table
from .forms import ImportForm
from .imports import COLUMNS, INLINE_MAX_BYTES, template_rows
from .models import ImportKind

log = logging.getLogger("safeguard.training")


def _start(job: BackgroundJob) -> None:
    """Small files are done now; large ones by the worker while the page refreshes."""
    shared_imports.start(job, INLINE_MAX_BYTES)


def _import_jobs(request: OrgRequest) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.for_org(request.org).filter(kind=IMPORT)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def import_start(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = create_job(org=org, kind=IMPORT, requested_by=request.user, step="check",
                         params={"kind": form.cleaned_data["kind"]}, upload=upload)
        _start(job)
        return redirect("background:job", pk=job.pk)
    recent = _import_jobs(request).select_related("requested_by")[:10]
    return render(request, "training/import_start.html", {"form": form, "recent": recent, "columns": COLUMNS,
                                                          "kinds": dict(ImportKind.choices)})


@role_required(*MANAGE)
@require_POST
def import_confirm(request: OrgRequest, pk: int) -> HttpResponse:
    return shared_imports.confirm(request, _import_jobs(request), pk, INLINE_MAX_BYTES)


@role_required(*MANAGE)
def import_template(request: OrgRequest, kind: str) -> HttpResponse:
    if kind not in COLUMNS:
        raise Http404
    rows = template_rows(kind)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(render_table(rows, "xlsx"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{kind}-import-template.xlsx"'
        return response
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-import-template.csv"'
    return response
