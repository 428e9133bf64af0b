"""The referrals section on the case page, and referral events in the chronology."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.chronology import entries_for
from cases.models import ConcernType
from cases.referrals import actions
from safeguard.tenancy.roles import Role

from .helpers import days_ago, give_consent, make_case, make_referral, officer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_referrals_consent_and_the_marac_prompt_on_the_case_page(world) -> None:
    case = make_case(world)
    make_referral(world, case, agency="police", decided_on=days_ago(0))
    actions.do_record_dash(case, assessed_on=days_ago(0), total=18, acting_user=officer(world))
    body = _client(officer(world)).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Referrals, consent and risk" in body
    assert "Consider a MARAC referral" in body and "Police" in body
    assert reverse("referrals:referral-new", args=[case.pk]) in body


def test_it_shows_the_section_without_buttons_to_a_reader_who_cannot_change_the_case(world) -> None:
    case = make_case(world, concern_type=ConcernType.SAFEGUARDING)
    make_referral(world, case, decided_on=days_ago(0))
    nso = _client(world.members[Role.NSO])
    body = nso.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Adult social care" in body
    assert reverse("referrals:referral-new", args=[case.pk]) not in body
    assert nso.get(reverse("referrals:referral-new", args=[case.pk])).status_code == 403


def test_it_puts_referrals_consent_dash_and_dpm_decisions_in_the_chronology(world) -> None:
    case = make_case(world)
    give_consent(world, case, status="refused")
    referral = make_referral(world, case, decided_on=days_ago(3), made_on=days_ago(2))
    actions.do_record_outcome(referral, outcome="declined", response_on=days_ago(1), notes="Below threshold",
                              version=referral.version, acting_user=officer(world))
    actions.do_review_privacy(referral.privacy_review, decision="not_appropriate", notes="Should have asked again",
                              acting_user=world.members[Role.DATA_PRIVACY_MANAGER])
    actions.do_record_dash(case, assessed_on=days_ago(0), total=15, acting_user=officer(world))
    kinds = [e.kind for e in entries_for(case)]
    for kind in ("Consent and capacity", "Decision to refer", "Referral made", "Referral outcome",
                 "Data Privacy Manager's decision", "DASH risk assessment", "MARAC referral prompted"):
        assert kind in kinds, kind
    page = _client(officer(world)).get(reverse("cases:chronology", args=[case.pk])).content.decode()
    assert "Declined after 1 day. Below threshold" in page
    assert "Not appropriate" in page
