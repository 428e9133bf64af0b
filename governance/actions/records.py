"""Saving and closing any governance record kind (see ``governance.kinds``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Organisation, User

from ..kinds import Kind
from .common import save_document


def _scoped(kind: Kind, org: Organisation) -> Any:
    return kind.model.objects.for_org(org)


@transaction.atomic
def do_save_record(kind: Kind, org: Organisation, form: Any, *, acting_user: User | None,
                   expected_version: int | None = None) -> Model:
    """Create or change a record from a valid form; refuses a change made on an out-of-date copy."""
    obj = form.instance
    new = obj.pk is None
    if not new and hasattr(obj, "version"):
        lock_for_edit(_scoped(kind, org), obj.pk, expected_version)
    obj = form.save(commit=False)
    obj.organisation = org
    now = timezone.now()
    if hasattr(obj, "updated_at"):
        obj.updated_at = now
    if new and hasattr(obj, "written_by_id") and obj.written_by_id is None:
        obj.written_by = acting_user  # a progress note is written by whoever adds it
    if new and hasattr(obj, "created_by_id"):
        obj.created_by = acting_user
        obj.created_at = now
    elif not new and hasattr(obj, "version"):
        obj.version += 1
    if kind.has_case:
        obj.case = form.cleaned_data.get("case_reference")
    if kind.has_document:
        save_document(obj, form.cleaned_data.get("upload"))
    obj._history_user = acting_user
    obj.save()
    form.save_m2m()
    if kind.has_cases:
        obj.cases.set(form.cleaned_data.get("case_references") or [])
    audit.record(org=org, actor=acting_user, action=f"governance.{kind.slug}.{'added' if new else 'changed'}",
                 obj=obj)
    if new and kind.slug == "policy-versions":
        _published(obj, acting_user)
    return obj


def _published(version: Any, acting_user: User | None) -> None:
    """A version added in the register is the policy's current one: its review date becomes the policy's,
    and for the policy staff sign, everyone is asked to read it (as when training publishes it)."""
    from .policies import adopt_version

    adopt_version(version, acting_user=acting_user)
    if version.policy.staff_sign_off:
        from training.actions import ask_everyone_to_read  # training builds on governance, not the reverse

        ask_everyone_to_read(version.policy.organisation, version, acting_user=acting_user)


@transaction.atomic
def do_close_record(kind: Kind, obj: Model, *, acting_user: User | None, expected_version: int | None = None) -> Model:
    org_id = obj.organisation_id  # type: ignore[attr-defined]
    current = lock_for_edit(kind.model.objects.for_org(org_id), obj.pk,
                            expected_version if hasattr(obj, "version") else None)
    assert kind.close is not None
    for name, value in kind.close(current).items():
        setattr(current, name, value)
    if hasattr(current, "version"):
        current.version += 1
    if hasattr(current, "updated_at"):
        current.updated_at = timezone.now()
    current._history_user = acting_user
    current.save()
    audit.record(org=current.organisation, actor=acting_user, action=f"governance.{kind.slug}.closed", obj=current)
    return current
