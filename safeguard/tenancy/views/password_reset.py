"""Asking for a password-reset link: recorded in the outbox and answered at once.

The request writes one ``PasswordResetRequest`` row whether or not an account has the address, and
redirects to the same page either way; the worker e-mails the link (``deliver_password_resets``),
so a mail-server outage neither loses it nor shows in the response time. Requests are limited per
address and per client address (over the limit, the same page, and nothing is sent).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..forms import gds_helper
from ..models import Notification, PasswordResetRequest, User
from ..notifications import enqueue_pending_emails

log = logging.getLogger("safeguard.accounts")

PER_ADDRESS_PER_HOUR = 3
PER_CLIENT_PER_HOUR = 20


class PasswordResetForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Send reset link")


def _digest(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def request_reset(email: str, client: str) -> bool:
    """Record a request (and queue its e-mail when an account has the address); False when over a limit."""
    address, who = _digest("address", email.strip().lower()), _digest("client", client or "unknown")
    since = timezone.now() - timedelta(hours=1)
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    if (recent.filter(address_digest=address).count() >= PER_ADDRESS_PER_HOUR
            or recent.filter(client_digest=who).count() >= PER_CLIENT_PER_HOUR):
        log.warning("password reset refused: over the hourly limit")
        return False
    candidates = User.objects.filter(email__iexact=email.strip(), is_active=True)
    user = next((u for u in candidates[:1] if u.has_usable_password()), None)
    PasswordResetRequest.objects.create(
        address_digest=address, client_digest=who, user=user,
        email_status=Notification.EmailStatus.PENDING if user else Notification.EmailStatus.NOT_NEEDED)
    transaction.on_commit(enqueue_pending_emails)
    return True


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_reset(form.cleaned_data["email"], get_client_ip_address(request) or "")
        return redirect("password_reset_done")  # the same answer whatever happened
    return render(request, "registration/password_reset_form.html", {"form": form})
