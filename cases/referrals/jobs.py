"""Daily flags on referrals, in sets in SQL, idempotent (see ``safeguard.tenancy.flags``).

* ``referral.alert_overdue``: the decision to refer was made, the referral was not
  made by its due date (the org's working-day deadline, bank holidays excluded).
* ``referral.no_response``: made, but no outcome after the org's
  ``referral_response_days``.

The allocated officer (or whoever recorded the referral) and the case managers
covering the case's area and department are told once; a flag clears when the
referral is made or its outcome recorded.
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
from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.models import RoleAssignment
from safeguard.tenancy.roles import Grant, Role
from safeguard.tenancy.tasks import register_daily_job

from .models import Outcome, Referral

ALERT_OVERDUE = "referral.alert_overdue"
NO_RESPONSE = "referral.no_response"


def alerts_overdue(today: date) -> QuerySet[Referral]:
    return Referral.all_orgs.filter(made_on__isnull=True, due_by__lt=today).exclude(case__status=CaseStatus.CLOSED)


def responses_overdue(today: date) -> QuerySet[Referral]:
    return Referral.all_orgs.filter(made_on__isnull=False, outcome=Outcome.AWAITING,
                                    response_due_by__lt=today).exclude(case__status=CaseStatus.CLOSED)


def _manager_grants(org_ids: set[int]) -> dict[int, list[tuple[int, Grant]]]:
    """Organisation id -> (user id, case manager grant) for active case managers; three queries."""
    result: dict[int, list[tuple[int, Grant]]] = defaultdict(list)
    assignments = RoleAssignment.all_orgs.filter(
        organisation_id__in=org_ids, role=Role.CASE_MANAGER, membership__is_active=True,
    ).select_related("membership").prefetch_related("areas", "departments")
    for ra in assignments:
        grant = Grant(ra.role, frozenset(a.pk for a in ra.areas.all()) or None,
                      frozenset(d.pk for d in ra.departments.all()) or None)
        result[ra.organisation_id].append((ra.membership.user_id, grant))
    return result


def referral_recipients(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    """(referral id, organisation id, user id) for the officer and the covering case managers."""
    rows = list(Referral.all_orgs.filter(pk__in=ids).values_list(
        "pk", "organisation_id", "case__allocated_to_id", "recorded_by_id", "case__area_id", "case__department_id"))
    managers = _manager_grants({r[1] for r in rows})
    out: set[tuple[int, int, int]] = set()
    for pk, org_id, officer_id, recorder_id, area_id, dept_id in rows:
        out.add((pk, org_id, officer_id or recorder_id))
        for user_id, grant in managers.get(org_id, []):
            if grant.covers(area_id=area_id, department_id=dept_id):
                out.add((pk, org_id, user_id))
    return sorted(out)


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
