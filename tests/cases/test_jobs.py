"""The daily flag for cases without an action within 7 (safeguarding) or 14 (WoW) days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.jobs import NO_ACTION, flag_cases_without_action
from cases.models import Case
from safeguard.tenancy.flags import open_flags_for
from safeguard.tenancy.models import Notification

from .helpers import allocated, report, with_action


def _flagged(world) -> set[int]:
    return set(open_flags_for(world.org.pk, NO_ACTION, Case).values_list("object_id", flat=True))


@pytest.mark.parametrize(("concern_type", "days"), [("safeguarding", 7), ("wow", 14)])
def test_it_flags_a_case_the_day_after_its_interval_and_not_on_the_last_day(world, concern_type, days) -> None:
    case = with_action(world, allocated(world, concern_type=concern_type))
    last_day = timezone.localdate() + timedelta(days=days)
    flag_cases_without_action(today=last_day)
    assert case.pk not in _flagged(world)
    flag_cases_without_action(today=last_day + timedelta(days=1))
    assert case.pk in _flagged(world)


def test_it_tells_the_officer_and_the_manager_once_and_clears_when_an_action_is_recorded(world) -> None:
    case = with_action(world, allocated(world), days_ago=8)
    fresh = with_action(world, allocated(world), days_ago=1)
    first = flag_cases_without_action()
    again = flag_cases_without_action()
    assert (first.raised, again.raised, again.notified) == (1, 0, 0)
    told = set(Notification.objects.for_org(world.org).filter(kind=NO_ACTION).values_list("recipient", flat=True))
    assert told == {world.members["case_officer"].pk, world.members["case_manager"].pk}
    assert _flagged(world) == {case.pk} and fresh.pk not in _flagged(world)
    with_action(world, case)
    assert flag_cases_without_action().cleared == 1
    assert _flagged(world) == set()


def test_it_flags_an_unallocated_concern_left_too_long(world) -> None:
    case = report(world)
    flag_cases_without_action(today=timezone.localdate() + timedelta(days=8))
    assert case.pk in _flagged(world)


def test_it_tells_only_the_director_about_an_overdue_allegation(world) -> None:
    allocated(world, officer="people_director", is_colleague_allegation=True)
    flag_cases_without_action(today=timezone.localdate() + timedelta(days=8))
    told = set(Notification.objects.for_org(world.org).filter(kind=NO_ACTION).values_list("recipient", flat=True))
    assert told == {world.members["people_director"].pk}


def test_it_is_run_by_the_daily_beat_task() -> None:
    from safeguard.schedule import BEAT_SCHEDULE
    from safeguard.tenancy.tasks import DAILY_FLAG_JOBS

    assert DAILY_FLAG_JOBS["cases.no_action"] is flag_cases_without_action
    assert BEAT_SCHEDULE["daily-flags"]["task"] == "safeguard.tenancy.tasks.run_daily_flags"
