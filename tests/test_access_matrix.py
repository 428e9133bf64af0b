"""Every URL pattern, as every role, as another organisation, and anonymous."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguard.tenancy.roles import ALL_ROLES

from .access import UrlCase, all_cases
from .factories import World

CASES = all_cases()


def _pattern_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":  # the platform admin has its own tests
                continue
            if p.namespace == "api-v1":  # token-authenticated: tests/api/test_api_matrix.py covers each route
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _pattern_names(p, ns)
        elif isinstance(p, URLPattern):
            assert p.name, f"URL pattern {p.pattern} has no name, so the matrix cannot cover it"
            names.add(namespace + p.name)
    return names


def test_it_covers_every_url_pattern() -> None:
    covered = {c.name for c in CASES}
    missing = sorted(_pattern_names() - covered)
    assert not missing, f"URL patterns missing from tests/access/: {missing}"
    stale = sorted(covered - _pattern_names())
    assert not stale, f"tests/access/ names URL patterns that no longer exist: {stale}"


def _request(client: Client, case: UrlCase, world: World, kwargs: dict[str, Any], method: str | None = None) -> Any:
    url = reverse(case.name, kwargs=kwargs)
    method = method or case.method
    if method == "post":
        return client.post(url, case.data(world, kwargs))
    return client.get(url)


def _is_success(response: Any) -> bool:
    if response.status_code in (200, 201, 204):
        return True
    if response.status_code in (301, 302, 303):
        return "/account/login/" not in response["Location"] and "/organisation/none/" not in response["Location"]
    return False


def _rolled_back(fn):
    """Run one request in a savepoint that is undone, so roles do not affect each other."""
    with transaction.atomic():
        result = fn()
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_it_answers_each_role_as_the_matrix_says(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    kwargs = case.prepare(world)
    problems: list[str] = []
    for role in ALL_ROLES:
        client = Client()
        client.force_login(world.members[role])
        response = _rolled_back(lambda: _request(client, case, world, kwargs))  # noqa: B023
        allowed = case.allowed_for(world, role) if case.allowed_for else role in case.allowed
        if case.signed_in_status is not None:
            ok = response.status_code == case.signed_in_status
        elif allowed:
            ok = _is_success(response)
        else:
            ok = response.status_code == case.denied
        if not ok:
            problems.append(f"{role}: got {response.status_code} ({'allowed' if allowed else 'denied'})")
    assert not problems, f"{case.key}: " + "; ".join(problems)


@pytest.mark.parametrize("case", [c for c in CASES if not c.public], ids=lambda c: c.key)
def test_it_sends_anonymous_people_to_sign_in(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    response = _request(Client(), case, world, case.prepare(world))
    if response.status_code == 405:
        return  # wrong method answers before login; checked below for POST-only views
    assert response.status_code == 302 and "/account/login/" in response["Location"], response.status_code


@pytest.mark.parametrize("case", [c for c in CASES if c.object_of_org], ids=lambda c: c.key)
def test_it_hides_organisation_a_objects_from_organisation_b(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    client = Client()
    client.force_login(world.outsider)
    response = _rolled_back(lambda: _request(client, case, world, case.prepare(world)))
    assert response.status_code == 404, f"another organisation's member got {response.status_code}"


@pytest.mark.parametrize("case", [c for c in CASES if c.method == "post"], ids=lambda c: c.key)
def test_it_refuses_get_on_post_only_urls(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    client = Client()
    client.force_login(world.members[sorted(case.allowed)[0]])
    response = _request(client, case, world, case.prepare(world), method="get")
    assert response.status_code == 405


@pytest.mark.parametrize("case", [c for c in CASES if not c.public and c.name != "no-organisation"
                                  and not c.name.startswith(("account", "two-factor", "password", "reauth"))],
                         ids=lambda c: c.key)
def test_it_sends_people_without_an_organisation_to_the_explanation(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    client = Client()
    client.force_login(world.nobody)
    response = _rolled_back(lambda: _request(client, case, world, case.prepare(world)))
    assert response.status_code in (302, 405), response.status_code
    if response.status_code == 302:
        assert "/organisation/none/" in response["Location"] or case.name == "switch-organisation"
