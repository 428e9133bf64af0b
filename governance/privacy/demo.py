"""Demo data for the Data Privacy Manager: three old closed cases past their retention period (an adult case, a
case about a child past their 25th birthday, an allegation against a colleague), listed for review, one of them
under a legal hold for a fictional safeguarding adults review. Idempotent (nothing is added twice)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from cases.actions import ConcernData, PersonData, do_report_concern
from cases.models import Case, CaseStatus, ConcernType
from safeguard.tenancy.demo import DemoOrg, seeder
from safeguard.tenancy.roles import Role

from .models import LegalHold, ReviewItem

MARK = "Demo retention: "
# Each organisation's own invented people (the demo households never share a name across organisations).
NAMES = {
    "northvale": ("Harlan Brookvale", "Tamsin Oakhurst", "Carys Oakhurst", "Rowan Pellwick"),
    "riverbend": ("Ambrose Tillingham", "Marigold Fenwright", "Delphine Fenwright", "Jory Sandercock"),
    "kestrelvale": ("Lucan Hebbleworth", "Saffron Kittering", "Maren Kittering", "Oswin Trundell"),
}


def _old(slug: str) -> list[tuple[str, list[PersonData], bool, date, date]]:
    """(what happened, people, allegation, reported, closed) of the three old cases."""
    adult, child, parent, pupil = NAMES.get(slug, NAMES["northvale"])
    return [
        (
            "neighbour reported shouting and a man sleeping in the stairwell; support was arranged.",
            [PersonData(full_name=adult, date_of_birth=date(1961, 4, 2))],
            False,
            date(2016, 9, 5),
            date(2017, 2, 10),
        ),
        (
            "young person missing school, seen with older men at the flats; children's services took the lead.",
            [
                PersonData(full_name=child, person_type="child", date_of_birth=date(1997, 3, 14)),
                PersonData(full_name=parent, date_of_birth=date(1975, 8, 1)),
            ],
            False,
            date(2012, 5, 21),
            date(2013, 1, 30),
        ),
        (
            "a contractor was said to have spoken inappropriately to a tenant's child; the LADO found it unfounded.",
            [PersonData(full_name=pupil, person_type="child", age=12)],
            True,
            date(2013, 10, 2),
            date(2014, 3, 3),
        ),
    ]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@seeder(97)
def seed_retention(demo: DemoOrg) -> None:
    from .jobs import list_due_records

    org = demo.org
    if Case.objects.for_org(org).filter(what_happened__startswith=MARK).exists():
        return
    reporter = demo.people[Role.FRONTLINE]
    closer = demo.people.get(Role.CASE_MANAGER) or demo.people[Role.SAFEGUARDING_MANAGER]
    made = []
    for text, people, allegation, reported, closed in _old(org.slug):
        data = ConcernData(
            concern_type=ConcernType.SAFEGUARDING,
            area_id=demo.areas[0].pk,
            department_id=next(iter(demo.departments.values())).pk,
            source="neighbour",
            what_happened=MARK + text,
            happened_on=reported,
            people=people,
            is_colleague_allegation=allegation,
        )
        case = do_report_concern(org, data, acting_user=reporter)
        Case.objects.for_org(org).filter(pk=case.pk).update(
            reported_at=_aware(reported),
            closed_at=_aware(closed),
            status=CaseStatus.CLOSED,
            closed_by=closer,
            outcome="Closed after support was in place.",
            next_action_due=None,
        )
        made.append(case)
    list_due_records()
    dpm = demo.people[Role.DATA_PRIVACY_MANAGER]
    if not LegalHold.objects.for_org(org).exists() and ReviewItem.objects.for_org(org).exists():
        LegalHold.objects.create(
            organisation=org,
            scope=LegalHold.Scope.CASE,
            case=made[0],
            placed_by=dpm,
            reason="Safeguarding adults review SAR-2025-04 (Elmford Safeguarding Adults Board) asked that the "
            "records of this case are kept until the review reports.",
        )
