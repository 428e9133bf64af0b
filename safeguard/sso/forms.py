from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from safeguard.tenancy.forms import gds_helper

from .models import IdentityProvider


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Kept encrypted. Leave blank to keep the secret already saved.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = IdentityProvider
        fields = [
            "is_enabled",
            "button_label",
            "issuer",
            "client_id",
            "allowed_domains",
            "password_signin_off",
            "accept_provider_mfa",
            "accepted_acr_values",
            "users_endpoint",
            "users_endpoint_scope",
        ]
        widgets = {
            "issuer": forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
            "users_endpoint": forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        }
        error_messages = {
            "issuer": {
                "required": "Enter the issuer URL from your identity provider",
                "invalid": "Enter the issuer as a web address starting https://",
            },
            "client_id": {"required": "Enter the client ID (application ID) from your identity provider"},
            "allowed_domains": {"required": "Enter at least one e-mail domain, for example contoso.org.uk"},
            "button_label": {
                "required": 'Enter what the button says, for example "Sign in with Contoso Entra ID"'
            },
            "users_endpoint": {"invalid": "Enter the users endpoint as a web address starting https://"},
        }

    def __init__(self, *args: Any, has_secret: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = gds_helper(self, "Save single sign-on settings")

    def clean_allowed_domains(self) -> str:
        value = self.cleaned_data["allowed_domains"]
        domains = [d.strip().lower().lstrip("@") for d in value.split(",") if d.strip()]
        bad = [d for d in domains if "." not in d or " " in d or "/" in d]
        if not domains:
            raise forms.ValidationError("Enter at least one e-mail domain, for example contoso.org.uk")
        if bad:
            raise forms.ValidationError(f"{bad[0]} is not an e-mail domain: write only the part after the @")
        return ", ".join(dict.fromkeys(domains))

    def clean_issuer(self) -> str:
        value = self.cleaned_data["issuer"]
        if not value.startswith("https://") and not (
            settings.DEBUG or settings.TESTING
        ):  # local test providers
            raise forms.ValidationError("Enter the issuer as a web address starting https://")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_enabled") and not (data.get("client_secret") or self.has_secret):
            self.add_error("client_secret", "Enter the client secret before switching single sign-on on")
        if data.get("users_endpoint") and "{id}" not in data["users_endpoint"]:
            self.add_error("users_endpoint", "Put {id} where the person's directory id goes")
        return data
