"""Recording: entries from a case or directly, updates, closing, and what the NSO is shown."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registers.models import Entry
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case, make_entry, register_of


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _entry_post(world, **extra):
    data = {"household": "Lark household", "risk_level": "high", "risk": "Threats from a neighbour.",
            "department": world.department.pk, "opened_on": timezone.localdate().isoformat(), "marac": "on",
            "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "0",
            "people-MAX_NUM_FORMS": "12",
            "people-0-person_type": "adult", "people-0-full_name": "Jo Lark",
            "people-1-person_type": "unborn", "people-1-full_name": "Unborn Lark",
            "people-2-person_type": "child", "people-2-full_name": ""}
    data.update(extra)
    return data


def test_it_adds_an_entry_from_a_case_and_links_both_ways(world) -> None:
    case = make_case(world)
    nso = _client(world.members[Role.NSO])
    form = nso.get(reverse("registers:entry-add-from-case", args=[case.pk])).content.decode()
    assert "Tester household" in form and "Robin Tester" in form and case.reference in form
    response = nso.post(reverse("registers:entry-add-from-case", args=[case.pk]), _entry_post(world), follow=True)
    entry = Entry.objects.for_org(world.org).get(case=case)
    page = response.content.decode()
    assert f"Entry {entry.reference}" in page and case.reference in page and "MARAC" in page
    assert [p.full_name for p in entry.people.all()] == ["Jo Lark", "Unborn Lark"]
    case_page = nso.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert entry.reference in case_page and reverse("registers:entry", args=[entry.pk]) in case_page
    again = nso.get(reverse("registers:entry-add-from-case", args=[case.pk]))
    assert again.status_code == 302 and again["Location"] == reverse("registers:entry", args=[entry.pk])


def test_it_lists_safeguarding_cases_not_yet_on_the_register_for_the_nso(world) -> None:
    listed = make_case(world, name="Pat Listed")
    on_register = make_case(world, name="Pat Entered")
    make_entry(world, case=on_register)
    page = _client(world.members[Role.NSO]).get(reverse("registers:index")).content.decode()
    assert listed.reference in page and on_register.reference not in page.split("Cases not yet on the register")[1]
    home = _client(world.members[Role.NSO]).get(reverse("home")).content.decode()
    assert f"Add case {listed.reference}" in home


def test_it_keeps_what_was_typed_when_the_entry_has_errors(world) -> None:
    response = _client(world.members[Role.NSO]).post(
        reverse("registers:entry-add", args=[register_of(world.area).pk]),
        _entry_post(world, risk_level="", household="Kept household", **{"people-0-full_name": ""},
                    **{"people-1-full_name": ""}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the level of risk" in page and "Enter at least one person in the household" in page
    assert 'value="Kept household"' in page and "Threats from a neighbour." in page
    assert not Entry.objects.for_org(world.org).exists()


def test_it_refuses_a_case_of_another_area_for_this_register(world) -> None:
    case = make_case(world, area=world.second_area)
    from django.core.exceptions import ValidationError

    from registers import actions

    try:
        actions.do_add_entry(register_of(world.area), {"household": "X", "risk_level": "low", "risk": "r",
                                                       "department": world.department, "case": case},
                             acting_user=world.members[Role.NSO])
    except ValidationError as exc:
        assert "another area" in exc.messages[0]
    else:
        raise AssertionError("a case of another area was put on this register")


def test_it_records_a_monthly_update_and_the_entry_stops_standing_out(world) -> None:
    entry = make_entry(world)
    nso = _client(world.members[Role.NSO])
    register_url = reverse("registers:register", args=[entry.register_id])
    assert "Not updated" in nso.get(register_url).content.decode()
    response = nso.post(reverse("registers:update-add", args=[entry.pk]), {
        "liaised_on": timezone.localdate().isoformat(), "with_whom": "Cora the case officer",
        "what_changed": "Moved to a new flat", "actions": "Visit booked"}, follow=True)
    page = response.content.decode()
    assert "Update recorded" in page and "Moved to a new flat" in page and "Cora the case officer" in page
    assert "Not updated" not in nso.get(register_url).content.decode()


def test_it_refuses_an_update_dated_in_the_future_and_keeps_the_text(world) -> None:
    entry = make_entry(world)
    response = _client(world.members[Role.NSO]).post(reverse("registers:update-add", args=[entry.pk]), {
        "liaised_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "with_whom": "Officer",
        "what_changed": "Typed words"})
    page = response.content.decode()
    assert "cannot be in the future" in page and "Typed words" in page
    assert not entry.updates.exists()


def test_it_closes_an_entry_with_the_reason_and_keeps_its_history(world) -> None:
    entry = make_entry(world)
    nso = _client(world.members[Role.NSO])
    empty = nso.post(reverse("registers:entry-close", args=[entry.pk]), {"reason": ""})
    assert "Enter the reason the risk has been removed" in empty.content.decode()
    page = nso.post(reverse("registers:entry-close", args=[entry.pk]), {"reason": "Family moved out of area"},
                    follow=True).content.decode()
    assert "Closed" in page and "Family moved out of area" in page
    entry.refresh_from_db()
    assert entry.status == "closed" and entry.history.count() >= 2


def test_it_tells_the_loser_of_a_concurrent_edit_and_keeps_their_changes(world) -> None:
    entry = make_entry(world)
    url = reverse("registers:entry-edit", args=[entry.pk])
    base = {"household": "Edited household", "risk_level": "low", "risk": "Changed risk",
            "department": world.department.pk, "opened_on": date.today().isoformat()}
    _client(world.members[Role.REGISTER_ADMIN]).post(url, {**base, "version": entry.version})
    response = _client(world.members[Role.NSO]).post(url, {**base, "risk": "My later words",
                                                            "version": entry.version})
    page = response.content.decode()
    assert "Someone else changed this entry" in page and "My later words" in page
    # Told of the other change, the loser can choose to save their words: the form now carries the new version.
    shown = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    again = _client(world.members[Role.NSO]).post(url, {**base, "risk": "My later words", "version": shown})
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.risk == "My later words"


def test_it_hides_child_protection_entries_from_the_register_page(world) -> None:
    make_entry(world, household="Open household")
    protected = make_entry(world, household="Hidden household", cp_plan=True)
    page = _client(world.members[Role.NSO]).get(
        reverse("registers:register", args=[protected.register_id])).content.decode()
    assert "Open household" in page and "Hidden household" not in page and protected.reference in page
    assert _client(world.members[Role.NSO]).get(reverse("registers:entry", args=[protected.pk])).status_code == 404


def test_it_finds_entries_by_a_person_s_name(world) -> None:
    make_entry(world, household="Findme household")
    make_entry(world, household="Other household")
    page = _client(world.members[Role.NSO]).get(
        reverse("registers:register", args=[register_of(world.area).pk]), {"q": "findme"}, follow=True).content.decode()
    assert "Findme household" in page and "Other household" not in page


def test_it_tells_only_the_area_s_dsl_of_a_new_entry(world) -> None:
    from safeguard.tenancy.models import Notification

    entry = make_entry(world)
    make_entry(world, area=world.second_area)
    notes = Notification.objects.for_org(world.org).filter(kind="registers.entry_added")
    assert [(n.recipient_id, n.title) for n in notes] == [
        (world.members[Role.DSL].pk, f"New entry {entry.reference} on the {world.area.name} register: check it in this month's review")]


def test_it_records_a_double_submitted_update_once(world) -> None:
    entry = make_entry(world)
    data = {"liaised_on": timezone.localdate().isoformat(), "with_whom": "Officer", "what_changed": "Same words"}
    nso = _client(world.members[Role.NSO])
    nso.post(reverse("registers:update-add", args=[entry.pk]), data)
    nso.post(reverse("registers:update-add", args=[entry.pk]), data)
    assert entry.updates.count() == 1


def test_it_adds_one_entry_from_a_double_submitted_form(world) -> None:
    url = reverse("registers:entry-add", args=[register_of(world.area).pk])
    nso = _client(world.members[Role.NSO])
    token = "6f1c2d3e-1111-4222-8333-944455566677"
    first = nso.post(url, _entry_post(world, submission_token=token))
    second = nso.post(url, _entry_post(world, submission_token=token))
    assert first["Location"] == second["Location"]
    assert Entry.objects.for_org(world.org).count() == 1


def test_it_shows_one_save_button_on_the_entry_form(world) -> None:
    page = _client(world.members[Role.NSO]).get(
        reverse("registers:entry-add", args=[register_of(world.area).pk])).content.decode()
    assert page.count('value="Save entry"') == 1 and "Actions and escalations" in page
