"""Issue 12 as the user sees it, in Chromium, axe-checked and photographed:
the DSL's monthly review in one form (4), allocation with each officer's load (5), the
"needs you now" home list (7) and a 403 page that names who can (2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case
from registers import actions as reg_actions
from registers.models import Review
from safeguard.tenancy.roles import Role
from tests.cases.helpers import allocated, report
from tests.factories import PASSWORD, make_world
from tests.registers.helpers import make_entry, register_of

pytestmark = pytest.mark.browser


def test_the_dsl_reviews_the_month_in_one_form_and_signs_off(page: Any, login: Any, axe_check: Any,
                                                           shot: Any) -> None:
    world = make_world()
    nso = world.members[Role.NSO]
    today = timezone.localdate()
    opened = date(today.year - 1, 1, 1)
    updated = make_entry(world, household="Larchmont household", opened_on=opened)
    late = make_entry(world, household="Pellow household", opened_on=opened)
    cp = make_entry(world, household="Sorrel household", opened_on=opened, cp_plan=True)
    reg_actions.do_add_update(updated, liaised_on=today, with_whom="Case officer Ash",
                              what_changed="Moved to a refuge; the former partner has been arrested.",
                              actions="Check the refuge place weekly.", acting_user=nso)
    reg_actions.do_add_update(cp, liaised_on=today, with_whom="Social worker",
                              what_changed="Core group met; the plan continues.", acting_user=nso)
    register = register_of(world.area)
    login(page, world.members[Role.DSL])
    page.goto(f"/registers/{register.pk}/reviews/{today.year}/{today.month}/")
    table = page.get_by_test_id("review-table")
    assert "Moved to a refuge; the former partner has been arrested." in table.inner_text()
    assert "Core group met" not in table.inner_text()  # behind the password check
    cp_link = page.get_by_role("link", name=f"{cp.reference} (confirm it is you to open this child protection entry)")
    assert (cp_link.get_attribute("href") or "").startswith(f"/account/confirm/?next=%2Fregisters%2Fentries%2F{cp.pk}")
    axe_check(page)
    shot(page, "01-review-page")
    page.get_by_label(f"Comment on {updated.reference}").fill("Refuge place confirmed.")
    page.get_by_label(f"Comment on {late.reference}").fill("Chased the NSO.")
    page.get_by_label(f"Reason there is no update for {late.reference}").fill("Officer on leave; update next week.")
    page.get_by_label(f"Comment on {cp.reference}").fill("Plan on track.")
    page.get_by_label("Overall comment (optional)").fill("A steady month.")
    shot(page, "02-filled-in")
    page.get_by_role("button", name="Save and sign off the review").click()
    page.wait_for_load_state()
    assert "3 entries marked reviewed." in page.content()
    assert page.get_by_role("heading", name="Signed off").is_visible()
    axe_check(page)
    shot(page, "03-signed-off")
    assert Review.objects.for_org(world.org).get(register=register, month=today.replace(day=1)).is_signed
    # The child-protection entry opens after the password check.
    cp_link = page.get_by_role("link", name=f"{cp.reference} (confirm it is you to open this child protection entry)")
    cp_link.click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm it is you").click()
    page.wait_for_load_state()
    assert f"/registers/entries/{cp.pk}/" in page.url
    assert "Core group met; the plan continues." in page.content()
    shot(page, "04-cp-entry-after-password-check")
    page.goto(f"/registers/{register.pk}/reviews/{today.year}/{today.month}/")
    assert "Core group met; the plan continues." in page.get_by_test_id("review-table").inner_text()


def test_the_manager_sees_each_officers_load_when_allocating(page: Any, login: Any, axe_check: Any,
                                                            shot: Any) -> None:
    world = make_world()
    held = [allocated(world) for _ in range(3)]
    Case.objects.for_org(world.org).filter(pk=held[0].pk).update(
        next_action_due=timezone.localdate() - timedelta(days=4))
    allocated(world, officer=Role.CASE_MANAGER)
    new = report(world)
    login(page, world.members[Role.CASE_MANAGER])
    needs = page.get_by_test_id("needs")
    assert needs.locator("li").first.get_attribute("data-bucket") == "overdue"
    shot(page, "01-home-needs-you-now")
    axe_check(page)
    needs.get_by_role("link", name=f"Allocate the new concern {new.reference}").click()
    page.wait_for_load_state()
    load = page.get_by_test_id("officer-load")
    officer_row = load.get_by_role("row", name=world.members[Role.CASE_OFFICER].full_name)
    assert officer_row.locator("td").all_inner_texts() == ["3", "1", "3"]
    axe_check(page)
    shot(page, "02-allocate-with-load")
    page.get_by_label("Case officer").select_option(
        label=f"{world.members[Role.CASE_MANAGER].full_name} (1 open case, 0 overdue, 1 allocated this week)")
    page.locator("[name=concern_type][value=safeguarding]").check()
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_load_state()
    assert "Case allocated" in page.content()


def test_the_403_page_names_who_can_and_never_the_viewers_own_role(page: Any, login: Any, axe_check: Any,
                                                                    shot: Any) -> None:
    world = make_world()
    login(page, world.members[Role.SAFEGUARDING_MANAGER])
    page.goto("/training/matrix/")
    links = page.locator("main a").all_inner_texts()
    assert "Import a spreadsheet" not in links and "Add a person" not in links
    response = page.goto("/training/import/")
    assert response is not None and response.status == 403
    who = page.get_by_test_id("who-can").inner_text()
    assert "Learning and Development / HR" in who and world.members[Role.HR_LD].full_name in who
    assert "Safeguarding Manager" not in page.locator("main").inner_text()
    axe_check(page)
    shot(page, "01-403-who-can")
