"""API tokens: made and revoked by the organisation administrator, checked on every call.

A token is ``sgk_<8 characters>_<43 characters>`` (256 bits of ``secrets``). The first part is
stored as the lookup ``prefix``; the whole token is stored only as its sha256, compared in
constant time. Each token acts as its own service account: a user who cannot sign in (no usable
password, inactive so nothing is e-mailed to it) holding one membership with the chosen role.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit, rls
from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.models import Membership, Organisation, User

from .models import ApiToken

PREFIX = "sgk_"
MAX_LIFETIME = timedelta(days=366)
# Roles a service account may hold: never the organisation administrator's (a token cannot make tokens).
SERVICE_ROLES = ("frontline", "case_officer", "case_manager", "safeguarding_manager", "dsl", "nso",
                 "register_admin", "hr_ld", "board_member")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def do_create_token(org: Organisation, *, name: str, scopes: list[str], expires_at: datetime, role: str,
                    account_name: str, acting_user: User) -> NewToken:
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError("The expiry date must be in the future")
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError("A token can last at most one year")
    if role not in SERVICE_ROLES:
        raise ValidationError("Choose the role of the service account")
    user = User.objects.create_user(email=f"api-{uuid.uuid4().hex}@service.safeguard.invalid",
                                    full_name=account_name, is_active=False)
    membership = do_add_member(org, user, [RoleSpec(role)], job_title="Service account (API token)",
                               acting_user=acting_user)
    public = PREFIX + secrets.token_urlsafe(6)[:8].replace("_", "x").replace("-", "y")
    secret = f"{public}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(organisation=org, name=name, prefix=public, secret_hash=_digest(secret),
                                    scopes=sorted(set(scopes)), service_account=membership,
                                    created_by=acting_user, expires_at=expires_at)
    audit.record(org=org, actor=acting_user, action="api_token.created", obj=token, scopes=token.scopes,
                 role=role, expires_at=expires_at.isoformat())
    return NewToken(token, secret)


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at, token.revoked_by = timezone.now(), acting_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    Membership.objects.for_org(token.organisation_id).filter(pk=token.service_account_id).update(
        is_active=False, deactivated_at=timezone.now())
    audit.record(org=token.organisation, actor=acting_user, action="api_token.revoked", obj=token)


def dangerously_find_token(secret: str) -> ApiToken | None:
    """The usable token with this secret, of any organisation.

    Unscoped on purpose: the token is what tells whose organisation the call is for (no request.org yet).
    """
    parts = secret.split("_")
    if len(parts) < 3 or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    prefix = "_".join(parts[:2])
    with rls.dangerously_all_orgs():  # scoping: the token names its organisation; nothing else is read
        token = (ApiToken.all_orgs.select_related("organisation", "service_account__user")
                 .filter(prefix=prefix).first())
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    if not token.is_usable or not token.organisation.is_active or not token.service_account.is_active:
        return None
    return token


def rate_limited(token: ApiToken) -> int:
    """Seconds to wait when the token is over its calls per minute, else 0 (fixed one-minute windows)."""
    limit = getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120)
    now = int(timezone.now().timestamp())
    window = now // 60
    cache = caches["api"]
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        used = 1
    if used > limit:
        return max(1, 60 - now % 60)
    return 0
