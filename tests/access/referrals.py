"""Referrals, consent, DASH, the privacy queue and access requests in the access matrix.

The test case is a wellbeing (WoW) case allocated to the case officer: the case
officer, the case manager (all areas) and the Safeguarding Manager see and work
it; to everyone else it does not exist (404).
"""

from __future__ import annotations

from django.utils import timezone

from safeguard.tenancy.roles import Role

from . import UrlCase

WORKERS = frozenset({Role.CASE_OFFICER, Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER})
PRIVACY = frozenset({Role.DATA_PRIVACY_MANAGER, Role.SAFEGUARDING_MANAGER})
REPORT = frozenset({Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DATA_PRIVACY_MANAGER})
SM = frozenset({Role.SAFEGUARDING_MANAGER})


def _case(w):
    from tests.referrals.helpers import make_case

    return {"case_pk": make_case(w).pk}


def _referral(w, made: bool = False):
    from tests.referrals.helpers import make_case, make_referral

    today = timezone.localdate()
    return make_referral(w, make_case(w), decided_on=today, made_on=today if made else None)


def _referral_pk(w):
    return {"pk": _referral(w).pk}


def _made_referral_pk(w):
    return {"pk": _referral(w, made=True).pk}


def _review_pk(w):
    return {"pk": _referral(w).privacy_review.pk}


def _restricted_match(w):
    """Case A (the case officer's) and case B about the same person, held by the case manager."""
    from cases.actions import do_allocate
    from tests.referrals.helpers import make_case

    mine = make_case(w)
    other = make_case(w, allocate=False)
    do_allocate(other, officer=w.members[Role.CASE_MANAGER], concern_type=other.concern_type,
                version=other.version, acting_user=w.members[Role.SAFEGUARDING_MANAGER])
    return {"case_pk": mine.pk, "other_pk": other.pk}


def _access_request_pk(w):
    from cases.models import Case
    from cases.referrals.actions import do_request_access

    ids = _restricted_match(w)
    target = Case.objects.for_org(w.org).get(pk=ids["other_pk"])
    source = Case.objects.for_org(w.org).get(pk=ids["case_pk"])
    request = do_request_access(target, from_case=source, reason="Same person as my case.",
                                acting_user=w.members[Role.CASE_OFFICER])
    return {"pk": request.pk}


def _made_data(w, kw):
    return {"made-version": 1, "made-made_on": timezone.localdate().isoformat()}


def _outcome_data(w, kw):
    return {"outcome-version": 1, "outcome-outcome": "no_response"}


CASES = [
    UrlCase("referrals:case", allowed=WORKERS, prepare=_case, denied=404, object_of_org=True),
    UrlCase("referrals:referral-new", allowed=WORKERS, prepare=_case, denied=404, object_of_org=True),
    UrlCase("referrals:consent-new", allowed=WORKERS, prepare=_case, denied=404, object_of_org=True),
    UrlCase("referrals:dash-new", allowed=WORKERS, prepare=_case, denied=404, object_of_org=True),
    UrlCase("referrals:request-access", allowed=frozenset({Role.CASE_OFFICER}), prepare=_restricted_match,
            denied=404, object_of_org=True),
    UrlCase("referrals:referral", allowed=WORKERS, prepare=_referral_pk, denied=404, object_of_org=True),
    UrlCase("referrals:referral-made", allowed=WORKERS, prepare=_referral_pk, method="post", data=_made_data,
            denied=404, object_of_org=True),
    UrlCase("referrals:referral-outcome", allowed=WORKERS, prepare=_made_referral_pk, method="post",
            data=_outcome_data, denied=404, object_of_org=True),
    UrlCase("referrals:report", allowed=REPORT),
    UrlCase("referrals:privacy-queue", allowed=PRIVACY),
    UrlCase("referrals:privacy-decisions", allowed=PRIVACY),
    UrlCase("referrals:privacy-review", allowed=PRIVACY, prepare=_review_pk, object_of_org=True),
    UrlCase("referrals:access-requests", allowed=SM),
    UrlCase("referrals:access-request", allowed=SM, prepare=_access_request_pk, object_of_org=True),
]
