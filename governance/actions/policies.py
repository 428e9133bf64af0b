"""Changing policies and publishing their versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.models import Organisation, User

from ..models import Policy, PolicyKind, PolicyStatus, PolicyVersion
from .common import apply, locked, stamp

STAFF_POLICY_TITLE = "Safeguarding policy"


@transaction.atomic
def do_save_policy(org: Organisation, values: dict[str, Any], *, policy: Policy | None = None,
                   expected_version: int | None = None, acting_user: User | None) -> Policy:
    new = policy is None
    policy = Policy(organisation=org) if new else locked(policy, expected_version)  # type: ignore[arg-type]
    if not apply(policy, values) and not new:
        return policy
    stamp(policy, acting_user=acting_user, new=new)
    policy.full_clean(exclude=["organisation", "owner", "created_by"])
    policy._history_user = acting_user  # type: ignore[union-attr]
    policy.save()
    audit.record(org=org, actor=acting_user, action="governance.policy_saved", obj=policy)
    return policy


def staff_policy(org: Organisation | int) -> Policy | None:
    """The policy staff are asked to read and sign in training."""
    return Policy.objects.for_org(org).filter(staff_sign_off=True).first()


def ensure_staff_policy(org: Organisation, *, review_on: date, acting_user: User | None) -> Policy:
    policy = staff_policy(org)
    if policy is not None:
        return policy
    existing = Policy.objects.for_org(org).filter(kind=PolicyKind.SAFEGUARDING, title=STAFF_POLICY_TITLE).first()
    if existing is not None:
        return do_save_policy(org, {"staff_sign_off": True}, policy=existing, acting_user=acting_user)
    return do_save_policy(org, {"title": STAFF_POLICY_TITLE, "kind": PolicyKind.SAFEGUARDING, "review_on": review_on,
                                "staff_sign_off": True, "status": PolicyStatus.APPROVED,
                                "approved_on": timezone.localdate(), "effective_on": timezone.localdate()},
                          acting_user=acting_user)


@transaction.atomic
def do_publish_version(policy: Policy, *, label: str, document: File | None, review_on: date | None,
                       changes: str = "", published_on: date | None = None,
                       acting_user: User | None) -> PolicyVersion:
    """A new current version of ``policy``; its review date becomes the policy's."""
    version = PolicyVersion(organisation_id=policy.organisation_id, policy=policy, label=label.strip(),
                            review_on=review_on, changes=changes, published_on=published_on or timezone.localdate(),
                            published_by=acting_user if getattr(acting_user, "pk", None) else None)
    if document:
        version.document_name = document.name[:200]  # type: ignore[index]
        version.document.save(document.name, document, save=False)  # type: ignore[arg-type]
    version.save()
    adopt_version(version, acting_user=acting_user)
    policy.refresh_from_db()
    audit.record(org=policy.organisation, actor=acting_user, action="governance.policy_version_published", obj=version)
    return version


def adopt_version(version: PolicyVersion, *, acting_user: User | None) -> Policy:
    """The policy takes the new version's review date, and is approved again if it was a draft or under review."""
    current = locked(version.policy, None)
    values: dict[str, Any] = {}
    if version.review_on and current.review_on != version.review_on:
        values["review_on"] = version.review_on
    if current.status in (PolicyStatus.DRAFT, PolicyStatus.UNDER_REVIEW):
        values["status"] = PolicyStatus.APPROVED
    if values:
        apply(current, values)
        stamp(current, acting_user=acting_user, new=False)
        current._history_user = acting_user
        current.save()
    return current
