"""The board dashboard: what a board member sees, what nobody sees, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case, make_entry

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bulk_cases(world, n: int) -> None:
    """Many cases straight into the table (the figures only count them)."""
    now = timezone.now()
    officer = world.members[Role.CASE_OFFICER]
    Case.all_orgs.bulk_create([
        Case(organisation=world.org, reference=f"BULK-{i}", area=world.area if i % 3 else world.second_area,
             department=world.department, reported_by=officer, allocated_to=officer if i % 2 else None,
             status="allocated" if i % 2 else "closed", reported_at=now - timedelta(days=i % 700),
             closed_at=now - timedelta(days=i % 30) if not i % 2 else None, what_happened="x",
             happened_on=date(2026, 1, 1), concern_type="wow" if i % 5 == 0 else "safeguarding",
             source="colleague" if i % 4 else "neighbour")
        for i in range(n)])


def test_it_shows_a_board_member_figures_and_never_a_name_or_reference(world) -> None:
    case = make_case(world, name="Robin Tester")
    make_entry(world, household="Quillfeather household")
    page = _client(world.members[Role.BOARD_MEMBER]).get(reverse("board:dashboard")).content.decode()
    assert "Risk rating (RAG)" in page and "Concerns reported by month" in page
    assert page.count("<svg") == 5 and page.count("<figcaption") == 5
    for secret in ("Robin Tester", "Sam Tester", case.reference, "Quillfeather", "Test Row"):
        assert secret not in page
    assert "fewer than 5" in page


def test_a_dsl_sees_only_their_own_area(world) -> None:
    page = _client(world.members[Role.DSL]).get(reverse("board:dashboard")).content.decode()
    assert f"{world.area.name} register" in page
    assert f"{world.second_area.name} register" not in page
    forced = _client(world.members[Role.DSL]).get(reverse("board:dashboard") + f"?area={world.second_area.pk}")
    assert f"{world.second_area.name} register" not in forced.content.decode()


def test_the_safeguarding_manager_writes_the_commentary_the_board_reads(world) -> None:
    sm = _client(world.members[Role.SAFEGUARDING_MANAGER])
    response = sm.post(reverse("board:commentary"), {"text": "Concerns rose after the awareness week."})
    assert response.status_code == 302
    page = _client(world.members[Role.BOARD_MEMBER]).get(reverse("board:dashboard")).content.decode()
    assert "Concerns rose after the awareness week." in page
    stale = sm.post(reverse("board:commentary"), {"text": "Second try", "version": 0})
    assert "Someone else saved the commentary" in stale.content.decode()


@pytest.mark.parametrize("size", [10, 400])
def test_it_runs_a_fixed_number_of_queries_whatever_the_size(world, size, django_assert_max_num_queries) -> None:
    _bulk_cases(world, size)
    client = _client(world.members[Role.BOARD_MEMBER])
    client.get(reverse("board:dashboard"))  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get(reverse("board:dashboard") + "?period=year")
    assert response.status_code == 200
    figures = {i.key: i.now for i in response.context["casework"]}
    assert figures["open"] == f"{size // 2:,}" if size >= 10 else True  # every odd case is open
    assert figures["closed"] != "0"
