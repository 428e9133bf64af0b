from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from governance.actions.audits import do_record_audit, do_start_round
from governance.audits import allocate, draw, month_failure_count
from governance.models import AuditQuestion, FollowUpAction
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case

from .helpers import sm

pytestmark = pytest.mark.django_db


def test_it_draws_the_same_stratified_sample_for_the_same_seed() -> None:
    candidates = [(i, 1) for i in range(1, 31)] + [(i, 2) for i in range(31, 41)]
    first = draw(candidates, seed=42, n=8)
    assert first == draw(list(reversed(candidates)), seed=42, n=8)
    assert sum(1 for _, a in first if a == 1) == 6 and sum(1 for _, a in first if a == 2) == 2
    assert draw(candidates, seed=43, n=8) != first
    assert allocate({1: 30, 2: 10}, None, 10) == {1: 3, 2: 1}
    assert len(draw(candidates, seed=1, n=500)) == 40


def _round(world, **kw):
    today = timezone.localdate()
    membership = world.membership(kw.pop("role", Role.SAFEGUARDING_MANAGER))
    return do_start_round(world.org, membership, areas=kw.pop("areas", [world.area, world.second_area]),
                          period_start=today - timedelta(days=30), period_end=today, sample_size=100,
                          sample_is_percent=True, seed=5, acting_user=membership.user, **kw)


def test_it_never_samples_a_case_the_auditor_works_on_nor_an_allegation_they_may_not_see(world) -> None:
    ordinary = make_case(world)
    allocated = make_case(world)
    Case.objects.for_org(world.org).filter(pk=allocated.pk).update(allocated_to=sm(world))
    allegation = make_case(world)
    Case.objects.for_org(world.org).filter(pk=allegation.pk).update(is_colleague_allegation=True)
    sampled = set(_round(world).audited_cases.values_list("case_id", flat=True))
    assert ordinary.pk in sampled and allocated.pk not in sampled and allegation.pk not in sampled


def test_it_limits_a_dsl_to_the_cases_of_their_area(world) -> None:
    mine, other = make_case(world), make_case(world, area=world.second_area)
    with pytest.raises(ValidationError):
        _round(world, role=Role.DSL, areas=[world.second_area])
    sampled = set(_round(world, role=Role.DSL).audited_cases.values_list("case_id", flat=True))
    assert mine.pk in sampled and other.pk not in sampled


def test_it_counts_cases_not_correctly_recorded_this_month_and_asks_for_a_follow_up(world) -> None:
    for _ in range(3):
        make_case(world)
    rnd = _round(world)
    audited = list(rnd.audited_cases.all())
    membership = world.membership(Role.SAFEGUARDING_MANAGER)
    answers = {q.pk: ("yes", "") for q in AuditQuestion.objects.for_org(world.org)}
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="follow-up action"):
        do_record_audit(audited[0], membership, answers=answers, findings="", correctly_recorded=False,
                        audited_on=today, follow_up=None, expected_version=None, acting_user=sm(world))
    owner = world.members[Role.CASE_MANAGER]
    do_record_audit(audited[0], membership, answers=answers, findings="Not on the register", correctly_recorded=False,
                    audited_on=today, follow_up={"title": "Add it", "owner": owner, "due_on": today},
                    expected_version=None, acting_user=sm(world))
    do_record_audit(audited[1], membership, answers=answers, findings="", correctly_recorded=True,
                    audited_on=today, follow_up=None, expected_version=None, acting_user=sm(world))
    assert month_failure_count(world.org, today) == 1
    action = FollowUpAction.objects.for_org(world.org).get()
    assert action.owner == owner and action.audited_case == audited[0]
    client = Client()
    client.force_login(sm(world))
    page = client.get(reverse("governance:audits")).content.decode()
    assert "not correctly recorded on the register in" in page and "<strong>1</strong>" in page
    # The action's owner sees and updates it, though they could not see the audit round.
    client.force_login(owner)
    assert client.get(reverse("governance:audit-actions-detail", args=[action.pk])).status_code == 200
