"""People, what their job role requires, and the evidence that they meet it:
DBS checks, training records and policy sign-off; plus spreadsheet imports."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from governance.models import PolicyVersion  # noqa: F401 -- the one model of a policy's versions (governance's policies register)
from safeguard.tenancy.named import NamedList
from safeguard.tenancy.scoping import TenantModel


def add_years(start: date, years: int) -> date:
    """``start`` plus whole years. 29 February becomes 28 February in a year with no 29th
    (the certificate lasts until the last day of February, never into March)."""
    return start + relativedelta(years=years)


def _private_path(prefix: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"training/{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def evidence_path(instance: models.Model, filename: str) -> str:
    return _private_path("evidence", filename)


def policy_path(instance: models.Model, filename: str) -> str:  # kept for old migrations
    return _private_path("policies", filename)


def import_path(instance: models.Model, filename: str) -> str:
    return _private_path("imports", filename)


class DBSLevel(models.TextChoices):
    NONE = "none", "No DBS check"
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


DBS_RANK = {DBSLevel.NONE: 0, DBSLevel.BASIC: 1, DBSLevel.STANDARD: 2, DBSLevel.ENHANCED: 3,
            DBSLevel.ENHANCED_BARRED: 4}


class Course(NamedList):
    """A course the organisation tracks, e.g. "Safeguarding" with levels 1 to 3."""

    levels = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="How many levels the course has (1 if it has none).",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_training_course_name")]


class JobRole(NamedList):
    """A job role and what it requires: a DBS level, courses at levels, refresh intervals."""

    dbs_level = models.CharField(max_length=20, choices=DBSLevel.choices, default=DBSLevel.NONE)
    dbs_renewal_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Leave empty to use the organisation's setting.",
    )
    training_refresh_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Leave empty to use the organisation's setting.",
    )

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_training_jobrole_name")]

    @property
    def needs_dbs(self) -> bool:
        return self.dbs_level != DBSLevel.NONE


class Requirement(TenantModel):
    """A course a job role must hold, at least at ``level``."""

    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="requirements")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="requirements")
    level = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["course__name"]
        constraints = [models.UniqueConstraint(fields=["job_role", "course"], name="uniq_training_requirement")]

    def __str__(self) -> str:
        return f"{self.course} level {self.level}"


class Person(TenantModel):
    """Someone whose vetting and training is tracked; not everyone has a login."""

    class Kind(models.TextChoices):
        COLLEAGUE = "colleague", "Colleague"
        VOLUNTEER = "volunteer", "Volunteer"
        BOARD = "board", "Board member"
        CONTRACTOR = "contractor", "Contractor"

    reference = models.CharField("employee or person reference", max_length=40, blank=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField("e-mail address", blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COLLEAGUE)
    membership = models.OneToOneField(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="training_person"
    )
    job_role = models.ForeignKey(JobRole, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    department = models.ForeignKey(
        "tenancy.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(max_length=120, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=0, help_text="Raised on every save, to catch concurrent edits.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], condition=~models.Q(reference=""),
                                    name="uniq_training_person_reference",
                                    violation_error_message="Someone in your organisation already has this reference"),
        ]
        indexes = [models.Index(fields=["organisation", "email"]), models.Index(fields=["organisation", "team"])]

    def __str__(self) -> str:
        return self.full_name


class Correctable(models.Model):
    """Fields shared by DBS checks and training records that HR can correct or mark entered in error.

    A record entered in error stays (with its history) but no longer counts anywhere."""

    version = models.PositiveIntegerField(default=0, help_text="Raised on every change, to catch concurrent edits.")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    error_reason = models.TextField("why it was entered in error", blank=True)

    class Meta:
        abstract = True

    @property
    def in_error(self) -> bool:
        return self.entered_in_error_at is not None


LIVE = models.Q(entered_in_error_at__isnull=True)


class DBSCheck(TenantModel, Correctable):
    """A DBS certificate seen by the organisation; renewal is due ``renews_on``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dbs_checks")
    level = models.CharField(max_length=20, choices=DBSLevel.choices[1:])
    certificate_number = models.CharField(
        max_length=12, validators=[RegexValidator(r"^\d{12}$", "Enter the 12 digits of the certificate number")]
    )
    issued_on = models.DateField("issue date")
    update_service = models.BooleanField("subscribed to the DBS update service", default=False)
    renews_on = models.DateField("next renewal")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "certificate_number"], condition=LIVE,
                                               name="uniq_training_dbs_cert")]
        indexes = [models.Index(fields=["person", "-issued_on"]), models.Index(fields=["renews_on"])]

    def __str__(self) -> str:
        return f"DBS {self.get_level_display()} issued {self.issued_on:%d %b %Y}"

    @property
    def masked_number(self) -> str:
        return "*" * 8 + self.certificate_number[-4:]


class TrainingRecord(TenantModel, Correctable):
    """A course completed by a person, valid until ``expires_on``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    level = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField("completion date")
    expires_on = models.DateField("expiry date")
    evidence = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "course", "level", "completed_on"], condition=LIVE,
                                               name="uniq_training_record")]
        indexes = [models.Index(fields=["person", "course", "-expires_on"]), models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.course} level {self.level} completed {self.completed_on:%d %b %Y}"


class PolicyAcknowledgement(TenantModel):
    """A person asked to read a policy version; ``signed_at`` once they confirm they have."""

    version = models.ForeignKey("governance.PolicyVersion", on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acknowledgements")
    signed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version__published_at"]
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="uniq_training_ack")]

    def __str__(self) -> str:
        return f"{self.version} for {self.person_id}"


def export_path(instance: models.Model, filename: str) -> str:  # used by old migrations
    return _private_path("exports", filename)


class ImportKind(models.TextChoices):
    """What an uploaded spreadsheet holds (a ``training.import`` background job's ``params["kind"]``)."""

    PEOPLE = "people", "People"
    DBS = "dbs", "DBS checks"
    TRAINING = "training", "Training completions"
