"""Issue 12.5: the manager allocating a concern sees each eligible officer's load."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from safeguard.tenancy.roles import Role
from tests.cases.helpers import allocated, report


def _overdue(case: Case) -> None:
    Case.objects.for_org(case.organisation_id).filter(pk=case.pk).update(
        next_action_due=timezone.localdate() - timedelta(days=3))


def _row(html: str, name: str) -> str:
    start = html.index(f'<th scope="row" class="govuk-table__header">{name}')
    return html[start:html.index("</tr>", start)]


@pytest.mark.django_db
def test_it_shows_each_officers_open_cases_overdue_actions_and_cases_this_week(world) -> None:
    officer = world.members[Role.CASE_OFFICER]
    held = [allocated(world) for _ in range(3)]
    _overdue(held[0])
    new = report(world)
    client = Client()
    client.force_login(world.members[Role.CASE_MANAGER])
    html = client.get(reverse("cases:allocate", args=[new.pk])).content.decode()
    row = _row(html, officer.full_name)
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert [c.strip() for c in cells][:1] == ["3"]
    assert "govuk-tag--red\">1<" in row  # one overdue action
    assert row.rstrip().endswith('numeric">3</td>')  # all three allocated this week
    assert f"{officer.full_name} (3 open cases, 1 overdue, 3 allocated this week)" in html


@pytest.mark.django_db
def test_it_reads_the_load_in_a_fixed_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(world.members[Role.CASE_MANAGER])
    first = report(world)
    client.get(reverse("cases:allocate", args=[first.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:allocate", args=[first.pk]))
    for _ in range(6):
        allocated(world)
        allocated(world, officer=Role.CASE_MANAGER)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("cases:allocate", args=[first.pk]))
    assert response.status_code == 200
