"""The API's access matrix: every operation with each scope, another organisation's token, and no token.

A new operation missing from ``OPERATIONS`` fails ``test_it_covers_every_operation``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from safeguard.api.endpoints import api
from safeguard.api.models import Scope
from safeguard.tenancy.roles import Role

from .helpers import auth, concern_body, token


def _concern_id(client, world, secret):
    _, own = token(world, scopes=["concerns:write"])
    return client.post("/api/v1/concerns", json.dumps(concern_body(world)), content_type="application/json",
                       **auth(own)).json()["id"]


# (method, path template, scope, body or None, needs an object of organisation A)
OPERATIONS: list[tuple[str, str, str, Any, bool]] = [
    ("post", "/api/v1/concerns", Scope.CONCERNS_WRITE, concern_body, False),
    ("get", "/api/v1/concerns/{concern_id}", Scope.CONCERNS_WRITE, None, True),
    ("post", "/api/v1/cases/lookup", Scope.CASES_LOOKUP, lambda w: {"tenancy_reference": "T-1001"}, False),
    ("get", "/api/v1/board/summary", Scope.BOARD_READ, None, False),
    ("get", "/api/v1/webhooks", Scope.WEBHOOKS_READ, None, False),
    ("post", "/api/v1/imports/{kind}", Scope.PEOPLE_IMPORT, lambda w: {"rows": [{"full_name": "Sam Sample"}]}, False),
]


# The service account's role each operation needs (default: the Safeguarding Manager).
ROLE = {"/api/v1/imports/{kind}": Role.HR_LD}


def test_it_covers_every_operation() -> None:
    schema = api.get_openapi_schema()
    served = {(m, p) for p, item in schema["paths"].items() for m in item}
    assert served == {(m, p) for m, p, *_ in OPERATIONS}


def _call(client, world, op, secret, concern_id=None):
    method, path, _, body, _ = op
    url = path.format(concern_id=concern_id or 1, kind="people")
    headers = auth(secret) if secret else {}
    if method == "post":
        return client.post(url, json.dumps(body(world)), content_type="application/json", **headers)
    return client.get(url, **headers)


@pytest.mark.parametrize("op", OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS])
def test_it_answers_each_scope_as_the_matrix_says(client, world, op) -> None:
    concern_id = _concern_id(client, world, None) if op[4] else None
    for scope in Scope.values:
        _, secret = token(world, scopes=[scope], name=f"t-{scope}", role=ROLE.get(op[1], Role.SAFEGUARDING_MANAGER))
        response = _call(client, world, op, secret, concern_id)
        if scope == op[2]:
            # the concern was reported by another token's account: only its own reports are found
            assert response.status_code == (404 if op[4] else 200 if op[0] == "get" else response.status_code)
            assert response.status_code < 500 and response.status_code != 403, (scope, response.content)
        else:
            assert response.status_code == 403, (scope, response.content)


@pytest.mark.parametrize("op", OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS])
def test_it_refuses_calls_without_a_token(client, world, op) -> None:
    assert _call(client, world, op, None).status_code == 401
    assert _call(client, world, op, "sgk_notatoken_xxxxxxxx").status_code == 401


@pytest.mark.parametrize("op", OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS])
def test_it_shows_nothing_of_organisation_a_to_organisation_bs_token(client, world, op) -> None:
    role = ROLE.get(op[1], Role.SAFEGUARDING_MANAGER)
    _, own = token(world, scopes=[op[2]], name="own", role=role)
    _, other = token(world, org=world.other_org, scopes=[op[2]], name="other", role=role)
    concern_id = None
    if op[4]:
        concern_id = client.post("/api/v1/concerns", json.dumps(concern_body(world)),
                                 content_type="application/json", **auth(own)).json()["id"]
        assert _call(client, world, op, own, concern_id).status_code == 200
    response = _call(client, world, op, other, concern_id)
    if op[4]:
        assert response.status_code == 404
    elif op[0] == "post" and op[2] == Scope.CONCERNS_WRITE:
        assert response.status_code == 422  # organisation A's area is not one of B's
    else:
        assert response.status_code == 200
        assert "Elmstead" not in response.content.decode()  # organisation A's area
