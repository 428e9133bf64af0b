"""Uploading spreadsheets: templates, the check and preview, the import and its progress."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy.access import role_required
from safeguard.tenancy.spreadsheets import csv_text

from .access import MANAGE
from .exports import render_table
from .forms import ImportForm
from .imports import COLUMNS, INLINE_MAX_BYTES, check_import, run_import, template_rows
from .models import ImportJob

log = logging.getLogger("safeguard.training")
MAX_PROBLEMS_SHOWN = 500


def _start(job: ImportJob, phase: str) -> None:
    """Small files are done now; large ones by the worker while the page refreshes."""
    if job.file.size <= INLINE_MAX_BYTES:
        (check_import if phase == "check" else run_import)(job.pk)
        return
    from .tasks import process_import

    def enqueue() -> None:
        try:
            process_import.apply_async((job.pk, phase), retry=False)
        except Exception:  # noqa: BLE001 - broker down: say so on the progress page
            log.warning("could not queue import %s", job.pk)
            ImportJob.objects.for_org(job.organisation_id).filter(pk=job.pk).update(
                status=ImportJob.Status.FAILED, failure="The import could not be started. Please try again later.")

    transaction.on_commit(enqueue)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(organisation=org, kind=form.cleaned_data["kind"], file_name=upload.name[:200],
                        created_by=request.user)
        job.file.save(upload.name, upload, save=False)
        job.save()
        _start(job, "check")
        return redirect("training:import-job", pk=job.pk)
    recent = ImportJob.objects.for_org(org).select_related("created_by")[:10]
    return render(request, "training/import_start.html", {"form": form, "recent": recent, "columns": COLUMNS})


@role_required(*MANAGE)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.for_org(request.org), pk=pk)  # type: ignore[attr-defined]
    return render(request, "training/import_job.html", {
        "job": job, "problems": job.problems[:MAX_PROBLEMS_SHOWN], "more": max(0, len(job.problems) - MAX_PROBLEMS_SHOWN),
        "good_rows": job.total_rows - job.bad_rows,
    })


@role_required(*MANAGE)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        job = get_object_or_404(ImportJob.objects.for_org(request.org).select_for_update(), pk=pk)  # type: ignore[attr-defined]
        if job.status != ImportJob.Status.CHECKED:
            messages.error(request, "This import has already been started.")
            return redirect("training:import-job", pk=job.pk)
        job.skip_bad_rows = request.POST.get("skip_bad_rows") == "yes"
        if job.bad_rows and not job.skip_bad_rows:
            messages.error(request, "Some rows have problems. Fix them and upload the file again, or choose to skip them.")
            return redirect("training:import-job", pk=job.pk)
        job.status = ImportJob.Status.IMPORTING
        job.save(update_fields=["skip_bad_rows", "status"])
        _start(job, "run")
    return redirect("training:import-job", pk=job.pk)


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
