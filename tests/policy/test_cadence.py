"""The action cadence, in one function, and the immediate-risk first action."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import ConcernType
from cases.policy.cadence import Cadence, action_cadence, first_action_due
from safeguard.tenancy.roles import Role
from safeguard.tenancy.workdays import add_working_days
from tests.cases.helpers import report
from tests.factories import World

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 3, 6)


@pytest.mark.parametrize(("concern_type", "immediate_risk", "reported_on", "due"), [
    (ConcernType.SAFEGUARDING, False, FRIDAY, FRIDAY + timedelta(days=7)),
    (ConcernType.WOW, False, FRIDAY, FRIDAY + timedelta(days=14)),
    (ConcernType.SAFEGUARDING, True, FRIDAY, date(2026, 3, 9)),  # Monday: the next working day
    (ConcernType.WOW, True, date(2026, 4, 2), date(2026, 4, 7)),  # Thursday before Easter: Tuesday
])
def test_it_sets_the_first_action_due_date(world: World, concern_type: str, immediate_risk: bool,
                                           reported_on: date, due: date) -> None:
    assert first_action_due(world.org, concern_type=concern_type, immediate_risk=immediate_risk,
                            reported_on=reported_on) == due


def test_it_reads_the_cadence_and_the_immediate_risk_days_from_the_organisation(world: World) -> None:
    world.org.action_interval_safeguarding_days, world.org.immediate_risk_action_working_days = 5, 2
    assert action_cadence(world.org, ConcernType.SAFEGUARDING) == Cadence(5)
    assert first_action_due(world.org, concern_type=ConcernType.SAFEGUARDING, immediate_risk=True,
                            reported_on=FRIDAY) == date(2026, 3, 10)


def test_it_counts_working_days_when_the_cadence_says_so() -> None:
    assert Cadence(2, working_days=True).after(FRIDAY) == add_working_days(FRIDAY, 2)
    assert str(Cadence(1, working_days=True)) == "1 working day" and str(Cadence(7)) == "7 days"


def test_it_gives_an_immediate_risk_concern_its_first_action_by_the_next_working_day(world: World) -> None:
    case = report(world, immediate_risk=True)
    assert case.next_action_due == add_working_days(timezone.localdate(), 1)


def test_it_shows_immediate_risk_concerns_first_in_the_allocation_queue(world: World) -> None:
    older = report(world)
    urgent = report(world, immediate_risk=True)
    client = Client()
    client.force_login(world.members[Role.CASE_MANAGER])
    for url in (reverse("cases:triage"), reverse("home")):
        page = client.get(url).content.decode()
        assert page.index(urgent.reference) < page.index(older.reference), url
