"""The organisation administrator's forms for API tokens and webhook subscriptions (GOV.UK)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils import timezone

from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.roles import Role

from .models import ApiToken, Event, Scope
from .tokens import SERVICE_ROLES

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


class TokenForm(forms.Form):
    name = forms.CharField(label="Name of the token", max_length=100,
                           help_text="What it is for, for example 'Housing system'",
                           error_messages={"required": "Enter a name for the token"})
    account_name = forms.CharField(label="Name of the service account", max_length=200,
                                   help_text="The token acts as this account: concerns it reports name it as the reporter",
                                   error_messages={"required": "Enter a name for the service account"})
    role = forms.ChoiceField(label="Role of the service account",
                             choices=[(r, Role(r).label) for r in SERVICE_ROLES],
                             help_text="What lookups may say follows this role, as in the browser",
                             error_messages={"required": "Choose the role of the service account"})
    scopes = forms.MultipleChoiceField(label="What the token may do", choices=Scope.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Choose at least one thing the token may do"})
    expires_on = forms.DateField(label="Expires on", widget=DATE_WIDGET,
                                 help_text="At most one year from today",
                                 error_messages={"required": "Enter the date the token expires",
                                                 "invalid": "Enter a real date, for example 14/11/2027"})

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["role"].widget.attrs["class"] = "govuk-select"
        self.helper = gds_helper(self, "Create token")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ApiToken.objects.for_org(self.org).filter(name__iexact=name).exists():
            raise forms.ValidationError("There is already a token with this name")
        return name

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError("The expiry date must be in the future")
        if value > today + timedelta(days=365):
            raise forms.ValidationError("A token can last at most one year")
        return value

    def expires_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["expires_on"], time(23, 59, 59)))


def _internal_address(host: str) -> bool:
    """An address on this machine or a private network: never a webhook's target."""
    import ipaddress

    if host.lower() in {"localhost", "localhost.localdomain"} or host.lower().endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast


def allowed_webhook_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname and not _internal_address(parts.hostname):
        return True
    # Tests only: a receiver on this machine over plain HTTP.
    return bool(getattr(settings, "API_WEBHOOKS_ALLOW_LOCAL_HTTP", False) and parts.scheme == "http"
                and parts.hostname == "127.0.0.1")


class WebhookForm(forms.Form):
    url = forms.URLField(label="Address (HTTPS)", max_length=500, assume_scheme="https",
                         help_text="For example https://housing.example.org/safeguard-events",
                         error_messages={"required": "Enter the address to send events to",
                                         "invalid": "Enter a web address, for example https://housing.example.org/events"})
    events = forms.MultipleChoiceField(label="Events to send", choices=Event.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Choose at least one event"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Add subscription")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not allowed_webhook_url(url):
            raise forms.ValidationError("The address must start with https:// and be on the internet, not a "
                                        "private network")
        return url
