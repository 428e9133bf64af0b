"""The RAG facts' links: every one names a page that exists, and a viewer sees a link only where the page
lets them in (no link ends in a 403 or a 404; a board member, who reads figures only, gets none)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import resolve, reverse

from governance.rag import AUDIT, CASE_REVIEW, LINK_NAMES, POLICY, REGISTER, rate
from registers.policy.review import add_months
from safeguard.tenancy.roles import Role
from tests.board.helpers import audit_failure, backdate_register, case_review, entry_since, out_of_date_policy
from tests.factories import make_world

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)
VIEWERS = (Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL)


def _world_with_every_kind_of_fact():
    """A register not monitored for two months, an out-of-date policy, a case found wrongly recorded this
    month and a case review where a failure contributed: one fact of each kind."""
    world = make_world()
    backdate_register(world.area, add_months(MARCH, -2))
    entry_since(world, add_months(MARCH, -2), area=world.area)
    policy = out_of_date_policy(world, date(2026, 3, 1))
    audit_failure(world, date(2026, 3, 3))
    review = case_review(world, date(2026, 2, 10))
    return world, policy, review


def _fact_links(html: str) -> list[str]:
    sections = re.findall(r'<section class="sg-rating.*?</section>', html, flags=re.S)
    return [href for s in sections for href in re.findall(r'<a class="govuk-link" href="([^"]+)"', s)]


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_links_every_kind_of_fact_to_a_page_that_exists() -> None:
    world, policy, review = _world_with_every_kind_of_fact()
    facts = [f for area in rate([world.org.pk])[world.org.pk].values() for f in area.facts]
    kinds = {f.kind for f in facts}
    assert kinds == {REGISTER, POLICY, AUDIT, CASE_REVIEW}  # so every kind below is checked
    assert set(LINK_NAMES) == kinds
    for fact in facts:
        assert fact.link["url_name"] == LINK_NAMES[fact.kind]
        url = reverse(fact.link["url_name"], args=fact.link["args"])  # NoReverseMatch fails the test
        assert resolve(url).view_name == LINK_NAMES[fact.kind]
    by_kind = {f.kind: f.link["args"] for f in facts}
    assert by_kind[POLICY] == [policy.pk] and by_kind[CASE_REVIEW] == [review.pk]


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_the_safeguarding_manager_gets_each_fact_linked_and_every_link_opens() -> None:
    world, policy, review = _world_with_every_kind_of_fact()
    client = Client()
    client.force_login(world.members[Role.SAFEGUARDING_MANAGER])
    links = set(_fact_links(client.get(reverse("board:dashboard")).content.decode()))
    assert reverse("governance:policies-detail", args=[policy.pk]) in links
    assert reverse("governance:case-reviews-detail", args=[review.pk]) in links
    assert reverse("governance:audits") in links
    assert any(resolve(u).view_name == "registers:review" for u in links)
    for url in links:
        assert client.get(url).status_code == 200, url


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
@pytest.mark.parametrize("role", VIEWERS)
def test_no_viewer_gets_a_link_the_page_would_refuse(role: str) -> None:
    world, _policy, review = _world_with_every_kind_of_fact()
    client = Client()
    client.force_login(world.members[role])
    response = client.get(reverse("board:dashboard"))
    assert response.status_code == 200
    links = _fact_links(response.content.decode())
    for url in links:
        assert client.get(url).status_code == 200, (role, url)
    if role == Role.BOARD_MEMBER:
        assert links == []  # figures only: no governance record, register or audit page
    if role == Role.DSL:  # the policies and the audits of their area, not a case review they are not on
        assert reverse("governance:case-reviews-detail", args=[review.pk]) not in links
        assert reverse("governance:audits") in links
