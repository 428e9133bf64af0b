from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from governance import models as m
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case

from .helpers import sm

pytestmark = pytest.mark.django_db


def _post_review(client, world, refs: str):
    return client.post(reverse("governance:case-reviews-add"), {
        "kind": "dhr", "title": "Adult Q", "local_authority": "Fernshire", "notified_on": "2026-10-01",
        "failure_contributed": "on", "lead": world.members[Role.CASE_OFFICER].pk, "status": "open",
        "case_references": refs})


def test_it_shows_a_reviews_linked_cases_only_to_people_who_may_see_them(world) -> None:
    case = make_case(world)
    client = Client()
    client.force_login(sm(world))
    page = _post_review(client, world, "SG-999999")
    assert "There is no case SG-999999 that you may see" in page.content.decode()
    assert _post_review(client, world, case.reference.lower()).status_code == 302
    review = m.CaseReview.objects.for_org(world.org).get()
    assert list(review.cases.all()) == [case] and review.failure_contributed
    assert case.reference in client.get(reverse("governance:case-reviews-detail", args=[review.pk])).content.decode()
    # The lead is named on the review, so sees and updates it, but not the case they may not open.
    client.force_login(world.members[Role.CASE_OFFICER])
    text = client.get(reverse("governance:case-reviews-detail", args=[review.pk])).content.decode()
    assert case.reference not in text and "1 linked case you may not see" in text
    assert AuditEvent.objects.for_org(world.org).filter(action="governance.case-reviews.viewed").count() == 2
    # Anyone else: as if it did not exist.
    client.force_login(world.members[Role.FRONTLINE])
    assert client.get(reverse("governance:case-reviews-detail", args=[review.pk])).status_code == 404


def test_it_closes_a_record_and_keeps_the_history_of_each_change(world) -> None:
    client = Client()
    client.force_login(sm(world))
    client.post(reverse("governance:lessons-add"), {"lesson": "Ask twice", "source": "other_org", "theme": "Curiosity",
                                                     "recorded_on": "2026-11-01", "status": "open"})
    lesson = m.Lesson.objects.for_org(world.org).get()
    client.post(reverse("governance:lessons-close", args=[lesson.pk]), {"version": lesson.version})
    lesson.refresh_from_db()
    assert lesson.status == "embedded" and lesson.history.count() == 2
    page = client.get(reverse("governance:lessons") + "?show=closed&theme=Curiosity").content.decode()
    assert "Ask twice" in page
    assert "Ask twice" not in client.get(reverse("governance:lessons")).content.decode()
