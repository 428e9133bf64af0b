"""Test data, made through the app's own action functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from safeguard.tenancy.actions import RoleSpec, do_add_member, do_create_organisation
from safeguard.tenancy.models import Area, Department, Membership, Organisation, User
from safeguard.tenancy.roles import ALL_ROLES, Role

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class World:
    """Two organisations. ``members`` holds one person per role in organisation A
    (area-limited roles are limited to ``area``/``department``); ``outsider`` is
    a member of organisation B holding every role there."""

    org: Organisation
    other_org: Organisation
    area: Area
    second_area: Area
    department: Department
    second_department: Department
    other_area: Area
    other_department: Department
    members: dict[str, User] = field(default_factory=dict)
    outsider: User | None = None
    nobody: User | None = None  # signed in, in no organisation

    def membership(self, role: str) -> Membership:
        return Membership.objects.for_org(self.org).get(user=self.members[role])


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name or email.split("@")[0].title())


def make_world() -> World:
    org = do_create_organisation(name="Oakridge Housing", slug="oakridge",
                                 areas=["Elmstead", "Fernbury"], departments=["Housing", "Support"])
    other = do_create_organisation(name="Marshgate Homes", slug="marshgate",
                                   areas=["Quayside"], departments=["Housing"])
    areas = list(Area.objects.for_org(org).order_by("name"))
    depts = list(Department.objects.for_org(org).order_by("name"))
    world = World(
        org=org, other_org=other, area=areas[0], second_area=areas[1],
        department=depts[0], second_department=depts[1],
        other_area=Area.objects.for_org(other).get(), other_department=Department.objects.for_org(other).get(),
    )
    for role in ALL_ROLES:
        user = make_user(f"{role}@oakridge.test", f"{Role(role).label} Person")
        limited = role in {Role.DSL}
        do_add_member(org, user, [RoleSpec(role, [world.area.pk] if limited else [])])
        world.members[role] = user
    world.outsider = make_user("outsider@marshgate.test", "Outsider Person")
    do_add_member(other, world.outsider, [RoleSpec(r) for r in ALL_ROLES])
    world.nobody = make_user("nobody@nowhere.test", "No Organisation")
    return world
