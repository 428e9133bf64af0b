"""Correcting and removing the people on a register entry."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from registers.models import EntryPerson
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_entry


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _urls(entry, person):
    return (reverse("registers:person-edit", args=[entry.pk, person.pk]),
            reverse("registers:person-remove", args=[entry.pk, person.pk]))


def _child(entry):
    return EntryPerson.objects.for_org(entry.organisation_id).get(entry=entry, person_type="child")


def test_it_corrects_a_person_and_shows_the_change_in_the_entry_s_history(world) -> None:
    entry = make_entry(world, household="Finch household")
    child = _child(entry)
    nso = _client(world.members[Role.NSO])
    edit, _ = _urls(entry, child)
    form = nso.get(edit).content.decode()
    assert 'value="Finch household Child"' in form
    response = nso.post(edit, {"person_type": "child", "full_name": "Robin Finch", "date_of_birth": "2019-04-03",
                               "version": child.version}, follow=True)
    page = response.content.decode()
    assert "Robin Finch – Child (born 3 Apr 2019)" in page
    assert "Changed person: Robin Finch (child)" in page and "Added person: Finch household Child (child)" in page
    child.refresh_from_db()
    assert child.version == 2 and child.history.count() == 2
    event = AuditEvent.objects.for_org(world.org).get(action="register.person_changed")
    assert event.actor == world.members[Role.NSO] and event.detail["before"]["full_name"] == "Finch household Child"


def test_it_removes_a_person_added_in_error_with_the_reason_in_the_history(world) -> None:
    entry = make_entry(world, household="Finch household")
    child = _child(entry)
    nso = _client(world.members[Role.NSO])
    _, remove = _urls(entry, child)
    response = nso.post(remove, {"reason": "Added to the wrong household", "version": child.version}, follow=True)
    page = response.content.decode()
    assert "Finch household Child removed from" in page
    assert "Removed person: Finch household Child (child). Reason: Added to the wrong household" in page
    assert not EntryPerson.objects.for_org(world.org).filter(pk=child.pk).exists()
    assert child.history.filter(history_type="-").get().history_user == world.members[Role.NSO]
    event = AuditEvent.objects.for_org(world.org).get(action="register.person_removed")
    assert event.detail["reason"] == "Added to the wrong household" and event.object_id == entry.pk


def test_it_keeps_what_was_typed_when_the_person_has_errors(world) -> None:
    entry = make_entry(world)
    child = _child(entry)
    edit, remove = _urls(entry, child)
    nso = _client(world.members[Role.NSO])
    response = nso.post(edit, {"person_type": "adult", "full_name": "", "date_of_birth": "2999-01-01",
                               "version": child.version})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter the person&#x27;s full name" in page and "cannot be in the future" in page
    assert 'value="2999-01-01"' in page and 'value="adult" selected' in page
    empty = nso.post(remove, {"reason": "", "version": child.version}).content.decode()
    assert "Enter the reason for removing this person" in empty
    child.refresh_from_db()
    assert child.full_name.endswith("Child") and child.version == 1


def test_it_refuses_a_stale_edit_and_keeps_the_loser_s_changes(world) -> None:
    entry = make_entry(world)
    child = _child(entry)
    edit, remove = _urls(entry, child)
    first, second = _client(world.members[Role.NSO]), _client(world.members[Role.REGISTER_ADMIN])
    first.post(edit, {"person_type": "child", "full_name": "First Name", "version": 1})
    response = second.post(edit, {"person_type": "child", "full_name": "Second Name", "version": 1})
    page = response.content.decode()
    assert "Someone else changed this person" in page and 'value="Second Name"' in page
    assert 'name="version" value="2"' in page
    child.refresh_from_db()
    assert child.full_name == "First Name"
    stale = second.post(remove, {"reason": "Mistake", "version": 1}).content.decode()
    assert "Someone else changed this person" in stale and "Mistake</textarea>" in stale
    assert EntryPerson.objects.for_org(world.org).filter(pk=child.pk).exists()


def test_it_hides_people_from_those_who_may_not_manage_the_register(world) -> None:
    entry = make_entry(world)
    other_area = make_entry(world, area=world.second_area, household="Other household")
    child = _child(entry)
    for role in (Role.DSL, Role.CASE_OFFICER, Role.FRONTLINE):
        client = _client(world.members[role])
        for url in _urls(entry, child):
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(_urls(entry, child)[1], {"reason": "x", "version": 1}).status_code == 404
    nso = _client(world.members[Role.NSO])
    assert nso.get(_urls(other_area, child)[0]).status_code == 404  # a person of another entry
    assert EntryPerson.objects.for_org(world.org).filter(pk=child.pk, version=1).exists()


def test_it_hides_another_organisation_s_people(world) -> None:
    entry = make_entry(world)
    child = _child(entry)
    outsider = _client(world.outsider)
    for url in _urls(entry, child):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"reason": "x", "full_name": "x", "person_type": "adult",
                                   "version": 1}).status_code == 404
    child.refresh_from_db()
    assert child.version == 1


def test_it_keeps_child_protection_people_to_holders_of_the_cp_permission(world) -> None:
    entry = make_entry(world, household="Wren household", cp_plan=True)
    child = _child(entry)
    for role in (Role.NSO, Role.REGISTER_ADMIN):
        for url in _urls(entry, child):
            assert _client(world.members[role]).get(url).status_code == 404, role
