"""Issue 14: the queue, the schedule and the holds run a fixed number of queries whatever their size; the home
panel counts what is due; a hold on a person is placed from the case they are recorded on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CasePerson
from governance.privacy.jobs import list_due_records
from governance.privacy.models import LegalHold, ReviewItem
from safeguard.tenancy.roles import Role

from .helpers import adult_case, client_for, dpm

pytestmark = pytest.mark.django_db


def _old_cases(world, start: int, n: int) -> None:
    closed = timezone.make_aware(datetime(2010, 1, 1, 12))
    officer = world.members[Role.CASE_OFFICER]
    cases = Case.all_orgs.bulk_create(
        [
            Case(
                organisation=world.org,
                reference=f"OLD-{i}",
                area=world.area,
                department=world.department,
                reported_by=officer,
                status="closed",
                reported_at=closed - timedelta(days=30),
                closed_at=closed,
                what_happened="x",
                happened_on=date(2009, 12, 1),
            )
            for i in range(start, start + n)
        ]
    )
    CasePerson.all_orgs.bulk_create(
        [CasePerson(organisation=world.org, case=c, full_name=f"Person {c.reference}") for c in cases]
    )


def test_it_shows_the_queue_in_a_fixed_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = client_for(dpm(world))
    _old_cases(world, 0, 3)
    list_due_records()
    first = CasePerson.objects.for_org(world.org).order_by("pk").first()
    LegalHold.objects.create(
        organisation=world.org,
        scope="person",
        person=first,
        case=first.case,
        reason="Claim",
        placed_by=dpm(world),
    )
    client.get(reverse("privacy:queue"))
    for n in (3, 40):
        if n == 40:
            _old_cases(world, 3, 37)
            list_due_records()
        assert ReviewItem.objects.for_org(world.org).count() == n
        with django_assert_max_num_queries(22):
            page = client.get(reverse("privacy:queue")).content.decode()
        assert page.count("Held</strong>") == 1
    with django_assert_max_num_queries(20):
        assert client.get(reverse("privacy:holds")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("privacy:schedule")).status_code == 200


def test_it_counts_the_records_due_on_the_data_privacy_managers_home(world) -> None:
    _old_cases(world, 0, 2)
    list_due_records()
    page = client_for(dpm(world)).get(reverse("home")).content.decode()
    assert "2 records due for destruction review" in page
    assert (
        "destruction review"
        not in client_for(world.members[Role.CASE_MANAGER]).get(reverse("home")).content.decode()
    )


def test_it_places_a_hold_on_a_person_recorded_on_a_case(world) -> None:
    case = adult_case(world)
    client = client_for(dpm(world))
    wrong = client.post(
        reverse("privacy:hold-add"),
        {
            "scope": "person",
            "case_reference": case.reference,
            "person_name": "Nobody Here",
            "reason": "Claim",
            "starts_on": "2026-01-01",
        },
    )
    assert "Enter the full name of a person recorded on that case" in wrong.content.decode()
    other = client.post(
        reverse("privacy:hold-add"),
        {"scope": "case", "case_reference": "SG-999999", "reason": "Claim", "starts_on": "2026-01-01"},
    )
    assert "Enter the reference of a case of your organisation" in other.content.decode()
    done = client.post(
        reverse("privacy:hold-add"),
        {
            "scope": "person",
            "case_reference": case.reference,
            "person_name": "dana fictional",
            "reason": "Claim A-1",
            "starts_on": "2026-01-01",
        },
    )
    hold = LegalHold.objects.for_org(world.org).get()
    assert (
        done["Location"] == reverse("privacy:hold", args=[hold.pk])
        and hold.person.full_name == "Dana Fictional"
    )
    page = client.get(done["Location"]).content.decode()
    assert "Dana Fictional, every case about them" in page and "Lift the hold" in page
    empty = client.post(done["Location"], {"reason": "", "version": hold.version})
    assert "This field is required" in empty.content.decode() or "Enter" in empty.content.decode()
    hold.refresh_from_db()
    assert hold.lifted_at is None
