"""Fictional register entries for the demo organisations (idempotent).

The first two areas of each organisation get a few entries: most updated this
month, one not (so it stands out), one of a child on a child protection plan,
and last month's review signed off. Entries link to demo safeguarding cases of
the area where there are some, leaving one case "not yet on the register".
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases.models import Case, ConcernType, HarmCategory
from safeguard.tenancy.demo import DemoOrg, local_names, seeder
from safeguard.tenancy.roles import Role

from . import actions
from .models import Register
from .policy.review import add_months, entries_in_review, this_month
from .signals import ensure_registers

HOUSEHOLDS = [
    # household, people, risk level, risk, categories, flags
    ("Marlowe household", [("adult", "Tamsin Marlowe"), ("child", "Rory Marlowe"), ("child", "Elsie Marlowe")],
     "high", "Domestic abuse by a former partner who knows the address; the children witnessed an incident.",
     ["Domestic abuse"], {"la_childrens_services": True, "marac": True}),
    ("Quenby household", [("adult", "Arthur Quenby")], "medium",
     "Severe hoarding creating a fire risk; Mr Quenby declines support.", ["Self-neglect (including hoarding)"],
     {"la_adult_social_care": True}),
    ("Fairweather household", [("adult", "Nadia Fairweather"), ("child", "Kit Fairweather"),
                               ("unborn", "Unborn Fairweather")], "high",
     "Neglect of a young child; a child protection plan is in place.", ["Neglect or acts of omission"],
     {"la_childrens_services": True, "cp_plan": True}),
    ("Oakes household", [("adult", "Winston Oakes"), ("adult", "Maud Oakes")], "low",
     "Financial abuse by a lodger; the lodger has left and the bank has been told.",
     ["Financial or material abuse"], {"la_adult_social_care": True}),
]


def _categories(org_id: int, names: list[str]) -> list[HarmCategory]:
    return list(HarmCategory.objects.for_org(org_id).filter(name__in=names))


def _seed_register(demo: DemoOrg, register: Register, today: date) -> None:
    nso = demo.people[Role.NSO]
    dsl = demo.extra.get(f"dsl:{register.area.name}", demo.people[Role.DSL])
    departments = list(demo.departments.values())
    cases = list(Case.objects.for_org(demo.org).filter(area=register.area, concern_type=ConcernType.SAFEGUARDING)
                 .order_by("pk"))
    spare_cases = cases[:-1]  # the last stays "not yet on the register"
    opened = add_months(this_month(today), -3)
    for index, (household, people, level, risk, cats, flags) in enumerate(HOUSEHOLDS):
        case = spare_cases[index] if index < len(spare_cases) else None
        household, people = local_names(demo, household), [(t, local_names(demo, n)) for t, n in people]
        entry = actions.do_add_entry(register, {
            "household": household, "risk_level": level, "risk": local_names(demo, risk), "opened_on": opened,
            "department": case.department if case else departments[index % len(departments)], "case": case,
            "actions": "Monthly liaison with the case officer.", **flags,
        }, people=[actions.PersonSpec(t, n) for t, n in people], categories=_categories(demo.org.pk, cats),
            acting_user=nso)
        for back in (2, 1, 0):
            if back == 0 and index == 1:
                continue  # the Quenby entry has no update this month yet: it stands out
            day = add_months(this_month(today), -back) + timedelta(days=min(4, today.day - 1) if back == 0 else 9)
            actions.do_add_update(entry, liaised_on=day, with_whom="The allocated case officer",
                                  what_changed="No change in the risk; support continues.",
                                  acting_user=nso, today=today)
    _sign_last_month(register, dsl, today)


def _sign_last_month(register: Register, dsl: object, today: date) -> None:
    last = add_months(this_month(today), -1)
    review = actions.start_review(register, last, acting_user=dsl)  # type: ignore[arg-type]
    for entry in entries_in_review(register, last):
        actions.do_mark_entry(review, entry, comment="Reviewed with the NSO; actions in hand.",
                              acting_user=dsl)  # type: ignore[arg-type]
    actions.do_sign_review(review, summary="All entries current.", acting_user=dsl,  # type: ignore[arg-type]
                           today=last.replace(day=28))


@seeder(60)
def seed_registers(demo: DemoOrg) -> None:
    ensure_registers(demo.org.pk)
    today = timezone.localdate()
    for register in Register.objects.for_org(demo.org).select_related("area").order_by("area__name")[:2]:
        if register.entries.exists():
            continue
        _seed_register(demo, register, today)


__all__ = ["seed_registers"]
