"""Sign in, see one's own work, switch organisation, reach "Report a concern", sign out."""

from __future__ import annotations

from typing import Any

from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.roles import Role
from tests.factories import make_world


def test_it_signs_in_switches_organisation_reports_and_signs_out(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    world = make_world()
    person = world.members[Role.CASE_MANAGER]
    do_add_member(world.other_org, person, [RoleSpec(Role.CASE_OFFICER)])

    page.goto("/")
    assert "/account/login/" in page.url
    axe_check(page)
    shot(page, "1-sign-in")

    login(page, person)
    assert page.get_by_role("heading", name="Your work").is_visible()
    caption = page.locator("main .govuk-caption-l")
    first = caption.inner_text()
    assert first in {"Oakridge Housing", "Marshgate Homes"}
    axe_check(page)
    shot(page, "2-home-first-org")

    other = "Marshgate Homes" if first == "Oakridge Housing" else "Oakridge Housing"
    page.get_by_label("Organisation").select_option(label=other)
    page.get_by_role("button", name="Switch").click()
    assert caption.inner_text() == other
    assert page.get_by_label("Organisation").evaluate("s => s.options[s.selectedIndex].text") == other
    axe_check(page)
    shot(page, "3-home-second-org")

    page.get_by_role("button", name="Report a concern").click()
    assert page.get_by_role("heading", name="Report a concern").is_visible()
    assert page.get_by_text("call 999").first.is_visible()
    axe_check(page)
    shot(page, "4-report")

    page.get_by_role("button", name="Sign out").click()
    assert "/account/login/" in page.url
    page.goto("/")
    assert "/account/login/" in page.url


def test_it_shows_each_role_its_own_home_and_nothing_else(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    world = make_world()
    login(page, world.members[Role.ORG_ADMIN])
    assert page.get_by_role("link", name="People", exact=True).is_visible()
    axe_check(page)
    shot(page, "org-admin-home")
    page.get_by_role("link", name="People", exact=True).click()
    assert page.get_by_role("heading", name="People and roles").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Settings", exact=True).click()
    axe_check(page)
    shot(page, "org-settings")
    page.get_by_role("button", name="Sign out").click()

    login(page, world.members[Role.BOARD_MEMBER])
    assert page.get_by_role("link", name="People", exact=True).count() == 0
    assert page.get_by_role("link", name="Settings", exact=True).count() == 0
    axe_check(page)
    shot(page, "board-home")


def test_it_shows_a_clear_page_to_someone_in_no_organisation(page: Any, login: Any, axe_check: Any) -> None:
    world = make_world()
    login(page, world.nobody)
    assert page.get_by_role("heading", name="You are not a member of any organisation").is_visible()
    axe_check(page)
