"""Follow-up actions with an owner and a due date, raised by audits, case reviews and meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import ActionStatus, Record


class ActionSource(models.TextChoices):
    AUDIT = "audit", "Case audit"
    CASE_REVIEW = "case_review", "Case review"
    MEETING = "meeting", "Meeting"


class FollowUpAction(TenantModel, Record):
    source = models.CharField(max_length=20, choices=ActionSource.choices)
    audited_case = models.ForeignKey("governance.AuditedCase", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="actions")
    case_review = models.ForeignKey("governance.CaseReview", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="actions")
    recommendation = models.ForeignKey("governance.ReviewRecommendation", null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey("governance.Meeting", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="actions")
    title = models.CharField("action", max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField("progress or outcome", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"]),
                   models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on=None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < (on or timezone.localdate())
