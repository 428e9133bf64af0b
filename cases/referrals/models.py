"""Referrals and alerts to other agencies, consent and capacity, the Data Privacy
Manager's review of referrals made without consent, DASH risk assessments and
MARAC prompts, and requests to see a restricted case about the same person.

Records are written through ``cases/referrals/actions.py`` only. What an officer
recorded is not edited: consent and DASH are new records each time; a referral
gains its "made" date and its outcome as later, dated steps.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

DASH_QUESTIONS = 24


class Agency(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    POLICE = "police", "Police"
    MARAC = "marac", "MARAC (domestic abuse risk conference)"
    MAPPA = "mappa", "MAPPA (public protection arrangements)"
    LADO = "lado", "LADO (allegation against someone who works with children)"
    PREVENT = "prevent", "Prevent"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    AWAITING = "awaiting", "Waiting for a response"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NO_RESPONSE = "no_response", "No response"


class LawfulBasis(models.TextChoices):
    SIGNIFICANT_HARM = "significant_harm", "Risk of significant harm to the person or others"
    CRIME = "crime", "Prevention or detection of crime"
    VITAL_INTERESTS = "vital_interests", "Vital interests (life or serious harm)"
    LACKS_CAPACITY = "lacks_capacity", "The person lacks capacity to consent (best interests)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation or statutory duty"
    OTHER = "other", "Other (explain)"


class ConsentStatus(models.TextChoices):
    NOT_SOUGHT = "not_sought", "Not sought yet"
    SOUGHT = "sought", "Sought, waiting for an answer"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"


class Capacity(models.TextChoices):
    HAS = "has", "Has capacity to decide"
    LACKS = "lacks", "Lacks capacity to decide"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class ParentsTold(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "", "Not a child"


class Consent(TenantModel):
    """Consent to share information about one person on a case, and their mental capacity.

    A new record is added each time consent is sought or answered; the latest one
    for a person is the one that counts. For a child, whether parents or carers
    were told, and why not.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey("cases.CasePerson", on_delete=models.CASCADE, related_name="consents")
    status = models.CharField("consent", max_length=20, choices=ConsentStatus.choices)
    decided_on = models.DateField("date sought or answered")
    capacity = models.CharField("mental capacity", max_length=20, choices=Capacity.choices,
                                default=Capacity.NOT_ASSESSED)
    capacity_notes = models.TextField("notes on capacity", blank=True)
    parents_told = models.CharField("parents or carers told", max_length=5, choices=ParentsTold.choices,
                                    blank=True)
    parents_not_told_reason = models.TextField("why parents or carers were not told", blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "person", "recorded_at"])]

    def __str__(self) -> str:
        return f"Consent {self.get_status_display().lower()} on {self.decided_on:%d %b %Y}"


class Referral(TenantModel):
    """A referral or alert to another agency: decided, due within the organisation's
    working-day deadline, made, and answered (accepted, declined or no response)."""

    Agency = Agency
    Outcome = Outcome

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey("cases.CasePerson", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="referrals")
    agency = models.CharField(max_length=30, choices=Agency.choices)
    agency_name = models.CharField("authority or team", max_length=200, blank=True)
    reason = models.TextField("why the referral is being made")
    decided_on = models.DateField("date of the decision to refer")
    due_by = models.DateField("to be made by")
    made_on = models.DateField("date made", null=True, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    agency_reference = models.CharField("the agency's reference", max_length=100, blank=True)
    response_due_by = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    response_on = models.DateField("date of the agency's response", null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    without_consent = models.BooleanField(default=False)
    override_basis = models.CharField("lawful basis for sharing without consent", max_length=30,
                                      choices=LawfulBasis.choices, blank=True)
    override_reason = models.TextField("why the referral is made without consent", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "agency", "outcome"]),
            models.Index(fields=["organisation", "made_on", "due_by"]),
            models.Index(fields=["organisation", "due_by"], name="referrals_org_due_by"),  # board dashboard
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} referral"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.made_on is None and self.due_by < (today or timezone.localdate())

    def response_overdue(self, today: date | None = None) -> bool:
        return (self.outcome == Outcome.AWAITING and self.response_due_by is not None
                and self.response_due_by < (today or timezone.localdate()))

    @property
    def response_days(self) -> int | None:
        """Calendar days from making the referral to the agency's response."""
        if self.made_on is None or self.response_on is None:
            return None
        return (self.response_on - self.made_on).days


class PrivacyReview(TenantModel):
    """The Data Privacy Manager's review of a referral made without consent."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROPRIATE = "appropriate", "Appropriate"
        NOT_APPROPRIATE = "not_appropriate", "Not appropriate"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="privacy_review")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Privacy review: {self.get_decision_display()}"


class DashAssessment(TenantModel):
    """A DASH risk assessment (domestic abuse, stalking and harassment): 24 yes/no
    questions scored 0-24, or a total recorded from an assessment done elsewhere."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="dash_assessments")
    person = models.ForeignKey("cases.CasePerson", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="dash_assessments")
    assessed_on = models.DateField()
    answers = models.JSONField(default=list, blank=True, help_text="24 booleans when the questions were answered")
    score = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=DASH_QUESTIONS), name="dash_score_max")]

    def __str__(self) -> str:
        return f"DASH score {self.score}"

    @property
    def is_high_risk(self) -> bool:
        from .policy.marac import dash_is_high_risk  # the rule's module imports this one

        return dash_is_high_risk(self.score)


class MaracPrompt(TenantModel):
    """A prompt to refer a case to MARAC: a high DASH score, or a third concern about
    the same person within 12 months. Raised once per case and reason."""

    class Reason(models.TextChoices):
        HIGH_DASH = "high_dash", "a high-risk DASH score (14 or more)"
        REPEAT = "repeat", "a third concern about the same person within 12 months"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="marac_prompts")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_at"]
        constraints = [models.UniqueConstraint(fields=["case", "reason"], name="uniq_marac_prompt")]

    def __str__(self) -> str:
        return self.get_reason_display()


class AccessRequest(TenantModel):
    """A request to see a restricted case found through the person match; the
    Safeguarding Manager grants (a ``CaseAccessGrant``) or refuses it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="access_requests")
    from_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "requested_by"], condition=models.Q(status="pending"),
                                    name="uniq_pending_access_request")
        ]

    def __str__(self) -> str:
        return f"Access request ({self.get_status_display().lower()})"
