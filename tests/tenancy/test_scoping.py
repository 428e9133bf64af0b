"""Tenant scoping fails closed, and the build check finds views that go round it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.tenancy.models import Area, Membership, RoleAssignment
from safeguard.tenancy.roles import Role
from safeguard.tenancy.scoping import UnscopedQueryError
from tests.factories import World
from tools import check_scoping


def test_it_refuses_to_run_a_query_without_an_organisation(world: World) -> None:
    with pytest.raises(UnscopedQueryError):
        list(Area.objects.all())
    with pytest.raises(UnscopedQueryError):
        Area.objects.filter(name="Elmstead").exists()
    with pytest.raises(UnscopedQueryError):
        Area.objects.count()
    with pytest.raises(UnscopedQueryError):
        Area.objects.filter(is_active=True).update(is_active=False)
    with pytest.raises(UnscopedQueryError):
        Area.objects.all().delete()
    with pytest.raises(UnscopedQueryError):
        Area.objects.get(pk=world.area.pk)


def test_it_returns_only_the_named_organisations_rows(world: World) -> None:
    names = set(Area.objects.for_org(world.org).values_list("name", flat=True))
    assert names == {"Elmstead", "Fernbury"}
    assert not Area.objects.for_org(world.other_org).filter(pk=world.area.pk).exists()


def test_it_allows_related_rows_reached_from_a_scoped_object(world: World) -> None:
    membership = Membership.objects.for_org(world.org).get(user=world.members[Role.DSL])
    roles = list(membership.role_assignments.all())
    assert [r.role for r in roles] == [Role.DSL]
    assert isinstance(roles[0], RoleAssignment)


def test_it_keeps_the_scope_through_chained_querysets(world: World) -> None:
    qs = Area.objects.for_org(world.org).filter(is_active=True).order_by("name").exclude(name="x")
    assert qs.count() == 2


def test_it_gives_404_not_data_for_another_organisations_id(world: World) -> None:
    other_member = Membership.objects.for_org(world.other_org).get(user=world.outsider)
    client = Client()
    client.force_login(world.members[Role.ORG_ADMIN])
    response = client.get(reverse("people-detail", args=[other_member.pk]))
    assert response.status_code == 404
    assert "Outsider" not in response.content.decode()
    missing = client.get(reverse("people-detail", args=[999_999]))
    assert missing.status_code == 404
    # Existence elsewhere is indistinguishable from absence (bar the per-response CSRF token and CSP nonce).
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')
    assert strip.sub(b"", missing.content) == strip.sub(b"", response.content)


BAD_VIEW = textwrap.dedent(
    """
    from django.shortcuts import get_object_or_404
    from cases.models import Case

    def leaky(request, pk):
        a = Case.all_orgs.filter(pk=pk)
        b = get_object_or_404(Case, pk=pk)
        c = Case.objects.raw("select * from cases_case")
        return a, b, c
    """
)


def test_it_fails_the_build_for_a_view_that_goes_round_the_scope(tmp_path: Path) -> None:
    bad = check_scoping.ROOT / "cases" / "views_tmp_scoping_probe.py"
    bad.write_text(BAD_VIEW)
    try:
        problems = check_scoping.problems_in(bad)
    finally:
        bad.unlink()
    assert len(problems) == 3, problems
    assert any("all_orgs" in p for p in problems)
    assert any("get_object_or_404(Case" in p for p in problems)


def test_it_finds_the_current_views_clean() -> None:
    assert check_scoping.main() == 0
