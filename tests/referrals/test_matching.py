"""The same person across the organisation's cases; restricted cases show only that
they exist, and the Safeguarding Manager decides requests to see them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cases.actions import PersonData, do_allocate
from cases.policy.visibility import visible_cases
from cases.referrals.matching import normalise_name, normalise_reference
from cases.referrals.models import AccessRequest
from safeguard.tenancy.models import Notification
from safeguard.tenancy.roles import Role

from .helpers import ADULT, make_case, officer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _held_by_manager(world, *people):
    other = make_case(world, *people, allocate=False)
    return do_allocate(other, officer=world.members[Role.CASE_MANAGER], concern_type=other.concern_type,
                       version=other.version, acting_user=world.members[Role.SAFEGUARDING_MANAGER])


def test_it_normalises_names_and_references() -> None:
    assert normalise_name("  O'Neil-Smith ") == normalise_name("oneil smith") == "oneilsmith"
    assert normalise_reference("nv 00-42") == "NV0042"


def test_it_shows_other_visible_cases_about_the_same_person(world) -> None:
    first = make_case(world)
    second = make_case(world, PersonData(full_name="NELL  ashcombe", date_of_birth=ADULT.date_of_birth))
    page = _client(officer(world)).get(reverse("referrals:case", args=[second.pk])).content.decode()
    assert f"Case {first.reference}" in page and "restricted" not in page


def test_it_does_not_match_the_same_name_with_another_birthday(world) -> None:
    make_case(world)
    other = make_case(world, PersonData(full_name="Nell Ashcombe", date_of_birth=date(1970, 1, 1)))
    page = _client(officer(world)).get(reverse("referrals:case", args=[other.pk])).content.decode()
    assert "No other cases found" in page


def test_it_shows_only_that_a_restricted_case_exists(world) -> None:
    mine = make_case(world)
    theirs = _held_by_manager(world, ADULT)
    page = _client(officer(world)).get(reverse("referrals:case", args=[mine.pk])).content.decode()
    assert "A restricted case exists about Nell Ashcombe" in page
    assert theirs.reference not in page
    assert reverse("referrals:request-access", args=[mine.pk, theirs.pk]) in page


def test_it_hides_allegations_against_a_colleague_entirely(world) -> None:
    mine = make_case(world)
    make_case(world, ADULT, allegation=True, allocate=False)
    page = _client(officer(world)).get(reverse("referrals:case", args=[mine.pk])).content.decode()
    assert "restricted" not in page


def test_it_refuses_to_request_access_to_a_case_that_is_not_a_match(world) -> None:
    mine = make_case(world)
    unrelated = _held_by_manager(world, PersonData(full_name="Someone Else", date_of_birth=date(1980, 2, 2)))
    response = _client(officer(world)).get(reverse("referrals:request-access", args=[mine.pk, unrelated.pk]))
    assert response.status_code == 404


def test_it_lets_the_safeguarding_manager_grant_access_to_the_restricted_case(world) -> None:
    mine = make_case(world)
    theirs = _held_by_manager(world, ADULT)
    co = _client(officer(world))
    url = reverse("referrals:request-access", args=[mine.pk, theirs.pk])
    body = co.post(url, {"reason": ""}).content.decode()
    assert "Enter why you need to see this case" in body
    co.post(url, {"reason": "I hold a case about the same tenant."})
    request = AccessRequest.objects.for_org(world.org).get()
    assert Notification.objects.for_org(world.org).filter(
        recipient=world.members[Role.SAFEGUARDING_MANAGER], kind="referral.access_request").exists()
    assert "You have asked for access" in co.get(reverse("referrals:case", args=[mine.pk])).content.decode()
    membership = world.membership(Role.CASE_OFFICER)
    assert not visible_cases(world.org, membership).filter(pk=theirs.pk).exists()
    sm = _client(world.members[Role.SAFEGUARDING_MANAGER])
    assert "I hold a case about the same tenant." in sm.get(reverse("referrals:access-requests")).content.decode()
    sm.post(reverse("referrals:access-request", args=[request.pk]), {"decision": "grant", "notes": ""})
    request.refresh_from_db()
    assert request.status == "granted"
    assert visible_cases(world.org, world.membership(Role.CASE_OFFICER)).filter(pk=theirs.pk).exists()
    page = co.get(reverse("referrals:case", args=[mine.pk])).content.decode()
    assert f"Case {theirs.reference}" in page


def test_it_keeps_a_refused_case_hidden_and_tells_the_requester(world) -> None:
    mine = make_case(world)
    theirs = _held_by_manager(world, ADULT)
    _client(officer(world)).post(reverse("referrals:request-access", args=[mine.pk, theirs.pk]), {"reason": "Same tenant"})
    request = AccessRequest.objects.for_org(world.org).get()
    _client(world.members[Role.SAFEGUARDING_MANAGER]).post(
        reverse("referrals:access-request", args=[request.pk]), {"decision": "refuse", "notes": "Not needed"})
    assert not visible_cases(world.org, world.membership(Role.CASE_OFFICER)).filter(pk=theirs.pk).exists()
    note = Notification.objects.for_org(world.org).get(recipient=officer(world), kind="referral.access_decision")
    assert "refused" in note.title
