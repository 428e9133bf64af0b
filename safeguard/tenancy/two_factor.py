"""Two-factor devices: who may enrol, change, remove or reset one, and the audit of each.

The rule: once a person has a confirmed device, only a session verified with it may change
or remove it, and an organisation requiring two-factor is reached only by a verified
session (``TenantMiddleware``). A person with no device yet enrols with their password at
invitation acceptance or first sign-in; an administrator resets a lost device.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import Membership, Organisation, User
from .notifications import notify


def _organisations_of(user: User) -> list[Organisation]:
    """Every active organisation of the person; cross-tenant on purpose (their own security)."""
    return [m.organisation for m in Membership.objects.dangerously_unscoped()  # scoping: the person's own
            .filter(user=user, is_active=True).select_related("organisation")]


def required_by_any_organisation(user: User) -> bool:
    return (Membership.objects.dangerously_unscoped()  # scoping: the person's own memberships, every organisation
            .filter(user=user, is_active=True, organisation__is_active=True,
                    organisation__require_two_factor=True).exists())


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def _audit_everywhere(user: User, *, actor: User, action: str) -> None:
    # Each organisation the person works in relies on their second factor, so each keeps the record.
    for org in _organisations_of(user):
        audit.record(org=org, actor=actor, action=action, obj=user)


@transaction.atomic
def do_confirm_device(device: TOTPDevice, *, acting_user: User) -> TOTPDevice:
    """A device proved by a code becomes the person's only device."""
    replacing = TOTPDevice.objects.filter(user=acting_user, confirmed=True).exclude(pk=device.pk)
    action = "two_factor.changed" if replacing.exists() else "two_factor.enrolled"
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    replacing.delete()
    _audit_everywhere(acting_user, actor=acting_user, action=action)
    return device


@transaction.atomic
def do_remove_devices(*, acting_user: User) -> None:
    TOTPDevice.objects.filter(user=acting_user).delete()
    _audit_everywhere(acting_user, actor=acting_user, action="two_factor.removed")


@transaction.atomic
def do_reset_two_factor(membership: Membership, *, acting_user: User) -> None:
    """An administrator removes a person's lost device; the person sets up a new one at next sign-in."""
    person = membership.user
    TOTPDevice.objects.filter(user=person).delete()
    audit.record(org=membership.organisation, actor=acting_user, action="two_factor.reset", obj=membership)
    notify(org=membership.organisation, recipients=[person], kind="account.two_factor_reset",
           title="Your two-factor authentication was reset by an administrator",
           body="Next time you sign in you will set up your authenticator app again. "
                "If you did not ask for this, tell your organisation administrator now.",
           url=reverse("two-factor-setup"))
