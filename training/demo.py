"""Demo training data: job roles, courses, a Person for each demo member and some
volunteers and contractors without logins, records in every state, and a published
policy. All names are invented. Running it again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from safeguard.tenancy.demo import DemoOrg, seeder
from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role

from . import actions
from .models import Course, DBSLevel, JobRole, Person, PolicyVersion, add_years
from .policy.compliance import dbs_years, training_years

COURSES = [("Safeguarding", 3), ("Prevent", 1), ("Domestic abuse awareness", 1)]
# name: (DBS level, {course: level}, training refresh years or None for the organisation's)
JOB_ROLES = {
    "Housing Officer": (DBSLevel.ENHANCED, {"Safeguarding": 2, "Prevent": 1}, None),
    "Safeguarding Lead": (DBSLevel.ENHANCED_BARRED, {"Safeguarding": 3, "Domestic abuse awareness": 1}, None),
    "Support Worker": (DBSLevel.ENHANCED_BARRED, {"Safeguarding": 2, "Domestic abuse awareness": 1}, 1),
    "Repairs Operative": (DBSLevel.STANDARD, {"Safeguarding": 1}, None),
    "Office Colleague": (DBSLevel.NONE, {"Safeguarding": 1}, None),
    "Board Member": (DBSLevel.BASIC, {"Safeguarding": 1}, None),
    "Volunteer": (DBSLevel.ENHANCED, {"Safeguarding": 1}, None),
}
ROLE_JOBS = {
    Role.FRONTLINE: ("Housing Officer", "Housing", "North team"),
    Role.CASE_OFFICER: ("Housing Officer", "Housing", "North team"),
    Role.CASE_MANAGER: ("Housing Officer", "Housing", "North team"),
    Role.NSO: ("Safeguarding Lead", "Housing", "Safeguarding team"),
    Role.DSL: ("Safeguarding Lead", "Housing", "Safeguarding team"),
    Role.SAFEGUARDING_MANAGER: ("Safeguarding Lead", "Housing", "Safeguarding team"),
    Role.BOARD_MEMBER: ("Board Member", None, "Board"),
}
UNLINKED = [  # people without a login
    ("Wren Halloway", "volunteer", "Volunteer", "Support", "Befriending"),
    ("Otis Brennagh", "volunteer", "Volunteer", "Support", "Befriending"),
    ("Mabel Quarrie", "contractor", "Repairs Operative", "Repairs and Assets", "Gas contractors"),
    ("Jonah Treleaven", "contractor", "Repairs Operative", "Repairs and Assets", "Gas contractors"),
    ("Esme Duckworth", "colleague", "Support Worker", "Support", "Floating support"),
    ("Rufus Penberthy", "colleague", "Support Worker", "Support", "Floating support"),
]
# issue / completion dates by state, for a 3-year interval
STATES = ["ok", "due", "expired", "missing"]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _started(state: str, years: int, on: date) -> date | None:
    if state == "ok":
        return on - timedelta(days=200)
    if state == "due":
        return add_years(on, -years) + timedelta(days=40)
    if state == "expired":
        return add_years(on, -years) - timedelta(days=20)
    return None


def _requirements(demo: DemoOrg) -> dict[str, JobRole]:
    org = demo.org
    courses = {}
    for name, levels in COURSES:
        courses[name] = Course.objects.for_org(org).filter(name=name).first() or actions.do_save_course(
            org, name=name, levels=levels, acting_user=None)
    roles = {}
    for name, (dbs, needs, refresh) in JOB_ROLES.items():
        roles[name] = JobRole.objects.for_org(org).filter(name=name).first() or actions.do_save_job_role(
            org, {"name": name, "dbs_level": dbs, "training_refresh_years": refresh},
            {courses[c].pk: lvl for c, lvl in needs.items()}, acting_user=None)
    return roles


def _people(demo: DemoOrg, roles: dict[str, JobRole]) -> list[Person]:
    org, prefix = demo.org, demo.org.slug[:2].upper()
    people: list[Person] = []
    members = {m.user_id: m for m in Membership.objects.for_org(org).select_related("user")}
    users = list(demo.people.items()) + [(key, u) for key, u in demo.extra.items() if u not in demo.people.values()]
    for i, (role, user) in enumerate(users, start=1):
        job, dept, team = ROLE_JOBS.get(role, ("Office Colleague", "HR" if role == Role.HR_LD else None, "Central"))  # type: ignore[call-overload]
        values = {"full_name": user.full_name, "email": user.email, "reference": f"{prefix}{1000 + i}",
                  "job_role": roles[job], "department": demo.departments.get(dept or ""), "team": team,
                  "kind": Person.Kind.BOARD if role == Role.BOARD_MEMBER else Person.Kind.COLLEAGUE}
        person = Person.objects.for_org(org).filter(reference=values["reference"]).first()
        if person is None:
            person, _ = actions.do_save_person(org, values, acting_user=None)
        if person.membership_id is None and user.pk in members:
            person.membership = members[user.pk]
            person.save(update_fields=["membership"])
        people.append(person)
    for i, (name, kind, job, dept, team) in enumerate(UNLINKED, start=1):
        ref = f"{prefix}{2000 + i}"
        person = Person.objects.for_org(org).filter(reference=ref).first() or actions.do_save_person(
            org, {"full_name": name, "reference": ref, "kind": kind, "job_role": roles[job],
                  "department": demo.departments.get(dept), "team": team}, acting_user=None)[0]
        people.append(person)
    return people


def _line_managers(demo: DemoOrg, people: list[Person]) -> None:
    by_email = {p.email: p for p in people if p.email}
    manager = by_email.get(demo.people[Role.CASE_MANAGER].email)
    for role in (Role.FRONTLINE, Role.CASE_OFFICER):
        person = by_email.get(demo.people[role].email)
        if person and manager and person.line_manager_id is None:
            person.line_manager = manager
            person.save(update_fields=["line_manager"])


def _records(demo: DemoOrg, people: list[Person]) -> None:
    org, on = demo.org, timezone.localdate()
    for i, person in enumerate(people):
        if person.dbs_checks.exists() or person.training_records.exists() or person.job_role is None:
            continue
        dbs_state, course_state = STATES[i % 4], STATES[(i + 1) % 4]
        issued = _started(dbs_state, dbs_years(org, person.job_role), on)
        if issued and person.job_role.needs_dbs:
            actions.do_record_dbs(person, level=person.job_role.dbs_level, certificate_number=f"{9000_0000_0000 + i:012d}",
                                  issued_on=issued, update_service=i % 2 == 0, acting_user=None)
        for req in person.job_role.requirements.select_related("course"):
            done = _started(course_state, training_years(org, person.job_role), on)
            if done:
                actions.do_record_training(person, course=req.course, level=req.level, completed_on=done,
                                           provider="Example Safeguarding Training Ltd", acting_user=None)


def _policy(demo: DemoOrg, people: list[Person]) -> None:
    org = demo.org
    if PolicyVersion.objects.for_org(org).filter(policy__staff_sign_off=True).exists():
        return
    version = actions.do_publish_policy(org, label="2026.1", document=ContentFile(PDF, name="safeguarding-policy.pdf"),
                                        review_on=timezone.localdate() + timedelta(days=300), acting_user=None)
    PolicyVersion.objects.for_org(org).filter(pk=version.pk).update(published_at=timezone.now() - timedelta(days=45))
    signers = [p for p in people if p.membership_id][::2]
    for person in signers:
        actions.do_sign_policy(person, version, acting_user=None)  # type: ignore[arg-type]


@seeder(40)
def seed_training(demo: DemoOrg) -> None:
    roles = _requirements(demo)
    people = _people(demo, roles)
    _line_managers(demo, people)
    _records(demo, people)
    _policy(demo, people)
    from .jobs import flag_training

    flag_training()  # so "Compliance to chase" has something to show; safe to repeat
