"""Statutory case reviews (SCR, CSPR, SAR, DHR) and their recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import ActionStatus, Document, Record


class CaseReview(TenantModel, Record, Document):
    class Kind(models.TextChoices):
        SCR = "scr", "Serious case review"
        CSPR = "cspr", "Child safeguarding practice review"
        SAR = "sar", "Safeguarding adult review"
        DHR = "dhr", "Domestic homicide review"

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        PUBLISHED = "published", "Published, actions open"
        CLOSED = "closed", "Closed"

    kind = models.CharField("type of review", max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="A name for the review that names no one, e.g. \"Adult D\".")
    local_authority = models.CharField("local authority area", max_length=200)
    notified_on = models.DateField("date we were told of the review")
    started_on = models.DateField("date the review started", null=True, blank=True)
    published_on = models.DateField("date the review was published", null=True, blank=True)
    failure_contributed = models.BooleanField(
        "a failure by us to report or to follow procedure contributed", default=False,
        help_text="This makes the organisation's rating Red.",
    )
    summary = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text="Who leads our part in the review.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords(m2m_fields=[cases])

    class Meta:
        ordering = ["-notified_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class ReviewRecommendation(TenantModel, Record):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField("recommendation")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField("due date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]
