"""Navigation and home panels for referrals, the privacy queue and access requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel

from .models import AccessRequest, Outcome, PrivacyReview, Referral


def _privacy(request: HttpRequest) -> dict[str, Any]:
    from .selectors import privacy_queue

    qs = privacy_queue(request.org, request.membership)  # type: ignore[attr-defined]
    return {"pending_reviews": qs.filter(decision=PrivacyReview.Decision.PENDING).count()}


def _access(request: HttpRequest) -> dict[str, Any]:
    qs = AccessRequest.objects.for_org(request.org).filter(  # type: ignore[attr-defined]
        status=AccessRequest.Status.PENDING, case__is_colleague_allegation=False)
    return {"pending_requests": qs.count()}


def _my_referrals(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    qs = Referral.objects.for_org(request.org).filter(  # type: ignore[attr-defined]
        case__allocated_to=request.user).filter(
        Q(made_on__isnull=True) | Q(outcome=Outcome.AWAITING, response_due_by__lt=today))
    rows = list(qs.select_related("case").order_by("due_by", "pk")[:10])
    for r in rows:
        r.overdue = r.is_overdue(today)
        r.awaiting_too_long = r.response_overdue(today)
    return {"referral_rows": rows}


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
