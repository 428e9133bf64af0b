"""Daily flags on referrals, in sets in SQL, idempotent (see ``safeguard.tenancy.flags``).

* ``referral.alert_overdue``: the decision to refer was made, the referral was not
  made by its due date (the org's working-day deadline, bank holidays excluded).
* ``referral.no_response``: made, but no outcome after the org's
  ``referral_response_days``.

Whoever is told of a flag on the case (``cases.policy.audience``: the officer and
the managers, the People and Culture Director for an allegation against a colleague)
is told once; a flag clears when the referral is made or its outcome recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from cases.policy.audience import dangerously_told_of_flags
from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.tasks import register_daily_job

from .models import Outcome, Referral

ALERT_OVERDUE = "referral.alert_overdue"
NO_RESPONSE = "referral.no_response"


def alerts_overdue(today: date) -> QuerySet[Referral]:
    return Referral.all_orgs.filter(made_on__isnull=True, due_by__lt=today).exclude(case__status=CaseStatus.CLOSED)


def responses_overdue(today: date) -> QuerySet[Referral]:
    return Referral.all_orgs.filter(made_on__isnull=False, outcome=Outcome.AWAITING,
                                    response_due_by__lt=today).exclude(case__status=CaseStatus.CLOSED)


def referral_recipients(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    """(referral id, organisation id, user id): whoever is told of a flag on the referral's case
    (``cases.policy.audience``: its officer and managers, the director for an allegation)."""
    case_of = dict(Referral.all_orgs.filter(pk__in=ids).values_list("pk", "case_id"))
    told = dangerously_told_of_flags(set(case_of.values()))
    by_case: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for case_id, org_id, user_id in told:
        by_case[case_id].append((org_id, user_id))
    return sorted({(pk, org_id, user_id) for pk, case_id in case_of.items() for org_id, user_id in by_case[case_id]})


def _url(row: dict[str, Any]) -> str:
    return reverse("referrals:referral", args=[row["pk"]])


@register_daily_job("referrals.alert_overdue")
def flag_alerts_overdue(today: date | None = None) -> FlagResult:
    return sync(kind=ALERT_OVERDUE, needing=alerts_overdue(today or timezone.localdate()),
                recipients=referral_recipients, label_fields=("case__reference",), url=_url,
                title=lambda r: f"Case {r['case__reference']}: a referral was not made by its deadline")


@register_daily_job("referrals.no_response")
def flag_no_response(today: date | None = None) -> FlagResult:
    return sync(kind=NO_RESPONSE, needing=responses_overdue(today or timezone.localdate()),
                recipients=referral_recipients, label_fields=("case__reference",), url=_url,
                title=lambda r: f"Case {r['case__reference']}: no response to a referral yet")
