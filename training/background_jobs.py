"""Training's kinds of background job: spreadsheet imports and large matrix exports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from safeguard.background.imports import preview_context
from safeguard.background.kinds import JobKind, own_jobs, register_kind
from safeguard.background.models import BackgroundJob
from safeguard.tenancy.access import OrgRequest

from .access import MANAGE
from .exports import run_export
from .imports import run_step
from .models import ImportKind

IMPORT = "training.import"
EXPORT = "training.export"


def _import_visible(request: OrgRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    """Imports are shared by everyone who manages training records."""
    membership = request.membership
    return jobs if membership is not None and membership.has_role(*MANAGE) else jobs.none()


def _import_context(request: OrgRequest, job: BackgroundJob) -> dict[str, Any]:
    kind = job.params.get("kind", "")
    again = reverse("training:import") + f"?kind={kind}"
    return {
        **preview_context(job),
        "caption": ImportKind(kind).label if kind in ImportKind.values else "",
        "failure_link": (again, "Upload a corrected file"), "again_url": again,
        "confirm_url": reverse("training:import-confirm", args=[job.pk]),
        "done_links": [(reverse("training:matrix"), "See the training matrix"),
                       (reverse("training:import"), "Import another file")],
    }


register_kind(JobKind(
    name=IMPORT, run=run_step, title=lambda job: f"Import of {job.file_name}",
    result_template="background/_import_result.html",
    back=lambda job: (reverse("training:import"), "Back to imports"),
    visible=_import_visible, context=_import_context,
    step_labels={"check": "Checking the file", "import": "Importing"},
    failure_message="Something went wrong, so nothing was imported. Please try again.",
))

register_kind(JobKind(
    name=EXPORT, run=run_export, title=lambda job: "Training matrix export",
    result_template="training/_export_result.html",
    back=lambda job: (reverse("training:matrix"), "Back to the training matrix"),
    visible=own_jobs, step_labels={"": "Building the file"}, unit="people",
    failure_message="The export could not be made. Please try again.",
))
