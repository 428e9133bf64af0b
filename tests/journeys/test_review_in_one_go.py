"""Issue 12.4: the DSL's monthly review in one form, with each entry's latest update on the page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from registers import actions
from registers.models import Review
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_entry, register_of

LONDON = ZoneInfo("Europe/London")
NOVEMBER = date(2026, 11, 1)


def _url(register) -> str:
    return reverse("registers:review", args=[register.pk, NOVEMBER.year, NOVEMBER.month])


def _three(world):
    nso = world.members[Role.NSO]
    updated = make_entry(world, household="Larchmont household", opened_on=date(2026, 9, 1))
    late = make_entry(world, household="Pellow household", opened_on=date(2026, 9, 1))
    cp = make_entry(world, household="Sorrel household", opened_on=date(2026, 9, 1), cp_plan=True)
    actions.do_add_update(updated, liaised_on=date(2026, 11, 3), with_whom="Case officer Ash",
                          what_changed="Moved to a refuge; the former partner has been arrested.", acting_user=nso)
    actions.do_add_update(cp, liaised_on=date(2026, 11, 4), with_whom="Social worker",
                          what_changed="Core group met; the plan continues.", acting_user=nso)
    return updated, late, cp


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
def test_it_marks_every_entry_with_its_own_comment_and_signs_off_in_one_submit(world) -> None:
    updated, late, cp = _three(world)
    register = register_of(world.area)
    dsl = Client()
    dsl.force_login(world.members[Role.DSL])
    page = dsl.get(_url(register)).content.decode()
    assert "Moved to a refuge; the former partner has been arrested." in page  # the NSO's words, on the page
    assert "Core group met" not in page  # a child-protection update waits for the password check
    assert f'{reverse("reauthenticate")}?next=' in page and "confirm it is you to open this child protection entry" in page
    response = dsl.post(_url(register), {
        "entry": [updated.pk, late.pk, cp.pk], "action": "sign", "summary": "A steady month.",
        f"comment-{updated.pk}": "Refuge place confirmed.",
        f"comment-{late.pk}": "Chased the NSO.", f"reason-{late.pk}": "Case officer on leave; update due next week.",
        f"comment-{cp.pk}": "Plan on track.",
    }, follow=True)
    html = response.content.decode()
    assert "3 entries marked reviewed. The " in html and "is signed off" in html
    review = Review.objects.for_org(world.org).get(register=register, month=NOVEMBER)
    assert review.is_signed and review.summary == "A steady month."
    assert dict(review.marks.values_list("entry__reference", "comment")) == {
        updated.reference: "Refuge place confirmed.", late.reference: "Chased the NSO.", cp.reference: "Plan on track."}


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
def test_it_keeps_the_comments_given_and_says_what_is_missing_when_sign_off_is_too_early(world) -> None:
    updated, late, cp = _three(world)
    register = register_of(world.area)
    dsl = Client()
    dsl.force_login(world.members[Role.DSL])
    html = dsl.post(_url(register), {"entry": [updated.pk, late.pk, cp.pk], "action": "sign",
                                     f"comment-{updated.pk}": "Fine.", f"comment-{late.pk}": "Chased."},
                    follow=True).content.decode()
    assert "2 entries marked reviewed." in html and "cannot be signed off yet" in html
    assert f"no reason recorded: {late.reference}" in html and f"Mark these entries reviewed first: {cp.reference}" in html
    assert "Fine." in html  # what was saved is shown back in the boxes
    assert not Review.objects.for_org(world.org).get(register=register, month=NOVEMBER).is_signed


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
def test_it_reads_the_review_page_in_a_fixed_number_of_queries(world, django_assert_max_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _three(world)
    register = register_of(world.area)
    dsl = Client()
    dsl.force_login(world.members[Role.DSL])
    dsl.get(_url(register))
    with CaptureQueriesContext(connection) as few:
        dsl.get(_url(register))
    for i in range(5):
        entry = make_entry(world, household=f"Extra {i} household", opened_on=date(2026, 9, 1))
        actions.do_add_update(entry, liaised_on=date(2026, 11, 5), with_whom="Officer", what_changed="Same.",
                              acting_user=world.members[Role.NSO])
    with django_assert_max_num_queries(len(few)):
        assert dsl.get(_url(register)).status_code == 200


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
def test_it_lets_only_the_reviewer_save_the_review_form(world) -> None:
    updated, _, _ = _three(world)
    register = register_of(world.area)
    for role in (Role.NSO, Role.SAFEGUARDING_MANAGER, Role.REGISTER_ADMIN, Role.CASE_MANAGER):
        client = Client()
        client.force_login(world.members[role])
        response = client.post(_url(register), {"entry": [updated.pk], "action": "sign",
                                                f"comment-{updated.pk}": "Not mine to review."})
        assert response.status_code == 404, role
    assert not Review.objects.for_org(world.org).filter(register=register).exists()
