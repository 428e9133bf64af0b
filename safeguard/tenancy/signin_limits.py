"""Limits on signing in that no one can turn against someone else.

django-axes locks out the pair (e-mail, client address): five wrong passwords for an e-mail
from one address lock only that e-mail from that address, so an attacker elsewhere cannot lock
the person out. Separately, one client address is throttled after many failures (50 in 30
minutes by default) whatever the e-mails, so guessing across accounts is slowed without locking
out everyone behind a shared proxy or office network after five typos. The client address is
read from ``X-Forwarded-For`` as written by the trusted proxies (``TRUSTED_PROXY_COUNT``), never
from what the client itself put there.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address that connected to the outermost trusted proxy.

    Each proxy appends the address it received the request from, so with N trusted proxies the
    client is the N-th entry from the right; anything further left was written by the client and
    is ignored. Without the header (or with fewer entries than proxies) the request did not come
    through the proxies, and the connecting address is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            found = _valid(forwarded[-proxies])
            if found is not None:
                return found
    return _valid(remote) or remote or None


def username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """E-mails differ only in case and spaces for the lock-out: ``Ann@x`` and ``ann@x `` are one."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value).strip().lower()[:255] if value is not None else None


def failures_from_address(address: str | None) -> int:
    if not address:
        return 0
    since = timezone.now() - timedelta(minutes=settings.SIGNIN_ADDRESS_WINDOW_MINUTES)
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class PairAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes ships no types
    """Axes' database handler, with the per-address throttle added to the per-pair lock-out."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair: int = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None) or client_ip(request)
        if failures_from_address(address) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            limit: int = get_failure_limit(request, credentials)
            return max(pair, limit)
        return pair
