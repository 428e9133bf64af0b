"""Case lookups answer what the service account's role may know; board figures are aggregate and suppressed."""

from __future__ import annotations

import json

from cases import actions
from safeguard.tenancy.roles import Role
from tests.cases.helpers import allocated, report

from .helpers import auth, token


def _lookup(client, secret, **body):
    return client.post("/api/v1/cases/lookup", json.dumps(body), content_type="application/json", **auth(secret))


def test_it_names_a_visible_case_and_only_says_a_restricted_one_exists(client, world) -> None:
    tok, secret = token(world, scopes=["cases:lookup"], role=Role.CASE_OFFICER)
    seen = report(world)  # tenancy T-1001
    seen = actions.do_allocate(seen, officer=tok.service_account.user, concern_type=seen.concern_type,
                               version=seen.version, acting_user=world.members["case_manager"])
    hidden = allocated(world)  # held by another case officer
    found = _lookup(client, secret, tenancy_reference="t 1001").json()["open_cases"]
    assert {"case_exists": True, "restricted": False, "reference": seen.reference, "status": "allocated"} in found
    assert {"case_exists": True, "restricted": True, "reference": None, "status": None} in found
    assert hidden.reference not in json.dumps(found)


def test_it_leaves_out_allegations_the_account_may_not_see(client, world) -> None:
    report(world, is_colleague_allegation=True)
    _, secret = token(world, scopes=["cases:lookup"], role=Role.CASE_OFFICER)
    assert _lookup(client, secret, tenancy_reference="T-1001").json()["open_cases"] == []


def test_it_refuses_a_lookup_for_a_role_that_sees_no_cases(client, world) -> None:
    _, secret = token(world, scopes=["cases:lookup"], role=Role.FRONTLINE)
    assert _lookup(client, secret, tenancy_reference="T-1001").status_code == 403


def test_it_needs_a_reference_or_a_name_with_a_date_of_birth(client, world) -> None:
    _, secret = token(world, scopes=["cases:lookup"])
    assert _lookup(client, secret, full_name="Robin Testwell").status_code == 422


def test_it_reads_board_figures_suppressed(client, world) -> None:
    report(world)
    _, secret = token(world, scopes=["board:read"], role=Role.BOARD_MEMBER)
    response = client.get("/api/v1/board/summary", **auth(secret))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["ratings"][0]["area"] == "Organisation"
    assert all(r["families"] in ("0", "fewer than 5") or r["families"].isdigit() for r in data["registers_by_area"])
    assert "Robin" not in response.content.decode()


def test_it_refuses_board_figures_to_a_role_without_the_dashboard(client, world) -> None:
    _, secret = token(world, scopes=["board:read"], role=Role.FRONTLINE)
    assert client.get("/api/v1/board/summary", **auth(secret)).status_code == 403
