"""The RAG rating: every clause of the three definitions, month boundaries, thresholds, the nightly job."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from governance.dashboard.jobs import store_ratings
from governance.dashboard.models import RagSettings, RatingSnapshot
from governance.rag import rate
from registers.policy.review import add_months
from tests.board.helpers import (
    audit_failure,
    backdate_register,
    case_review,
    complete_month,
    entry_since,
    out_of_date_policy,
)
from tests.factories import make_world

MARCH = date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def _rating(world, area=None, today=None):
    return rate([world.org.pk], today=today)[world.org.pk][area.pk if area else None]


def _setup(months_back: int = 3):
    world = make_world()
    start = add_months(MARCH, -months_back)
    for area in (world.area, world.second_area):
        backdate_register(area, start)
        entry_since(world, start, area=area)
    return world


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_is_green_when_every_register_was_updated_and_monitored() -> None:
    world = _setup()
    for area in (world.area, world.second_area):
        for m in (add_months(MARCH, -1), add_months(MARCH, -2), add_months(MARCH, -3)):
            complete_month(world, backdate_register(area, add_months(MARCH, -3)), m)
    org = _rating(world)
    assert org.rating == "green" and org.facts == []
    assert _rating(world, world.area).rating == "green"


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_is_amber_when_a_register_was_not_monitored_last_month() -> None:
    world = _setup()
    for area in (world.area, world.second_area):
        complete_month(world, backdate_register(area, add_months(MARCH, -3)), add_months(MARCH, -2))
    complete_month(world, backdate_register(world.second_area, add_months(MARCH, -3)), add_months(MARCH, -1))
    area = _rating(world, world.area)
    assert area.rating == "amber"
    assert [f.text for f in area.facts] == [
        f"{world.area.name} register: February 2026 review not signed; fewer than 5 entries not updated in February 2026"]
    assert area.facts[0].link["register_id"] == area.register_id
    assert _rating(world, world.second_area).rating == "green"
    assert _rating(world).rating == "amber"


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_is_amber_when_entries_were_not_updated_though_the_review_was_signed() -> None:
    world = _setup()
    for area in (world.area, world.second_area):
        register = backdate_register(area, add_months(MARCH, -3))
        complete_month(world, register, add_months(MARCH, -2))
        complete_month(world, register, add_months(MARCH, -1), update=area != world.area)
    facts = [f.text for f in _rating(world, world.area).facts]
    assert facts == [f"{world.area.name} register: fewer than 5 entries not updated in February 2026"]


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_is_red_when_a_register_was_not_updated_and_monitored_for_two_months() -> None:
    world = _setup()
    complete_month(world, backdate_register(world.second_area, add_months(MARCH, -3)), add_months(MARCH, -1))
    complete_month(world, backdate_register(world.second_area, add_months(MARCH, -3)), add_months(MARCH, -2))
    area = _rating(world, world.area)
    assert area.rating == "red"
    assert "2 months in a row" in area.facts[0].text and "January 2026" in area.facts[1].text
    assert _rating(world).rating == "red"


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_does_not_count_months_before_the_register_existed() -> None:
    world = _setup(months_back=1)
    for area in (world.area, world.second_area):
        complete_month(world, backdate_register(area, add_months(MARCH, -1)), add_months(MARCH, -1))
    assert _rating(world).rating == "green"


def test_it_turns_amber_at_midnight_london_time_on_the_first_of_the_month() -> None:
    """29 March 2026 the clocks go forward: 1 April 00:30 in London is 31 March 23:30 UTC."""
    with time_machine.travel("2026-03-20 12:00 +00:00", tick=False):
        world = _setup()
        for area in (world.area, world.second_area):
            register = backdate_register(area, add_months(MARCH, -3))
            for m in (add_months(MARCH, -1), add_months(MARCH, -2)):
                complete_month(world, register, m)
    with time_machine.travel("2026-03-31 22:30 +00:00", tick=False):  # 23:30 in London, still March
        assert _rating(world).rating == "green"
    with time_machine.travel("2026-03-31 23:30 +00:00", tick=False):  # 00:30 on 1 April in London
        org = _rating(world)
        assert org.rating == "amber"
        assert any("March 2026 review not signed" in f.text for f in org.facts)


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_it_uses_the_organisations_thresholds() -> None:
    world = _setup()
    for area in (world.area, world.second_area):
        complete_month(world, backdate_register(area, add_months(MARCH, -3)), add_months(MARCH, -2))
    assert _rating(world).rating == "amber"
    RagSettings.objects.create(organisation=world.org, register_months_amber=2, register_months_red=3)
    assert _rating(world).rating == "green"


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_the_nightly_job_keeps_a_rating_per_area_and_month_and_leaves_past_months_alone() -> None:
    world = _setup()
    old = RatingSnapshot.objects.create(organisation=world.org, area=None, month=add_months(MARCH, -1),
                                        rating="green", facts=[])
    assert store_ratings() == 5  # Oakridge and its two areas, Marshgate and its one
    assert store_ratings() == 5  # idempotent
    rows = RatingSnapshot.objects.for_org(world.org).filter(month=MARCH)
    assert sorted((r.area_id or 0, r.rating) for r in rows) == sorted(
        [(0, "red"), (world.area.pk, "red"), (world.second_area.pk, "red")])
    assert RatingSnapshot.objects.for_org(world.org).get(pk=old.pk).rating == "green"
    assert not RatingSnapshot.objects.for_org(world.other_org).filter(rating="red").exists()  # Marshgate's register is new
    facts = RatingSnapshot.objects.for_org(world.org).get(month=MARCH, area=None).facts
    assert all("Tester" not in f["text"] for f in facts)  # no household name, no reference


def _green_world():
    world = _setup()
    for area in (world.area, world.second_area):
        register = backdate_register(area, add_months(MARCH, -3))
        for m in (add_months(MARCH, -1), add_months(MARCH, -2)):
            complete_month(world, register, m)
    return world


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_a_policy_is_out_of_date_the_day_after_its_review_date() -> None:
    world = _green_world()
    out_of_date_policy(world, date(2026, 3, 15))
    assert _rating(world).rating == "green"  # due today: still in date
    assert _rating(world, today=date(2026, 3, 16)).rating == "amber"
    facts = _rating(world, world.second_area, today=date(2026, 3, 16)).facts
    assert [f.text for f in facts] == ["Safeguarding adults policy: out of date since 16 March 2026"]
    RagSettings.objects.create(organisation=world.org, policy_out_of_date_rating="red")
    assert _rating(world, today=date(2026, 3, 16)).rating == "red"


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_one_case_found_not_correctly_recorded_this_month_is_amber_and_two_are_red() -> None:
    world = _green_world()
    audit_failure(world, date(2026, 2, 27))  # last month: does not count
    audit_failure(world, date(2026, 3, 2), correct=True)
    assert _rating(world).rating == "green"
    audit_failure(world, date(2026, 3, 3))
    assert _rating(world, world.area).rating == "amber" and _rating(world).rating == "amber"
    assert "found one case not correctly recorded" in _rating(world).facts[0].text
    audit_failure(world, date(2026, 3, 14), area=world.second_area)
    # one in each area: each area Amber, the organisation (more than one case) Red
    assert _rating(world, world.area).rating == "amber" and _rating(world, world.second_area).rating == "amber"
    assert _rating(world).rating == "red"
    assert _rating(world, today=date(2026, 4, 1)).facts[0].kind != "audit"  # a new month starts clean


@time_machine.travel("2026-03-15 12:00 +00:00", tick=False)
def test_a_case_review_where_a_failure_contributed_makes_the_organisation_red() -> None:
    world = _green_world()
    case_review(world, date(2026, 1, 10), failure=False)
    assert _rating(world).rating == "green"
    review = case_review(world, date(2026, 1, 12), local_authority=world.second_area.name)
    org = _rating(world)
    assert org.rating == "red"
    assert org.facts[0].text == ("A case review (notified January 2026) found that a failure to report or to "
                                 "follow procedure contributed")
    assert org.facts[0].link == {"url_name": "governance:case-reviews-detail", "args": [review.pk], "kind": "case_review"}
    assert _rating(world, world.second_area).rating == "red" and _rating(world, world.area).rating == "green"
    # closed, it keeps the rating Red for 12 months from notification, then no longer
    type(review).objects.for_org(world.org).filter(pk=review.pk).update(status="closed")
    assert _rating(world, today=date(2026, 12, 31)).rating == "red"
    assert _rating(world, today=date(2027, 1, 1)).facts == [] or all(
        f.kind != "case_review" for f in _rating(world, today=date(2027, 1, 1)).facts)
