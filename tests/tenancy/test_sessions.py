"""What a session may hold before sign-in, and expired sessions removed daily (issue 8 item 10)."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguard.schedule import BEAT_SCHEDULE
from tests.factories import World

PENDING_MAX_BYTES = 20 * 1024  # what may be kept before sign-in


def _form(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "token": str(uuid.uuid4()), "immediate_risk": "no", "concern_type": "safeguarding",
        "area": world.area.pk, "department": world.department.pk, "source": "colleague",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "what_happened": "The children were alone in the flat at 9pm.",
        "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "12", "people-0-full_name": "Morgan Fictional", "people-0-person_type": "adult",
    }
    data.update(overrides)
    return data


def _session_bytes(client: Client) -> int:
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def test_it_keeps_at_most_twenty_kilobytes_of_an_anonymous_report(world: World) -> None:
    client = Client()
    # Random text, so that the session's compression cannot hide the size.
    junk = {f"junk-{i}": secrets.token_urlsafe(7_500) for i in range(50)}  # 500 KB the form does not have
    huge = secrets.token_urlsafe(750_000)  # about 1 MB of description
    response = client.post(reverse("cases:report"), _form(world, what_happened=huge,
                                                          **{"people-0-address": secrets.token_urlsafe(75_000)}, **junk))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    kept = client.session["cases_pending_concern"]
    assert len(json.dumps(kept, ensure_ascii=False).encode()) <= PENDING_MAX_BYTES
    assert kept["what_happened"][0] == huge[:len(kept["what_happened"][0])] and not any(k.startswith("junk") for k in kept)
    assert _session_bytes(client) < 2 * PENDING_MAX_BYTES  # the stored row, signed and encoded
    login_page = client.get(response["Location"]).content.decode()
    assert "too long to keep until you sign in" in login_page and "copy the rest" in login_page


def test_it_gives_back_what_fitted_after_sign_in_and_says_what_was_cut(world: World) -> None:
    client = Client()
    huge = "Seen on the stairs. " * 5_000  # 100 000 characters
    client.post(reverse("cases:report"), _form(world, what_happened=huge))
    client.force_login(world.members["frontline"])
    page = client.get(reverse("cases:report")).content.decode()
    assert "We kept what you wrote" in page and "Morgan Fictional" in page
    assert "Seen on the stairs. Seen on the stairs." in page
    assert "only its first" in page and "Add the rest before sending" in page


def test_it_keeps_an_ordinary_report_whole_and_says_nothing_was_cut(world: World) -> None:
    client = Client()
    client.post(reverse("cases:report"), _form(world, what_happened="A short account of what was heard."))
    client.force_login(world.members["frontline"])
    page = client.get(reverse("cases:report")).content.decode()
    assert "A short account of what was heard." in page and "only its first" not in page


def test_it_removes_expired_sessions_every_day(world: World) -> None:
    from safeguard.tenancy.tasks import clear_expired_sessions

    live, old = Client(), Client()
    live.force_login(world.members["frontline"])
    old.force_login(world.members["nso"])
    Session.objects.filter(session_key=old.session.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    clear_expired_sessions()
    assert not Session.objects.filter(session_key=old.session.session_key).exists()
    assert Session.objects.filter(session_key=live.session.session_key).exists()
    job = BEAT_SCHEDULE["clear-expired-sessions"]
    schedule = job["schedule"]
    assert job["task"] == clear_expired_sessions.name
    assert len(schedule.hour) == 1 and len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31  # type: ignore[attr-defined]
