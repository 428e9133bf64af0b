"""Test data for referrals, made through the cases app's and this app's actions."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from cases.actions import ConcernData, PersonData, do_allocate, do_report_concern
from cases.models import Case, ConcernType
from cases.referrals import actions
from cases.referrals.models import ConsentStatus, Referral
from safeguard.tenancy.roles import Role
from tests.factories import World

ADULT = PersonData(full_name="Nell Ashcombe", date_of_birth=date(1961, 4, 9), tenancy_reference="NV-0042")
CHILD = PersonData(full_name="Robin Ashcombe", person_type="child", date_of_birth=date(2015, 6, 1))


def make_case(world: World, *people: PersonData, concern_type: str = ConcernType.WOW, allocate: bool = True,
              area=None, allegation: bool = False) -> Case:
    """A case reported by the frontline officer and allocated to the case officer (a WoW case by
    default, so the Named Senior Officer does not see it and the access matrix stays simple)."""
    data = ConcernData(
        concern_type=concern_type, area_id=(area or world.area).pk, department_id=world.department.pk,
        source="colleague", what_happened="Seen at the door looking unwell and frightened.",
        happened_on=timezone.localdate(), people=list(people) or [ADULT], is_colleague_allegation=allegation,
    )
    case = do_report_concern(world.org, data, acting_user=world.members[Role.FRONTLINE])
    if allocate:
        manager = world.members[Role.PEOPLE_DIRECTOR if allegation else Role.SAFEGUARDING_MANAGER]
        case = do_allocate(case, officer=world.members[Role.CASE_OFFICER], concern_type=concern_type,
                           version=case.version, acting_user=manager)
    return Case.objects.for_org(world.org).select_related("organisation").get(pk=case.pk)


def officer(world: World):
    return world.members[Role.CASE_OFFICER]


def give_consent(world: World, case: Case, status: str = ConsentStatus.GIVEN, person=None):
    person = person or case.people.first()
    return actions.do_record_consent(case, person, actions.ConsentData(
        status=status, decided_on=timezone.localdate(), capacity="has"), acting_user=officer(world))


_numbers = itertools.count(1)


def make_referral(world: World, case: Case, *, decided_on: date | None = None, made_on: date | None = None,
                  agency: str = "adult_social_care", override: bool = True) -> Referral:
    data = actions.ReferralData(
        agency=agency, reason=f"Needs a care and support assessment ({next(_numbers)}).",
        decided_on=decided_on or timezone.localdate(), made_on=made_on,
        override_basis="significant_harm" if override else "", override_reason="At risk of serious harm." if override else "",
    )
    return actions.do_record_referral(case, data, acting_user=officer(world))


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
