"""Governance's kind of background job: importing policies, the work plan and suppliers (issue 9, item 10),
on the shared import machinery (``safeguard.background.imports``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from safeguard.background.imports import preview_context
from safeguard.background.kinds import JobKind, register_kind
from safeguard.background.models import BackgroundJob
from safeguard.tenancy.access import OrgRequest

from .access import is_keeper
from .imports import IMPORTABLE, run_step

IMPORT = "governance.import"


def _visible(request: OrgRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    """Imports are shared by the people who keep the records (the Safeguarding Manager)."""
    return jobs if is_keeper(getattr(request, "membership", None)) else jobs.none()


def _slug(job: BackgroundJob) -> str:
    slug = str(job.params.get("kind", ""))
    return slug if slug in IMPORTABLE else "policies"


def _context(request: OrgRequest, job: BackgroundJob) -> dict[str, Any]:
    from .kinds import KINDS

    slug = _slug(job)
    again = reverse("governance:import", args=[slug])
    return {
        **preview_context(job), "caption": KINDS[slug].plural,
        "failure_link": (again, "Upload a corrected file"), "again_url": again,
        "confirm_url": reverse("governance:import-confirm", args=[job.pk]),
        "done_links": [(reverse(f"governance:{slug}"), f"See {KINDS[slug].plural.lower()}"),
                       (again, "Import another file")],
    }


register_kind(JobKind(
    name=IMPORT, run=run_step, title=lambda job: f"Import of {job.file_name}",
    result_template="background/_import_result.html",
    back=lambda job: (reverse(f"governance:{_slug(job)}"), "Back to the list"),
    visible=_visible, context=_context,
    step_labels={"check": "Checking the file", "import": "Importing"},
    failure_message="Something went wrong, so nothing was imported. Please try again.",
))
