"""Imports through the API: the file import's checks, its preview (dry run) and its matching."""

from __future__ import annotations

import json

from safeguard.tenancy.roles import Role
from training.models import Person

from .helpers import auth, token


def _import(client, secret, kind, **body):
    return client.post(f"/api/v1/imports/{kind}", json.dumps(body), content_type="application/json", **auth(secret))


PEOPLE = [{"reference": "E1001", "full_name": "Robin Example", "email": "robin.example@example.org"},
          {"reference": "E1002", "full_name": "Sam Sample", "kind": "colleague"}]


def test_it_previews_a_dry_run_and_changes_nothing(client, world) -> None:
    _, secret = token(world, scopes=["people:import"], role=Role.HR_LD)
    response = _import(client, secret, "people", rows=[*PEOPLE, {"reference": "E1003", "full_name": "",
                                                                 "email": "not-an-address"}])
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["dry_run"] and not data["imported"] and data["bad_rows"] == 1
    assert {"row": 4, "column": "full_name", "message": "The full name is missing"} in data["problems"]
    assert not Person.objects.for_org(world.org).exists()


def test_it_imports_good_rows_once(client, world) -> None:
    _, secret = token(world, scopes=["people:import"], role=Role.HR_LD)
    first = _import(client, secret, "people", rows=PEOPLE, dry_run=False)
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 2
    again = _import(client, secret, "people", rows=PEOPLE, dry_run=False).json()
    assert again["created"] == 0 and again["unchanged"] == 2
    assert Person.objects.for_org(world.org).count() == 2


def test_it_writes_nothing_while_a_row_is_bad_unless_told_to_skip(client, world) -> None:
    _, secret = token(world, scopes=["people:import"], role=Role.HR_LD)
    rows = [*PEOPLE, {"reference": "E1003", "full_name": ""}]
    assert _import(client, secret, "people", rows=rows, dry_run=False).status_code == 422
    assert not Person.objects.for_org(world.org).exists()
    skipped = _import(client, secret, "people", rows=rows, dry_run=False, skip_bad_rows=True).json()
    assert skipped["created"] == 2 and skipped["skipped"] == 1


def test_it_refuses_a_service_account_that_does_not_manage_training(client, world) -> None:
    _, secret = token(world, scopes=["people:import"], role=Role.FRONTLINE)
    assert _import(client, secret, "people", rows=PEOPLE).status_code == 403
