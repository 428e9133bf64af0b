"""Webhooks: an organisation's HTTPS endpoints told of events, by reference only, signed.

``emit`` writes one ``WebhookDelivery`` row per subscribed endpoint in the caller's transaction
(unique per endpoint and event id, so an event is queued once however often it is emitted); after
commit the worker delivers them through the same outbox as e-mail
(``safeguard.tenancy.notifications.deliver_outbox``: one row at a time, locked, its sent state
committed before the next, retried with backoff for three days). Payloads carry ids and case
references, never a name; allegations against a colleague are never sent.

Each POST carries ``Safeguard-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
subscription's secret>``, plus ``Safeguard-Event`` and ``Safeguard-Delivery`` (the event id, for the
receiver to drop a repeat).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.models import Organisation, User

from .models import WebhookDelivery, WebhookSubscription

log = logging.getLogger("safeguard.webhooks")
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "Safeguard-Signature"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int = 300, now: int | None = None) -> bool:
    """What a receiver does (documented in the README): check the time and the HMAC."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or int(time.time())) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


@transaction.atomic
def do_subscribe(org: Organisation, *, url: str, events: list[str], acting_user: User) -> WebhookSubscription:
    sub = WebhookSubscription.objects.create(organisation=org, url=url, events=sorted(set(events)),
                                             secret="whsec_" + secrets.token_urlsafe(32), created_by=acting_user)
    audit.record(org=org, actor=acting_user, action="webhook.subscribed", obj=sub, url=url, events=sub.events)
    return sub


@transaction.atomic
def do_unsubscribe(sub: WebhookSubscription, *, acting_user: User) -> None:
    sub.removed_at = timezone.now()
    sub.save(update_fields=["removed_at"])
    sub.deliveries.filter(email_status=WebhookDelivery._meta.get_field("email_status").default).update(
        email_status="not_needed")
    audit.record(org=sub.organisation, actor=acting_user, action="webhook.unsubscribed", obj=sub)


def emit(org_id: int, event: str, event_id: str, data: dict[str, Any]) -> int:
    """Queue ``event`` for each of the organisation's endpoints subscribed to it; delivered after commit."""
    subs = WebhookSubscription.objects.for_org(org_id).filter(removed_at__isnull=True, events__contains=[event])
    return dangerously_queue([(s, event, event_id, data) for s in subs])


def dangerously_emit_many(events: Iterable[tuple[int, str, str, dict[str, Any]]]) -> int:
    """``emit`` for events of several organisations at once (the daily flags, run across organisations)."""
    events = list(events)
    if not events:
        return 0
    org_ids = {e[0] for e in events}
    subs: dict[int, list[WebhookSubscription]] = {}
    for s in WebhookSubscription.all_orgs.filter(organisation_id__in=org_ids, removed_at__isnull=True):
        subs.setdefault(s.organisation_id, []).append(s)
    return dangerously_queue([(s, event, event_id, data) for org_id, event, event_id, data in events
                   for s in subs.get(org_id, []) if event in s.events])


def dangerously_queue(items: list[tuple[WebhookSubscription, str, str, dict[str, Any]]]) -> int:
    """Write the delivery rows of subscriptions already found (each row carries its subscription's organisation)."""
    rows = [WebhookDelivery(organisation_id=s.organisation_id, subscription=s, event=event, event_id=event_id,
                            payload={"id": event_id, "event": event, "organisation": s.organisation_id,
                                     "occurred_at": timezone.now().isoformat(), "data": data})
            for s, event, event_id, data in items]
    if not rows:
        return 0
    WebhookDelivery.all_orgs.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_delivery)
    return len(rows)


def enqueue_delivery() -> None:
    from .tasks import deliver_pending_webhooks

    try:
        deliver_pending_webhooks.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - broker down: the beat sweep delivers later
        log.warning("broker unavailable (%s); webhooks will be delivered by the next sweep", type(exc).__name__)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def message(row: WebhookDelivery) -> tuple[str, str, str, bytes] | None:
    sub = row.subscription
    if sub.removed_at is not None:
        return None
    return sub.url, sub.secret, row.event, json.dumps(row.payload, sort_keys=True).encode()


def _refuse_internal(url: str) -> None:
    """A name that resolves to this machine or a private network is never called (checked at each send)."""
    import socket
    from urllib.parse import urlsplit

    from django.conf import settings

    from .forms import _internal_address

    host = urlsplit(url).hostname or ""
    if getattr(settings, "API_WEBHOOKS_ALLOW_LOCAL_HTTP", False) and host == "127.0.0.1":
        return
    for info in socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP):
        if _internal_address(str(info[4][0])):
            raise OSError(f"{host} resolves to a private or local address")


def post(what: tuple[str, str, str, bytes]) -> None:
    """POST one delivery; anything but a 2xx answer raises (and the outbox retries later)."""
    url, secret, event, body = what
    _refuse_internal(url)
    payload = json.loads(body)
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - https (or test http) only
        "Content-Type": "application/json", "User-Agent": "Safeguard-Webhooks/1",
        "Safeguard-Event": event, "Safeguard-Delivery": payload["id"],
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
    })
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"endpoint answered {response.status}")
