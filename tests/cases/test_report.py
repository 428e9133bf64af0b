"""Reporting a concern: quick, multi-person, nothing lost, one concern per submission, nothing more shown."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, ConcernDraft, HarmCategory, VulnerabilityFactor
from safeguard.tenancy.actions import do_create_organisation
from safeguard.tenancy.models import Notification

from .helpers import report


def _form(world, **overrides):
    cats = HarmCategory.objects.for_org(world.org).filter(name__in=["Neglect or acts of omission"])
    data = {
        "token": str(uuid.uuid4()), "immediate_risk": "no", "concern_type": "safeguarding",
        "area": world.area.pk, "department": world.department.pk, "source": "colleague",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "what_happened": "The children were alone in the flat at 9pm.",
        "categories": [c.pk for c in cats],
        "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "1", "people-MAX_NUM_FORMS": "12",
        "people-0-full_name": "Morgan Fictional", "people-0-person_type": "adult", "people-0-address": "1 Nowhere Lane",
        "people-1-full_name": "Kit Fictional", "people-1-person_type": "child", "people-1-age": "7",
        "people-2-full_name": "", "people-2-person_type": "adult",
    }
    data.update(overrides)
    return data


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_reports_a_concern_about_several_people_and_shows_only_reference_and_holder(world) -> None:
    client = _client(world.members["frontline"])
    response = client.post(reverse("cases:report"), _form(world))
    case = Case.objects.for_org(world.org).get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:received", args=[case.pk])
    assert [p.full_name for p in case.people.all()] == ["Morgan Fictional", "Kit Fictional"]
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "case managers for Elmstead" in page
    assert "Morgan Fictional" not in page and "alone in the flat" not in page
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_it_makes_one_concern_from_a_double_submit(world) -> None:
    client = _client(world.members["frontline"])
    data = _form(world)
    first = client.post(reverse("cases:report"), data)
    second = client.post(reverse("cases:report"), data)
    assert Case.objects.for_org(world.org).count() == 1
    assert first["Location"] == second["Location"]


def test_it_keeps_what_was_typed_when_fields_are_missing(world) -> None:
    client = _client(world.members["frontline"])
    response = client.post(reverse("cases:report"), _form(world, area="", what_happened="", **{"people-0-full_name": ""},
                                                          **{"people-1-full_name": "Kit Fictional"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Choose the area" in page and "Describe what was seen or heard" in page
    assert "Kit Fictional" in page and "1 Nowhere Lane" in page
    assert "Person 1: Enter the person" in page
    assert not Case.objects.for_org(world.org).exists()


def test_it_refuses_a_date_in_the_future_and_keeps_the_text(world) -> None:
    client = _client(world.members["frontline"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("cases:report"), _form(world, happened_on=future))
    page = response.content.decode()
    assert response.status_code == 400 and "The date cannot be in the future" in page
    assert "The children were alone in the flat at 9pm." in page


def test_it_refuses_script_in_text_with_a_plain_message_keeping_it(world) -> None:
    client = _client(world.members["frontline"])
    response = client.post(reverse("cases:report"), _form(world, what_happened="Hi <script>alert(1)</script>"))
    page = response.content.decode()
    assert response.status_code == 400 and "code or web page markup cannot be saved" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_it_keeps_a_saved_draft_for_the_reporter_only(world) -> None:
    client = _client(world.members["frontline"])
    client.post(reverse("cases:report"), _form(world, save_draft="1", what_happened="Half-written note"))
    page = client.get(reverse("cases:report")).content.decode()
    assert "Half-written note" in page and "has not been sent yet" in page
    other = _client(world.members["case_officer"]).get(reverse("cases:report")).content.decode()
    assert "Half-written note" not in other
    assert not Case.objects.for_org(world.org).exists()


def test_it_keeps_a_concern_posted_after_the_session_ended(world) -> None:
    client = Client()  # the session has expired: the browser is signed out
    response = client.post(reverse("cases:report"), _form(world, what_happened="Typed before the timeout"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(world.members["frontline"])
    page = client.get(reverse("cases:report")).content.decode()
    assert "Typed before the timeout" in page and "Kit Fictional" in page
    assert "We kept what you wrote" in page
    assert ConcernDraft.objects.for_org(world.org).filter(user=world.members["frontline"]).exists()


def test_it_adds_another_person_row_keeping_what_was_typed(world) -> None:
    client = _client(world.members["frontline"])
    page = client.post(reverse("cases:report"), _form(world, add_person="1")).content.decode()
    assert 'name="people-3-full_name"' in page and "Morgan Fictional" in page
    assert "There is a problem" not in page


def test_it_tells_the_managers_of_a_new_concern_without_naming_anyone(world) -> None:
    case = report(world, immediate_risk=True)
    notes = Notification.objects.for_org(world.org).filter(kind="case.reported")
    recipients = {n.recipient for n in notes}
    assert world.members["case_manager"] in recipients and world.members["safeguarding_manager"] in recipients
    assert world.members["people_director"] not in recipients
    assert all(case.reference in n.title and "Testwell" not in n.title for n in notes)
    assert "immediate risk" in notes[0].title


def test_it_gives_each_new_organisation_the_default_categories_and_factors(db) -> None:
    org = do_create_organisation(name="Fictional Homes", slug="fictional")
    assert HarmCategory.objects.for_org(org).filter(name="Modern slavery").exists()
    assert VulnerabilityFactor.objects.for_org(org).filter(name="Young carer").exists()


def test_it_numbers_references_per_organisation(world) -> None:
    first, second = report(world), report(world)
    assert (first.reference, second.reference) == ("SG-000001", "SG-000002")


def test_it_warns_to_call_999_on_the_report_page(world) -> None:
    page = _client(world.members["board_member"]).get(reverse("cases:report")).content.decode()
    assert "call 999 first" in page
