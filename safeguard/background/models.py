"""One row per piece of long work (an import, an export, a report), whatever its kind."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.tenancy.scoping import TenantModel


def job_file_path(instance: BackgroundJob, filename: str) -> str:
    """Private storage: served only by the views that check who may have the file."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"jobs/{instance.organisation_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class BackgroundJob(TenantModel):
    """Queued, then running (with progress and a heartbeat), then done or failed.

    ``kind`` names a registered ``JobKind`` (``safeguard.background.kinds``); ``step`` lets one
    job have phases (an import is checked, shown to the person, then imported).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    step = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # why it failed, in plain words
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    upload = models.FileField(upload_to=job_file_path, blank=True)  # the file given to the job (an import)
    file = models.FileField(upload_to=job_file_path, blank=True)  # the file it made (an export)
    file_name = models.CharField(max_length=200, blank=True)  # the name the person knows the upload by
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(default=timezone.now)  # last sign of life (queued: when last sent)
    queued_at = models.DateTimeField(default=timezone.now)  # when it was last (re)queued
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.progress / self.total)) if self.total else 0

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def kind_spec(self) -> Any:
        from .kinds import get_kind

        return get_kind(self.kind)
