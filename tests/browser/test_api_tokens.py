"""The administrator makes an API token (shown once), the token reports a concern, and they revoke it, in Chromium."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.utils import timezone

from tests.factories import make_world


def _report(live_url: str, secret: str, world) -> int:
    body = {"immediate_risk": False, "concern_type": "safeguarding", "area_id": world.area.pk,
            "department_id": world.department.pk, "source": "colleague",
            "happened_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "what_happened": "Shouting heard at night.", "people": [{"full_name": "Robin Testwell"}]}
    request = urllib.request.Request(  # noqa: S310 - the live test server
        f"{live_url}/api/v1/concerns", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - the live test server
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_it_lets_an_administrator_make_use_and_revoke_a_token(page, live_url, login, axe_check, shot) -> None:
    world = make_world()
    login(page, world.members["org_admin"])
    page.goto("/organisation/settings/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("button", name="Create token").click()  # nothing filled in: plain-words errors
    assert "Enter a name for the token" in page.content()
    axe_check(page)
    page.get_by_label("Name of the token").fill("Housing system")
    page.get_by_label("Name of the service account").fill("Orchard housing system")
    page.get_by_label("Role of the service account").select_option("case_manager")
    page.get_by_label("Report concerns (concerns:write)").check()
    page.get_by_label("Expires on").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state()
    secret = page.get_by_test_id("token-secret").input_value()
    assert secret.startswith("sgk_")
    axe_check(page)
    shot(page, "01-token-shown-once")
    assert _report(live_url, secret, world) == 201
    page.goto("/organisation/api/tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke Housing system").click()
    page.wait_for_load_state()
    assert "no longer works" in page.content()
    shot(page, "02-token-revoked")
    assert _report(live_url, secret, world) == 401


def test_it_lets_an_administrator_subscribe_a_webhook(page, live_url, login, axe_check, shot) -> None:
    world = make_world()
    login(page, world.members["org_admin"])
    page.goto("/organisation/api/webhooks/")
    page.get_by_label("Address (HTTPS)").fill("http://housing.example.org/events")
    page.get_by_label("A concern is reported (concern.reported)").check()
    page.get_by_role("button", name="Add subscription").click()
    assert "The address must start with https://" in page.content()
    axe_check(page)
    page.get_by_label("Address (HTTPS)").fill("https://housing.example.org/events")
    page.get_by_role("button", name="Add subscription").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("webhook-secret").input_value().startswith("whsec_")
    axe_check(page)
    shot(page, "01-webhook-secret")
