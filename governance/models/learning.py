"""Lessons learnt log (whg 4.3), near misses (whg 4.4, 4.9) and safeguarding complaints (whg 4.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import Document, Record


class LessonSource(models.TextChoices):
    CASE_REVIEW = "case_review", "Case review"
    AUDIT = "audit", "Case audit"
    COMPLAINT = "complaint", "Complaint"
    NEAR_MISS = "near_miss", "Near miss"
    OTHER_ORG = "other_org", "Another organisation's review or case"
    OTHER = "other", "Other"


class Lesson(TenantModel, Record):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "Being acted on"
        EMBEDDED = "embedded", "Done and embedded"

    lesson = models.TextField("lesson learnt")
    source = models.CharField(max_length=20, choices=LessonSource.choices, default=LessonSource.OTHER)
    source_detail = models.CharField("where it came from", max_length=200, blank=True,
                                     help_text="For example the name of the published review.")
    case_review = models.ForeignKey("governance.CaseReview", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="lessons")
    near_miss = models.ForeignKey("governance.NearMiss", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="lessons")
    complaint = models.ForeignKey("governance.Complaint", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="lessons")
    theme = models.CharField(max_length=100, help_text="For example: information sharing, professional curiosity.")
    action = models.TextField("what we will do", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    recorded_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "theme"])]

    def __str__(self) -> str:
        return self.lesson[:80]


class Incident(TenantModel, Record, Document):
    """What near misses and complaints share."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    received_on = models.DateField("date received")
    summary = models.TextField()
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Who handles it.")
    response_due_on = models.DateField("response due by")
    responded_on = models.DateField("date of our response", null=True, blank=True)
    outcome = models.TextField(blank=True)
    learning = models.TextField("what we learnt", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        abstract = True
        ordering = ["-received_on", "-pk"]


class NearMiss(Incident):
    history = HistoricalRecords()

    class Meta(Incident.Meta):
        verbose_name_plural = "near misses"

    def __str__(self) -> str:
        return f"Near miss received {self.received_on:%d %b %Y}"


class Complaint(Incident):
    class From(models.TextChoices):
        RESIDENT = "resident", "A resident or customer"
        FAMILY = "family", "A family member or advocate"
        COLLEAGUE = "colleague", "A colleague"
        PARTNER = "partner", "A partner agency"
        OTHER = "other", "Someone else"

    complainant_kind = models.CharField("who complained", max_length=20, choices=From.choices, default=From.RESIDENT)
    upheld = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta(Incident.Meta):
        pass

    def __str__(self) -> str:
        return f"Complaint received {self.received_on:%d %b %Y}"
