"""API tokens, webhook subscriptions and the webhook outbox (issue 13).

A token's secret is shown once; only its sha256 is stored, with a short prefix to find it.
Each token acts as its own service account (a ``Membership`` of the organisation whose user
cannot sign in): that membership's role decides what the API may answer, as in the browser.
Webhook deliveries are outbox rows like ``Notification``: the same ``email_*`` state fields,
sent by ``safeguard.tenancy.notifications.deliver_outbox`` with its retries and backoff.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from safeguard.tenancy.models import Membership, Notification, User
from safeguard.tenancy.scoping import TenantModel


class Scope(models.TextChoices):
    CONCERNS_WRITE = "concerns:write", "Report concerns (concerns:write)"
    CASES_LOOKUP = "cases:lookup", "Look up whether a person or tenancy has open cases (cases:lookup)"
    BOARD_READ = "board:read", "Read register counts and the RAG rating (board:read)"
    PEOPLE_IMPORT = "people:import", "Import people, DBS checks and training records (people:import)"
    WEBHOOKS_READ = "webhooks:read", "Read the webhook subscriptions (webhooks:read)"


class Event(models.TextChoices):
    CONCERN_REPORTED = "concern.reported", "A concern is reported (concern.reported)"
    CASE_ALLOCATED = "case.allocated", "A case is allocated (case.allocated)"
    FLAG_RAISED = "flag.raised", "A daily flag is raised (flag.raised)"


class ApiToken(TenantModel):
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)  # "sgk_" + 8 characters, shown in lists
    secret_hash = models.CharField(max_length=64)  # sha256 hex of the whole token
    scopes = models.JSONField(default=list)
    service_account = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_api_token_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class WebhookSubscription(TenantModel):
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)  # the signing key; shown once when made
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class WebhookDelivery(TenantModel):
    """One event for one subscription: an outbox row, delivered once (``event_id`` unique per subscription)."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    event_id = models.CharField(max_length=120)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    # The outbox state, named as on Notification so deliver_outbox sends these too.
    email_status = models.CharField(max_length=20, choices=Notification.EmailStatus.choices,
                                    default=Notification.EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event_id"], name="uniq_webhook_event")]
        indexes = [models.Index(fields=["email_status", "created_at"])]
