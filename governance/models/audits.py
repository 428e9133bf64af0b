"""Case audits: a round samples cases of a period and areas; each sampled case is checked against the
organisation's checklist; failures raise follow-up actions and count, per month, for the RAG rating."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import Record

DEFAULT_QUESTIONS = (
    "The case is on the right register",
    "Actions were taken within the 7/14-day cadence",
    "Referrals were made, and made in time",
    "Consent and mental capacity are recorded",
    "Closure was authorised",
    "The record is factual",
)


class AuditQuestion(TenantModel):
    """One checklist question; the organisation edits its own list (defaults in ``DEFAULT_QUESTIONS``)."""

    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class AuditRound(TenantModel, Record):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        CLOSED = "closed", "Finished"

    title = models.CharField(max_length=200, blank=True)
    period_start = models.DateField("cases reported from")
    period_end = models.DateField("cases reported up to")
    areas = models.ManyToManyField("tenancy.Area", related_name="+")
    sample_size = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    sample_is_percent = models.BooleanField("sample size is a percentage", default=False)
    seed = models.BigIntegerField(help_text="Draws the same sample again from the same cases.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Audit of {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"


class AuditedCase(TenantModel):
    """One sampled case in a round, and the audit of it."""

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="audited_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("tenancy.Area", on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    findings = models.TextField("what the auditor found", blank=True)
    correctly_recorded_on_register = models.BooleanField(null=True, blank=True)
    audited_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="uniq_governance_audited_case")]
        indexes = [models.Index(fields=["organisation", "audited_on"])]

    def __str__(self) -> str:
        return f"Audit of case {self.case_id}"

    @property
    def is_done(self) -> bool:
        return self.audited_on is not None

    @property
    def failed(self) -> bool:
        return self.correctly_recorded_on_register is False


class AuditFinding(TenantModel):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Does not apply"

    audited_case = models.ForeignKey(AuditedCase, on_delete=models.CASCADE, related_name="findings_list")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    question_text = models.CharField(max_length=300, help_text="The question as it was asked.")
    answer = models.CharField(max_length=4, choices=Answer.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["audited_case", "question"], name="uniq_governance_finding")]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.get_answer_display()}"


def month_failures(org, year: int, month: int) -> int:
    """Cases audited in that month and found not correctly recorded on the register (for the RAG rating)."""
    return AuditedCase.objects.for_org(org).filter(
        audited_on__year=year, audited_on__month=month, correctly_recorded_on_register=False
    ).count()

