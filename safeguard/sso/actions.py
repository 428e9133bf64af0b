"""Changes to an organisation's single sign-on, each atomic, with history and audit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Membership, Organisation, User

from .models import ExternalIdentity, IdentityProvider

EDITABLE = [
    "is_enabled",
    "issuer",
    "client_id",
    "allowed_domains",
    "button_label",
    "password_signin_off",
    "accept_provider_mfa",
    "accepted_acr_values",
    "users_endpoint",
    "users_endpoint_scope",
]


@transaction.atomic
def do_save_provider(
    org: Organisation,
    data: dict[str, Any],
    *,
    client_secret: str,
    expected_version: int | None,
    acting_user: User,
) -> IdentityProvider:
    """Create or change the provider; a blank ``client_secret`` keeps the saved one."""
    existing = IdentityProvider.objects.for_org(org).first()
    if existing is None:
        provider = IdentityProvider(organisation=org)
    else:
        provider = lock_for_edit(IdentityProvider.objects.for_org(org), existing.pk, expected_version)
        provider.version += 1
    changed = [k for k in EDITABLE if k in data and getattr(provider, k) != data[k]]
    for key in EDITABLE:
        if key in data:
            setattr(provider, key, data[key])
    if client_secret:
        provider.set_client_secret(client_secret)
        changed.append("client_secret")
    provider.save()
    audit.record(org=org, actor=acting_user, action="sso.configured", obj=provider, changed=sorted(changed))
    return provider


@transaction.atomic
def do_record_sign_in(
    provider: IdentityProvider, membership: Membership, claims: dict[str, Any], *, provider_mfa: bool
) -> None:
    """Remember who the member is at the provider (for the leavers check) and audit the sign-in."""
    org = provider.organisation
    subject = str(claims["sub"])[:255]
    directory_id = str(claims.get("oid") or subject)[:255]
    ExternalIdentity.objects.for_org(org).filter(subject=subject).exclude(membership=membership).delete()
    ExternalIdentity.objects.for_org(org).update_or_create(
        organisation=org,
        membership=membership,
        defaults={"subject": subject, "directory_id": directory_id, "last_signed_in_at": timezone.now()},
    )
    audit.record(
        org=org, actor=membership.user, action="sso.signed_in", obj=membership, provider_mfa=provider_mfa
    )


def record_refusal(org: Organisation, *, reason: str, email: str | None) -> None:
    audit.record(org=org, actor=None, action="sso.refused", reason=reason, email=email or "")


@transaction.atomic
def do_deactivate_leaver(identity: ExternalIdentity, *, reason: str) -> None:
    """The provider no longer knows the person: no more access here; their records stay theirs."""
    membership = identity.membership
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    audit.record(
        org=membership.organisation,
        actor=None,
        action="member.deactivated",
        obj=membership,
        by="sso.leavers",
        reason=reason,
    )
