"""Policies register: every safeguarding-related policy and its published versions.

The safeguarding policy that staff sign in training is one of these policies (``staff_sign_off``);
training's acknowledgements point at its versions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import AllOrgsManager, OrgManager, OrgQuerySet, TenantModel

from .common import Record, document_path


class PolicyKind(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding (overall)"
    ADULTS = "adults", "Safeguarding adults"
    CHILDREN = "children", "Safeguarding children"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    WHISTLEBLOWING = "whistleblowing", "Whistleblowing"
    HOARDING = "hoarding", "Hoarding"
    SAFER_RECRUITMENT = "safer_recruitment", "Safer recruitment"
    ALLEGATIONS = "allegations", "Allegations against colleagues"
    DATA_SHARING = "data_sharing", "Information sharing"
    OTHER = "other", "Other"


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    UNDER_REVIEW = "under_review", "Under review"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Policies that are in force and so can be out of date.
LIVE_POLICY_STATUSES = (PolicyStatus.APPROVED, PolicyStatus.UNDER_REVIEW)


class PolicyQuerySet(OrgQuerySet):
    def live(self) -> PolicyQuerySet:
        return self.filter(status__in=LIVE_POLICY_STATUSES)

    def out_of_date(self, on: date | None = None) -> PolicyQuerySet:
        """Policies in force whose review date has passed: out of date the day after ``review_on``."""
        on = on or timezone.localdate()
        return self.live().filter(review_on__lt=on)

    def in_date(self, on: date | None = None) -> PolicyQuerySet:
        on = on or timezone.localdate()
        return self.live().filter(review_on__gte=on)


class Policy(TenantModel, Record):
    title = models.CharField(max_length=200)
    kind = models.CharField("category", max_length=30, choices=PolicyKind.choices, default=PolicyKind.OTHER)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="The person who keeps the policy up to date.")
    approving_body = models.CharField(max_length=200, blank=True, help_text="For example: the Board, the Executive Team.")
    approved_on = models.DateField("approval date", null=True, blank=True)
    effective_on = models.DateField("effective date", null=True, blank=True)
    review_on = models.DateField("review date")
    status = models.CharField(max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.APPROVED)
    staff_sign_off = models.BooleanField(
        "staff sign this policy", default=False,
        help_text="The policy everyone is asked to read and sign in training (one per organisation).",
    )
    notes = models.TextField(blank=True)

    objects = OrgManager.from_queryset(PolicyQuerySet)()  # type: ignore[misc]
    all_orgs = AllOrgsManager.from_queryset(PolicyQuerySet)()  # type: ignore[misc]

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]
        base_manager_name = "all_orgs"
        default_manager_name = "objects"
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="uniq_governance_policy_title",
                                    violation_error_message="Your organisation already has a policy with this title"),
            models.UniqueConstraint(fields=["organisation"], condition=models.Q(staff_sign_off=True),
                                    name="uniq_governance_policy_staff_sign_off",
                                    violation_error_message="Another policy is already the one staff sign"),
        ]
        indexes = [models.Index(fields=["organisation", "review_on"])]

    def __str__(self) -> str:
        return self.title

    def out_of_date(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status in LIVE_POLICY_STATUSES and self.review_on < on


class PolicyVersion(TenantModel):
    """A published version of a policy, with its document; the newest is the current one."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField("version", max_length=40)
    document = models.FileField(upload_to=document_path, blank=True, max_length=255)
    document_name = models.CharField(max_length=200, blank=True)
    changes = models.TextField("what changed", blank=True)
    published_on = models.DateField(default=timezone.localdate)
    review_on = models.DateField("review date set with this version", null=True, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["policy", "label"], name="uniq_governance_policy_version_label",
                                               violation_error_message="This policy already has a version with this label")]

    def __str__(self) -> str:
        return f"{self.policy.title} {self.label}"


def _status_text(self: Policy) -> str:
    return "Out of date" if self.out_of_date() else self.get_status_display()


Policy.status_text = property(_status_text)  # type: ignore[attr-defined]
