"""Importing policies, the work plan and suppliers: the upload, the template, and the confirmation after the
check (the preview and progress are the shared background job page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.background import imports as shared
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job
from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.spreadsheets import csv_text, xlsx_bytes
from safeguard.tenancy.uploads import SPREADSHEET_TYPES, check_form_upload

from ..access import KEEPERS
from ..background_jobs import IMPORT
from ..imports import HELP, IMPORTABLE, SPECS, template_rows
from ..kinds import KINDS

KEEP = tuple(KEEPERS)


class GovernanceImportForm(forms.Form):
    file = forms.FileField(label="Spreadsheet", help_text="A CSV or XLSX file, smaller than 5 MB, with the columns "
                                                          "of the template.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Upload and check")

    def clean_file(self) -> UploadedFile | None:
        return check_form_upload(self.cleaned_data.get("file"), SPREADSHEET_TYPES, "spreadsheet")


def _importable(slug: str) -> Any:
    if slug not in IMPORTABLE:
        raise Http404
    return KINDS[slug]


def _jobs(request: OrgRequest) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.for_org(request.org).filter(kind=IMPORT)


@role_required(*KEEP)
@require_http_methods(["GET", "POST"])
def import_start(request: OrgRequest, slug: str) -> HttpResponse:
    kind = _importable(slug)
    form = GovernanceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = create_job(org=request.org, kind=IMPORT, requested_by=request.user, step="check",
                         params={"kind": slug}, upload=form.cleaned_data["file"])
        shared.start(job)
        return redirect("background:job", pk=job.pk)
    recent = [j for j in _jobs(request).select_related("requested_by")[:30] if j.params.get("kind") == slug][:10]
    return render(request, "governance/import_start.html", {
        "kind": kind, "form": form, "recent": recent, "columns": SPECS[slug].columns,
        "required": SPECS[slug].required, "help": HELP[slug]})


@role_required(*KEEP)
@require_POST
def import_confirm(request: OrgRequest, pk: int) -> HttpResponse:
    return shared.confirm(request, _jobs(request), pk)


@role_required(*KEEP)
def import_template(request: OrgRequest, slug: str) -> HttpResponse:
    _importable(slug)
    rows = template_rows(slug)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, "Import"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{slug}-import-template.xlsx"'
        return response
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-import-template.csv"'
    return response
