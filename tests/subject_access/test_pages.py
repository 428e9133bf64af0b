"""The request pages as the Data Privacy Manager uses them: fixed query counts, redaction through the form,
a concurrent edit that loses nothing, and no link to the requests for anyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from governance.subject_access.models import Mark, Redaction, Source
from safeguard.tenancy.roles import Role

from .helpers import (
    REPORTER_SECRET,
    dpm,
    found_of,
    make_request,
    subject_case,
    subject_entry,
    subject_training,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_a_request_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = _client(dpm(world))
    subject_case(world)
    req = make_request(world)
    client.post(reverse("subject_access:find", args=[req.pk]))
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("subject_access:detail", args=[req.pk])).status_code == 200
    queries = len(small)  # read now: the next request clears the log
    subject_case(world)
    subject_entry(world)
    subject_training(world)
    client.post(reverse("subject_access:find", args=[req.pk]))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse("subject_access:detail", args=[req.pk]))
    assert response.content.count(b"/found/") == 4


def test_it_redacts_through_the_form_and_shows_the_box(world):
    client = _client(dpm(world))
    subject_case(world)
    req = make_request(world)
    client.post(reverse("subject_access:find", args=[req.pk]))
    found = found_of(req, Source.CASE)
    url = reverse("subject_access:found", args=[req.pk, found.pk])
    bad = client.post(
        url,
        {
            "form": "redact",
            "redact-part": "what_happened",
            "redact-phrase": "not in the text",
            "redact-reason": "third party",
        },
    )
    assert bad.status_code == 400 and "That text is not in the part chosen" in bad.content.decode()
    client.post(
        url,
        {
            "form": "redact",
            "redact-part": "what_happened",
            "redact-phrase": REPORTER_SECRET,
            "redact-reason": "third party: reporter's identity",
        },
    )
    page = client.get(url).content.decode()
    assert "[redacted: third party: reporter&#x27;s identity]" in page
    parts = page.split('data-testid="record-parts"')[1].split("</dl>")[0]
    assert REPORTER_SECRET not in parts
    client.post(url, {"form": "mark", "mark-mark": Mark.WITHHOLD, "mark-exemption_reason": ""})
    found.refresh_from_db()
    assert found.mark == Mark.PENDING  # a withheld record needs its exemption
    redaction = Redaction.objects.for_org(world.org).get()
    client.post(reverse("subject_access:remove-redaction", args=[req.pk, found.pk, redaction.pk]))
    assert not Redaction.objects.for_org(world.org).exists()


def test_it_keeps_what_was_typed_when_someone_else_saved_first(world):
    client = _client(dpm(world))
    req = make_request(world)
    url = reverse("subject_access:edit", args=[req.pk])
    form = {
        "version": req.version,
        "kind": "access",
        "received_on": "2026-11-20",
        "requester_name": "A. Person",
        "subject_name": "A. Person",
        "extension_months": "0",
    }
    client.post(url, form)
    response = client.post(url, {**form, "requester_name": "Typed by me"})
    assert response.status_code == 400
    assert "Someone else changed this request" in response.content.decode()
    assert "Typed by me" in response.content.decode()


def test_it_shows_no_request_link_or_panel_to_anyone_else(world):
    make_request(world)
    home = _client(world.members[Role.SAFEGUARDING_MANAGER]).get("/").content.decode()
    assert "/subject-access/" not in home
    mine = _client(dpm(world)).get("/").content.decode()
    assert 'data-testid="sar-counts"' in mine and 'href="/subject-access/"' in mine


def test_it_records_a_request_sent_twice_once(world):
    client = _client(dpm(world))
    form = {
        "kind": "access",
        "received_on": "2026-11-20",
        "requester_name": "A. Person",
        "subject_name": "A. Person",
        "extension_months": "0",
        "token": "7d1c4a52-9c9e-4d0e-8b7a-0f3f6f1c2b11",
    }
    first = client.post(reverse("subject_access:add"), form)
    second = client.post(reverse("subject_access:add"), form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    from governance.subject_access.models import Request

    assert Request.objects.for_org(world.org).count() == 1
