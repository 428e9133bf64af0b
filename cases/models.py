"""Cases (safeguarding and wellbeing/welfare concerns): who they are about, what
was done, and who may see them. The life cycle lives in ``cases/actions.py``;
who sees which case is decided in ``cases/access.py`` only."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.named import NamedList
from safeguard.tenancy.scoping import TenantModel


class HarmCategory(NamedList):
    """A category of harm (whg 2.8, Care Act 2014), configurable per organisation."""

    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_harm_category")]


class VulnerabilityFactor(NamedList):
    """A vulnerability factor (whg 1.11), configurable per organisation."""

    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_vulnerability_factor")
        ]


class ConcernType(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding"
    WOW = "wow", "Wellbeing or welfare (WoW)"


class CaseStatus(models.TextChoices):
    REPORTED = "reported", "Reported, waiting to be allocated"
    ALLOCATED = "allocated", "Allocated"
    CLOSURE_REQUESTED = "closure_requested", "Closure requested"
    CLOSED = "closed", "Closed"


class Source(models.TextChoices):
    COLLEAGUE = "colleague", "A colleague"
    CONTRACTOR = "contractor", "A contractor"
    NEIGHBOUR = "neighbour", "A neighbour"
    THIRD_PARTY = "third_party", "Another third party (friend, relative, member of the public)"
    OTHER_AGENCY = "other_agency", "Another agency"
    SELF = "self", "The person themself"


class Case(TenantModel):
    """A safeguarding or wellbeing/welfare concern, from report to authorised closure."""

    Status = CaseStatus

    reference = models.CharField(max_length=20, editable=False)
    concern_type = models.CharField(
        "type of concern", max_length=20, choices=ConcernType.choices, default=ConcernType.SAFEGUARDING
    )
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    area = models.ForeignKey("tenancy.Area", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("tenancy.Department", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    is_colleague_allegation = models.BooleanField("allegation against a colleague", default=False)
    immediate_risk = models.BooleanField("someone is at immediate risk", default=False)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.COLLEAGUE)
    what_happened = models.TextField("what was seen or heard")
    happened_on = models.DateField("when it happened")
    categories = models.ManyToManyField(HarmCategory, blank=True, related_name="cases")
    vulnerabilities = models.ManyToManyField(VulnerabilityFactor, blank=True, related_name="cases")
    next_action_due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField("outcome and reason to close", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the retention schedule's review destroyed the case's personal data (governance.privacy): what
    # remains is a skeleton without personal data, kept so past board figures stay the same. Hidden everywhere.
    destroyed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[categories, vulnerabilities])

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="uniq_case_reference"),
            models.UniqueConstraint(
                fields=["organisation", "reported_by", "submission_token"],
                condition=models.Q(submission_token__isnull=False),
                name="uniq_case_submission",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "next_action_due"]),
            models.Index(fields=["organisation", "area", "department"]),
            # the board dashboard's periods (issue 10 item 6)
            models.Index(fields=["organisation", "reported_at"], name="cases_case_org_reported"),
            models.Index(fields=["organisation", "closed_at"], name="cases_case_org_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def due_state(self, today: date | None = None) -> str:
        """"overdue", "due" (today or tomorrow), "ok" or "" (closed / nothing due)."""
        if not self.is_open or self.next_action_due is None:
            return ""
        today = today or timezone.localdate()
        if self.next_action_due < today:
            return "overdue"
        if self.next_action_due <= today + timedelta(days=1):
            return "due"
        return "ok"


class PersonType(models.TextChoices):
    ADULT = "adult", "Adult"
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"


def sql_normalised_name() -> models.Func:
    """A person's name as person matching compares it (lower case, letters only), in SQL."""
    return models.Func(Lower(models.F("full_name")), models.Value("[^a-z]"), models.Value(""), models.Value("g"),
                       function="regexp_replace")


def sql_normalised_reference() -> models.Func:
    """A tenancy reference as person matching compares it (upper case, letters and digits), in SQL."""
    return models.Func(Upper(models.F("tenancy_reference")), models.Value("[^A-Z0-9]"), models.Value(""),
                       models.Value("g"), function="regexp_replace")


class CasePerson(TenantModel):
    """A person a case is about (an adult, a child or an unborn child), part of a household."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    person_type = models.CharField(max_length=10, choices=PersonType.choices, default=PersonType.ADULT)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.TextField(blank=True)
    tenancy_reference = models.CharField(max_length=60, blank=True)
    is_household_lead = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_household_lead", "pk"]
        indexes = [
            models.Index(fields=["organisation", "full_name"]),
            # Person matching (cases.referrals.matching): by date of birth (then the name), or by reference.
            models.Index(fields=["organisation", "date_of_birth"], name="cases_person_org_dob"),
            models.Index(models.F("organisation"), sql_normalised_reference(), name="cases_person_org_norm_ref"),
        ]

    def __str__(self) -> str:
        return self.full_name


class ActionType(models.TextChoices):
    VISIT = "visit", "Visit"
    CALL = "call", "Phone call"
    MEETING = "meeting", "Meeting"
    REFERRAL = "referral", "Referral"
    NOTE = "note", "Case note"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class Action(TenantModel):
    """Something done on a case, with the date the next action is due. Never edited once recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    action_type = models.CharField(max_length=20, choices=ActionType.choices)
    taken_on = models.DateField()
    note = models.TextField()
    next_due = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on", "-recorded_at"]
        indexes = [models.Index(fields=["organisation", "taken_on"], name="cases_action_org_taken")]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} on {self.taken_on:%d %b %Y}"


class CaseAccessGrant(TenantModel):
    """A person named to see a case they would not otherwise see (e.g. an allegation against a colleague).

    Granted by the People and Culture Director or the Safeguarding Manager; revoking keeps the row.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    can_edit = models.BooleanField("may record actions and addenda", default=False)
    reason = models.TextField(blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(revoked_at__isnull=True), name="uniq_open_case_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class CaseEvent(TenantModel):
    """A step in a case's life (reported, allocated, closure asked, sent back, closed, reopened), dated and signed."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Concern reported"
        ALLOCATED = "allocated", "Allocated"
        RECLASSIFIED = "reclassified", "Details changed"
        CLOSURE_REQUESTED = "closure_requested", "Closure requested"
        SENT_BACK = "sent_back", "Closure sent back"
        CLOSED = "closed", "Closure authorised"
        REOPENED = "reopened", "Reopened"
        ACCESS_GRANTED = "access_granted", "Access granted"
        ACCESS_REVOKED = "access_revoked", "Access removed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d %b %Y}"


class Addendum(TenantModel):
    """A dated correction or addition by the author of a submitted record, which itself is never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="addenda")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.written_at:%d %b %Y}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Private path; the stored name is random so nothing about the file leaks from its name."""
    import uuid

    return f"cases/{instance.organisation_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(TenantModel):
    """A file kept with a case: stored privately, served only after the case's access check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ConcernDraft(TenantModel):
    """What a reporter has typed so far, kept server-side for them until they submit or discard it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="uniq_concern_draft")]

    def __str__(self) -> str:
        return f"Draft by {self.user_id}"
