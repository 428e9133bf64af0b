"""Referrals and alerts: deadlines in working days, consent or a recorded override,
the Data Privacy Manager's queue, outcomes and response times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.referrals import actions
from cases.referrals.models import Consent, PrivacyReview, Referral
from safeguard.tenancy.models import Notification
from safeguard.tenancy.roles import Role

from .helpers import CHILD, days_ago, give_consent, make_case, make_referral, officer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_sets_the_deadline_one_working_day_after_a_friday_decision(world) -> None:
    case = make_case(world)
    referral = make_referral(world, case, decided_on=date(2026, 8, 28))  # Friday before a bank holiday Monday
    assert referral.due_by == date(2026, 9, 1)


def test_it_uses_the_organisations_working_day_allowance(world) -> None:
    world.org.alert_deadline_working_days = 2
    world.org.save()
    case = make_case(world)
    assert make_referral(world, case, decided_on=date(2026, 11, 20)).due_by == date(2026, 11, 24)


def test_it_refuses_a_referral_without_consent_and_without_a_reason(world) -> None:
    case = make_case(world)
    with pytest.raises(actions.ConsentOverrideMissing):
        make_referral(world, case, override=False)
    give_consent(world, case, status="refused")
    with pytest.raises(actions.ConsentOverrideMissing):
        make_referral(world, case, override=False)


def test_it_makes_a_referral_with_consent_without_a_privacy_review(world) -> None:
    case = make_case(world)
    give_consent(world, case)
    referral = make_referral(world, case, override=False)
    assert not referral.without_consent
    assert not PrivacyReview.objects.for_org(world.org).exists()


def test_it_sends_an_override_to_the_data_privacy_managers_queue(world) -> None:
    case = make_case(world)
    give_consent(world, case, status="refused")
    referral = make_referral(world, case)
    assert referral.without_consent and referral.override_basis == "significant_harm"
    review = PrivacyReview.objects.for_org(world.org).get(referral=referral)
    assert review.decision == PrivacyReview.Decision.PENDING
    note = Notification.objects.for_org(world.org).get(recipient=world.members[Role.DATA_PRIVACY_MANAGER],
                                                      kind="referral.privacy_review")
    assert case.reference in note.title and "Ashcombe" not in note.title


def test_it_lets_the_dpm_record_a_decision_that_the_officer_sees(world) -> None:
    case = make_case(world)
    referral = make_referral(world, case)
    review = referral.privacy_review
    dpm = _client(world.members[Role.DATA_PRIVACY_MANAGER])
    queue = dpm.get(reverse("referrals:privacy-queue"))
    assert f"Review case {case.reference}" in queue.content.decode()
    response = dpm.post(reverse("referrals:privacy-review", args=[review.pk]),
                        {"decision": "appropriate", "notes": "Lawful: risk of significant harm."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "appropriate" and review.decided_by == world.members[Role.DATA_PRIVACY_MANAGER]
    assert f"Review case {case.reference}" not in dpm.get(reverse("referrals:privacy-queue")).content.decode()
    decisions = dpm.get(reverse("referrals:privacy-decisions")).content.decode()
    assert "Appropriate" in decisions and case.reference in decisions
    page = _client(officer(world)).get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    assert "Lawful: risk of significant harm." in page
    assert Notification.objects.for_org(world.org).filter(recipient=officer(world),
                                                         kind="referral.privacy_decision").exists()


def test_it_asks_the_dpm_for_notes_and_keeps_the_choice(world) -> None:
    review = make_referral(world, make_case(world)).privacy_review
    response = _client(world.members[Role.DATA_PRIVACY_MANAGER]).post(
        reverse("referrals:privacy-review", args=[review.pk]), {"decision": "not_appropriate", "notes": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "Enter notes explaining your decision" in body
    assert 'value="not_appropriate" checked' in body or 'checked' in body
    review.refresh_from_db()
    assert review.decision == "pending"


def test_it_shows_the_override_fields_as_errors_when_consent_is_missing(world) -> None:
    case = make_case(world)
    client = _client(officer(world))
    form_page = client.get(reverse("referrals:referral-new", args=[case.pk])).content.decode()
    assert "Consent to share has not been given by: Nell Ashcombe" in form_page
    response = client.post(reverse("referrals:referral-new", args=[case.pk]), {
        "agency": "police", "reason": "Threats <script>alert(1)</script>", "decided_on": timezone.localdate().isoformat(),
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "choose the lawful basis for referring without it" in body
    assert "explain why you are referring without it" in body
    assert "Threats &lt;script&gt;alert(1)&lt;/script&gt;" in body  # kept, and escaped
    assert not Referral.objects.for_org(world.org).exists()


def test_it_records_a_referral_with_an_override_through_the_form(world) -> None:
    case = make_case(world)
    response = _client(officer(world)).post(reverse("referrals:referral-new", args=[case.pk]), {
        "agency": "police", "reason": "Threats made.", "decided_on": timezone.localdate().isoformat(),
        "override_basis": "crime", "override_reason": "Telling the person would put them at risk.",
    })
    referral = Referral.objects.for_org(world.org).get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:referral", args=[referral.pk])
    assert referral.without_consent and referral.privacy_review.decision == "pending"


def test_it_refuses_future_dates_and_a_made_date_before_the_decision(world) -> None:
    case = make_case(world)
    give_consent(world, case)
    client = _client(officer(world))
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = client.post(reverse("referrals:referral-new", args=[case.pk]), {
        "agency": "health", "reason": "x", "decided_on": tomorrow.isoformat(),
    }).content.decode()
    assert "The date of the decision must be today or in the past" in body
    body = client.post(reverse("referrals:referral-new", args=[case.pk]), {
        "agency": "health", "reason": "x", "decided_on": days_ago(1).isoformat(), "made_on": days_ago(3).isoformat(),
    }).content.decode()
    assert "The referral cannot be made before the decision to refer" in body


def test_it_records_when_made_and_the_response_time(world) -> None:
    case = make_case(world)
    referral = make_referral(world, case, decided_on=days_ago(10))
    client = _client(officer(world))
    client.post(reverse("referrals:referral-made", args=[referral.pk]),
                {"made-version": referral.version, "made-made_on": days_ago(9).isoformat(), "made-agency_reference": "ASC-77"})
    referral.refresh_from_db()
    assert referral.made_on == days_ago(9) and referral.made_by == officer(world)
    assert referral.response_due_by == days_ago(9) + timedelta(days=world.org.referral_response_days)
    client.post(reverse("referrals:referral-outcome", args=[referral.pk]), {
        "outcome-version": referral.version, "outcome-outcome": "accepted",
        "outcome-response_on": days_ago(2).isoformat(), "outcome-notes": "Allocated to a social worker.",
    })
    referral.refresh_from_db()
    assert referral.outcome == "accepted" and referral.response_days == 7
    page = client.get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    assert "7 days after it was made" in page
    history = page[page.index('data-testid="referral-history"'):]
    assert history.count('<tr class="govuk-table__row">') == 4  # header, created, made, outcome


def test_it_tells_the_second_editor_that_someone_changed_the_referral(world) -> None:
    referral = make_referral(world, make_case(world), decided_on=days_ago(2))
    stale_version = referral.version
    actions.do_mark_made(referral, made_on=days_ago(1), agency_reference="", version=stale_version,
                         acting_user=officer(world))
    response = _client(world.members[Role.CASE_MANAGER]).post(
        reverse("referrals:referral-made", args=[referral.pk]),
        {"made-version": stale_version, "made-made_on": days_ago(0).isoformat()}, follow=True)
    assert "Someone else changed this referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.made_on == days_ago(1) and referral.made_by == officer(world)


def test_it_needs_a_response_date_for_accepted_or_declined(world) -> None:
    referral = make_referral(world, make_case(world), decided_on=days_ago(3), made_on=days_ago(3))
    body = _client(officer(world)).post(reverse("referrals:referral-outcome", args=[referral.pk]), {
        "outcome-version": referral.version, "outcome-outcome": "declined", "outcome-notes": "Refused by phone",
    }).content.decode()
    assert "Enter the date the agency responded" in body and "Refused by phone" in body


def test_it_records_consent_for_a_child_with_why_parents_were_not_told(world) -> None:
    case = make_case(world, CHILD)
    child = case.people.get()
    client = _client(officer(world))
    url = reverse("referrals:consent-new", args=[case.pk])
    body = client.post(url, {"person": child.pk, "status": "not_sought", "decided_on": days_ago(0).isoformat(),
                             "capacity": "not_assessed", "parents_told": "no"}).content.decode()
    assert "Explain why parents or carers were not told" in body
    client.post(url, {"person": child.pk, "status": "not_sought", "decided_on": days_ago(0).isoformat(),
                      "capacity": "not_assessed", "parents_told": "no",
                      "parents_not_told_reason": "Telling the father could put the child at risk."})
    consent = Consent.objects.for_org(world.org).get()
    assert consent.parents_told == "no" and "father" in consent.parents_not_told_reason
    page = client.get(reverse("referrals:case", args=[case.pk])).content.decode()
    assert "No: Telling the father could put the child at risk." in page


def test_it_needs_notes_when_a_person_lacks_capacity(world) -> None:
    case = make_case(world)
    body = _client(officer(world)).post(reverse("referrals:consent-new", args=[case.pk]), {
        "person": case.people.get().pk, "status": "refused", "decided_on": days_ago(0).isoformat(), "capacity": "lacks",
    }).content.decode()
    assert "Explain how it was decided that the person lacks capacity" in body


def test_it_uses_the_latest_consent_for_each_person(world) -> None:
    case = make_case(world)
    give_consent(world, case, status="refused")
    give_consent(world, case, status="given")
    assert not make_referral(world, case, override=False).without_consent


def test_it_hides_another_organisations_case_and_refuses_readers_who_cannot_write(world) -> None:
    case = make_case(world)
    outsider = _client(world.outsider)
    assert outsider.get(reverse("referrals:case", args=[case.pk])).status_code == 404
    assert _client(world.members[Role.FRONTLINE]).get(reverse("referrals:case", args=[case.pk])).status_code == 404


def test_it_shows_referral_outcomes_by_authority_and_area(world) -> None:
    case = make_case(world)
    r1 = make_referral(world, case, decided_on=days_ago(10), made_on=days_ago(10))
    actions.do_record_outcome(r1, outcome="accepted", response_on=days_ago(6), notes="", version=r1.version,
                              acting_user=officer(world))
    r2 = make_referral(world, case, decided_on=days_ago(8), made_on=days_ago(8))
    actions.do_record_outcome(r2, outcome="declined", response_on=days_ago(6), notes="", version=r2.version,
                              acting_user=officer(world))
    make_referral(world, case, agency="police", decided_on=days_ago(1))
    body = _client(world.members[Role.SAFEGUARDING_MANAGER]).get(reverse("referrals:report")).content.decode()
    assert "Adult social care" in body and world.area.name in body
    from cases.referrals.selectors import outcomes_by_authority

    rows = {r["agency"]: r for r in outcomes_by_authority(world.org)}
    asc = rows["adult_social_care"]
    assert (asc["total"], asc["accepted"], asc["declined"], asc["avg_response_days"]) == (2, 1, 1, 3.0)
    assert rows["police"]["made"] == 0


def test_it_makes_one_referral_when_the_form_is_sent_twice(world) -> None:
    case = make_case(world)
    give_consent(world, case)
    data = {"agency": "health", "reason": "GP to review medication.", "decided_on": timezone.localdate().isoformat()}
    client = _client(officer(world))
    first = client.post(reverse("referrals:referral-new", args=[case.pk]), data)
    second = client.post(reverse("referrals:referral-new", args=[case.pk]), data)
    assert Referral.objects.for_org(world.org).count() == 1
    assert first["Location"] == second["Location"]


def test_it_lets_the_safeguarding_manager_see_the_queue_but_not_allegations_against_colleagues(world) -> None:
    ordinary = make_case(world)
    make_referral(world, ordinary)
    allegation = make_case(world, allegation=True, allocate=False)
    lado = actions.do_record_referral(allegation, actions.ReferralData(
        agency="lado", reason="Allegation about a caretaker.", decided_on=timezone.localdate(),
        override_basis="legal_obligation", override_reason="Statutory duty to tell the LADO."),
        acting_user=world.members[Role.PEOPLE_DIRECTOR])
    sm_page = _client(world.members[Role.SAFEGUARDING_MANAGER]).get(reverse("referrals:privacy-queue")).content.decode()
    assert ordinary.reference in sm_page and allegation.reference not in sm_page
    dpm_page = _client(world.members[Role.DATA_PRIVACY_MANAGER]).get(reverse("referrals:privacy-queue")).content.decode()
    assert allegation.reference in dpm_page
    response = _client(world.members[Role.SAFEGUARDING_MANAGER]).get(
        reverse("referrals:privacy-review", args=[lado.privacy_review.pk]))
    assert response.status_code == 404


def test_it_limits_the_outcomes_report_to_a_period_and_explains_a_bad_one(world) -> None:
    case = make_case(world)
    make_referral(world, case, agency="police", decided_on=days_ago(40))
    make_referral(world, case, agency="health", decided_on=days_ago(2))
    client = _client(world.members[Role.SAFEGUARDING_MANAGER])
    body = client.get(reverse("referrals:report"), {"start": days_ago(10).isoformat()}).content.decode()
    table = body[body.index('data-testid="outcomes-table"'):]
    assert "Health" in table and "Police" not in table
    body = client.get(reverse("referrals:report"), {"start": days_ago(1).isoformat(),
                                                    "end": days_ago(5).isoformat()}).content.decode()
    assert "The end of the period must be on or after its start" in body
    assert days_ago(5).isoformat() in body  # what was typed is kept


def test_it_reports_dpm_decisions_for_a_period(world) -> None:
    from datetime import timedelta as td

    case = make_case(world)
    old, new = make_referral(world, case), make_referral(world, case)
    dpm = world.members[Role.DATA_PRIVACY_MANAGER]
    actions.do_review_privacy(old.privacy_review, decision="not_appropriate", notes="Ask first", acting_user=dpm)
    actions.do_review_privacy(new.privacy_review, decision="appropriate", notes="Fine", acting_user=dpm)
    PrivacyReview.objects.for_org(world.org).filter(pk=old.privacy_review.pk).update(
        decided_at=timezone.now() - td(days=60))
    client = _client(dpm)
    body = client.get(reverse("referrals:privacy-decisions"), {"start": days_ago(30).isoformat()}).content.decode()
    assert "Appropriate (in the period): <strong>1</strong>" in body
    assert "Not appropriate (in the period): <strong>0</strong>" in body
    body = client.get(reverse("referrals:privacy-decisions"), {"decision": "not_appropriate"}).content.decode()
    assert "Ask first" in body and "Fine" not in body
