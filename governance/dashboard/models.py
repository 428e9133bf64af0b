"""What the board dashboard keeps: the organisation's RAG thresholds, a rating per area and month
(stored nightly, so the board sees how it moved), the Safeguarding Manager's monthly commentary,
and the reports made for each audience. Equality monitoring lives in ``governance.dashboard.equality``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .equality import EqualityProfile  # noqa: F401 - a model of this app


class Rating(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


RANK = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}


class RagSettings(TenantModel):
    """The organisation's thresholds for the RAG rating (defaults: Connexus 5.1.8)."""

    audit_failures_amber = models.PositiveSmallIntegerField(
        "cases found not correctly recorded in a month for Amber", default=1)
    audit_failures_red = models.PositiveSmallIntegerField(
        "cases found not correctly recorded in a month for Red", default=2,
        help_text="Connexus: more than one case in a month is Red.")
    register_months_amber = models.PositiveSmallIntegerField(
        "months a register was not updated and monitored for Amber", default=1)
    register_months_red = models.PositiveSmallIntegerField(
        "months a register was not updated and monitored for Red", default=2)
    case_review_red_months = models.PositiveSmallIntegerField(
        "months a case review where a failure contributed keeps the rating Red", default=12,
        help_text="Counted from the month we were told of the review; Red too while the review is not closed.")
    policy_out_of_date_rating = models.CharField(
        "rating when a policy is out of date", max_length=10, default=Rating.AMBER,
        choices=[(Rating.AMBER, "Amber"), (Rating.RED, "Red")])
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "RAG settings"
        constraints = [models.UniqueConstraint(fields=["organisation"], name="uniq_rag_settings")]

    def __str__(self) -> str:
        return f"RAG settings of {self.organisation_id}"


class RatingSnapshot(TenantModel):
    """The rating of one area (or, with no area, the organisation) for one month, with its facts.

    Written by the nightly job for the current month (so a month's value is its last night's);
    earlier months are never rewritten."""

    area = models.ForeignKey("tenancy.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month rated")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    facts = models.JSONField(default=list, help_text="[{rating, text, kind}] – never a name or a reference")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "area", "month"], name="uniq_rating_area_month"),
            models.UniqueConstraint(fields=["organisation", "month"], condition=models.Q(area__isnull=True),
                                    name="uniq_rating_org_month"),
        ]
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.rating} for {self.area_id or 'organisation'} {self.month:%Y-%m}"


class Commentary(TenantModel):
    """The Safeguarding Manager's one-paragraph commentary for the board, one per month."""

    month = models.DateField()
    text = models.TextField("commentary", max_length=2000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "commentaries"
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="uniq_commentary_month")]

    def __str__(self) -> str:
        return f"Commentary for {self.month:%B %Y}"


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", "Weekly manager report"
    MONTHLY = "monthly", "Monthly board report"
    QUARTERLY = "quarterly", "Quarterly panel report"
    ANNUAL = "annual", "Annual safeguarding report"


class ReportStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def report_path(instance: BoardReport, filename: str) -> str:
    return f"board-reports/{instance.organisation_id}/{filename}"


class BoardReport(TenantModel):
    """One report for one audience and period, made in a Celery task; kept with its history.

    The files are private: served only through the download view to the report's audience."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    area = models.ForeignKey("tenancy.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The weekly manager report is per area")
    period_start = models.DateField()
    period_end = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="Empty when made on schedule")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    pdf = models.FileField(upload_to=report_path, blank=True)
    xlsx = models.FileField(upload_to=report_path, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "kind", "period_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d %b %Y}"

    @property
    def title(self) -> str:
        if self.kind == ReportKind.WEEKLY:
            return f"Weekly manager report, week of {self.period_start:%-d %B %Y}"
        if self.kind == ReportKind.MONTHLY:
            return f"Monthly board report, {self.period_start:%B %Y}"
        if self.kind == ReportKind.QUARTERLY:
            return f"Quarterly panel report, {self.period_start:%B} to {self.period_end:%B %Y}"
        return f"Annual safeguarding report, {self.period_start:%B %Y} to {self.period_end:%B %Y}"


class StoredMonth(TenantModel):
    """A finished month whose casework figures are stored (``MonthFigures``, ``MonthCategoryFigures``).

    The nightly job stores every finished month once, in order, so the stored months of an organisation
    run without a gap up to ``next_month`` of the latest: the dashboard reads those from the stored
    figures and everything from there on (the current month) live. Stored figures are kept: they are the
    board's record of the month, and outlive the cases they count (records destroyed under the retention
    schedule, issue 14, leave last year's figures as the board saw them)."""

    month = models.DateField(help_text="First day of the month stored")
    next_month = models.DateField(help_text="First day of the month after")
    ends_at = models.DateTimeField(help_text="The first instant of the month after (London time)")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="uniq_stored_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} stored"


class MonthFigures(TenantModel):
    """Counts of one stored month per area, type of concern and source (the case's): concerns reported and
    allegations (by the month reported), cases closed and their total duration (by the month closed), home
    visits (by the month taken) and alerts due and late (by the month due). Never a case or a name."""

    month = models.DateField()
    area = models.ForeignKey("tenancy.Area", on_delete=models.CASCADE, related_name="+")
    concern_type = models.CharField(max_length=20)
    source = models.CharField(max_length=20)
    reported = models.PositiveIntegerField(default=0)
    allegations = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_seconds = models.FloatField(default=0, help_text="Sum of the closed cases' durations")
    visits = models.PositiveIntegerField(default=0)
    alerts_due = models.PositiveIntegerField(default=0)
    alerts_late = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="board_monthfig_org_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} area {self.area_id}"


class MonthCategoryFigures(TenantModel):
    """Concerns reported in a stored month per area and category of harm (a concern can have several)."""

    month = models.DateField()
    area = models.ForeignKey("tenancy.Area", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("cases.HarmCategory", on_delete=models.CASCADE, related_name="+")
    reported = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"], name="board_monthcat_org_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} category {self.category_id}"
