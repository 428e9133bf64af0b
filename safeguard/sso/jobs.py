"""The nightly leavers check: members the organisation's provider no longer knows lose access.

OpenID Connect has no standard way to ask "does this person still exist?", so this runs only for
providers whose administrator configured a users endpoint (Microsoft Graph ``/users/{id}``, a SCIM
``/Users/{id}``, ...). The job signs in as the application (client-credentials grant) and asks about
each person who has signed in through the provider: 404, or an answer saying ``accountEnabled`` or
``active`` is false, deactivates the membership. Any other answer (an outage, 401, 429) changes
nothing: a provider that cannot be reached never locks people out.
"""

from __future__ import annotations

import logging

import requests

from safeguard.tenancy.tasks import register_daily_job

from . import actions, oidc
from .models import ExternalIdentity, IdentityProvider

log = logging.getLogger("safeguard.sso")


def _still_known(response: requests.Response) -> bool | None:
    """True/False when the provider answered clearly, None when it did not."""
    if response.status_code in (404, 410):
        return False
    if response.status_code != 200:
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return not (data.get("accountEnabled") is False or data.get("active") is False)


def check_provider(provider: IdentityProvider) -> int:
    token = oidc.directory_token(provider)
    deactivated = 0
    identities = (
        ExternalIdentity.objects.for_org(provider.organisation_id)
        .filter(membership__is_active=True)
        .select_related("membership__organisation")
    )
    for identity in identities:
        url = provider.users_endpoint.replace("{id}", requests.utils.quote(identity.directory_id, safe=""))
        try:
            response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=oidc.TIMEOUT)
        except requests.RequestException:
            log.warning(
                "sso leavers: provider of organisation %s unreachable; stopping", provider.organisation_id
            )
            break
        known = _still_known(response)
        if known is None:
            log.warning(
                "sso leavers: unclear answer %s from organisation %s's provider; stopping",
                response.status_code,
                provider.organisation_id,
            )
            break
        if not known:
            actions.do_deactivate_leaver(identity, reason=f"provider answered {response.status_code}")
            deactivated += 1
    return deactivated


@register_daily_job("sso.leavers")
def deactivate_leavers() -> int:
    total = 0
    providers = (
        IdentityProvider.all_orgs.filter(is_enabled=True, organisation__is_active=True)
        .exclude(users_endpoint="")
        .select_related("organisation")
    )
    for provider in providers:
        try:
            total += check_provider(provider)
        except oidc.OidcError as exc:
            log.warning("sso leavers: organisation %s: %s", provider.organisation_id, exc)
    return total
