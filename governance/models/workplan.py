"""The safeguarding work plan (Derby appendix 5): outcomes, their actions, leads and progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import Record


class Outcome(TenantModel, Record):
    title = models.CharField("outcome", max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "title"], name="uniq_governance_outcome_title",
                                               violation_error_message="The work plan already has this outcome")]

    def __str__(self) -> str:
        return self.title


class PlanAction(TenantModel, Record):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("action", max_length=300)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    target_on = models.DateField("target date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["target_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "target_on"])]

    def __str__(self) -> str:
        return self.title


class ProgressNote(TenantModel):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    noted_on = models.DateField()
    text = models.TextField("progress")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-noted_on", "-pk"]

    def __str__(self) -> str:
        return f"Progress {self.noted_on:%d %b %Y}"
