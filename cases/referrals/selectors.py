"""Read-side queries for the pages: each a fixed number of queries whatever the data size."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from cases.models import Case
from cases.policy.visibility import can_write, visible_cases
from safeguard.tenancy.models import Area, Membership, Organisation

from .actions import latest_consents
from .matching import other_cases
from .models import Agency, Outcome, PrivacyReview, Referral
from .policy.marac import prompts_shown


def case_context(case: Case, membership: Membership) -> dict[str, Any]:
    """Everything the case's "referrals, consent and risk" section shows."""
    people = list(case.people.all())
    referrals = list(case.referrals.select_related("person", "privacy_review", "recorded_by")
                     .order_by("-decided_on", "-pk"))
    prompts = list(case.marac_prompts.all())
    latest = latest_consents(case)
    others = other_cases(case, people, membership)
    today = timezone.localdate()
    for referral in referrals:
        referral.overdue = referral.is_overdue(today)  # type: ignore[attr-defined]
        referral.awaiting_too_long = referral.response_overdue(today)  # type: ignore[attr-defined]
    return {
        "case": case,
        "people": people,
        "consent_rows": [(p, latest.get(p.pk)) for p in people],
        "consent_history": list(case.consents.select_related("person", "recorded_by")),
        "referrals": referrals,
        "dash_assessments": list(case.dash_assessments.select_related("person", "recorded_by")),
        "marac_prompts": prompts_shown(prompts, referrals),
        "other_cases": others,
        "restricted_count": sum(not o.visible for o in others),
        "can_write": can_write(case, membership),
    }


def visible_referrals(org: Organisation, membership: Membership) -> QuerySet[Referral]:
    return Referral.objects.for_org(org).filter(case__in=visible_cases(org, membership).values("pk"))


def outcomes_by_authority(org: Organisation, period: Any = None) -> list[dict[str, Any]]:
    """Referral counts, outcomes and average response time by agency and area (whg 4.7); one query.

    ``period`` (a ``PeriodForm``) limits it to decisions made in a period."""
    response = ExpressionWrapper(F("response_on") - F("made_on"), output_field=DurationField())
    today = timezone.localdate()
    qs = Referral.objects.for_org(org)
    if period is not None:
        qs = period.filter(qs)
    # Grouped by the area's id and named here: joining the areas into the grouping makes PostgreSQL
    # misjudge the rows (docs/ENGINEERING.md, "Pages at a million cases").
    rows = (
        qs.values("agency", "case__area").annotate(
            total=Count("pk"),
            made=Count("pk", filter=Q(made_on__isnull=False)),
            made_late=Count("pk", filter=Q(made_on__gt=F("due_by"))),
            accepted=Count("pk", filter=Q(outcome=Outcome.ACCEPTED)),
            declined=Count("pk", filter=Q(outcome=Outcome.DECLINED)),
            no_response=Count("pk", filter=Q(outcome=Outcome.NO_RESPONSE)),
            awaiting=Count("pk", filter=Q(outcome=Outcome.AWAITING, made_on__isnull=False)),
            overdue_response=Count("pk", filter=Q(outcome=Outcome.AWAITING, response_due_by__lt=today)),
            avg_response=Avg(response, filter=Q(response_on__isnull=False, made_on__isnull=False)),
        ).order_by()
    )
    labels = dict(Agency.choices)
    areas = dict(Area.objects.for_org(org).values_list("pk", "name"))
    result = []
    for row in sorted(cast("list[dict[str, Any]]", list(rows)), key=lambda r: (r["agency"], areas.get(r["case__area"], ""))):
        row["case__area__name"] = areas.get(row.pop("case__area"), "")
        avg = row["avg_response"]
        row["agency_label"] = labels.get(row["agency"], row["agency"])
        row["avg_response_days"] = round(avg.total_seconds() / 86400, 1) if avg is not None else None
        result.append(row)
    return result


def privacy_queue(org: Organisation, membership: Membership) -> QuerySet[PrivacyReview]:
    qs = PrivacyReview.objects.for_org(org).select_related(
        "referral__case", "referral__recorded_by", "referral__person", "decided_by")
    from safeguard.tenancy.roles import Role

    if not membership.has_role(Role.DATA_PRIVACY_MANAGER):
        # The Safeguarding Manager does not see allegations against a colleague.
        qs = qs.filter(referral__case__is_colleague_allegation=False)
    return qs


def privacy_decision_counts(org: Organisation, membership: Membership, period: Any = None) -> dict[str, int]:
    """Referrals without consent found appropriate or not (in the period, if given), and how many wait; one query."""
    decided = Q()
    if period is not None and period.is_valid():
        if period.cleaned_data.get("start"):
            decided &= Q(decided_at__date__gte=period.cleaned_data["start"])
        if period.cleaned_data.get("end"):
            decided &= Q(decided_at__date__lte=period.cleaned_data["end"])
    return privacy_queue(org, membership).aggregate(
        appropriate=Count("pk", filter=decided & Q(decision=PrivacyReview.Decision.APPROPRIATE)),
        not_appropriate=Count("pk", filter=decided & Q(decision=PrivacyReview.Decision.NOT_APPROPRIATE)),
        pending=Count("pk", filter=Q(decision=PrivacyReview.Decision.PENDING)),
    )
