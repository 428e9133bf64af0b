from __future__ import annotations

from safeguard.tenancy.demo import DemoOrg
from safeguard.tenancy.models import Area, Department
from tests.factories import World
from training.compliance import build_rows, columns_for, current_policy, today
from training.demo import seed_training
from training.models import DBSCheck, Person, PolicyAcknowledgement, Requirement, TrainingRecord


def _demo(world: World) -> DemoOrg:
    org = world.org
    return DemoOrg(org, list(Area.objects.for_org(org)), {d.name: d for d in Department.objects.for_org(org)},
                   people=dict(world.members))


def _counts(world: World) -> tuple[int, ...]:
    org = world.org
    return tuple(m.objects.for_org(org).count() for m in (Person, DBSCheck, TrainingRecord, PolicyAcknowledgement))


def test_it_seeds_people_with_records_in_every_state_and_changes_nothing_the_second_time(world: World) -> None:
    seed_training(_demo(world))
    first = _counts(world)
    seed_training(_demo(world))
    assert _counts(world) == first
    org = world.org
    people = list(Person.objects.for_org(org).select_related("job_role"))
    assert any(p.membership_id is None for p in people) and any(p.membership_id for p in people)
    reqs = list(Requirement.objects.for_org(org).select_related("course"))
    policy = current_policy(org)
    rows = build_rows(people, columns_for(org, reqs, policy), reqs, policy, today())
    states = {c["status"] for r in rows for c in r.cells}
    assert {"ok", "due", "expired", "missing"} <= states
