from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role
from tests.factories import World
from training import actions
from training.models import Course, DBSLevel, JobRole, Person


@dataclass
class Setup:
    world: World
    course: Course
    role: JobRole
    hr: Person
    manager: Person
    worker: Person
    volunteer: Person


def person_for(world: World, role: str, **values) -> Person:
    member = Membership.objects.for_org(world.org).get(user=world.members[role])
    person, _ = actions.do_save_person(world.org, {"full_name": member.user.full_name, "email": member.user.email,
                                                   **values}, acting_user=None)
    return person


def make_setup(world: World) -> Setup:
    org = world.org
    course = actions.do_save_course(org, name="Safeguarding", levels=3, acting_user=None)
    role = actions.do_save_job_role(org, {"name": "Housing Officer", "dbs_level": DBSLevel.ENHANCED},
                                    {course.pk: 2}, acting_user=None)
    hr = person_for(world, Role.HR_LD, reference="H1", department=world.department)
    manager = person_for(world, Role.CASE_MANAGER, reference="M1", job_role=role, department=world.department,
                         team="North")
    worker = person_for(world, Role.FRONTLINE, reference="W1", job_role=role, department=world.department,
                        team="North", line_manager=manager)
    volunteer, _ = actions.do_save_person(org, {"full_name": "Vic Volunteer", "reference": "V1", "kind": "volunteer",
                                                "job_role": role, "department": world.second_department},
                                          acting_user=None)
    return Setup(world, course, role, hr, manager, worker, volunteer)


@pytest.fixture
def setup(world: World) -> Setup:
    return make_setup(world)


def years_ago(years: int, on: date | None = None) -> date:
    from training.models import add_years

    return add_years(on or date.today(), -years)
