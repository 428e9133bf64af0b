"""Navigation and home panels for referrals, the privacy queue and access requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.needs import LIMIT, NEW, OVERDUE, TODAY, Need, register_needs
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .models import AccessRequest, Outcome, PrivacyReview, Referral


def _privacy(request: OrgRequest) -> dict[str, Any]:
    from .selectors import privacy_queue

    qs = privacy_queue(request.org, request.membership)
    return {"pending_reviews": qs.filter(decision=PrivacyReview.Decision.PENDING).count()}


def _access(request: OrgRequest) -> dict[str, Any]:
    qs = AccessRequest.objects.for_org(request.org).filter(
        status=AccessRequest.Status.PENDING, case__is_colleague_allegation=False)
    return {"pending_requests": qs.count()}


def _my_referrals(request: OrgRequest) -> dict[str, Any]:
    today = timezone.localdate()
    qs = Referral.objects.for_org(request.org).filter(
        case__allocated_to=request.user).filter(
        Q(made_on__isnull=True) | Q(outcome=Outcome.AWAITING, response_due_by__lt=today))
    rows = list(qs.select_related("case").order_by("due_by", "pk")[:10])
    for r in rows:
        r.overdue = r.is_overdue(today)  # type: ignore[attr-defined]
        r.awaiting_too_long = r.response_overdue(today)  # type: ignore[attr-defined]
    return {"referral_rows": rows}


def _needs_referrals(request: OrgRequest) -> list[Need]:
    """Referrals to make by today (or late), and answers from agencies overdue, on the member's cases (one query)."""
    today = timezone.localdate()
    qs = Referral.objects.for_org(request.org).filter(case__allocated_to=request.user).filter(
        Q(made_on__isnull=True, due_by__lte=today) | Q(outcome=Outcome.AWAITING, response_due_by__lt=today))
    needs = []
    for r in qs.select_related("case").order_by("due_by", "pk")[:LIMIT]:
        url = reverse("referrals:referral", args=[r.pk])
        if r.made_on is None:
            needs.append(Need(OVERDUE if r.due_by < today else TODAY,
                              f"Make the referral to {r.agency_name or r.get_agency_display()} on case {r.case.reference}",
                              url, detail=f"to be made by {r.due_by:%-d %B}", due=r.due_by))
        else:
            needs.append(Need(OVERDUE, f"Chase the answer to the referral on case {r.case.reference}", url,
                              detail=f"answer was due {r.response_due_by:%-d %B}", due=r.response_due_by))
    return needs


def _needs_access(request: OrgRequest) -> list[Need]:
    qs = AccessRequest.objects.for_org(request.org).filter(
        status=AccessRequest.Status.PENDING, case__is_colleague_allegation=False).select_related("case")
    return [Need(NEW, f"Decide on a request to see restricted case {a.case.reference}",
                 reverse("referrals:access-request", args=[a.pk]), at=a.requested_at)
            for a in qs.order_by("requested_at")[:LIMIT]]


def _needs_privacy(request: OrgRequest) -> list[Need]:
    from .selectors import privacy_queue

    qs = privacy_queue(request.org, request.membership).filter(decision=PrivacyReview.Decision.PENDING)
    return [Need(NEW, f"Review the referral without consent on case {p.referral.case.reference}",
                 reverse("referrals:privacy-review", args=[p.pk]), at=p.created_at)
            for p in qs.order_by("created_at")[:LIMIT]]


register_needs(_needs_referrals, roles={Role.CASE_OFFICER, Role.CASE_MANAGER}, order=30,
               covers=("referral.alert_overdue", "referral.no_response"))
register_needs(_needs_access, roles={Role.SAFEGUARDING_MANAGER}, order=31, covers=("referral.access_request",))
register_needs(_needs_privacy, roles={Role.DATA_PRIVACY_MANAGER}, order=32, covers=("referral.privacy_review",))

register_nav("Referrals", "referrals:report",
             roles={Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DATA_PRIVACY_MANAGER}, order=40)
register_nav("Privacy reviews", "referrals:privacy-queue", roles={Role.DATA_PRIVACY_MANAGER}, order=41)
register_panel("referrals-privacy", "Referrals without consent", "referrals/_panel_privacy.html", _privacy,
               roles={Role.DATA_PRIVACY_MANAGER, Role.SAFEGUARDING_MANAGER}, order=30)
register_panel("referrals-access", "Requests to see restricted cases", "referrals/_panel_access.html", _access,
               roles={Role.SAFEGUARDING_MANAGER}, order=31)
register_panel("referrals-mine", "Referrals to make or chase", "referrals/_panel_mine.html", _my_referrals,
               roles={Role.CASE_OFFICER}, order=32)


def _register_case_section() -> None:
    from cases.sections import register_section

    # The template computes its own context from ``case`` (see referrals_tags.referrals_case_section).
    register_section("referrals", "Referrals, consent and risk", "referrals/_case_section.html",
                     lambda request, case: {}, order=40)


_register_case_section()
