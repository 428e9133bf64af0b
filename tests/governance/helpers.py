"""Governance test data, made through the app's own actions where there is one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from governance import models as m
from governance.actions.audits import do_start_round
from governance.actions.policies import do_save_policy
from safeguard.tenancy.roles import Role
from tests.factories import World


def sm(w: World) -> Any:
    return w.members[Role.SAFEGUARDING_MANAGER]


def make_policy(w: World, title: str = "Hoarding policy", **values: Any) -> m.Policy:
    existing = m.Policy.objects.for_org(w.org).filter(title=title).first()
    if existing:
        return existing
    data = {"title": title, "kind": m.PolicyKind.HOARDING, "owner": None, "review_on": date(2030, 1, 1),
            "status": m.PolicyStatus.APPROVED, **values}
    return do_save_policy(w.org, data, acting_user=sm(w))


def _get_or_make(model: Any, w: World, lookup: dict[str, Any], **values: Any) -> Any:
    obj = model.objects.for_org(w.org).filter(**lookup).first()
    if obj is None:
        obj = model(organisation=w.org, **lookup, **values)
        obj.save()
    return obj


def make_review(w: World) -> m.CaseReview:
    return _get_or_make(m.CaseReview, w, {"title": "Adult T"}, kind="sar", local_authority="Fernshire",
                        notified_on=date(2026, 9, 1))


def make_recommendation(w: World) -> m.ReviewRecommendation:
    return _get_or_make(m.ReviewRecommendation, w, {"review": make_review(w), "text": "Share risk earlier"})


def make_group(w: World) -> m.Group:
    return _get_or_make(m.Group, w, {"name": "Safeguarding Panel"}, terms_of_reference="Oversight.", quorum=3)


def make_meeting(w: World) -> m.Meeting:
    return _get_or_make(m.Meeting, w, {"group": make_group(w), "held_on": date(2026, 10, 1)}, status="held",
                        minutes="Met.")


def make_action(w: World, **lookup: Any) -> m.FollowUpAction:
    defaults = {"title": "Update the procedure", "owner": sm(w), "due_on": date(2026, 12, 1)}
    return _get_or_make(m.FollowUpAction, w, {**lookup, "title": defaults.pop("title")}, **defaults)


def make_outcome(w: World) -> m.Outcome:
    return _get_or_make(m.Outcome, w, {"title": "Everyone knows how to raise a concern"})


def make_plan_action(w: World) -> m.PlanAction:
    return _get_or_make(m.PlanAction, w, {"outcome": make_outcome(w), "title": "Run briefings"},
                        target_on=date(2027, 3, 31))


def make_supplier(w: World) -> m.Supplier:
    return _get_or_make(m.Supplier, w, {"name": "Brightside Repairs"}, services="Repairs")


def make_round(w: World, cases: int = 0) -> m.AuditRound:
    from tests.registers.helpers import make_case

    rnd = m.AuditRound.objects.for_org(w.org).first()
    if rnd:
        return rnd
    for _ in range(max(cases, 1)):
        make_case(w)
    today = timezone.localdate()
    membership = w.membership(Role.SAFEGUARDING_MANAGER)
    return do_start_round(w.org, membership, areas=[w.area, w.second_area], period_start=today - timedelta(days=60),
                          period_end=today, sample_size=100, sample_is_percent=True, seed=7, acting_user=sm(w))
