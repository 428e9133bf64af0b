"""Daily flags of governance records, each a few SQL statements whatever the numbers (``flags.sync``).

Each person is told once when a flag is raised; a flag clears itself when the record no longer needs it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.models import RoleAssignment
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import register_daily_job

from .models import (
    LIVE_POLICY_STATUSES,
    ActionStatus,
    Complaint,
    FollowUpAction,
    Group,
    NearMiss,
    PlanAction,
    Policy,
    ReviewRecommendation,
    Supplier,
)

Recipients = Callable[[list[int]], Iterable[tuple[int, int, int]]]
RESPONSE_WARNING_DAYS = 7
SUPPLIER_WARNING_DAYS = 30


def _keepers(org_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for org_id, user_id in RoleAssignment.all_orgs.filter(
        role=Role.SAFEGUARDING_MANAGER, membership__is_active=True, organisation_id__in=org_ids,
    ).values_list("organisation_id", "membership__user_id"):
        found[org_id].add(user_id)
    return found


def people(model: Any, *fields: str, keepers: bool = True) -> Recipients:
    """The people named in ``fields`` (user ids) and, if ``keepers``, every Safeguarding Manager: two queries."""

    def find(ids: list[int]) -> Iterable[tuple[int, int, int]]:
        rows = list(model.all_orgs.filter(pk__in=ids).values_list("pk", "organisation_id", *fields))
        sms = _keepers({r[1] for r in rows}) if keepers else {}
        out = set()
        for pk, org_id, *named in rows:
            for user_id in {*named, *sms.get(org_id, set())} - {None}:
                out.add((pk, org_id, user_id))
        return sorted(out)

    return find


def policies_due(on: date, start: int, end: int) -> QuerySet[Policy]:
    """Policies in force whose review date is ``start`` to ``end`` days away (inclusive of ``end``)."""
    return Policy.all_orgs.filter(status__in=LIVE_POLICY_STATUSES, review_on__gt=on + timedelta(days=start),
                                  review_on__lte=on + timedelta(days=end))


def policies_out_of_date(on: date) -> QuerySet[Policy]:
    return Policy.all_orgs.out_of_date(on)


def actions_overdue(on: date) -> QuerySet[FollowUpAction]:
    return FollowUpAction.all_orgs.filter(status=ActionStatus.OPEN, due_on__lt=on)


def recommendations_overdue(on: date) -> QuerySet[ReviewRecommendation]:
    return ReviewRecommendation.all_orgs.filter(status=ActionStatus.OPEN, due_on__lt=on)


def plan_actions_overdue(on: date) -> QuerySet[PlanAction]:
    return PlanAction.all_orgs.exclude(status=PlanAction.Status.DONE).filter(target_on__lt=on)


def groups_not_met(on: date) -> QuerySet[Group]:
    """Active groups whose last meeting held (or, before any, their start) is longer ago than their frequency."""
    qs = Group.all_orgs.filter(is_active=True).annotate(
        last=Coalesce(Max("meetings__held_on", filter=Q(meetings__status="held")), TruncDate("created_at")))
    # One comparison per frequency: a fixed handful of conditions, whatever the number of groups.
    cond = Q(pk__in=[])
    for months in sorted(set(Group.all_orgs.values_list("frequency_months", flat=True).order_by())):
        cond |= Q(frequency_months=months, last__lt=on - relativedelta(months=months))
    return qs.filter(cond)


def responses_due(model: Any, on: date) -> QuerySet[Any]:
    return model.all_orgs.filter(status="open", responded_on__isnull=True,
                                 response_due_on__lte=on + timedelta(days=RESPONSE_WARNING_DAYS))


def suppliers_due(on: date) -> QuerySet[Supplier]:
    return Supplier.all_orgs.filter(is_active=True).filter(
        Q(review_on__lte=on + timedelta(days=SUPPLIER_WARNING_DAYS)) | Q(review_on__isnull=True)
        | Q(policy_basis=Supplier.PolicyBasis.UNKNOWN) | Q(contract_has_clause=False))


ACTION_PAGES = {"audit": "governance:audit-actions-detail", "case_review": "governance:review-actions-detail",
                "meeting": "governance:meeting-actions-detail"}


def _url(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: reverse(name, args=[r["pk"]])


@register_daily_job("governance")
def flag_governance(on: date | None = None) -> dict[str, FlagResult]:
    on = on or timezone.localdate()
    owner = people(Policy, "owner_id")
    results = {
        "governance.policy_review_60": sync(
            kind="governance.policy_review_60", needing=policies_due(on, 30, 60), recipients=owner,
            title=lambda r: f"Policy review due within 60 days: {r['title']}", url=_url("governance:policies-detail"),
            label_fields=("title",)),
        "governance.policy_review_30": sync(
            kind="governance.policy_review_30", needing=policies_due(on, -1, 30), recipients=owner,
            title=lambda r: f"Policy review due within 30 days: {r['title']}", url=_url("governance:policies-detail"),
            label_fields=("title",)),
        "governance.policy_out_of_date": sync(
            kind="governance.policy_out_of_date", needing=policies_out_of_date(on), recipients=owner,
            title=lambda r: f"Policy out of date: {r['title']}", url=_url("governance:policies-detail"),
            label_fields=("title",)),
        "governance.action_overdue": sync(
            kind="governance.action_overdue", needing=actions_overdue(on),
            recipients=people(FollowUpAction, "owner_id", keepers=False),
            title=lambda r: f"Governance action overdue since {r['due_on']:%d %b %Y}",
            url=lambda r: reverse(ACTION_PAGES[r["source"]], args=[r["pk"]]), label_fields=("due_on", "source")),
        "governance.recommendation_overdue": sync(
            kind="governance.recommendation_overdue", needing=recommendations_overdue(on),
            recipients=people(ReviewRecommendation, "owner_id"),
            title=lambda r: f"Case review recommendation overdue since {r['due_on']:%d %b %Y}",
            url=_url("governance:recommendations-detail"), label_fields=("due_on",)),
        "governance.plan_action_overdue": sync(
            kind="governance.plan_action_overdue", needing=plan_actions_overdue(on),
            recipients=people(PlanAction, "leads__id"),
            title=lambda r: f"Work plan action overdue since {r['target_on']:%d %b %Y}",
            url=_url("governance:plan-actions-detail"), label_fields=("target_on",)),
        "governance.group_not_met": sync(
            kind="governance.group_not_met", needing=groups_not_met(on),
            recipients=people(Group, keepers=True),
            title=lambda r: f"{r['name']} has not met as often as its terms of reference say",
            url=_url("governance:groups-detail"), label_fields=("name",)),
        "governance.complaint_response_due": sync(
            kind="governance.complaint_response_due", needing=responses_due(Complaint, on),
            recipients=people(Complaint, "owner_id"),
            title=lambda r: f"Safeguarding complaint: response due {r['response_due_on']:%d %b %Y}",
            url=_url("governance:complaints-detail"), label_fields=("response_due_on",)),
        "governance.near_miss_response_due": sync(
            kind="governance.near_miss_response_due", needing=responses_due(NearMiss, on),
            recipients=people(NearMiss, "owner_id"),
            title=lambda r: f"Near miss: response due {r['response_due_on']:%d %b %Y}",
            url=_url("governance:near-misses-detail"), label_fields=("response_due_on",)),
        "governance.supplier_confirmation_due": sync(
            kind="governance.supplier_confirmation_due", needing=suppliers_due(on),
            recipients=people(Supplier, "owner_id"),
            title=lambda r: f"Supplier safeguarding confirmation due: {r['name']}",
            url=_url("governance:suppliers-detail"), label_fields=("name",)),
    }
    return results


