"""Helpers every governance action uses: apply form values, bump the version, lock for edits."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone

from safeguard.tenancy.concurrency import lock_for_edit


def apply(obj: Any, values: dict[str, Any]) -> bool:
    """Set plain fields from ``values``; True when something changed. Files and M2M are left to the caller."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def save_document(obj: Any, upload: UploadedFile | None, field: str = "document") -> None:
    """Keep an uploaded file with the record (its original name in ``<field>_name``)."""
    if upload:
        getattr(obj, field).save(upload.name, upload, save=False)
        setattr(obj, f"{field}_name", upload.name[:200])  # type: ignore[index]


def locked(obj: models.Model, expected_version: int | None) -> Any:
    """The stored row of ``obj`` locked, after the optimistic-lock check."""
    qs = type(obj).objects.for_org(obj.organisation_id)  # type: ignore[attr-defined]
    return lock_for_edit(qs, obj.pk, expected_version)


def stamp(obj: Any, *, acting_user: Any, new: bool) -> None:
    now = timezone.now()
    if new:
        obj.created_by = acting_user if getattr(acting_user, "pk", None) else None
        obj.created_at = now
    else:
        obj.version += 1
    obj.updated_at = now
