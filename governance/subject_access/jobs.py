"""Daily flags of subject access, rectification and erasure requests: near (within a week) and over their
deadline, to whoever may handle requests. Set-based (``flags.sync``): a few statements whatever the numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.tasks import register_daily_job

from . import policy
from .models import Request, Status

NEAR = "subject_access.near_deadline"
OVERDUE = "subject_access.overdue"


def near_deadline(on: date) -> QuerySet[Request]:
    return Request.all_orgs.filter(
        status=Status.OPEN, due_on__gte=on, due_on__lte=on + timedelta(days=policy.NEAR_DEADLINE_DAYS)
    )


def overdue(on: date) -> QuerySet[Request]:
    return Request.all_orgs.filter(status=Status.OPEN, due_on__lt=on)


def handlers(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    rows = list(Request.all_orgs.filter(pk__in=ids).values_list("pk", "organisation_id"))
    people = policy.dangerously_handlers_of({org_id for _, org_id in rows})
    return sorted((pk, org_id, user_id) for pk, org_id in rows for user_id in people.get(org_id, ()))


def _url(row: dict) -> str:
    return reverse("subject_access:detail", args=[row["pk"]])


@register_daily_job("subject_access")
def flag_requests(on: date | None = None) -> dict[str, FlagResult]:
    on = on or timezone.localdate()
    return {
        NEAR: sync(
            kind=NEAR,
            needing=near_deadline(on),
            recipients=handlers,
            label_fields=("reference", "due_on"),
            title=lambda r: f"{r['reference']}: respond by {r['due_on']:%-d %B %Y}",
            url=_url,
        ),
        OVERDUE: sync(
            kind=OVERDUE,
            needing=overdue(on),
            recipients=handlers,
            label_fields=("reference", "due_on"),
            title=lambda r: f"{r['reference']}: the response was due on {r['due_on']:%-d %B %Y}",
            url=_url,
        ),
    }
