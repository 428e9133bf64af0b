"""Daily flag: open cases with no action within their 7 (safeguarding) or 14 (WoW) days.

A case's ``next_action_due`` is set when it is reported and moves with every action recorded,
so "no action in time" is one set-based filter. The officer and the managers of the case
(``cases.policy.audience``) are told once per flag (``flags.sync`` deduplicates); the flag clears
when an action is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.tasks import register_daily_job

from .models import Case, CaseStatus
from .policy.audience import dangerously_told_of_flags

NO_ACTION = "case.no_action"


def needing_action(today: date | None = None) -> QuerySet[Case]:
    """Open cases, across every organisation, whose next action was due before today."""
    today = today or timezone.localdate()
    return Case.all_orgs.filter(status__in=[CaseStatus.REPORTED, CaseStatus.ALLOCATED], next_action_due__lt=today)


def case_recipients(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    return dangerously_told_of_flags(ids)


@register_daily_job("cases.no_action")
def flag_cases_without_action(today: date | None = None) -> FlagResult:
    return sync(
        kind=NO_ACTION,
        needing=needing_action(today),
        recipients=case_recipients,
        title=lambda r: f"Case {r['reference']}: its next action is overdue: record an action or a reason",
        url=lambda r: reverse("cases:detail", args=[r["pk"]]),
        label_fields=("reference",),
    )
