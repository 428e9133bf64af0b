"""Demo referrals, consent, DASH and repeat concerns on the demo cases (all people invented).

Runs after the cases seeder; idempotent: an organisation with referrals is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases import actions as case_actions
from cases.models import Case, CasePerson, ConcernType, Source
from safeguard.tenancy.demo import DemoOrg, local_names, seeder
from safeguard.tenancy.roles import Role

from . import actions
from .models import Referral


def _case_about(demo: DemoOrg, name: str) -> Case | None:
    person = CasePerson.objects.for_org(demo.org).filter(full_name=name, case__allocated_to__isnull=False).first()
    return Case.objects.for_org(demo.org).select_related("organisation").get(pk=person.case_id) if person else None


def _financial_abuse(demo: DemoOrg, case: Case) -> None:
    officer, today = demo.people[Role.CASE_OFFICER], timezone.localdate()
    person = case.people.first()
    actions.do_record_consent(case, person, actions.ConsentData(  # type: ignore[arg-type]
        status="refused", decided_on=today - timedelta(days=4), capacity="has",
        capacity_notes="Understood the risks and could weigh them up.",
        notes="Does not want her grandson in trouble."), acting_user=officer)
    actions.do_record_referral(case, actions.ReferralData(
        agency="adult_social_care", agency_name="Adult social care duty team", person=person,
        reason="Pension taken each week; no money for heating.", decided_on=today - timedelta(days=4),
        made_on=today - timedelta(days=3), override_basis="significant_harm",
        override_reason="Risk of serious harm from going without heating and food this winter."), acting_user=officer)
    actions.do_record_referral(case, actions.ReferralData(
        agency="police", person=person, reason="Possible theft by a family member.",
        decided_on=today - timedelta(days=6), override_basis="crime",
        override_reason="Prevention of an ongoing crime against a dependent adult."), acting_user=officer)


def _young_carer(demo: DemoOrg, case: Case) -> None:
    officer, today = demo.people[Role.CASE_OFFICER], timezone.localdate()
    for person in case.people.all():
        child = person.person_type != "adult"
        actions.do_record_consent(case, person, actions.ConsentData(
            status="given", decided_on=today - timedelta(days=20), capacity="not_assessed" if child else "has",
            parents_told="yes" if child else ""), acting_user=officer)
    made = actions.do_record_referral(case, actions.ReferralData(
        agency="childrens_services", reason="Young carer assessment.", decided_on=today - timedelta(days=20),
        made_on=today - timedelta(days=20)), acting_user=officer)
    health = actions.do_record_referral(case, actions.ReferralData(
        agency="health", agency_name="Community midwife", reason="Pregnancy and mother's health.",
        decided_on=today - timedelta(days=12), made_on=today - timedelta(days=11)), acting_user=officer)
    actions.do_record_outcome(health, outcome="accepted", response_on=today - timedelta(days=8), notes="Visit booked.",
                              version=health.version, acting_user=officer)
    del made


def _repeat_domestic_abuse(demo: DemoOrg) -> None:
    """Two more concerns about the same tenant: the third prompts MARAC; one is held by the manager."""
    people = demo.people
    today = timezone.localdate()
    for days, holder in ((40, people[Role.CASE_MANAGER]), (2, people[Role.CASE_OFFICER])):
        data = case_actions.ConcernData(
            concern_type=ConcernType.SAFEGUARDING, area_id=demo.areas[0].pk,
            department_id=list(demo.departments.values())[0].pk, source=Source.NEIGHBOUR,
            what_happened="Shouting and banging heard from the flat; the tenant later had a bruised arm.",
            happened_on=today - timedelta(days=days),
            people=[case_actions.PersonData(local_names(demo, "Dana Whitcombe"), address=local_names(demo, "14 Larkspur Row"),
                                            tenancy_reference="LR-0014")],
        )
        case = case_actions.do_report_concern(demo.org, data, acting_user=people[Role.FRONTLINE])
        case = case_actions.do_allocate(case, officer=holder, concern_type=ConcernType.SAFEGUARDING,
                                        version=case.version, acting_user=people[Role.CASE_MANAGER])
    actions.do_record_dash(case, assessed_on=today - timedelta(days=1), person=case.people.first(), total=16,
                           notes="Completed with the tenant at the office.", acting_user=people[Role.CASE_OFFICER])


@seeder(40)
def seed_referrals(demo: DemoOrg) -> None:
    if Referral.objects.for_org(demo.org).exists():
        return
    for name, story in (("Edith Marlow", _financial_abuse), ("Carla Denning", _young_carer)):
        case = _case_about(demo, local_names(demo, name))
        if case is not None:
            story(demo, case)
    _repeat_domestic_abuse(demo)
