"""Lock-out that no one can turn against someone else (issue 8 item 4)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from safeguard.tenancy.roles import Role
from tests.factories import PASSWORD, World

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from it


def _sign_in(email: str, password: str, *, client_ip: str, xff_prefix: str = ""):
    """A request through the proxy, which appends the address it received the request from."""
    forwarded = f"{xff_prefix}, {client_ip}" if xff_prefix else client_ip
    return Client().post(reverse("login"), {"username": email, "password": password},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_it_does_not_let_an_attacker_elsewhere_lock_a_person_out(world: World) -> None:
    victim = world.members[Role.DSL].email
    for _ in range(8):
        _sign_in(victim, "guessing-wrong-1", client_ip="198.51.100.7")
    assert _sign_in(victim, PASSWORD, client_ip="198.51.100.7").status_code == 429  # the attacker is stopped
    assert _sign_in(victim, PASSWORD, client_ip="203.0.113.20").status_code == 302  # the victim is not


def test_it_ignores_addresses_the_client_writes_into_x_forwarded_for(world: World) -> None:
    victim = world.members[Role.DSL].email
    for n in range(6):  # a new forged left-most address each time does not reset the count
        _sign_in(victim, "guessing-wrong-1", client_ip="198.51.100.7", xff_prefix=f"192.0.2.{n}")
    assert _sign_in(victim, PASSWORD, client_ip="198.51.100.7", xff_prefix="192.0.2.99").status_code == 429


def test_it_counts_an_email_however_it_is_capitalised(world: World) -> None:
    victim = world.members[Role.DSL].email
    for variant in (victim, victim.upper(), f" {victim}", victim.title(), victim.capitalize()):
        _sign_in(variant, "guessing-wrong-1", client_ip="198.51.100.7")
    assert _sign_in(victim, PASSWORD, client_ip="198.51.100.7").status_code == 429


def test_it_does_not_lock_out_everyone_behind_one_address_for_invented_emails(world: World, settings) -> None:
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 12
    office = "203.0.113.50"  # one office network, many users
    for n in range(11):
        _sign_in(f"invented-{n}@example.test", "whatever-123", client_ip=office)
    assert _sign_in(world.members[Role.NSO].email, PASSWORD, client_ip=office).status_code == 302
    _sign_in("invented-last@example.test", "whatever-123", client_ip=office)  # the 12th failure
    # Now the address itself is throttled, for real and invented e-mails alike; other addresses are not.
    assert _sign_in(world.members[Role.DSL].email, PASSWORD, client_ip=office).status_code == 429
    assert _sign_in(world.members[Role.DSL].email, PASSWORD, client_ip="203.0.113.51").status_code == 302


def test_it_defaults_to_fifty_failures_per_address_in_thirty_minutes(settings) -> None:
    assert settings.SIGNIN_ADDRESS_FAILURE_LIMIT == 50 and settings.SIGNIN_ADDRESS_WINDOW_MINUTES == 30
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]] and settings.AXES_FAILURE_LIMIT == 5


def test_it_answers_the_same_for_a_locked_real_account_and_an_invented_one(world: World) -> None:
    real, invented = world.members[Role.DSL].email, "no-such-person@oakridge.test"
    pages = {}
    for email in (real, invented):
        first = _sign_in(email, "guessing-wrong-1", client_ip="198.51.100.7")
        assert first.status_code == 200 and "Enter a correct e-mail address and password" in first.content.decode()
        for _ in range(4):
            _sign_in(email, "guessing-wrong-1", client_ip="198.51.100.7")
        locked = _sign_in(email, "guessing-wrong-1", client_ip="198.51.100.7")
        pages[email] = (locked.status_code, locked.content.decode().replace(email, "EMAIL"))
    assert pages[real][0] == pages[invented][0] == 429
    def same_parts(page: str) -> str:  # the CSRF token and the CSP nonce differ on every response
        return re.sub(r'(value|nonce)="[^"]*"', r'\1=""', page)

    assert same_parts(pages[real][1]) == same_parts(pages[invented][1])
    words = re.sub(r"<[^>]+>", " ", pages[real][1].split("<main", 1)[-1].split("</main>")[0]).lower()
    assert "too many attempts" in words and "account" not in words


def test_it_reads_the_client_from_the_proxy_count(rf, settings) -> None:
    from safeguard.tenancy.signin_limits import client_ip

    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7, 10.0.0.9")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")) == PROXY
    assert client_ip(rf.get("/", REMOTE_ADDR="198.51.100.8")) == "198.51.100.8"
