"""The destruction job: the records the Data Privacy Manager decided to destroy, one transaction each, with
progress (a batch can be hundreds of cases)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from safeguard.background.kinds import JobKind, register_kind
from safeguard.background.models import BackgroundJob

from .actions import DESTROY_KIND


def _run(job: BackgroundJob, progress) -> None:
    from .actions import destroy_item
    from .models import ReviewItem

    items = list(
        ReviewItem.objects.for_org(job.organisation_id)
        .filter(pk__in=job.params.get("item_ids", []))
        .select_related("rule")
        .order_by("pk")
    )
    progress(0, len(items))
    destroyed: list[str] = []
    held: list[str] = []
    for n, item in enumerate(items, start=1):
        tombstone = destroy_item(job.organisation, item)
        (destroyed if tombstone is not None else held).append(item.reference)
        progress(n)
    job.result = {"destroyed": destroyed, "not_destroyed": held}


def _visible(request: HttpRequest, jobs: QuerySet[BackgroundJob]) -> QuerySet[BackgroundJob]:
    from .policy import may_handle_privacy

    if not may_handle_privacy(getattr(request, "membership", None)):
        return jobs.none()
    return jobs.filter(kind=DESTROY_KIND)


register_kind(
    JobKind(
        name=DESTROY_KIND,
        run=_run,
        title=lambda job: job.params.get("title", "Destroying records"),
        result_template="privacy/_destroy_result.html",
        back=lambda job: (reverse("privacy:queue"), "Back to the destruction review"),
        visible=_visible,
        unit="records",
        step_labels={"": "Destroying"},
        failure_message="The records could not all be destroyed. Those not destroyed are still in the queue: try again.",
    )
)
