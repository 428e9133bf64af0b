"""Uploading spreadsheets: templates, the check and preview, the import and its progress."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job, enqueue_job, restart_step, run_now
from safeguard.tenancy.access import role_required
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
    if job.upload.size <= INLINE_MAX_BYTES:
        run_now(job)
    else:
        enqueue_job(job)


def _import_jobs(request: HttpRequest) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.for_org(request.org).filter(kind=IMPORT)  # type: ignore[attr-defined]


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = create_job(org=org, kind=IMPORT, requested_by=request.user, step="check",  # type: ignore[arg-type]
                         params={"kind": form.cleaned_data["kind"]}, upload=upload)
        _start(job)
        return redirect("background:job", pk=job.pk)
    recent = _import_jobs(request).select_related("requested_by")[:10]
    return render(request, "training/import_start.html", {"form": form, "recent": recent, "columns": COLUMNS,
                                                          "kinds": dict(ImportKind.choices)})


@role_required(*MANAGE)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        job = get_object_or_404(_import_jobs(request).select_for_update(), pk=pk)
        if job.step != "check" or job.status != BackgroundJob.Status.DONE:
            messages.error(request, "This import has already been started.")
            return redirect("background:job", pk=job.pk)
        skip = request.POST.get("skip_bad_rows") == "yes"
        if job.result.get("bad_rows") and not skip:
            messages.error(request, "Some rows have problems. Fix them and upload the file again, or choose to skip them.")
            return redirect("background:job", pk=job.pk)
        restart_step(job, "import", params={**job.params, "skip_bad_rows": skip})
    _start(job)
    return redirect("background:job", pk=job.pk)


@role_required(*MANAGE)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
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
