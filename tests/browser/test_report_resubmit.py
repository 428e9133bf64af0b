"""Back after "Concern received", then submit again: the same concern, in Chromium (issue 12 item 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case
from tests.factories import make_world


def _fill(page: Any, world: Any, text: str) -> None:
    page.locator("[name=immediate_risk][value=no]").check()
    page.locator("[name=concern_type][value=safeguarding]").check()
    page.get_by_label("Local authority area").select_option(label=world.area.name)
    page.get_by_label("Your department").select_option(label=world.department.name)
    page.locator("#id_happened_on").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("What was seen or heard").fill(text)
    page.locator("#id_people-0-full_name").fill("Avril Demoworth")


def test_it_shows_the_same_reference_when_the_reporter_goes_back_and_submits_again(page, live_url, login,
                                                                                    axe_check, shot) -> None:
    world = make_world()
    login(page, world.members["frontline"])
    page.goto("/cases/report/")
    _fill(page, world, "Tenant said her son takes her pension and she has no food.")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    case = Case.objects.for_org(world.org).get()
    assert case.reference in page.locator("[data-testid=reference]").inner_text()
    page.go_back()
    page.wait_for_load_state()
    shot(page, "01-after-back")
    if not page.get_by_label("What was seen or heard").input_value():
        # The browser did not refill the form: the reporter types it again, as they would.
        _fill(page, world, "Tenant said her son takes her pension and she has no food.")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    assert Case.objects.for_org(world.org).count() == 1
    assert page.locator("[data-testid=reference]").inner_text().strip() == case.reference
    assert "You have already sent this concern, so it was not sent again" in page.content()
    axe_check(page)
    shot(page, "02-same-reference")


def test_it_keeps_two_reports_from_two_tabs_as_two_concerns(page, live_url, login) -> None:
    world = make_world()
    login(page, world.members["frontline"])
    page.goto("/cases/report/")
    second = page.context.new_page()
    second.goto("/cases/report/")
    _fill(page, world, "First tab: shouting heard from the flat at night.")
    _fill(second, world, "Second tab: the front door has been broken for a week.")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    second.get_by_role("button", name="Report the concern").click()
    second.wait_for_load_state()
    references = {page.locator("[data-testid=reference]").inner_text(), second.locator("[data-testid=reference]").inner_text()}
    assert Case.objects.for_org(world.org).count() == 2 and len(references) == 2
