"""An organisation's identity provider (OpenID Connect) and the people signed in through it."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from . import fieldcrypt

# RFC 8176 authentication method references that mean more than a password was used.
MFA_AMR_VALUES = frozenset({"mfa", "otp", "hwk", "sc", "fpt", "face", "iris"})


class IdentityProvider(TenantModel):
    """One OpenID Connect provider per organisation (Entra ID, Google Workspace, ...)."""

    organisation = models.OneToOneField(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="identity_provider"
    )
    is_enabled = models.BooleanField("Single sign-on is on", default=False)
    issuer = models.URLField(
        "Issuer or discovery URL",
        max_length=500,
        help_text="For Entra ID: https://login.microsoftonline.com/TENANT-ID/v2.0 (your directory (tenant) ID). "
        "For Google Workspace: https://accounts.google.com",
    )
    client_id = models.CharField("Client ID (application ID)", max_length=255)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    allowed_domains = models.CharField(
        "Allowed e-mail domains",
        max_length=1000,
        help_text="Separate domains with commas, for example contoso.org.uk, contoso.com",
    )
    button_label = models.CharField(
        "Button label",
        max_length=100,
        help_text='What the sign-in button says, for example "Sign in with Contoso Entra ID"',
    )
    password_signin_off = models.BooleanField(
        "Switch password sign-in off",
        default=False,
        help_text="People who belong only to this organisation can then sign in only with the button.",
    )
    accept_provider_mfa = models.BooleanField(
        "Accept the provider's multi-factor sign-in as two-factor",
        default=False,
        help_text="When the provider says it used more than a password (the amr claim says mfa, otp or a hardware key, "
        "or the acr claim is one of the values below), people are not asked for the app's own code.",
    )
    accepted_acr_values = models.CharField(
        "Accepted acr values",
        max_length=500,
        blank=True,
        help_text="Optional. Separate values with spaces; these are also asked for at sign-in.",
    )
    users_endpoint = models.URLField(
        "Users endpoint for the nightly leavers check",
        max_length=500,
        blank=True,
        help_text="Optional. {id} is replaced by the person's directory id, for example "
        "https://graph.microsoft.com/v1.0/users/{id}?$select=accountEnabled",
    )
    users_endpoint_scope = models.CharField(
        "Scope for the users endpoint",
        max_length=255,
        blank=True,
        help_text="For Microsoft Graph: https://graph.microsoft.com/.default",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["client_secret_encrypted"])

    def __str__(self) -> str:
        return self.button_label

    @property
    def client_secret(self) -> str:
        return fieldcrypt.decrypt(self.client_secret_encrypted)

    def set_client_secret(self, value: str) -> None:
        self.client_secret_encrypted = fieldcrypt.encrypt(value)

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.allowed_domains.split(",") if d.strip()]

    @property
    def acr_values(self) -> list[str]:
        return self.accepted_acr_values.split()

    @property
    def discovery_url(self) -> str:
        url = self.issuer.rstrip("/")
        if url.endswith("/.well-known/openid-configuration"):
            return url
        return url + "/.well-known/openid-configuration"


class ExternalIdentity(TenantModel):
    """Who a member is at the organisation's provider: kept for the nightly leavers check."""

    membership = models.OneToOneField(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="external_identity"
    )
    subject = models.CharField(max_length=255)
    directory_id = models.CharField(max_length=255, help_text="The oid claim (Entra ID), else the subject.")
    last_signed_in_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "subject"], name="sso_identity_subject_once")
        ]

    def __str__(self) -> str:
        return self.subject
