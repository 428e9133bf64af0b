"""Every list page runs the same number of queries with little or much data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.actions import PersonData
from cases.referrals import actions
from safeguard.tenancy.roles import Role

from .helpers import ADULT, days_ago, give_consent, make_case, make_referral, officer

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/")  # settle the session
    return client


def _fill(world, case, n: int) -> None:
    for i in range(n):
        referral = make_referral(world, case, decided_on=days_ago(5), made_on=days_ago(4),
                                 agency=["police", "health", "adult_social_care"][i % 3])
        actions.do_record_outcome(referral, outcome="accepted", response_on=days_ago(1), notes="",
                                  version=referral.version, acting_user=officer(world))
        actions.do_review_privacy(referral.privacy_review, decision="appropriate", notes="ok",
                                  acting_user=world.members[Role.DATA_PRIVACY_MANAGER])
        make_referral(world, case, decided_on=days_ago(3))
        give_consent(world, case, status="refused")
        actions.do_record_dash(case, assessed_on=days_ago(2), total=15, acting_user=officer(world))


@pytest.mark.parametrize("url_name, role", [
    ("referrals:case", Role.CASE_OFFICER),
    ("referrals:report", Role.SAFEGUARDING_MANAGER),
    ("referrals:privacy-queue", Role.DATA_PRIVACY_MANAGER),
    ("referrals:privacy-decisions", Role.DATA_PRIVACY_MANAGER),
    ("referrals:access-requests", Role.SAFEGUARDING_MANAGER),
    ("home", Role.SAFEGUARDING_MANAGER),
    ("home", Role.CASE_OFFICER),
])
def test_it_runs_a_fixed_number_of_queries_on_list_pages(world, url_name: str, role: str) -> None:
    case = make_case(world, ADULT, PersonData(full_name="Ari Ashcombe", person_type="child"))
    url = reverse(url_name, args=[case.pk]) if url_name == "referrals:case" else reverse(url_name)
    client = _client(world.members[role])
    _fill(world, case, 1)
    make_case(world)
    small = _count(client, url)
    _fill(world, case, 6)
    for _ in range(3):
        make_case(world)
    large = _count(client, url)
    assert large <= small, f"{url_name}: {small} queries with little data, {large} with more"
