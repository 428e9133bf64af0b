"""The privacy app's URLs (issue 14): the Data Privacy Manager's only (and their delegates', who hold no role
of their own and are tested in tests/privacy). Everyone else gets the 403 that names the role."""

from __future__ import annotations

from safeguard.tenancy.roles import Role

from . import UrlCase

DPM = frozenset({Role.DATA_PRIVACY_MANAGER})


def _rule(w):
    from governance.privacy.actions import ensure_schedule

    return {"pk": ensure_schedule(w.org)[0].pk}


def _hold(w):
    from governance.privacy.models import LegalHold

    hold = LegalHold.objects.create(
        organisation=w.org,
        scope="organisation",
        reason="Public inquiry",
        placed_by=w.members[Role.DATA_PRIVACY_MANAGER],
    )
    return {"pk": hold.pk}


def _delegate(w):
    from governance.privacy.models import Delegate

    delegate = Delegate.objects.create(
        organisation=w.org, user=w.members[Role.HR_LD], named_by=w.members[Role.DATA_PRIVACY_MANAGER]
    )
    return {"pk": delegate.pk}


CASES = [
    UrlCase("privacy:home", allowed=DPM),
    UrlCase("privacy:schedule", allowed=DPM),
    UrlCase("privacy:rule-edit", allowed=DPM, prepare=_rule, object_of_org=True),
    UrlCase("privacy:queue", allowed=DPM),
    UrlCase("privacy:kept", allowed=DPM),
    UrlCase("privacy:destroyed", allowed=DPM),
    UrlCase("privacy:holds", allowed=DPM),
    UrlCase("privacy:hold-add", allowed=DPM),
    UrlCase("privacy:hold", allowed=DPM, prepare=_hold, object_of_org=True),
    UrlCase("privacy:delegates", allowed=DPM),
    UrlCase("privacy:delegate-remove", allowed=DPM, prepare=_delegate, method="post", object_of_org=True),
]
