"""Back, then submit, is the same concern; two reports from two tabs are two (issue 12 item 3)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from tests.factories import World


def _form(world: World, token: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "token": token, "immediate_risk": "no", "concern_type": "safeguarding",
        "area": world.area.pk, "department": world.department.pk, "source": "colleague",
        "happened_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "what_happened": "Heard shouting and a child crying late at night.",
        "people-TOTAL_FORMS": "2", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "12", "people-0-full_name": "Morgan Fictional", "people-0-person_type": "adult",
        "people-1-full_name": "Kit Fictional", "people-1-person_type": "child", "people-1-age": "4",
    }
    data.update(overrides)
    return data


def _page_token(client: Client) -> str:
    """Open the report page as a browser does and read the token it was given."""
    page = client.get(reverse("cases:report")).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.members["frontline"])
    return client


def test_it_shows_the_first_reference_when_the_report_is_sent_again_after_back(world: World) -> None:
    client = _client(world)
    first = client.post(reverse("cases:report"), _form(world, _page_token(client)), follow=True)
    case = Case.objects.for_org(world.org).get()
    assert case.reference in first.content.decode()
    # Back: the browser loads the form page again (a new token) and refills what was typed.
    again = client.post(reverse("cases:report"), _form(world, _page_token(client)), follow=True)
    page = again.content.decode()
    assert Case.objects.for_org(world.org).count() == 1
    assert again.redirect_chain[-1][0] == reverse("cases:received", args=[case.pk])
    assert "You have already sent this concern, so it was not sent again" in page and case.reference in page


def test_it_keeps_two_reports_from_two_tabs_as_two_concerns(world: World) -> None:
    client = _client(world)
    tab_one, tab_two = _page_token(client), _page_token(client)
    client.post(reverse("cases:report"), _form(world, tab_one))
    client.post(reverse("cases:report"), _form(world, tab_two, what_happened="A different visit: the door was broken.",
                                               **{"people-1-full_name": "", "people-1-age": ""}))
    assert Case.objects.for_org(world.org).count() == 2


def test_it_makes_a_new_concern_when_the_same_people_are_reported_for_something_else(world: World) -> None:
    client = _client(world)
    client.post(reverse("cases:report"), _form(world, str(uuid.uuid4())))
    client.post(reverse("cases:report"), _form(world, str(uuid.uuid4()), what_happened="Next day: no food in the flat."))
    assert Case.objects.for_org(world.org).count() == 2


def test_it_does_not_match_another_reporters_concern(world: World) -> None:
    _client(world).post(reverse("cases:report"), _form(world, str(uuid.uuid4())))
    other = Client()
    other.force_login(world.members["case_officer"])
    other.post(reverse("cases:report"), _form(world, str(uuid.uuid4())))
    assert Case.objects.for_org(world.org).count() == 2
