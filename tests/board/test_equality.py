"""Equality monitoring: gender reassignment only with consent, and never in a referral, an export or a figure."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from governance.dashboard.actions import do_save_equality
from governance.dashboard.equality import EqualityProfile
from governance.dashboard.equality_report import equality_report
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_gender_reassignment_cannot_be_recorded_without_consent(world) -> None:
    case = make_case(world)
    person = case.people.first()
    sm = world.members[Role.SAFEGUARDING_MANAGER]
    url = reverse("board:equality-person", args=[case.pk, person.pk])
    page = _client(sm).post(url, {"sex": "female", "gender_reassignment": "yes"}).content.decode()
    assert "explicitly consented" in page
    assert not EqualityProfile.objects.for_org(world.org).exists()
    with pytest.raises(ValidationError):
        do_save_equality(person, {"gender_reassignment": "yes"}, acting_user=sm)
    with pytest.raises(IntegrityError), transaction.atomic():
        EqualityProfile.objects.create(organisation=world.org, person=person, gender_reassignment="yes",
                                       updated_by=sm)
    response = _client(sm).post(url, {"sex": "female", "gender_reassignment_consent": "on",
                                      "gender_reassignment": "yes"})
    assert response.status_code == 302
    profile = EqualityProfile.objects.for_org(world.org).get(person=person)
    assert profile.gender_reassignment == "yes" and profile.consent_recorded_by == sm
    # consent withdrawn: the answer goes with it
    do_save_equality(person, {"sex": "female", "gender_reassignment_consent": False, "gender_reassignment": ""},
                     acting_user=sm)
    profile.refresh_from_db()
    assert profile.gender_reassignment == ""


def test_gender_reassignment_never_reaches_a_referral_an_export_or_a_board_figure(world) -> None:
    sm = world.members[Role.SAFEGUARDING_MANAGER]
    cases = [make_case(world) for _ in range(6)]
    for case in cases:
        do_save_equality(case.people.first(), {"sex": "male", "gender_reassignment_consent": True,
                                               "gender_reassignment": "yes"}, acting_user=sm)
    groups = equality_report(world.org, cases[0].reported_at.date(), cases[-1].reported_at.date())
    assert "Gender reassignment" not in [g["label"] for g in groups]
    sex = next(g for g in groups if g["label"] == "Sex")
    assert next(r for r in sex["rows"] if r["label"] == "Male")["subjects"].shown == "6"
    for url in (reverse("board:equality"), reverse("board:dashboard")):
        page = _client(sm).get(url).content.decode().lower()
        assert "gender reassignment" not in page.replace("gender reassignment is never included", "")
    referral_page = _client(sm).get(reverse("referrals:case", args=[cases[0].pk])).content.decode().lower()
    assert "gender reassignment" not in referral_page
    # the profile is its own table: nothing that reads or copies a case person carries it
    assert "gender_reassignment" not in {f.name for f in type(cases[0].people.first())._meta.fields}
    assert not hasattr(EqualityProfile.history.model, "gender_reassignment")  # not even in history
    from registers.tasks import HEADERS

    assert not [h for h in HEADERS if "gender" in h.lower()]


def test_the_equality_report_hides_small_numbers(world) -> None:
    sm = world.members[Role.SAFEGUARDING_MANAGER]
    case = make_case(world)
    do_save_equality(case.people.first(), {"ethnicity": "mixed"}, acting_user=sm)
    page = _client(world.members[Role.BOARD_MEMBER]).get(reverse("board:equality")).content.decode()
    assert "fewer than 5" in page and ">1<" not in page
    assert _client(world.members[Role.CASE_OFFICER]).get(reverse("board:equality")).status_code == 403
