"""Groups such as the Safeguarding Advisory Group or Panel, and their meetings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import Document, Record


class Frequency(models.IntegerChoices):
    MONTHLY = 1, "Monthly"
    BIMONTHLY = 2, "Every two months"
    QUARTERLY = 3, "Quarterly"
    TWICE_YEARLY = 6, "Twice a year"
    YEARLY = 12, "Yearly"


class Group(TenantModel, Record, Document):
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(50)],
                                              help_text="How many members must be present.")
    frequency_months = models.PositiveSmallIntegerField("how often it meets", choices=Frequency.choices,
                                                        default=Frequency.QUARTERLY)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_governance_group_name",
                                               violation_error_message="Your organisation already has a group with this name")]

    def __str__(self) -> str:
        return self.name


class GroupMember(TenantModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("role on the group", max_length=100, default="Member")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="uniq_governance_group_member")]

    def __str__(self) -> str:
        return self.role


class Meeting(TenantModel, Record, Document):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("meeting date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True, help_text="Type the minutes here, or attach them as a document.")
    decisions = models.TextField(blank=True, help_text="One decision a line.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["group", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.group.name} {self.held_on:%d %b %Y}"


class Attendance(TenantModel):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="uniq_governance_attendance")]

    def __str__(self) -> str:
        return self.get_status_display()
