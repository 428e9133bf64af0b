"""Organisations (the tenants), their areas and departments, people and roles,
notifications, flags raised by scheduled jobs, and the audit log."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .named import NamedList
from .roles import Grant, Role
from .scoping import TenantModel


class EmailUserManager(UserManager["User"]):
    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        user = self._create_user_object(username, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra)


class User(AbstractUser):
    """A person who can sign in. Identified by e-mail; may belong to several organisations."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = EmailUserManager()  # type: ignore[misc]
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


# The sensible range of each organisation interval (issue 8 item 6): a value outside it is
# refused with "Enter a number from 1 to 31", never stored to break date arithmetic later.
INTERVAL_BOUNDS: dict[str, tuple[int, int]] = {
    "action_interval_safeguarding_days": (1, 31),
    "action_interval_wow_days": (1, 31),
    "alert_deadline_working_days": (1, 10),
    "immediate_risk_action_working_days": (1, 5),
    "referral_response_days": (1, 60),
    "register_review_interval_months": (1, 12),
    "dbs_renewal_years": (1, 10),
    "training_refresh_years": (1, 10),
}


def interval_validators(name: str) -> list[Any]:
    low, high = INTERVAL_BOUNDS[name]
    message = f"Enter a number from {low} to {high}"
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


class Organisation(models.Model):
    """A tenant: a housing association, a housing group or a council, with its own settings."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    is_active = models.BooleanField(default=True)
    require_two_factor = models.BooleanField(
        default=False, help_text="Everyone must sign in with an authenticator app code."
    )
    action_interval_safeguarding_days = models.PositiveSmallIntegerField(
        default=7, validators=interval_validators("action_interval_safeguarding_days"))
    action_interval_wow_days = models.PositiveSmallIntegerField(
        default=14, validators=interval_validators("action_interval_wow_days"))
    # Working days by the end of which the first action on an immediate-risk concern is due.
    immediate_risk_action_working_days = models.PositiveSmallIntegerField(
        default=1, validators=interval_validators("immediate_risk_action_working_days"))
    alert_deadline_working_days = models.PositiveSmallIntegerField(
        default=1, validators=interval_validators("alert_deadline_working_days"))
    referral_response_days = models.PositiveSmallIntegerField(
        default=10, validators=interval_validators("referral_response_days"))
    register_review_interval_months = models.PositiveSmallIntegerField(
        default=1, validators=interval_validators("register_review_interval_months"))
    dbs_renewal_years = models.PositiveSmallIntegerField(
        default=3, validators=interval_validators("dbs_renewal_years"))
    training_refresh_years = models.PositiveSmallIntegerField(
        default=3, validators=interval_validators("training_refresh_years"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(NamedList):
    """A local authority area the organisation works in (it has one register)."""

    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_area_name")]


class Department(NamedList):
    """A department such as Housing, Repairs and Assets, HR or Support."""

    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_department_name")]


class Membership(TenantModel):
    """A person's place in one organisation. Deactivating keeps their history."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    job_title = models.CharField(max_length=120, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation_id}"

    @cached_property
    def grants(self) -> dict[str, Grant]:
        """Role code -> grant; one query (prefetch ``role_assignments__areas/departments``, or the
        middleware's ``area_ids``/``department_ids`` annotations, to avoid it)."""
        result: dict[str, Grant] = {}
        for ra in self.role_assignments.all():
            if hasattr(ra, "area_ids"):  # annotated by the middleware's one query
                areas = frozenset(ra.area_ids) or None
                depts = frozenset(ra.department_ids) or None  # type: ignore[attr-defined]  # annotated with it
            else:
                areas = frozenset(a.pk for a in ra.areas.all()) or None
                depts = frozenset(d.pk for d in ra.departments.all()) or None
            result[ra.role] = Grant(ra.role, areas, depts)
        return result

    def has_role(self, *roles: str) -> bool:
        return any(r in self.grants for r in roles)

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.grants]


class RoleAssignment(TenantModel):
    """A role held by a membership, optionally limited to some areas or departments."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    areas = models.ManyToManyField(Area, blank=True, related_name="+")
    departments = models.ManyToManyField(Department, blank=True, related_name="+")

    history = HistoricalRecords(m2m_fields=[areas, departments])

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="uniq_role_per_membership")]

    def __str__(self) -> str:
        return Role(self.role).label


def _invite_token() -> str:
    return secrets.token_urlsafe(32)


def _invite_expiry() -> Any:
    return timezone.now() + timedelta(days=14)


class Invitation(TenantModel):
    """An invitation for someone to join the organisation with the given roles."""

    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120, blank=True)
    roles = models.JSONField(default=list)
    area_ids = models.JSONField(default=list, blank=True)
    department_ids = models.JSONField(default=list, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_invite_token)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invite_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Notification(TenantModel):
    """Something a person must know, stored with the event that caused it; e-mailed by a task."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        NOT_NEEDED = "not_needed", "Not e-mailed"
        FAILED = "failed", "Could not be sent"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)  # e-mailed: references only, never a name
    app_title = models.CharField(max_length=200, blank=True)  # shown in the app only: may name the colleague
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # after a failed attempt: not before then
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "recipient", "dedupe_key"],
                name="uniq_notification_once",
                condition=models.Q(dedupe_key__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["email_status", "created_at"]), models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """What the app shows (the e-mail always uses ``title``)."""
        return self.app_title or self.title


class PasswordResetRequest(models.Model):
    """One request for a password-reset link: the rate limit's record and the e-mail's outbox row.

    Written for every request, whether or not an account has the address (so the response and its
    time say nothing); only digests of the address and of the client are kept. ``user`` is set when
    an active account has the address; the link is made when the e-mail is sent, so no token is stored.
    """

    address_digest = models.CharField(max_length=64, db_index=True)
    client_digest = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    email_status = models.CharField(max_length=20, choices=Notification.EmailStatus.choices,
                                    default=Notification.EmailStatus.NOT_NEEDED)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email_status", "created_at"], name="tenancy_reset_outbox")]

    def __str__(self) -> str:
        return f"Password reset request {self.pk}"


class Flag(TenantModel):
    """A problem found by a scheduled job (an overdue action, a missed review...).

    Open while ``cleared_at`` is empty; the job that raised it clears it when the
    work is done. Kept afterwards, so reports and the RAG rating can count them.
    """

    kind = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    period = models.CharField(max_length=20, blank=True, help_text="e.g. 2026-11 for a monthly flag")
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "period"],
                condition=models.Q(cleared_at__isnull=True),
                name="uniq_open_flag",
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind", "cleared_at"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.content_type_id}:{self.object_id}"


class AuditEvent(TenantModel):
    """Who viewed, exported or changed access to something sensitive, and when."""

    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "action", "at"]), models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
