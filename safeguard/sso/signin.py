"""The sign-in rules single sign-on adds, written once (the middleware and the views call them).

* A session signed in through an organisation's provider reaches that organisation only: its provider
  vouched for the person there, not elsewhere (``SSO_SESSION_KEY`` holds the organisation and whether
  the provider's multi-factor sign-in counts as two-factor there).
* A session signed in with a password reaches only organisations that allow password sign-in.
* A person none of whose organisations allows password sign-in cannot sign in with a password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist

if TYPE_CHECKING:
    from safeguard.tenancy.models import Membership, Organisation, User

    from .models import IdentityProvider

SSO_SESSION_KEY = "safeguard_sso"
FLOW_SESSION_KEY = "safeguard_sso_flows"


def provider_of(org: Organisation) -> IdentityProvider | None:
    """The organisation's switched-on provider (read through the select_related of its memberships)."""
    try:
        provider = org.identity_provider
    except ObjectDoesNotExist:
        return None
    return provider if provider.is_enabled else None


def password_allowed(org: Organisation) -> bool:
    provider = provider_of(org)
    return provider is None or not provider.password_signin_off


def reachable(session: Any, memberships: list[Membership]) -> list[Membership]:
    """The memberships this session may work in (see the module's rules)."""
    signed_in = session.get(SSO_SESSION_KEY)
    if isinstance(signed_in, dict):
        return [m for m in memberships if m.organisation_id == signed_in.get("org")]
    return [m for m in memberships if password_allowed(m.organisation)]


def provider_mfa_counts(session: Any, org: Organisation) -> bool:
    """The provider's multi-factor sign-in stands for the second factor, in that organisation only."""
    signed_in = session.get(SSO_SESSION_KEY)
    return isinstance(signed_in, dict) and signed_in.get("org") == org.pk and signed_in.get("mfa") is True


def sso_only_providers(user: User) -> list[IdentityProvider] | None:
    """The providers to point to when none of the person's organisations allows a password (else None)."""
    from safeguard.tenancy.middleware import active_memberships

    memberships = active_memberships(user)
    if not memberships or any(password_allowed(m.organisation) for m in memberships):
        return None
    return [p for p in (provider_of(m.organisation) for m in memberships) if p is not None]
