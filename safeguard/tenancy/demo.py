"""Fictional demo organisations shaped like the seed policies.

Every name, place and person here is invented. ``seed_demo`` builds the
organisations and people, then calls each app's ``demo.py`` seeder (registered
with ``@seeder(order)``) so cases, registers and training get realistic data.
Everything is idempotent: running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .actions import RoleSpec, do_add_member, do_create_organisation
from .models import Area, Department, Membership, Notification, Organisation, User
from .roles import Role

DEMO_PASSWORD = "Safeguard-demo-2026"  # noqa: S105 - fictional demo logins, printed on purpose


@dataclass
class DemoOrg:
    org: Organisation
    areas: list[Area]
    departments: dict[str, Department]
    # role code -> the demo person holding it (organisation-wide unless noted)
    people: dict[str, User] = field(default_factory=dict)
    extra: dict[str, User] = field(default_factory=dict)  # e.g. "dsl:<area name>", "nso:<department>"
    email_domain: str = ""


SEEDERS: list[tuple[int, str, Callable[[DemoOrg], None]]] = []


def seeder(order: int) -> Callable[[Callable[[DemoOrg], None]], Callable[[DemoOrg], None]]:
    def decorator(func: Callable[[DemoOrg], None]) -> Callable[[DemoOrg], None]:
        key = f"{func.__module__}.{func.__name__}"
        if not any(k == key for _, k, _ in SEEDERS):
            SEEDERS.append((order, key, func))
            SEEDERS.sort(key=lambda s: s[0])
        return func

    return decorator


ORGS = [
    {
        "name": "Northvale Housing Group", "slug": "northvale", "domain": "northvale.example",
        "areas": ["Ashworth County", "Bramblemoor", "Castlemere", "Dunholt"],
        "departments": ["Housing", "Repairs and Assets", "HR", "Support"],
    },
    {
        "name": "Riverbend Homes", "slug": "riverbend", "domain": "riverbend.example",
        "areas": ["Alderwick", "Brightwater", "Cobblestone", "Dovehurst", "Ferncliffe", "Greyford",
                  "Hollowmere", "Juniper Heath", "Kestrelby"],
        "departments": ["Housing", "Repairs and Assets", "HR", "Support"],
    },
    {
        "name": "Kestrel Vale Borough Council", "slug": "kestrelvale", "domain": "kestrelvale.example",
        "areas": ["Kestrel Vale"],
        "departments": ["Housing", "Children's Services", "Adult Services", "HR"],
    },
]

# One invented person per role, per organisation.
ROLE_PEOPLE: dict[str, list[str]] = {
    Role.FRONTLINE: ["Fran Lowther", "Priya Castell", "Owen Marrick"],
    Role.CASE_OFFICER: ["Cora Ashby", "Tomas Reyne", "Ada Whitlock"],
    Role.CASE_MANAGER: ["Mina Hargreave", "Leon Brask", "Ruth Okonedo-Vale"],
    Role.NSO: ["Nia Stroud", "Idris Pell", "Gwen Tarrant"],
    Role.DSL: ["Della Fenwick", "Marcus Holm", "Yara Quill"],
    Role.SAFEGUARDING_MANAGER: ["Sasha Merriden", "Bryn Calloway", "Imogen Tate-Rowe"],
    Role.REGISTER_ADMIN: ["Rhys Adeyemi", "Lena Stroud-Kay", "Felix Ormond"],
    Role.DATA_PRIVACY_MANAGER: ["Dev Prakash-Lowe", "Hana Bellweather", "Otto Grange"],
    Role.PEOPLE_DIRECTOR: ["Petra Vance", "Kofi Brightman", "Ines Galloway"],
    Role.HR_LD: ["Holly Lindqvist", "Sam Oduya", "Tess Carrow"],
    Role.BOARD_MEMBER: ["Bernard Ollerton", "Carys Penhale", "Councillor Ray Dunmore"],
    Role.ORG_ADMIN: ["Alex Morrow", "Jude Penrose", "Kit Farraday"],
}


# Each organisation's own invented households (issue 12.8), so whose record is on screen is plain.
# The seeders write their stories with Northvale's names; ``local_names`` swaps in the others'.
LOCAL_NAMES: dict[str, dict[str, str]] = {
    "riverbend": {
        "Dana": "Leah", "Milo": "Otis", "Whitcombe": "Ravensholt", "Harold": "Clement", "Pennick": "Abbotsley",
        "Edith": "Winifred", "Marlow": "Gillard", "Carla": "Nerys", "Ruby": "Ivy", "Denning": "Pryce-Holloway",
        "Aaron": "Declan", "Fell": "Moorcroft", "Jay": "Remy", "Lisa": "Joanne", "Ormerod": "Tregarth",
        "Theo": "Caspian", "Brackley": "Wethersby", "Tamsin": "Bryony", "Rory": "Alfie", "Elsie": "Poppy",
        "Marlowe": "Achterberg", "Arthur": "Cyril", "Quenby": "Lanyon", "Nadia": "Sofia", "Kit": "Rowan",
        "Fairweather": "Hollingrake", "Winston": "Desmond", "Maud": "Edna", "Oakes": "Penberthy",
        "Larkspur Row": "Heron Quay", "Quarry Close": "Sluice Lane", "Beacon House": "Weir House",
        "Osier Lane": "Kingfisher Walk", "Wicket Street": "Ferry Road", "Tannery Court": "Lockkeeper Court",
        "Mill Yard": "Towpath Mews",
    },
    "kestrelvale": {
        "Dana": "Shona", "Milo": "Ezra", "Whitcombe": "Halloran", "Harold": "Percival", "Pennick": "Drummond-Ley",
        "Edith": "Agnes", "Marlow": "Fothergill", "Carla": "Tegan", "Ruby": "Isla", "Denning": "Kilbride",
        "Aaron": "Callum", "Fell": "Ashdown", "Jay": "Kai", "Lisa": "Marnie", "Ormerod": "Velasco-Hart",
        "Theo": "Jasper", "Brackley": "Tennant", "Tamsin": "Carys", "Rory": "Finlay", "Elsie": "Hattie",
        "Marlowe": "Okafor-Bell", "Arthur": "Ivor", "Quenby": "Strathearn", "Nadia": "Zainab", "Kit": "Robin",
        "Fairweather": "Cadwallader", "Winston": "Norman", "Maud": "Gladys", "Oakes": "Blackthorne",
        "Larkspur Row": "Falcon Crescent", "Quarry Close": "Harrier Way", "Beacon House": "Merlin Court",
        "Osier Lane": "Kestrel Rise", "Wicket Street": "Buzzard Lane", "Tannery Court": "Eyrie House",
        "Mill Yard": "Hawk Row",
    },
}


def local_names(demo: DemoOrg, text: str) -> str:
    """``text`` with this organisation's invented names in place of Northvale's."""
    import re

    names = LOCAL_NAMES.get(demo.org.slug)
    if not names or not text:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], text)


def _user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
    return user


@transaction.atomic
def build_org(index: int, spec: dict[str, Any]) -> DemoOrg:
    org = Organisation.objects.filter(slug=spec["slug"]).first() or do_create_organisation(
        name=spec["name"], slug=spec["slug"], areas=spec["areas"], departments=spec["departments"]
    )
    areas = list(Area.objects.for_org(org).order_by("name"))
    departments = {d.name: d for d in Department.objects.for_org(org)}
    demo = DemoOrg(org, areas, departments, email_domain=spec["domain"])
    for role, names in ROLE_PEOPLE.items():
        user = _user(f"{role.replace('_', '.')}@{spec['domain']}", names[index])
        area_ids = [areas[0].pk] if role == Role.DSL else []
        do_add_member(org, user, [RoleSpec(role, area_ids)], job_title=Role(role).label)
        demo.people[role] = user
    # A DSL for each further area, and an NSO for each department (Connexus 1.3, 4.6).
    for area in areas[1:4]:
        user = _user(f"dsl.{area.name.split()[0].lower()}@{spec['domain']}", f"{area.name.split()[0]} Area Lead")
        do_add_member(org, user, [RoleSpec(Role.DSL, [area.pk])], job_title="Designated Safeguarding Lead")
        demo.extra[f"dsl:{area.name}"] = user
    demo.extra[f"dsl:{areas[0].name}"] = demo.people[Role.DSL]
    # Line management: frontline and case officers report to the case manager.
    manager = Membership.objects.for_org(org).get(user=demo.people[Role.CASE_MANAGER])
    Membership.objects.for_org(org).filter(
        user__in=[demo.people[Role.FRONTLINE], demo.people[Role.CASE_OFFICER]]
    ).update(line_manager=manager)
    return demo


def seed_all() -> tuple[list[DemoOrg], User]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    demos = [build_org(i, spec) for i, spec in enumerate(ORGS)]
    # One person who works for two organisations and switches between them.
    both = _user("jordan.ellery@example.org", "Jordan Ellery")
    do_add_member(demos[0].org, both, [RoleSpec(Role.CASE_MANAGER)], job_title="Neighbourhood Manager")
    do_add_member(demos[1].org, both, [RoleSpec(Role.CASE_OFFICER)], job_title="Community Safety Advisor")
    for _, _, func in SEEDERS:
        for demo in demos:
            with transaction.atomic():
                func(demo)
    # Demo people have invented addresses: show their notifications in the app, e-mail none.
    Notification.objects.dangerously_unscoped().filter(  # scoping: the demo organisations just seeded
        organisation__in=[d.org for d in demos], email_status=Notification.EmailStatus.PENDING
    ).update(email_status=Notification.EmailStatus.NOT_NEEDED)
    return demos, both
