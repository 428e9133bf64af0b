"""Every list runs a fixed number of queries whatever the number of records."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from governance import models as m
from governance.kinds import KINDS

from .helpers import make_group, make_outcome, sm

pytestmark = pytest.mark.django_db


def _fill(w, n: int) -> None:
    org, owner = w.org, sm(w)
    base = m.Policy.objects.for_org(org).count()
    m.Policy.all_orgs.bulk_create([m.Policy(organisation=org, title=f"Policy {base + i}", review_on=date(2030, 1, 1),
                                            owner=owner) for i in range(n)])
    m.Lesson.all_orgs.bulk_create([m.Lesson(organisation=org, lesson=f"L{i}", theme=f"T{i % 3}", owner=owner,
                                            recorded_on=date(2026, 1, 1)) for i in range(n)])
    m.Complaint.all_orgs.bulk_create([m.Complaint(organisation=org, summary="S", received_on=date(2026, 1, 1),
                                                  response_due_on=date(2026, 2, 1), owner=owner) for _ in range(n)])
    m.NearMiss.all_orgs.bulk_create([m.NearMiss(organisation=org, summary="S", received_on=date(2026, 1, 1),
                                                response_due_on=date(2026, 2, 1), owner=owner) for _ in range(n)])
    m.CaseReview.all_orgs.bulk_create([m.CaseReview(organisation=org, kind="sar", title=f"Adult {i}", lead=owner,
                                                    local_authority="X", notified_on=date(2026, 1, 1))
                                       for i in range(n)])
    base = m.Supplier.objects.for_org(org).count()
    m.Supplier.all_orgs.bulk_create([m.Supplier(organisation=org, name=f"S{base + i}", services="x", owner=owner)
                                     for i in range(n)])
    group = make_group(w)
    m.Meeting.all_orgs.bulk_create([m.Meeting(organisation=org, group=group, held_on=date(2026, 1, 1), status="held")
                                    for _ in range(n)])
    outcome = make_outcome(w)
    actions = m.PlanAction.all_orgs.bulk_create([m.PlanAction(organisation=org, outcome=outcome, title=f"A{i}",
                                                              target_on=date(2027, 1, 1)) for i in range(n)])
    for a in actions:
        a.leads.add(owner)
    base = m.Group.objects.for_org(org).count()
    m.Group.all_orgs.bulk_create([m.Group(organisation=org, name=f"G{base + i}") for i in range(n)])


@pytest.mark.parametrize("page", [k.n_list for k in KINDS.values() if not k.parent]
                         + ["governance:home", "governance:workplan-print", "governance:audits"])
def test_it_runs_the_same_queries_for_10_and_110_records(world, page, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(sm(world))
    _fill(world, 10)
    client.get(reverse(page))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(page)).status_code == 200
    _fill(world, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(page)).status_code == 200
