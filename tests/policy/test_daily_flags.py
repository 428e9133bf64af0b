"""Every daily flag, tried with an allegation against a colleague beside an ordinary case: each
person told can open the case, and nobody else is told (the titles reveal that a case exists)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.policy.visibility import visible_cases
from cases.referrals import actions as referral_actions
from safeguard.tenancy.models import Membership, Notification
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import DAILY_FLAG_JOBS
from tests.cases.helpers import allocated
from tests.factories import World

pytestmark = pytest.mark.django_db

CASE_FLAGS = {"cases.no_action", "referrals.alert_overdue", "referrals.no_response"}


def _with_overdue_referrals(world: World, case: Case, by: str) -> None:
    long_ago = timezone.localdate() - timedelta(days=60)
    for made_on in (None, long_ago):
        referral_actions.do_record_referral(case, referral_actions.ReferralData(
            agency="police", reason=f"Statutory duty to refer ({'made' if made_on else 'not made'}).", decided_on=long_ago, made_on=made_on,
            override_basis="legal_obligation", override_reason="A duty to tell."), acting_user=world.members[by])


@pytest.fixture
def flagged(world: World) -> dict[str, Case]:
    ordinary = allocated(world)
    allegation = allocated(world, officer=Role.HR_LD, is_colleague_allegation=True)
    _with_overdue_referrals(world, ordinary, Role.CASE_OFFICER)
    _with_overdue_referrals(world, allegation, Role.HR_LD)
    Case.objects.for_org(world.org).update(next_action_due=timezone.localdate() - timedelta(days=3))
    for job in DAILY_FLAG_JOBS.values():
        job()
    return {"ordinary": ordinary, "allegation": allegation}


def _told(world: World, case: Case, kind: str) -> set[int]:
    return set(Notification.objects.for_org(world.org).filter(kind=kind, title__contains=case.reference)
               .values_list("recipient_id", flat=True))


def test_it_runs_every_daily_flag_about_a_case(flagged) -> None:
    assert set(DAILY_FLAG_JOBS) >= CASE_FLAGS


@pytest.mark.parametrize("kind", ["case.no_action", "referral.alert_overdue", "referral.no_response"])
def test_it_tells_of_an_allegation_only_its_officer_and_the_director(world: World, flagged, kind: str) -> None:
    case = flagged["allegation"]
    told = _told(world, case, kind)
    assert told == {world.members[Role.HR_LD].pk, world.members[Role.PEOPLE_DIRECTOR].pk}
    for user_id in told:
        membership = Membership.objects.for_org(world.org).get(user_id=user_id)
        assert visible_cases(world.org, membership).filter(pk=case.pk).exists()


@pytest.mark.parametrize("kind", ["case.no_action", "referral.alert_overdue", "referral.no_response"])
def test_it_tells_of_an_ordinary_case_its_officer_and_case_manager(world: World, flagged, kind: str) -> None:
    case = flagged["ordinary"]
    told = _told(world, case, kind)
    assert told == {world.members[Role.CASE_OFFICER].pk, world.members[Role.CASE_MANAGER].pk}


def test_it_tells_only_people_who_can_open_the_case_whatever_the_flag(world: World, flagged) -> None:
    notes = list(Notification.objects.for_org(world.org).filter(kind__in=[
        "case.no_action", "referral.alert_overdue", "referral.no_response"]))
    assert notes
    for note in notes:
        case = next(c for c in flagged.values() if c.reference in note.title)
        membership = Membership.objects.for_org(world.org).get(user_id=note.recipient_id)
        assert visible_cases(world.org, membership).filter(pk=case.pk).exists(), (note.kind, note.recipient_id)
    assert not Notification.objects.for_org(world.other_org).filter(kind__in=[
        "case.no_action", "referral.alert_overdue", "referral.no_response"]).exists()
