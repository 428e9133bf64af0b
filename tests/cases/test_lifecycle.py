"""Allocation, actions on the 7/14-day cadence, closure by a manager, reopening, addenda, concurrent edits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases.models import CaseStatus
from safeguard.tenancy.models import Notification

from .helpers import allocated, closure_requested, report, with_action


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_allocates_a_concern_and_tells_the_officer_and_the_reporter(world) -> None:
    case = report(world)
    manager = _client(world.members["case_manager"])
    response = manager.post(reverse("cases:allocate", args=[case.pk]), {
        "version": case.version, "officer": world.members["case_officer"].pk, "concern_type": "wow"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ALLOCATED and case.allocated_to == world.members["case_officer"]
    assert case.concern_type == "wow"
    kinds = dict(Notification.objects.for_org(world.org).filter(
        kind__in=["case.allocated", "case.received"]).values_list("recipient", "kind"))
    assert kinds == {world.members["case_officer"].pk: "case.allocated", world.members["frontline"].pk: "case.received"}
    holder = _client(world.members["frontline"]).get(reverse("cases:received", args=[case.pk])).content.decode()
    assert world.members["case_officer"].full_name in holder


@pytest.mark.parametrize(("concern_type", "days"), [("safeguarding", 7), ("wow", 14)])
def test_it_allows_the_next_action_up_to_the_interval_and_not_a_day_more(world, concern_type, days) -> None:
    case = allocated(world, concern_type=concern_type)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        actions.do_record_action(case, action_type="call", taken_on=today, note="Rang.",
                                 next_due=today + timedelta(days=days + 1), acting_user=world.members["case_officer"])
    assert f"{days} days after this one" in str(exc.value)
    actions.do_record_action(case, action_type="call", taken_on=today, note="Rang.",
                             next_due=today + timedelta(days=days), acting_user=world.members["case_officer"])
    case.refresh_from_db()
    assert case.next_action_due == today + timedelta(days=days)


def test_it_uses_the_organisations_own_intervals(world) -> None:
    world.org.action_interval_safeguarding_days = 5
    world.org.save()
    case = allocated(world)
    page = _client(world.members["case_officer"]).get(reverse("cases:add-action", args=[case.pk])).content.decode()
    assert "Within 5 days of the action" in page


def test_it_refuses_an_action_dated_in_the_future_keeping_the_note(world) -> None:
    case = allocated(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _client(world.members["case_officer"]).post(reverse("cases:add-action", args=[case.pk]), {
        "action_type": "visit", "taken_on": tomorrow.isoformat(), "note": "Planned visit notes",
        "next_due": (tomorrow + timedelta(days=3)).isoformat()})
    page = response.content.decode()
    assert response.status_code == 400 and "cannot be in the future" in page and "Planned visit notes" in page


def test_it_shows_what_is_overdue_on_the_case(world) -> None:
    case = with_action(world, allocated(world), days_ago=8)
    page = _client(world.members["case_officer"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Overdue" in page


def test_it_lets_no_officer_close_a_case_alone(world) -> None:
    case = allocated(world, officer="case_manager")
    case = with_action(world, case)
    case = actions.do_request_closure(case, outcome="Done.", version=case.version, acting_user=world.members["case_manager"])
    with pytest.raises(ValidationError, match="another manager must decide"):
        actions.do_decide_closure(case, authorise=True, reason="", version=case.version,
                                  acting_user=world.members["case_manager"], membership=world.membership("case_manager"))
    officer = _client(world.members["case_officer"])
    assert officer.get(reverse("cases:closure", args=[case.pk])).status_code == 404


def test_it_needs_an_action_before_asking_to_close(world) -> None:
    case = allocated(world)
    response = _client(world.members["case_officer"]).post(reverse("cases:request-closure", args=[case.pk]),
                                                           {"version": case.version, "outcome": "All fine"})
    assert response.status_code == 400 and "Record at least one action" in response.content.decode()


def test_it_sends_a_closure_back_with_a_reason_then_authorises_it(world) -> None:
    case = closure_requested(world)
    manager = _client(world.members["case_manager"])
    url = reverse("cases:closure", args=[case.pk])
    no_reason = manager.post(url, {"version": case.version, "decision": "send_back", "reason": ""})
    assert no_reason.status_code == 400 and "Say why the case is sent back" in no_reason.content.decode()
    manager.post(url, {"version": case.version, "decision": "send_back", "reason": "Check the school's view first"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ALLOCATED
    assert Notification.objects.for_org(world.org).filter(recipient=world.members["case_officer"],
                                                          kind="case.closure_decided").exists()
    case = actions.do_request_closure(case, outcome="School agrees.", version=case.version,
                                      acting_user=world.members["case_officer"])
    manager.post(url, {"version": case.version, "decision": "authorise", "reason": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_by == world.members["case_manager"]
    chronology = manager.get(reverse("cases:chronology", args=[case.pk])).content.decode()
    assert "Check the school&#x27;s view first" in chronology and "Closure authorised" in chronology


def test_it_reopens_a_closed_case(world) -> None:
    case = closure_requested(world)
    case = actions.do_decide_closure(case, authorise=True, reason="", version=case.version,
                                     acting_user=world.members["case_manager"], membership=world.membership("case_manager"))
    _client(world.members["safeguarding_manager"]).post(reverse("cases:reopen", args=[case.pk]),
                                                         {"version": case.version, "reason": "New report from school"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ALLOCATED and case.closed_at is None and case.next_action_due > timezone.localdate()


def test_it_tells_the_second_of_two_editors_and_keeps_their_input(world) -> None:
    case = report(world)
    first, second = _client(world.members["case_manager"]), _client(world.members["safeguarding_manager"])
    url = reverse("cases:allocate", args=[case.pk])
    first.post(url, {"version": case.version, "officer": world.members["case_officer"].pk, "concern_type": "safeguarding"})
    response = second.post(url, {"version": case.version, "officer": world.members["case_manager"].pk, "concern_type": "wow"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "changed this case while you were working on it" in page and world.members["case_manager"].full_name in page
    assert re.search(r'value="wow"[^>]*checked', page), "the second editor's choice is kept"
    case.refresh_from_db()
    assert case.allocated_to == world.members["case_officer"] and case.concern_type == "safeguarding"
    again = second.post(url, {"version": case.version, "officer": world.members["case_manager"].pk, "concern_type": "wow"})
    assert again.status_code == 302


def test_it_keeps_submitted_text_and_adds_dated_addenda_by_the_author_only(world) -> None:
    case = with_action(world, allocated(world))
    action = case.actions.get()
    with pytest.raises(PermissionDenied):
        actions.do_add_addendum(case, text="Not mine", action=action, acting_user=world.members["case_manager"])
    officer = _client(world.members["case_officer"])
    officer.post(reverse("cases:action-addendum", args=[case.pk, action.pk]), {"text": "The visit was at 10am, not 9am."})
    reporter = _client(world.members["frontline"])
    reporter.post(reverse("cases:report-addendum", args=[case.pk]), {"text": "I also saw a bruise on the leg."})
    action.refresh_from_db()
    case.refresh_from_db()
    assert action.note == "Visited the household." and case.what_happened.startswith("Bruising seen")
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "The visit was at 10am, not 9am." in page and "I also saw a bruise on the leg." in page
    assert page.count("Addendum</strong> by") == 2


def test_it_lists_everything_in_the_chronology_in_the_order_it_happened(world) -> None:
    from cases.chronology import ChronologyEntry, entries_for, register

    case = with_action(world, allocated(world))

    @register
    def _other_app(c):
        return [ChronologyEntry(timezone.localdate(), "Referral made", "To the police", recorded=timezone.now())] \
            if c.pk == case.pk else []

    from cases.chronology import CONTRIBUTORS

    try:
        kinds = [e.kind for e in entries_for(case)]
    finally:
        CONTRIBUTORS.remove(_other_app)
    assert kinds == ["What happened (as reported)", "Concern reported", "Allocated", "Visit", "Referral made"]


def test_it_lets_the_officer_add_someone_else_in_the_household(world) -> None:
    case = allocated(world)
    response = _client(world.members["case_officer"]).post(reverse("cases:add-person", args=[case.pk]), {
        "full_name": "Sam Testwell", "person_type": "child", "age": "2"})
    assert response.status_code == 302
    assert "Sam Testwell" in [p.full_name for p in case.people.all()]


def test_it_lets_the_organisation_switch_off_a_category_for_new_reports(world) -> None:
    from cases.models import HarmCategory

    admin = _client(world.members["org_admin"])
    admin.post(reverse("cases:lists"), {"kind": "category", "name": "Cuckooing"})
    cuckooing = HarmCategory.objects.for_org(world.org).get(name="Cuckooing")
    assert "Cuckooing" in _client(world.members["frontline"]).get(reverse("cases:report")).content.decode()
    duplicate = admin.post(reverse("cases:lists"), {"kind": "category", "name": "cuckooing"})
    assert duplicate.status_code == 400 and "already on the list" in duplicate.content.decode()
    admin.post(reverse("cases:toggle-list-item", args=["category", cuckooing.pk]))
    assert "Cuckooing" not in _client(world.members["frontline"]).get(reverse("cases:report")).content.decode()


def test_it_shortens_the_next_due_date_when_a_wellbeing_case_becomes_safeguarding(world) -> None:
    case = with_action(world, allocated(world, concern_type="wow"), days_ago=2)
    assert case.next_action_due == timezone.localdate() + timedelta(days=12)
    case = actions.do_update_details(case, version=case.version, acting_user=world.members["case_manager"],
                                     concern_type="safeguarding")
    assert case.next_action_due == timezone.localdate() + timedelta(days=5)


def test_it_tells_the_previous_officer_when_a_case_is_moved_to_someone_else(world) -> None:
    case = allocated(world)
    actions.do_allocate(case, officer=world.members["case_manager"], concern_type=case.concern_type,
                        version=case.version, acting_user=world.members["safeguarding_manager"])
    assert Notification.objects.for_org(world.org).filter(
        recipient=world.members["case_officer"], kind="case.reallocated").exists()
    page = _client(world.members["case_officer"]).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 404
