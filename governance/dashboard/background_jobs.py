"""The board's kind of background job: a report made on demand (scheduled ones run in the beat task)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from safeguard.background.kinds import JobKind, register_kind
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import JobFailed
from safeguard.tenancy.access import OrgRequest

REPORT = "board.report"


def _run(job: BackgroundJob, progress) -> None:
    from governance.reports.make import make

    from .models import BoardReport

    report = BoardReport.objects.for_org(job.organisation_id).select_related("organisation", "area").filter(
        pk=job.params["report_id"]).first()
    if report is None:
        raise JobFailed("The report no longer exists.")
    make(report, progress)
    job.result = {"report_id": report.pk}


def _visible(request: OrgRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    return jobs.filter(kind=REPORT, requested_by=request.user)


register_kind(JobKind(
    name=REPORT, run=_run, title=lambda job: job.params.get("title", "Report"),
    result_template="governance/dashboard/_report_result.html",
    back=lambda job: (reverse("board:reports"), "Back to the reports"), visible=_visible, unit="sections",
    step_labels={"": "Being made"}, failure_message="The report could not be made. Please try again.",
))
