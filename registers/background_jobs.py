"""Registers' kind of background job: a register exported as a spreadsheet or a PDF."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from safeguard.background.kinds import JobKind, register_kind
from safeguard.background.models import BackgroundJob
from safeguard.tenancy.access import OrgRequest

from .access import visible_registers
from .models import ExportFormat
from .tasks import make_export

EXPORT = "registers.export"


def visible_exports(request: OrgRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    """One's own exports, of registers one may still see."""
    ids = list(visible_registers(request).values_list("pk", flat=True))
    return jobs.filter(kind=EXPORT, requested_by=request.user, params__register_id__in=ids)


def _title(job: BackgroundJob) -> str:
    return f"Export of the {job.params.get('register_name', 'register')}"


register_kind(JobKind(
    name=EXPORT, run=make_export, title=_title, result_template="registers/_export_result.html",
    back=lambda job: (reverse("registers:register", args=[job.params["register_id"]]), "Back to the register"),
    visible=visible_exports, unit="entries", step_labels={"": "Being made"},
    context=lambda request, job: {"format_label": ExportFormat(job.params["format"]).label},
    failure_message="The file could not be made. Please try again.",
))
