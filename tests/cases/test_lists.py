"""Finding cases, my cases by urgency, home panels; each in a fixed number of queries."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cases.models import HarmCategory

from .helpers import allocated, report, with_action


def _client(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url, params, django_assert_max_num_queries, limit):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(limit):
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_finds_cases_in_the_same_number_of_queries_for_3_or_30_cases(world, django_assert_max_num_queries) -> None:
    client = _client(world.members["safeguarding_manager"])
    url = reverse("cases:list")
    for _ in range(3):
        allocated(world)
    client.get(url)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, {"status": "open"})
    for _ in range(27):
        allocated(world)
    page = _queries(client, url, {"status": "open"}, django_assert_max_num_queries, len(small))
    assert "30 cases found" in page


def test_it_finds_cases_by_name_reference_status_category_officer_and_overdue(world) -> None:
    neglect = HarmCategory.objects.for_org(world.org).get(name="Neglect or acts of omission")
    late = with_action(world, allocated(world, category_ids=[neglect.pk]), days_ago=10)
    fresh = report(world, people=[__import__("cases.actions", fromlist=["PersonData"]).PersonData(full_name="Quinn Elsewhere")])
    client = _client(world.members["safeguarding_manager"])
    url = reverse("cases:list")

    def found(**params) -> set[str]:  # type: ignore[no-untyped-def]
        page = client.get(url, params).content.decode()
        return {c.reference for c in (late, fresh) if c.reference in page}

    assert found(q="Quinn") == {fresh.reference}
    assert found(q=late.reference) == {late.reference}
    assert found(status="reported") == {fresh.reference}
    assert found(category=neglect.pk) == {late.reference}
    assert found(officer=world.members["case_officer"].pk) == {late.reference}
    assert found(overdue="on") == {late.reference}


def test_it_sorts_my_cases_by_urgency(world) -> None:
    later = with_action(world, allocated(world), days_ago=0)
    overdue = with_action(world, allocated(world), days_ago=9)
    page = _client(world.members["case_officer"]).get(reverse("cases:mine")).content.decode()
    assert page.index(overdue.reference) < page.index(later.reference)
    assert "Overdue" in page


def test_it_shows_each_role_its_home_panels(world) -> None:
    new = report(world)
    late = with_action(world, allocated(world), days_ago=9)
    manager = _client(world.members["case_manager"]).get(reverse("home")).content.decode()
    assert "New concerns to allocate" in manager and new.reference in manager
    assert "Overdue in your area" in manager and late.reference in manager
    officer = _client(world.members["case_officer"]).get(reverse("home")).content.decode()
    assert "My cases" in officer and late.reference in officer
    reporter = _client(world.members["frontline"]).get(reverse("home")).content.decode()
    assert "Concerns you reported" in reporter and new.reference in reporter and "Testwell" not in reporter


def test_it_paginates_the_case_list(world) -> None:
    for _ in range(26):
        report(world)
    page = _client(world.members["safeguarding_manager"]).get(reverse("cases:list")).content.decode()
    assert "Page 1 of 2" in page
