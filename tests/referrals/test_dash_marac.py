"""DASH risk scores and the MARAC prompt: a score of 14 or more, or a third concern
about the same person within 12 months; the officer is told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.referrals import actions
from cases.referrals.models import DashAssessment, MaracPrompt
from safeguard.tenancy.models import Notification

from .helpers import ADULT, days_ago, make_case, make_referral, officer

pytestmark = pytest.mark.django_db


def _dash(world, case, **kw):
    return actions.do_record_dash(case, assessed_on=days_ago(0), acting_user=officer(world), **kw)


def _prompts(world) -> int:
    return Notification.objects.for_org(world.org).filter(recipient=officer(world), kind="referral.marac_prompt").count()


def test_it_scores_dash_from_the_yes_answers(world) -> None:
    case = make_case(world)
    assert _dash(world, case, answers=[True] * 13 + [False] * 11).score == 13
    assert not case.marac_prompts.exists()


def test_it_prompts_marac_at_14_and_tells_the_officer_once(world) -> None:
    case = make_case(world)
    _dash(world, case, answers=[True] * 14 + [False] * 10)
    _dash(world, case, total=20)
    assert list(case.marac_prompts.values_list("reason", flat=True)) == ["high_dash"]
    assert _prompts(world) == 1
    page = _client(officer(world)).get(reverse("referrals:case", args=[case.pk])).content.decode()
    assert "Consider a MARAC referral" in page


def test_it_stops_showing_the_prompt_once_a_marac_referral_is_made(world) -> None:
    case = make_case(world)
    _dash(world, case, total=16)
    make_referral(world, case, agency="marac")
    page = _client(officer(world)).get(reverse("referrals:case", args=[case.pk])).content.decode()
    assert "Consider a MARAC referral" not in page


def test_it_refuses_a_dash_total_above_24_and_keeps_what_was_typed(world) -> None:
    case = make_case(world)
    body = _client(officer(world)).post(reverse("referrals:dash-new", args=[case.pk]), {
        "assessed_on": days_ago(0).isoformat(), "method": "total", "total": "30", "notes": "From the police DASH",
    }).content.decode()
    assert "The score must be between 0 and 24" in body and "From the police DASH" in body
    assert not DashAssessment.objects.for_org(world.org).exists()


def test_it_records_dash_answers_through_the_form(world) -> None:
    case = make_case(world)
    answers = {f"q{i}": "on" for i in range(1, 16)}
    response = _client(officer(world)).post(reverse("referrals:dash-new", args=[case.pk]), {
        "assessed_on": days_ago(0).isoformat(), "method": "questions", **answers}, follow=True)
    assert "score of 15" in response.content.decode()
    assert DashAssessment.objects.for_org(world.org).get().score == 15


def test_it_prompts_marac_on_the_third_concern_about_a_person_within_12_months(world) -> None:
    make_case(world)
    second = make_case(world)
    assert not second.marac_prompts.exists()
    third = make_case(world)
    assert list(third.marac_prompts.values_list("reason", flat=True)) == ["repeat"]
    assert _prompts(world) == 1


def test_it_does_not_count_concerns_older_than_12_months(world) -> None:
    old = make_case(world)
    Case.objects.for_org(world.org).filter(pk=old.pk).update(
        reported_at=timezone.now() - timedelta(days=370))
    make_case(world)
    third = make_case(world)
    assert not third.marac_prompts.exists()


def test_it_tells_the_officer_when_a_prompted_case_is_allocated_later(world) -> None:
    from cases.actions import do_allocate
    from safeguard.tenancy.roles import Role

    make_case(world)
    make_case(world)
    third = make_case(world, allocate=False)
    assert MaracPrompt.objects.for_org(world.org).filter(case=third).exists()
    assert _prompts(world) == 0
    do_allocate(third, officer=officer(world), concern_type=third.concern_type, version=third.version,
                acting_user=world.members[Role.SAFEGUARDING_MANAGER])
    assert _prompts(world) == 1


def test_it_matches_repeat_concerns_on_tenancy_reference(world) -> None:
    from cases.actions import PersonData

    make_case(world, ADULT)
    make_case(world, PersonData(full_name="N. Ashcombe", tenancy_reference="nv-0042"))
    third = make_case(world, PersonData(full_name="Nell Ashcombe-Reed", tenancy_reference="NV 0042"))
    assert third.marac_prompts.filter(reason="repeat").exists()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_never_stops_a_concern_being_reported_if_the_repeat_check_fails(world, monkeypatch) -> None:
    def broken(case):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(actions, "check_repeat_concerns", broken)
    case = make_case(world)
    assert Case.objects.for_org(world.org).filter(pk=case.pk).exists()
    assert case.people.count() == 1
