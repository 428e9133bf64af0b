"""Stored monthly figures: the nightly job stores each finished month once, the dashboard shows the same
figures from them as from the cases, and a stored month outlives the cases it counted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Action, Case, HarmCategory
from cases.referrals.models import Referral
from governance.dashboard.jobs import store_month_figures
from governance.dashboard.models import MonthFigures, StoredMonth
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.django_db
NOW = "2026-03-15 12:00 +00:00"


def _casework(world, n: int = 120) -> None:
    """Cases over two years (some closed, allegations, categories), visits and referrals, some late."""
    officer = world.members[Role.CASE_OFFICER]
    now = timezone.make_aware(datetime(2026, 3, 15, 11))
    cats = [
        HarmCategory.objects.for_org(world.org).get_or_create(organisation=world.org, name=f"Harm {i}")[0]
        for i in range(3)
    ]
    cases = Case.all_orgs.bulk_create(
        [
            Case(
                organisation=world.org,
                reference=f"MF-{i}",
                area=world.area if i % 3 else world.second_area,
                department=world.department,
                reported_by=officer,
                allocated_to=officer,
                status="closed" if i % 2 else "allocated",
                reported_at=now - timedelta(days=i * 6, hours=i % 13),
                closed_at=now - timedelta(days=i * 6 - 20) if i % 2 and i * 6 > 20 else None,
                what_happened="x",
                happened_on=date(2024, 1, 1),
                concern_type="wow" if i % 5 == 0 else "safeguarding",
                source="colleague" if i % 4 else "neighbour",
                is_colleague_allegation=i % 7 == 0,
            )
            for i in range(n)
        ]
    )
    Case.all_orgs.filter(pk__in=[c.pk for c in cases], closed_at__isnull=True).update(status="allocated")
    through = Case.categories.through
    through.objects.bulk_create(
        [through(case_id=c.pk, harmcategory_id=cats[i % 3].pk) for i, c in enumerate(cases)]
    )
    today = date(2026, 3, 15)
    Action.all_orgs.bulk_create(
        [
            Action(
                organisation=world.org,
                case=c,
                action_type="visit",
                taken_on=today - timedelta(days=i * 5),
                note="Visit",
                next_due=today,
                recorded_by=officer,
            )
            for i, c in enumerate(cases)
            if i % 2 == 0
        ]
    )
    Referral.all_orgs.bulk_create(
        [
            Referral(
                organisation=world.org,
                case=c,
                agency="childrens_services",
                agency_name="Elmstead Council",
                decided_on=today - timedelta(days=i * 6),
                due_by=today - timedelta(days=i * 6 - 1),
                made_on=(today - timedelta(days=i * 6 - 3)) if i % 3 else None,
                outcome="accepted",
                recorded_by=officer,
            )
            for i, c in enumerate(cases)
            if i % 2 == 1
        ]
    )


def _figures(client: Client, query: str) -> dict[str, Any]:
    response = client.get(reverse("board:dashboard") + query)
    assert response.status_code == 200
    return {key: response.context[key] for key in ("casework", "concerns", "categories", "referrals")}


QUERIES = [
    "",
    "?period=quarter",
    "?period=year",
    "?period=year&ending=2025-06",
    "?period=quarter&ending=2026-01",
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.DSL])
def test_it_shows_the_same_figures_from_stored_months_as_from_the_cases(
    world, role: str, django_assert_max_num_queries
) -> None:
    _casework(world)
    client = Client()
    client.force_login(world.members[role])
    before = {q: _figures(client, q) for q in QUERIES}
    assert store_month_figures() > 0
    assert StoredMonth.objects.for_org(world.org).filter(month=date(2026, 2, 1)).exists()
    assert not StoredMonth.objects.for_org(world.org).filter(month=date(2026, 3, 1)).exists()  # still live
    for q in QUERIES:
        assert _figures(client, q) == before[q], q
    with django_assert_max_num_queries(25):  # the stored months cost no statement more
        client.get(reverse("board:dashboard") + "?period=year")


@time_machine.travel(NOW, tick=False)
def test_it_stores_each_finished_month_once(world) -> None:
    _casework(world, n=30)
    first = store_month_figures()
    rows = MonthFigures.objects.for_org(world.org).count()
    assert first > 0 and rows > 0
    assert store_month_figures() == 0 and MonthFigures.objects.for_org(world.org).count() == rows
    months = list(StoredMonth.objects.for_org(world.org).order_by("month").values_list("month", flat=True))
    assert months[-1] == date(2026, 2, 1)
    assert all(b.month == (a.month % 12) + 1 for a, b in zip(months, months[1:], strict=False))  # no gap
    assert store_month_figures(today=date(2026, 4, 2)) == 1  # March, once it is over


@time_machine.travel(NOW, tick=False)
def test_a_stored_month_outlives_the_cases_it_counted(world) -> None:
    _casework(world, n=60)
    client = Client()
    client.force_login(world.members[Role.BOARD_MEMBER])
    last_year = "?period=year&ending=2025-06"
    before = _figures(client, last_year)
    store_month_figures()
    old = Case.all_orgs.filter(
        organisation=world.org, reported_at__lt=timezone.make_aware(datetime(2025, 7, 1))
    )
    Referral.all_orgs.filter(case__in=old).delete()
    Action.all_orgs.filter(case__in=old).delete()
    Case.categories.through.objects.filter(case__in=old).delete()
    old.delete()  # records destroyed under the retention schedule
    after = _figures(client, last_year)
    assert {i.key: i.now for i in after["casework"] if i.key in ("concerns", "closed", "visits")} == {
        i.key: i.now for i in before["casework"] if i.key in ("concerns", "closed", "visits")
    }
    assert after["concerns"]["months"] == before["concerns"]["months"]
