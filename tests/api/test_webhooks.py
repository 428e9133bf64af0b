"""Webhooks: a real receiver on this machine gets each event once, signed, and later when it was down."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from safeguard.api.models import WebhookDelivery
from safeguard.api.tasks import deliver_pending
from safeguard.api.webhooks import SIGNATURE_HEADER, do_subscribe, verify
from safeguard.tenancy import flags
from safeguard.tenancy.roles import Role
from tests.cases.helpers import report

from .helpers import auth, concern_body, token


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every request it gets."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append({"headers": dict(self.headers), "body": body})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


def _subscribe(world, url):
    return do_subscribe(world.org, url=url, events=["concern.reported", "case.allocated", "flag.raised"],
                        acting_user=world.members[Role.ORG_ADMIN])


def test_it_delivers_each_event_once_signed_and_by_reference_only(client, world, settings, receiver) -> None:
    settings.API_WEBHOOKS_ALLOW_LOCAL_HTTP = True
    sub = _subscribe(world, f"http://127.0.0.1:{receiver.port}/events")
    _, secret = token(world)
    response = client.post("/api/v1/concerns", json.dumps(concern_body(world)), content_type="application/json",
                           **auth(secret))
    case = Case.objects.for_org(world.org).get(pk=response.json()["id"])
    from cases import actions

    actions.do_allocate(case, officer=world.members["case_officer"], concern_type=case.concern_type,
                        version=case.version, acting_user=world.members["case_manager"])
    flags.sync(kind="api-test", needing=Case.all_orgs.filter(pk=case.pk), recipients=lambda ids: [],
               title=lambda r: "Test", url=lambda r: "/")
    flags.sync(kind="api-test", needing=Case.all_orgs.filter(pk=case.pk), recipients=lambda ids: [],
               title=lambda r: "Test", url=lambda r: "/")  # the same flag again: no second event
    assert deliver_pending() == 3
    assert deliver_pending() == 0
    events = [r["headers"]["Safeguard-Event"] for r in receiver.received]
    assert sorted(events) == ["case.allocated", "concern.reported", "flag.raised"]
    for r in receiver.received:
        assert verify(sub.secret, r["body"], r["headers"][SIGNATURE_HEADER])
        assert not verify("whsec_wrong", r["body"], r["headers"][SIGNATURE_HEADER])
        body = r["body"].decode()
        assert "Robin" not in body and "Testwell" not in body
    reported = json.loads(next(r["body"] for r in receiver.received
                               if r["headers"]["Safeguard-Event"] == "concern.reported"))
    assert reported["data"]["reference"] == case.reference


def test_it_delivers_later_when_the_receiver_was_down(world, settings) -> None:
    settings.API_WEBHOOKS_ALLOW_LOCAL_HTTP = True
    down = Receiver()  # bound but not answering yet: connections wait, so close it and reuse its port
    port = down.port
    down.server.server_close()
    _subscribe(world, f"http://127.0.0.1:{port}/events")
    report(world)
    assert deliver_pending() == 0
    row = WebhookDelivery.objects.for_org(world.org).get()
    assert row.email_attempts == 1 and row.next_attempt_at is not None
    up = Receiver.__new__(Receiver)
    received: list[bytes] = []  # the raw bodies this receiver got

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    up.server = HTTPServer(("127.0.0.1", port), Handler)
    up.thread = threading.Thread(target=up.server.serve_forever, daemon=True)
    up.start()
    try:
        assert deliver_pending() == 0  # not before its next attempt
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            assert deliver_pending() == 1
            assert deliver_pending() == 0
    finally:
        up.stop()
    assert len(received) == 1
    assert WebhookDelivery.objects.for_org(world.org).get().email_status == "sent"


def test_it_accepts_only_https_addresses(client, world) -> None:
    client.force_login(world.members[Role.ORG_ADMIN])
    refused = client.post("/organisation/api/webhooks/", {"url": "http://housing.example.org/e",
                                                          "events": ["concern.reported"]})
    assert refused.status_code == 400 and "https://" in refused.content.decode()
    internal = client.post("/organisation/api/webhooks/", {"url": "https://10.1.2.3/e", "events": ["flag.raised"]})
    assert internal.status_code == 400 and "private network" in internal.content.decode()
    made = client.post("/organisation/api/webhooks/", {"url": "https://housing.example.org/e",
                                                       "events": ["concern.reported"]})
    assert made.status_code == 200 and made.context["subscription"].secret in made.content.decode()


def test_it_never_sends_an_allegation_against_a_colleague(world) -> None:
    _subscribe(world, "https://housing.example.org/events")
    report(world, is_colleague_allegation=True)
    assert not WebhookDelivery.objects.for_org(world.org).exists()


def test_it_never_calls_a_name_that_resolves_to_this_machine(world) -> None:
    from safeguard.api.webhooks import post

    with pytest.raises(OSError, match="private or local"):
        post(("https://localhost/events", "whsec_x", "concern.reported", b'{"id": "x"}'))
