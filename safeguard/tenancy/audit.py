"""The audit log of sensitive reads: case opens, register views, exports, access changes."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent, Organisation, User


def record(
    *, org: Organisation, actor: User | None, action: str, obj: models.Model | None = None, **detail: Any
) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation=org,
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        detail=detail,
    )
