"""Safeguarding registers: one per organisation and local authority area.

A register holds entries (a household at known risk, its people, the local
authority's involvement), each updated monthly by a Named Senior Officer; the
area's Designated Safeguarding Lead reviews the register every month and signs
the review off. Who sees a register is decided per register with
django-guardian object permissions (``RegisterUserObjectPermission``), kept in
step with people's roles by ``registers.permissions``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.models import PersonType
from safeguard.tenancy.scoping import TenantModel

VIEW = "view_register"
MANAGE = "manage_register"
REVIEW = "review_register"
VIEW_CP = "view_cp_register"
PERMISSION_LABELS = {
    VIEW: "See the register",
    MANAGE: "Add and update entries",
    REVIEW: "Review and sign off the register",
    VIEW_CP: "See the child protection page",
}


class Register(TenantModel):
    """The safeguarding register of one local authority area (made with the area)."""

    area = models.OneToOneField("tenancy.Area", on_delete=models.PROTECT, related_name="register")
    next_number = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["next_number"])

    class Meta:
        ordering = ["area__name"]
        permissions = [
            (MANAGE, "Can add and update entries on the register"),
            (REVIEW, "Can review and sign off the register"),
            (VIEW_CP, "Can see the register's child protection page"),
        ]

    def __str__(self) -> str:
        return f"{self.area.name} register"

    @property
    def name(self) -> str:
        return str(self)


class RegisterUserObjectPermission(UserObjectPermissionBase):
    """A person's permission on one register (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False
        indexes = [models.Index(fields=["user", "permission"])]


class AccessOverride(TenantModel):
    """A permission on a register given or taken away by hand, over what the person's roles give.

    Set by the Safeguarding Manager or the organisation administrator; every
    change is audited and kept in history.
    """

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    permission = models.CharField(max_length=40, choices=list(PERMISSION_LABELS.items()))
    allowed = models.BooleanField()
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(fields=["register", "user", "permission"], name="uniq_register_override")
        ]

    def __str__(self) -> str:
        return f"{'grant' if self.allowed else 'revoke'} {self.permission} for {self.user_id}"


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class EntryStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


LA_FLAGS = {
    "la_childrens_services": "Children's services",
    "la_adult_social_care": "Adult social care",
    "cp_plan": "Child protection plan",
    "child_in_need": "Child in need",
    "marac": "MARAC",
}


class Entry(TenantModel):
    """A known risk on a register: a household and its people, the local authority's
    involvement, actions and escalations; open until the risk is removed."""

    Status = EntryStatus

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    reference = models.CharField(max_length=30, editable=False)
    household = models.CharField("household", max_length=200, help_text="For example, the family's surname.")
    address = models.TextField(blank=True)
    tenancy_reference = models.CharField(max_length=60, blank=True)
    risk_level = models.CharField("level of risk", max_length=10, choices=RiskLevel.choices)
    risk = models.TextField("the risk", help_text="What the known risk is, in a few sentences.")
    categories = models.ManyToManyField("cases.HarmCategory", blank=True, related_name="+")
    department = models.ForeignKey("tenancy.Department", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="register_entries"
    )
    la_childrens_services = models.BooleanField(LA_FLAGS["la_childrens_services"], default=False)
    la_adult_social_care = models.BooleanField(LA_FLAGS["la_adult_social_care"], default=False)
    cp_plan = models.BooleanField(LA_FLAGS["cp_plan"], default=False)
    child_in_need = models.BooleanField(LA_FLAGS["child_in_need"], default=False)
    marac = models.BooleanField(LA_FLAGS["marac"], default=False)
    la_other = models.CharField("other involvement", max_length=200, blank=True)
    actions = models.TextField("actions", blank=True)
    escalations = models.TextField("escalations", blank=True)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField("reason for closing", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(null=True, blank=True, editable=False,
                                        help_text="Set by the add form, so a double submit adds one entry")

    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["register", "reference"], name="uniq_entry_reference"),
            models.UniqueConstraint(fields=["register", "case"], condition=models.Q(case__isnull=False),
                                    name="uniq_entry_case_per_register"),
            models.UniqueConstraint(fields=["register", "submission_token"], name="uniq_entry_submission"),
        ]
        indexes = [models.Index(fields=["organisation", "register", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == EntryStatus.OPEN

    def la_involvement(self) -> list[str]:
        labels = [label for field, label in LA_FLAGS.items() if getattr(self, field)]
        if self.la_other:
            labels.append(self.la_other)
        return labels


class EntryPerson(TenantModel):
    """A person in an entry's household: an adult, a child or an unborn child."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="people")
    person_type = models.CharField("type", max_length=10, choices=PersonType.choices, default=PersonType.ADULT)
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField("date of birth or due date", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on each change, so a concurrent edit is refused")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name


class EntryUpdate(TenantModel):
    """The NSO's monthly update of an entry after liaising with the originating officer.

    ``month`` is the first day of the calendar month of ``liaised_on``, so an
    update on the last day of a month counts for that month.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="updates")
    month = models.DateField(editable=False)
    liaised_on = models.DateField("date of the liaison")
    with_whom = models.CharField("with whom", max_length=200)
    what_changed = models.TextField("what has changed")
    actions = models.TextField("actions", blank=True)
    escalations = models.TextField("escalations", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-liaised_on", "-recorded_at"]
        indexes = [models.Index(fields=["entry", "month"])]

    def __str__(self) -> str:
        return f"Update of {self.entry_id} on {self.liaised_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.month = self.liaised_on.replace(day=1)
        super().save(*args, **kwargs)


class ReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SIGNED = "signed", "Signed off"


class ReviewSignedError(Exception):
    """A signed review cannot be changed."""


class Review(TenantModel):
    """The DSL's review of a whole register for one calendar month; immutable once signed."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="reviews")
    month = models.DateField(help_text="First day of the month reviewed")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.IN_PROGRESS)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    summary = models.TextField("overall comment", blank=True)
    entry_count = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["register", "month"], name="uniq_review_month")]

    def __str__(self) -> str:
        return f"Review of {self.register_id} for {self.month:%B %Y}"

    @property
    def is_signed(self) -> bool:
        return self.status == ReviewStatus.SIGNED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Review.objects.for_org(self.organisation_id).filter(pk=self.pk, status=ReviewStatus.SIGNED).exists():
            raise ReviewSignedError("This review has been signed off and cannot be changed.")
        super().save(*args, **kwargs)


class ReviewMark(TenantModel):
    """One entry marked reviewed in a monthly review, with the DSL's comment
    and, where there is no update this month, the reason recorded."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="marks")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="review_marks")
    comment = models.TextField()
    no_update_reason = models.TextField("reason there is no update this month", blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry__reference"]
        constraints = [models.UniqueConstraint(fields=["review", "entry"], name="uniq_review_mark")]

    def __str__(self) -> str:
        return f"Mark of {self.entry_id} in {self.review_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Review.objects.for_org(self.organisation_id).filter(pk=self.review_id, status=ReviewStatus.SIGNED).exists():
            raise ReviewSignedError("This review has been signed off and cannot be changed.")
        super().save(*args, **kwargs)


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Spreadsheet (XLSX)"
    PDF = "pdf", "PDF"


def export_path(instance: models.Model, filename: str) -> str:  # used by old migrations
    return f"register-exports/{instance.organisation_id}/{filename}"  # type: ignore[attr-defined]
