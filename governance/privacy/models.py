"""The retention schedule, the destruction review queue, tombstones of destroyed records, legal holds and the
Data Privacy Manager's delegates. The rules over them live in ``governance.privacy.policy`` only."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

PERIOD_BOUNDS = (1, 1200)  # one month to a hundred years


def period_validators() -> list[BaseValidator]:
    low, high = PERIOD_BOUNDS
    message = f"Enter a number of months from {low} to {high}"
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


class RecordKind(models.TextChoices):
    CASE_CHILD = "case_child", "Case about a child"
    CASE_ADULT = "case_adult", "Case about an adult"
    ALLEGATION = "allegation", "Allegation against a colleague"
    REGISTER_ENTRY = "register_entry", "Register entry"
    DBS_CERTIFICATE = "dbs_certificate", "DBS certificate information"
    TRAINING_RECORD = "training_record", "Training record"
    CASE_AUDIT = "case_audit", "Case audit"
    NOTIFICATION = "notification", "Notification"
    ACCESS_LOG = "access_log", "Access log (who viewed what)"
    GOVERNANCE = "governance", "Governance records (meetings, reviews, lessons learnt)"


class Trigger(models.TextChoices):
    CLOSED = "closed", "Closed"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    LEFT = "left", "Person left the organisation"
    CREATED = "created", "Record created"
    ERASURE = "erasure", "Erasure request granted"


class Delegate(TenantModel):
    """A member the Data Privacy Manager names to handle retention, holds and the destruction queue with them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["named_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="uniq_privacy_delegate")]

    def __str__(self) -> str:
        return f"Delegate {self.user_id}"


class RetentionRule(TenantModel):
    """How long one kind of record is kept: a period after a trigger, and optionally a second one (the later wins)."""

    kind = models.CharField(max_length=30, choices=RecordKind.choices)
    trigger = models.CharField("kept from", max_length=20, choices=Trigger.choices)
    period_months = models.PositiveSmallIntegerField("for (months)", validators=period_validators())
    also_trigger = models.CharField(
        "or from (whichever is later)", max_length=20, choices=Trigger.choices, blank=True
    )
    also_period_months = models.PositiveSmallIntegerField(
        "for (months)", null=True, blank=True, validators=period_validators()
    )
    reason = models.TextField("why", help_text="The guidance or law the period follows, shown with the rule.")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="uniq_retention_rule")]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReviewItem(TenantModel):
    """A record that reached the end of its period, waiting for the Data Privacy Manager's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        KEPT = "kept", "Kept"
        DESTROYING = "destroying", "Being destroyed"
        DESTROYED = "destroyed", "Destroyed"

    kind = models.CharField(max_length=30, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=60)  # the record's reference: never a name
    rule = models.ForeignKey(RetentionRule, null=True, on_delete=models.SET_NULL, related_name="+")
    started_from = models.CharField(
        max_length=20, choices=Trigger.choices, blank=True
    )  # the trigger that counted
    started_on = models.DateField(null=True, blank=True)  # its date; never a date of birth (personal data)
    due_on = models.DateField()
    record_created_on = models.DateField(null=True, blank=True)
    record_closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    listed_at = models.DateTimeField(default=timezone.now)
    keep_reason = models.TextField(blank=True)
    kept_until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "object_id"], name="uniq_privacy_review_item"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="privacy_item_queue")]

    def __str__(self) -> str:
        return self.reference


class Tombstone(TenantModel):
    """What remains of a destroyed record: which it was, its dates, who decided and under which rule. No personal data."""

    kind = models.CharField(max_length=30, choices=RecordKind.choices)
    object_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=60)
    record_created_on = models.DateField(null=True, blank=True)
    record_closed_on = models.DateField(null=True, blank=True)
    started_from = models.CharField(max_length=20, choices=Trigger.choices, blank=True)
    started_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    rule_text = models.TextField()  # the rule as it stood when the record was destroyed
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    destroyed_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, blank=True)  # what was removed: {"history rows": 12, "files": 1}

    class Meta:
        ordering = ["-destroyed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "object_id"], name="uniq_privacy_tombstone"
            )
        ]

    def __str__(self) -> str:
        return f"Tombstone of {self.reference}"


class LegalHold(TenantModel):
    """A hold (an inquiry, a case review, litigation) that stops destruction of everything it covers until lifted."""

    class Scope(models.TextChoices):
        CASE = "case", "One case"
        PERSON = "person", "A person (every case about them)"
        ORGANISATION = "organisation", "The whole organisation"

    scope = models.CharField(max_length=20, choices=Scope.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "cases.CasePerson", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(
        "why the records must be kept",
        help_text="For example the inquiry, case review or claim, and its reference.",
    )
    starts_on = models.DateField("held from", default=timezone.localdate)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="case", case__isnull=False, person__isnull=True)
                    | models.Q(scope="person", person__isnull=False)
                    | models.Q(scope="organisation", case__isnull=True, person__isnull=True)
                ),
                name="privacy_hold_scope_target",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "lifted_at"], name="privacy_hold_active")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
