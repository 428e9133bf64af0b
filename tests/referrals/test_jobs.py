"""Daily flags: alerts not made by their working-day deadline, and referrals with no
response after the organisation's wait; told once, cleared when done, idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.referrals import actions
from cases.referrals.jobs import ALERT_OVERDUE, NO_RESPONSE, flag_alerts_overdue, flag_no_response
from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.models import Flag, Notification
from safeguard.tenancy.roles import Role
from tests.factories import make_user

from .helpers import days_ago, make_case, make_referral, officer

pytestmark = pytest.mark.django_db


def _open(world, kind: str) -> int:
    return Flag.objects.for_org(world.org).filter(kind=kind, cleared_at__isnull=True).count()


def _told(world, user, kind: str) -> int:
    return Notification.objects.for_org(world.org).filter(recipient=user, kind=kind).count()


def test_it_flags_an_alert_not_made_the_working_day_after_the_decision(world) -> None:
    case = make_case(world)
    referral = make_referral(world, case, decided_on=days_ago(7))
    assert flag_alerts_overdue(today=referral.due_by).raised == 0  # due today: not late yet
    assert flag_alerts_overdue(today=referral.due_by + timedelta(days=1)).raised == 1
    assert _told(world, officer(world), ALERT_OVERDUE) == 1
    assert _told(world, world.members[Role.CASE_MANAGER], ALERT_OVERDUE) == 1


def test_it_tells_nobody_twice_and_clears_when_the_referral_is_made(world) -> None:
    referral = make_referral(world, make_case(world), decided_on=days_ago(7))
    flag_alerts_overdue()
    again = flag_alerts_overdue()
    assert (again.raised, again.notified) == (0, 0)
    assert _open(world, ALERT_OVERDUE) == 1 and _told(world, officer(world), ALERT_OVERDUE) == 1
    actions.do_mark_made(referral, made_on=days_ago(0), agency_reference="", version=referral.version,
                         acting_user=officer(world))
    assert flag_alerts_overdue().cleared == 1
    assert _open(world, ALERT_OVERDUE) == 0


def test_it_only_tells_case_managers_who_cover_the_area(world) -> None:
    elsewhere = make_user("cm.fernbury@oakridge.test", "Fernbury Manager")
    do_add_member(world.org, elsewhere, [RoleSpec(Role.CASE_MANAGER, [world.second_area.pk])])
    make_referral(world, make_case(world), decided_on=days_ago(7))
    flag_alerts_overdue()
    assert _told(world, elsewhere, ALERT_OVERDUE) == 0
    assert _told(world, world.members[Role.CASE_MANAGER], ALERT_OVERDUE) == 1


def test_it_flags_no_response_after_the_organisations_wait(world) -> None:
    wait = world.org.referral_response_days
    referral = make_referral(world, make_case(world), decided_on=days_ago(wait + 1), made_on=days_ago(wait + 1))
    assert referral.response_due_by == days_ago(1)
    assert flag_no_response(today=days_ago(1)).raised == 0  # the last day of the wait
    assert flag_no_response().raised == 1
    assert _told(world, officer(world), NO_RESPONSE) == 1
    actions.do_record_outcome(referral, outcome="no_response", response_on=None, notes="Chased twice",
                              version=referral.version, acting_user=officer(world))
    assert flag_no_response().cleared == 1


def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_referrals(world, django_assert_max_num_queries) -> None:
    case = make_case(world)
    for _ in range(2):
        make_referral(world, case, decided_on=days_ago(9))
    with django_assert_max_num_queries(14):
        small = flag_alerts_overdue()
    Flag.objects.for_org(world.org).update(cleared_at=timezone.now())
    for _ in range(20):
        make_referral(world, case, decided_on=days_ago(9))
    with django_assert_max_num_queries(14):
        big = flag_alerts_overdue()
    assert small.raised == 2 and big.raised == 22


def test_it_registers_both_jobs_with_the_daily_flag_run() -> None:
    from safeguard.tenancy.tasks import DAILY_FLAG_JOBS

    assert DAILY_FLAG_JOBS["referrals.alert_overdue"] is flag_alerts_overdue
    assert DAILY_FLAG_JOBS["referrals.no_response"] is flag_no_response
