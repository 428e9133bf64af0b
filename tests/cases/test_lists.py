"""Finding cases, my cases by urgency, home panels; each in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import HarmCategory

from .helpers import allocated, report, with_action


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _queries(client, url, params, django_assert_max_num_queries, limit):
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

    def found(**params) -> set[str]:
        page = client.get(url, params, follow=True).content.decode()
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
    assert "Needs you now" in manager
    assert f"Allocate the new concern {new.reference}" in manager and f"Case {late.reference} is overdue" in manager
    officer = _client(world.members["case_officer"]).get(reverse("home")).content.decode()
    assert "My cases" in officer and late.reference in officer
    reporter = _client(world.members["frontline"]).get(reverse("home")).content.decode()
    assert "Concerns you reported" in reporter and new.reference in reporter and "Testwell" not in reporter


def test_it_paginates_the_case_list(world) -> None:
    for _ in range(26):
        report(world)
    page = _client(world.members["safeguarding_manager"]).get(reverse("cases:list")).content.decode()
    assert "Page 1 of 2" in page


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(("role", "url_name"), [
    ("case_officer", "cases:mine"), ("case_manager", "cases:triage"), ("case_manager", "home"),
    ("case_officer", "home"), ("safeguarding_manager", "cases:viewing-log"),
])
def test_it_runs_the_same_number_of_queries_for_3_or_30_cases(world, django_assert_max_num_queries, role, url_name) -> None:
    client = _client(world.members[role])
    url = reverse(url_name)

    def add(n: int) -> None:
        for _ in range(n):
            case = with_action(world, allocated(world), days_ago=9)
            report(world)
            _client(world.members["case_officer"]).get(reverse("cases:detail", args=[case.pk]))

    add(3)
    small = _count(client, url)
    add(27)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_it_opens_a_busy_case_in_the_same_number_of_queries(world, django_assert_max_num_queries) -> None:
    from cases import actions

    case = with_action(world, allocated(world))
    client = _client(world.members["case_officer"])
    url = reverse("cases:detail", args=[case.pk])
    small = _count(client, url)
    for _ in range(10):
        with_action(world, case)
        actions.do_add_addendum(case, text="More", action=case.actions.first(), acting_user=world.members["case_officer"])
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_it_counts_a_long_case_list_only_as_far_as_it_needs(world, monkeypatch) -> None:
    from safeguard.tenancy import paging

    monkeypatch.setattr(paging, "CAP", 3)  # count at most 3 cases past the page asked for
    for _ in range(30):
        report(world)
    client = _client(world.members["safeguarding_manager"])
    first = client.get(reverse("cases:list")).content.decode()
    assert "More than 28 cases found" in first and "Page 1 of 2 or more" in first
    second = client.get(reverse("cases:list"), {"page": 2}).content.decode()
    assert "30 cases found" in second and "Page 2 of 2" in second and "or more" not in second


def test_it_shows_the_latest_actions_of_a_case_a_page_at_a_time(world, monkeypatch) -> None:
    from cases.views import case as case_views

    monkeypatch.setattr(case_views, "ACTIONS_PER_PAGE", 2)
    case = allocated(world)
    for days in (3, 2, 1):
        with_action(world, case, days_ago=days)
    client = _client(world.members["case_officer"])
    url = reverse("cases:detail", args=[case.pk])
    first = client.get(url).content.decode()
    assert first.count('data-testid="action"') == 2 and "Page 1 of 2" in first
    assert reverse("cases:chronology", args=[case.pk]) in first  # every action, a click away
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-testid="action"') == case.actions.count() - 2 and "Page 2 of 2" in second
