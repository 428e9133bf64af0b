"""Who sees what: the one scoping place, allegations against colleagues, NSOs, boards, who-viewed log."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cases import actions
from cases.policy.visibility import visible_cases
from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.roles import ALL_ROLES, Role
from tests.factories import make_user

from .helpers import allocated, report


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _seers(world, case) -> set[str]:
    return {r for r in ALL_ROLES if visible_cases(world.org, world.membership(r)).filter(pk=case.pk).exists()}


def test_it_shows_a_case_to_its_officer_managers_the_safeguarding_manager_and_nso_only(world) -> None:
    case = allocated(world)
    assert _seers(world, case) == {Role.CASE_OFFICER, Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER, Role.NSO}


def test_it_hides_wellbeing_cases_from_the_nso_and_lets_the_nso_only_read(world) -> None:
    wow = allocated(world, concern_type="wow")
    assert Role.NSO not in _seers(world, wow)
    case = allocated(world)
    nso = _client(world.members["nso"])
    assert nso.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert nso.get(reverse("cases:add-action", args=[case.pk])).status_code == 403


def test_it_shows_an_allegation_against_a_colleague_only_to_the_director_and_those_named(world) -> None:
    case = report(world, is_colleague_allegation=True)
    assert _seers(world, case) == {Role.PEOPLE_DIRECTOR}
    director = _client(world.members["people_director"])
    assert director.get(reverse("cases:allocate", args=[case.pk])).status_code == 200
    assert _client(world.members["safeguarding_manager"]).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    director.post(reverse("cases:access", args=[case.pk]),
                  {"user": world.members["safeguarding_manager"].pk, "reason": "Joint review"})
    assert _seers(world, case) == {Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER}
    grant = case.access_grants.get()
    director.post(reverse("cases:revoke-access", args=[case.pk, grant.pk]))
    assert _seers(world, case) == {Role.PEOPLE_DIRECTOR}


def test_it_shows_managers_only_the_cases_of_their_areas(world) -> None:
    limited = make_user("limited.manager@oakridge.test", "Limited Manager")
    do_add_member(world.org, limited, [RoleSpec(Role.CASE_MANAGER, [world.second_area.pk])])
    mine = report(world, area_id=world.second_area.pk)
    other = report(world)
    client = _client(limited)
    assert client.get(reverse("cases:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("cases:triage")).content.decode()
    assert mine.reference in page and other.reference not in page


def test_it_shows_board_members_nothing_of_cases(world) -> None:
    case = allocated(world)
    board = _client(world.members["board_member"])
    assert board.get(reverse("cases:list")).status_code == 403
    assert board.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    home = board.get(reverse("home")).content.decode()
    assert case.reference not in home and "Testwell" not in home


def test_it_logs_every_opening_and_shows_the_log_to_the_safeguarding_manager(world) -> None:
    case = allocated(world)
    _client(world.members["case_officer"]).get(reverse("cases:detail", args=[case.pk]))
    _client(world.members["nso"]).get(reverse("cases:chronology", args=[case.pk]))
    page = _client(world.members["safeguarding_manager"]).get(reverse("cases:viewers", args=[case.pk])).content.decode()
    assert world.members["case_officer"].full_name in page and world.members["nso"].full_name in page
    assert "Opened the chronology page" in page
    assert _client(world.members["case_manager"]).get(reverse("cases:viewers", args=[case.pk])).status_code == 404


def test_it_shows_the_history_of_changes_to_managers(world) -> None:
    from .helpers import with_action

    case = with_action(world, allocated(world))
    actions.do_update_details(case, version=case.version, acting_user=world.members["case_manager"],
                              department=world.second_department)
    page = _client(world.members["case_manager"]).get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "department:" in page and world.members["case_manager"].full_name in page
    assert "Action: Visit of" in page and "Person: Robin Testwell" in page
    assert _client(world.members["case_officer"]).get(reverse("cases:history", args=[case.pk])).status_code == 404


def test_it_hides_another_organisations_case_from_its_search(world) -> None:
    case = allocated(world)
    page = _client(world.outsider).get(reverse("cases:list"), {"q": case.reference}, follow=True).content.decode()
    assert "0 cases found" in page and "Testwell" not in page
    assert reverse("cases:detail", args=[case.pk]) not in page


def test_it_shows_the_safeguarding_manager_who_opened_which_case_but_not_allegations(world) -> None:
    case = allocated(world)
    allegation = report(world, is_colleague_allegation=True)
    _client(world.members["case_officer"]).get(reverse("cases:detail", args=[case.pk]))
    _client(world.members["people_director"]).get(reverse("cases:detail", args=[allegation.pk]))
    page = _client(world.members["safeguarding_manager"]).get(reverse("cases:viewing-log")).content.decode()
    assert case.reference in page and world.members["case_officer"].full_name in page
    assert allegation.reference not in page
