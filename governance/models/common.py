"""What every governance record shares: a version for optimistic locking, who and when, private files."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone


def _private_path(prefix: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"governance/{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def document_path(instance: models.Model, filename: str) -> str:
    return _private_path(instance._meta.model_name or "documents", filename)


class Record(models.Model):
    """Bookkeeping fields of an editable governance record."""

    version = models.PositiveIntegerField(default=0, help_text="Raised on every change, to catch concurrent edits.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Document(models.Model):
    """An optional private file kept with the record; served only through a checked view."""

    document = models.FileField(upload_to=document_path, blank=True, max_length=255)
    document_name = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "No longer needed"
