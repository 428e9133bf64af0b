"""API tokens (made, shown once, hashed, expiring, revoked, rate-limited, audited) and reporting a concern."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from safeguard.api.models import ApiToken
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role

from .helpers import auth, concern_body, token


def _post(client, secret, body, **headers):
    return client.post("/api/v1/concerns", json.dumps(body), content_type="application/json",
                       **auth(secret), **headers)


def test_it_records_a_concern_reported_by_the_service_account(client, world) -> None:
    tok, secret = token(world, scopes=["concerns:write"])
    response = _post(client, secret, concern_body(world))
    assert response.status_code == 201, response.content
    case = Case.objects.for_org(world.org).get(pk=response.json()["id"])
    assert case.reported_by == tok.service_account.user
    assert response.json()["reference"] == case.reference
    tok.refresh_from_db()
    assert tok.last_used_at is not None
    assert AuditEvent.objects.for_org(world.org).filter(action="api.called", object_id=tok.pk).exists()


def test_it_stores_only_a_hash_of_the_token(world) -> None:
    tok, secret = token(world)
    stored = ApiToken.objects.for_org(world.org).get(pk=tok.pk)
    assert secret not in json.dumps([stored.prefix, stored.secret_hash, stored.name])
    assert secret.startswith(stored.prefix + "_")


def test_it_records_one_concern_for_a_retried_post_with_an_idempotency_key(client, world) -> None:
    _, secret = token(world)
    first = _post(client, secret, concern_body(world), HTTP_IDEMPOTENCY_KEY="hms-42")
    again = _post(client, secret, concern_body(world, what_happened="Changed text"), HTTP_IDEMPOTENCY_KEY="hms-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.for_org(world.org).count() == 1


def test_it_applies_the_forms_duplicate_protection_without_a_key(client, world) -> None:
    _, secret = token(world)
    first, again = _post(client, secret, concern_body(world)), _post(client, secret, concern_body(world))
    assert (first.status_code, again.status_code) == (201, 200)
    assert Case.objects.for_org(world.org).count() == 1


def test_it_refuses_what_the_form_refuses_in_plain_words(client, world) -> None:
    _, secret = token(world)
    response = _post(client, secret, concern_body(world, area_id=world.other_area.pk,
                                                  what_happened="<script>x</script>",
                                                  happened_on=(timezone.localdate() + timedelta(days=3)).isoformat()))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "area" in detail and "what_happened" in detail and "happened_on" in detail
    assert Case.objects.for_org(world.org).count() == 0


@pytest.mark.parametrize("how", ["none", "bad", "expired", "revoked"])
def test_it_answers_401_without_a_working_token(client, world, how) -> None:
    tok, secret = token(world)
    headers = {} if how == "none" else auth(secret + "x" if how == "bad" else secret)
    if how == "expired":
        ApiToken.objects.for_org(world.org).filter(pk=tok.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    if how == "revoked":
        client.force_login(world.members[Role.ORG_ADMIN])
        assert client.post(f"/organisation/api/tokens/{tok.pk}/revoke/").status_code == 302
        client.logout()
    response = client.post("/api/v1/concerns", json.dumps(concern_body(world)), content_type="application/json",
                           **headers)
    assert response.status_code == 401
    assert Case.objects.for_org(world.org).count() == 0


def test_it_answers_403_for_a_missing_scope(client, world) -> None:
    _, secret = token(world, scopes=["board:read"])
    assert _post(client, secret, concern_body(world)).status_code == 403


def test_it_answers_404_for_another_organisations_concern(client, world) -> None:
    _, secret = token(world)
    _, other_secret = token(world, org=world.other_org)
    pk = _post(client, secret, concern_body(world)).json()["id"]
    assert client.get(f"/api/v1/concerns/{pk}", **auth(secret)).status_code == 200
    assert client.get(f"/api/v1/concerns/{pk}", **auth(other_secret)).status_code == 404


def test_it_limits_calls_per_token_with_retry_after(client, world, settings) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _, secret = token(world)
    codes = [client.get("/api/v1/concerns/1", **auth(secret)).status_code for _ in range(4)]
    assert codes[:3] == [404, 404, 404] and codes[3] == 429
    assert int(client.get("/api/v1/concerns/1", **auth(secret))["Retry-After"]) >= 1


def test_it_shows_a_new_token_once_to_the_administrator(client, world) -> None:
    client.force_login(world.members[Role.ORG_ADMIN])
    response = client.post("/organisation/api/tokens/", {
        "name": "Housing system", "account_name": "Housing system (Orchard)", "role": "case_manager",
        "scopes": ["concerns:write", "cases:lookup"],
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat()})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    listed = client.get("/organisation/api/tokens/").content.decode()
    assert "Housing system" in listed and secret not in listed


def test_it_refuses_a_token_lasting_over_a_year(client, world) -> None:
    client.force_login(world.members[Role.ORG_ADMIN])
    response = client.post("/organisation/api/tokens/", {
        "name": "Housing system", "account_name": "Housing", "role": "case_manager", "scopes": ["board:read"],
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat()})
    assert response.status_code == 400
    assert "at most one year" in response.content.decode()
