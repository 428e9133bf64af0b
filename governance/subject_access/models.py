"""Subject access (art. 15), rectification (art. 16) and erasure (art. 17) requests, the records found for
each, what the Data Privacy Manager decided to disclose or withhold, and the redactions of third-party
information. The deadline rules live in ``policy.py``; changes in ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from . import policy


class Kind(models.TextChoices):
    ACCESS = "access", "Subject access (article 15)"
    RECTIFICATION = "rectification", "Rectification (article 16)"
    ERASURE = "erasure", "Erasure (article 17)"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted in full"
    PARTLY = "partly", "Accepted in part"
    REFUSED = "refused", "Refused"


class Request(TenantModel):
    """A request from a data subject (or someone acting for them), with its one-month deadline."""

    reference = models.CharField(max_length=20, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACCESS)
    requester_name = models.CharField("who made the request", max_length=200)
    requester_relationship = models.CharField(
        "their relationship to the person",
        max_length=200,
        blank=True,
        help_text="Leave empty if the person asked for themself; for example: solicitor, parent, advocate.",
    )
    requester_contact = models.TextField("how to reply to them", blank=True)
    subject_name = models.CharField("the person's full name", max_length=200)
    subject_date_of_birth = models.DateField("the person's date of birth", null=True, blank=True)
    subject_tenancy_reference = models.CharField("tenancy reference", max_length=60, blank=True)
    subject_case_person = models.ForeignKey(
        "cases.CasePerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="person on a case",
    )
    subject_training_person = models.ForeignKey(
        "training.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="person in the training records",
    )
    details = models.TextField("what they asked for", blank=True)
    received_on = models.DateField("date received")
    identity_verified_on = models.DateField("date identity was verified", null=True, blank=True)
    identity_method = models.CharField("how identity was verified", max_length=200, blank=True)
    fee_received_on = models.DateField(
        "date a fee was received",
        null=True,
        blank=True,
        help_text="Only for a manifestly unfounded or excessive request.",
    )
    extension_months = models.PositiveSmallIntegerField("extension (months)", default=0)
    extension_reason = models.TextField("reason for the extension", blank=True)
    due_on = models.DateField("respond by", editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("reason for the decision", blank=True)
    exemption = models.CharField(
        "erasure exemption", max_length=30, choices=policy.ERASURE_EXEMPTIONS, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    passed_to_destruction_at = models.DateTimeField(
        "passed to the retention and destruction queue", null=True, blank=True
    )
    searched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)  # a double submit records one

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="uniq_subject_request_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(extension_months__lte=policy.MAX_EXTENSION_MONTHS),
                name="subject_request_extension_at_most_two_months",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def deadline_state(self, today: object = None) -> str:
        return policy.deadline_state(self.due_on, today or timezone.localdate(), closed=not self.is_open)  # type: ignore[arg-type]


class Source(models.TextChoices):
    CASE = "case", "Case"
    ENTRY = "entry", "Register entry"
    TRAINING = "training", "Training and DBS record"


class Mark(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    INCLUDE = "include", "Disclose"
    WITHHOLD = "withhold", "Withhold (exempt)"
    NOT_SUBJECT = "not_subject", "Not about this person"


class FoundRecord(TenantModel):
    """A record the search found about the person; the Data Privacy Manager marks whether it is disclosed."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="found")
    source = models.CharField(max_length=10, choices=Source.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        "registers.Entry", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    training_person = models.ForeignKey(
        "training.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    matched_by = models.CharField(max_length=200)
    mark = models.CharField(max_length=12, choices=Mark.choices, default=Mark.PENDING)
    exemption_reason = models.TextField("why it is withheld", blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "case"], condition=models.Q(case__isnull=False), name="uniq_found_case"
            ),
            models.UniqueConstraint(
                fields=["request", "entry"], condition=models.Q(entry__isnull=False), name="uniq_found_entry"
            ),
            models.UniqueConstraint(
                fields=["request", "training_person"],
                condition=models.Q(training_person__isnull=False),
                name="uniq_found_training",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.label}"

    @property
    def record(self) -> models.Model:
        return self.case or self.entry or self.training_person  # type: ignore[return-value]

    @property
    def label(self) -> str:
        if self.case_id:
            return self.case.reference  # type: ignore[union-attr]
        if self.entry_id:
            return self.entry.reference  # type: ignore[union-attr]
        person = self.training_person
        return f"{person.full_name}" if person else ""


class Redaction(TenantModel):
    """Third-party information blacked out of one part of a found record (a field, or one action or note).

    ``part`` names the part (``what_happened``, ``action:12``, ``person:3``, ``update:5`` ...); ``phrase``
    limits it to that text inside the part, otherwise the whole part is redacted."""

    found = models.ForeignKey(FoundRecord, on_delete=models.CASCADE, related_name="redactions")
    part = models.CharField(max_length=40)
    phrase = models.CharField("only this text", max_length=500, blank=True)
    reason = models.CharField(max_length=200)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["part", "pk"]

    def __str__(self) -> str:
        return f"Redaction of {self.part}"


class Correction(TenantModel):
    """A rectification carried out: the addendum written on the case through the case's own correction path."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="corrections")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    addendum = models.OneToOneField("cases.Addendum", on_delete=models.PROTECT, related_name="+")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"Correction on {self.case_id}"
