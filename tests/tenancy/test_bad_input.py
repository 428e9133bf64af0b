"""Bad input is answered in plain words, never with a 500 (issue 8 item 6; the walk over every
page and form is tests/test_hostile_input.py)."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from safeguard.tenancy.models import Organisation
from safeguard.tenancy.roles import Role
from tests.registers.helpers import register_of
from training import actions as training_actions
from training.models import JobRole, Person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _settings(org: Organisation, **changes: object) -> dict[str, object]:
    names = ["action_interval_safeguarding_days", "action_interval_wow_days", "alert_deadline_working_days",
             "referral_response_days", "register_review_interval_months", "dbs_renewal_years",
             "training_refresh_years", "immediate_risk_action_working_days"]
    return {"name": org.name, **{n: getattr(org, n) for n in names}, **changes}


def test_it_answers_a_nul_byte_in_a_search_with_a_400_in_plain_words(world) -> None:
    pages = [
        (world.members[Role.SAFEGUARDING_MANAGER], reverse("registers:register", args=[register_of(world.area).pk])),
        (world.members[Role.HR_LD], reverse("training:matrix")),
        (world.members[Role.ORG_ADMIN], reverse("people")),
        (world.members[Role.CASE_MANAGER], reverse("cases:list")),
    ]
    for user, url in pages:
        for query in ("q=Ann%00", "page=%00", "%00=1"):
            response = _client(user).get(f"{url}?{query}")
            assert response.status_code == 400, (url, query, response.status_code)
            assert "contains a character that cannot be saved" in response.content.decode()
        # Django reads a lone surrogate as replacement characters: a search for them finds nothing.
        assert _client(user).get(f"{url}?q=%ED%A0%80", follow=True).status_code == 200
    report = _client(world.members[Role.FRONTLINE]).post(reverse("cases:report"), {"what_happened": "Seen\x00"})
    assert report.status_code == 400


def test_it_answers_a_nul_byte_in_the_session_cookie_with_a_400(world) -> None:
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("login")).status_code == 400


def test_it_says_a_job_role_name_is_taken_instead_of_failing(world) -> None:
    training_actions.do_save_job_role(world.org, {"name": "Housing Officer"}, {}, acting_user=None)
    hr = _client(world.members[Role.HR_LD])
    response = hr.post(reverse("training:job-role-add"), {"name": "housing officer ", "dbs_level": "none"})
    assert response.status_code == 200
    assert "There is already a job role called housing officer" in response.content.decode()
    exact = hr.post(reverse("training:job-role-add"), {"name": "Housing Officer", "dbs_level": "none"})
    assert exact.status_code == 200 and "There is already a job role called" in exact.content.decode()
    assert JobRole.objects.for_org(world.org).count() == 1
    role = JobRole.objects.for_org(world.org).get()
    renamed = hr.post(reverse("training:job-role-edit", args=[role.pk]), {"name": "Housing Officer",
                                                                          "dbs_level": "basic"})
    assert renamed.status_code == 302  # saving a role under its own name is not a clash


def test_it_keeps_organisation_intervals_within_sensible_bounds(world) -> None:
    admin = _client(world.members[Role.ORG_ADMIN])
    url = reverse("organisation-settings")
    for name, bad, words in [("dbs_renewal_years", 32767, "Enter a number from 1 to 10"),
                             ("training_refresh_years", 11, "Enter a number from 1 to 10"),
                             ("action_interval_safeguarding_days", 32, "Enter a number from 1 to 31"),
                             ("action_interval_wow_days", 0, "Enter a number from 1 to 31"),
                             ("register_review_interval_months", 13, "Enter a number from 1 to 12"),
                             ("immediate_risk_action_working_days", 6, "Enter a number from 1 to 5")]:
        response = admin.post(url, _settings(world.org, **{name: bad}))
        assert response.status_code == 200 and words in response.content.decode(), (name, bad)
    world.org.refresh_from_db()
    assert world.org.dbs_renewal_years == 3
    assert admin.post(url, _settings(world.org, dbs_renewal_years=10)).status_code == 302
    world.org.refresh_from_db()
    assert world.org.dbs_renewal_years == 10
    person, _ = training_actions.do_save_person(world.org, {"full_name": "Dee Bees", "reference": "D1"},
                                                acting_user=None)
    check, _ = training_actions.do_record_dbs(person, level="enhanced", certificate_number="001234567890",
                                              issued_on=date(2025, 1, 2), update_service=False, acting_user=None)
    assert Person.objects.for_org(world.org).get(pk=person.pk) and check.pk
