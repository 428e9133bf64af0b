"""Demo cases for each organisation, in every state of their life, made through the case actions.

Every person here is invented. Idempotent: an organisation that already has demo cases is left alone.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from django.utils import timezone

from safeguard.tenancy.demo import DemoOrg, local_names, seeder
from safeguard.tenancy.roles import Role

from . import actions
from .models import Case, ConcernType, HarmCategory, Source, VulnerabilityFactor
from .policy.cadence import next_due_limit
from .setup import ensure_defaults

P = actions.PersonData

STORIES = [
    {"type": ConcernType.SAFEGUARDING, "state": "reported", "risk": True, "cats": ["Domestic abuse", "Coercive control"],
     "vuln": ["Experiencing anti-social behaviour"], "source": Source.NEIGHBOUR, "days": 0,
     "text": "A neighbour rang to say she heard shouting and a child crying late last night at number 14. "
             "She saw a man leave at 23:40 and slam the door.",
     "people": [P("Dana Whitcombe", address="14 Larkspur Row", tenancy_reference="LR-0014"),
                P("Milo Whitcombe", "child", age=4, address="14 Larkspur Row")]},
    {"type": ConcernType.WOW, "state": "reported", "risk": False, "cats": ["Self-neglect (including hoarding)"],
     "vuln": ["Memory loss or dementia"], "source": Source.CONTRACTOR, "days": 1,
     "text": "The gas engineer could not reach the boiler because of stacked newspapers; the tenant seemed confused "
             "about the day and had no food in the fridge.",
     "people": [P("Harold Pennick", address="3 Quarry Close", tenancy_reference="QC-0003")]},
    {"type": ConcernType.SAFEGUARDING, "state": "allocated", "risk": False, "cats": ["Financial or material abuse"],
     "vuln": ["Dependent on others", "Physical disability"], "source": Source.COLLEAGUE, "days": 9, "action_days": 9,
     "text": "Tenant told me her grandson takes her bank card every pension day and she has no money left for "
             "the electricity meter.",
     "people": [P("Edith Marlow", address="Flat 2, Beacon House", tenancy_reference="BH-0202")]},
    {"type": ConcernType.SAFEGUARDING, "state": "allocated", "risk": False, "cats": ["Neglect or acts of omission"],
     "vuln": ["Young carer"], "source": Source.OTHER_AGENCY, "days": 5, "action_days": 2,
     "text": "School nurse says the eldest child is caring for her mother most nights and has missed 12 days "
             "of school this term.",
     "people": [P("Carla Denning", address="22 Osier Lane", tenancy_reference="OL-0022"),
                P("Ruby Denning", "child", age=13, address="22 Osier Lane"),
                P("Unborn child of Carla Denning", "unborn", address="22 Osier Lane")]},
    {"type": ConcernType.WOW, "state": "closure_requested", "risk": False, "cats": [],
     "vuln": ["Long-term mental health condition"], "source": Source.SELF, "days": 30, "action_days": 3,
     "text": "Tenant came to the office upset, saying he cannot cope since losing his job and is behind with rent.",
     "people": [P("Aaron Fell", address="9 Wicket Street", tenancy_reference="WS-0009")]},
    {"type": ConcernType.SAFEGUARDING, "state": "closed", "risk": False, "cats": ["Criminal exploitation"],
     "vuln": ["Child at risk of or involved in crime"], "source": Source.THIRD_PARTY, "days": 60, "action_days": 20,
     "text": "Several young people seen going in and out of the flat at all hours; the 15-year-old resident was "
             "seen handing over small packages.",
     "people": [P("Jay Ormerod", "child", age=15, address="Flat 7, Tannery Court", tenancy_reference="TC-0707"),
                P("Lisa Ormerod", address="Flat 7, Tannery Court")]},
]


STORIES.append(
    {"type": ConcernType.SAFEGUARDING, "state": "allocated", "risk": False, "allegation": True,
     "cats": ["Psychological or emotional abuse"], "vuln": ["Learning difficulty"], "source": Source.COLLEAGUE,
     "days": 3, "action_days": 1,
     "text": "A support worker was heard shouting at a young tenant with a learning difficulty and calling him "
             "names during a visit.",
     "people": [P("Theo Brackley", "child", age=17, address="4 Mill Yard", tenancy_reference="MY-0004")]},
)


def _department(demo: DemoOrg, story: dict) -> object:
    """Housing for most stories, Repairs and Assets for a contractor's report, HR for an allegation."""
    wanted = {"contractor": "Repairs and Assets"}.get(story["source"], "HR" if story.get("allegation") else "Housing")
    return demo.departments.get(wanted) or demo.departments.get("Housing") or next(iter(demo.departments.values()))


def _ids(model: type, org: object, names: list[str]) -> list[int]:
    return list(model.objects.for_org(org).filter(name__in=names).values_list("pk", flat=True))  # type: ignore[attr-defined]


def _make(demo: DemoOrg, story: dict, index: int) -> None:
    org, people = demo.org, demo.people
    today = timezone.localdate()
    people_data = [dataclasses.replace(p, full_name=local_names(demo, p.full_name), address=local_names(demo, p.address))
                   for p in story["people"]]
    data = actions.ConcernData(
        concern_type=story["type"], area_id=demo.areas[index % len(demo.areas)].pk,
        department_id=_department(demo, story).pk, source=story["source"], what_happened=local_names(demo, story["text"]),  # type: ignore[attr-defined]
        happened_on=today - timedelta(days=story["days"]), people=people_data, immediate_risk=story["risk"],
        is_colleague_allegation=story.get("allegation", False),
        category_ids=_ids(HarmCategory, org, story["cats"]), vulnerability_ids=_ids(VulnerabilityFactor, org, story["vuln"]),
    )
    case = actions.do_report_concern(org, data, acting_user=people[Role.FRONTLINE])
    if story["state"] == "reported":
        return
    allegation = story.get("allegation", False)
    officer = people[Role.PEOPLE_DIRECTOR if allegation else Role.CASE_OFFICER]
    case = actions.do_allocate(case, officer=officer, concern_type=story["type"], version=case.version,
                               acting_user=people[Role.PEOPLE_DIRECTOR if allegation else Role.CASE_MANAGER])
    day = today - timedelta(days=story["action_days"])
    actions.do_record_action(case, action_type="visit", taken_on=day, next_due=next_due_limit(case, day),
                             note="Home visit. Spoke with the household; agreed next steps.",
                             acting_user=officer)
    if story["state"] == "allocated":
        return
    case.refresh_from_db()
    case = actions.do_request_closure(case, outcome="Support is in place and the risk has reduced.",
                                      version=case.version, acting_user=people[Role.CASE_OFFICER])
    if story["state"] == "closed":
        from safeguard.tenancy.models import Membership

        manager = Membership.objects.for_org(org).get(user=people[Role.CASE_MANAGER])
        actions.do_decide_closure(case, authorise=True, reason="", version=case.version,
                                  acting_user=people[Role.CASE_MANAGER], membership=manager)


@seeder(20)
def seed_cases(demo: DemoOrg) -> None:
    ensure_defaults(demo.org)
    if Case.objects.for_org(demo.org).exists():
        return
    for index, story in enumerate(STORIES):
        _make(demo, story, index)
