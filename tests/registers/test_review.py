"""The DSL's monthly review, and month boundaries (Europe/London calendar months)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from registers.models import Review, ReviewSignedError
from registers.policy.review import reviewable_months
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_entry, register_of, update

LONDON = ZoneInfo("Europe/London")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _review_url(register, month: date, *rest) -> str:
    return reverse("registers:review", args=[register.pk, month.year, month.month])


def _mark(client, register, month, entry, **data):
    return client.post(reverse("registers:review-mark", args=[register.pk, month.year, month.month, entry.pk]),
                       {"comment": "Checked with the NSO", **data}, follow=True)


def _sign(client, register, month):
    return client.post(reverse("registers:review-sign", args=[register.pk, month.year, month.month]),
                       {"summary": "All in order"}, follow=True).content.decode()


def test_it_counts_an_update_on_the_last_day_of_a_month_and_signs_on_the_first_of_the_next(world) -> None:
    register = register_of(world.area)
    dsl = _client(world.members[Role.DSL])
    october = date(2026, 10, 1)
    with time_machine.travel(datetime(2026, 10, 31, 23, 40, tzinfo=LONDON), tick=False):
        entry = make_entry(world, opened_on=date(2026, 10, 5))
        update(world, entry, date(2026, 10, 31))
        assert entry.updates.get().month == october
    with time_machine.travel(datetime(2026, 11, 1, 0, 5, tzinfo=LONDON), tick=False):
        nso_page = _client(world.members[Role.NSO]).get(reverse("registers:register", args=[register.pk]))
        assert "Not updated" in nso_page.content.decode()  # a new month needs a new update
        assert "Updated" in dsl.get(_review_url(register, october)).content.decode()
        _mark(dsl, register, october, entry)
        page = _sign(dsl, register, october)
    review = Review.objects.for_org(world.org).get(register=register, month=october)
    assert review.is_signed and review.signed_on == date(2026, 11, 1)
    assert "Signed off" in page and "1 November 2026" in page


def test_it_refuses_sign_off_while_an_entry_lacks_its_update_then_signs(world) -> None:
    register = register_of(world.area)
    month = date(2026, 11, 1)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False):
        updated = make_entry(world, household="Done household", opened_on=date(2026, 9, 1))
        missing = make_entry(world, household="Late household", opened_on=date(2026, 9, 1))
        update(world, updated, date(2026, 11, 3))
        dsl = _client(world.members[Role.DSL])
        _mark(dsl, register, month, updated)
        page = _sign(dsl, register, month)
        assert "cannot be signed off yet" in page and missing.reference in page
        assert f"Mark these entries reviewed first: {missing.reference}" in page
        _mark(dsl, register, month, missing)
        page = _sign(dsl, register, month)
        assert "no update for November 2026 and no reason recorded" in page
        _mark(dsl, register, month, missing, no_update_reason="Case officer on sick leave; NSO liaising next week")
        page = _sign(dsl, register, month)
    assert "is signed off" in page
    assert Review.objects.for_org(world.org).get(register=register, month=month).entry_count == 2


def test_it_refuses_any_change_to_a_signed_review_and_keeps_its_history(world) -> None:
    register = register_of(world.area)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False):
        entry = make_entry(world, opened_on=date(2026, 11, 2))
        update(world, entry, date(2026, 11, 4))
        dsl = _client(world.members[Role.DSL])
        month = date(2026, 11, 1)
        _mark(dsl, register, month, entry)
        _sign(dsl, register, month)
        response = _mark(dsl, register, month, entry, comment="Changed my mind")
        assert "signed off and cannot be changed" in response.content.decode()
    review = Review.objects.for_org(world.org).get(register=register, month=month)
    assert review.marks.get().comment == "Checked with the NSO"
    review.summary = "Tampered"
    with pytest.raises(ReviewSignedError):
        review.save()
    assert review.history.count() >= 2 and review.history.first().status == "signed"


def test_it_lets_only_the_dsl_of_the_area_review(world) -> None:
    register = register_of(world.second_area)
    entry = make_entry(world, area=world.second_area)
    today = reviewable_months()[0]
    response = _mark(_client(world.members[Role.DSL]), register, today, entry)
    assert response.status_code == 404
    response = _mark(_client(world.members[Role.NSO]), register, today, entry)
    assert response.status_code == 404


def test_it_shows_the_review_due_on_the_dsls_home_page(world) -> None:
    home = _client(world.members[Role.DSL]).get(reverse("home")).content.decode()
    assert "Register review due" in home and str(register_of(world.area)) in home
    assert str(register_of(world.second_area)) not in home
