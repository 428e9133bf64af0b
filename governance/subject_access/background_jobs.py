"""The subject access pack: a PDF made in the background, with progress; only request handlers see it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from safeguard.background.kinds import JobKind, register_kind
from safeguard.background.models import BackgroundJob

from . import policy
from .actions import PACK
from .pack import run_pack


def _visible(request: HttpRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    return jobs if policy.may_handle_requests(getattr(request, "membership", None)) else jobs.none()


register_kind(
    JobKind(
        name=PACK,
        run=run_pack,
        title=lambda job: f"Subject access pack {job.file_name.removesuffix('.pdf')}",
        result_template="subject_access/_pack_result.html",
        back=lambda job: (
            reverse("subject_access:detail", args=[job.params["request_id"]]),
            "Back to the request",
        ),
        visible=_visible,
        step_labels={"": "Making the pack"},
        unit="records",
        failure_message="The pack could not be made. Please try again.",
    )
)
