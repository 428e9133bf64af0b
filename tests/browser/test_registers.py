"""The register journey on the demo data: an NSO puts a case on the register and records monthly
updates; the DSL's sign-off is refused while one entry lacks its update, then succeeds; the child
protection page asks for the password again and the Safeguarding Manager sees the view in the log."""

from __future__ import annotations

from typing import Any

import pytest

from cases.actions import ConcernData, PersonData, do_report_concern
from cases.models import ConcernType
from registers.models import Entry, Register
from safeguard.tenancy.demo import DEMO_PASSWORD, seed_all
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.browser


def _new_case(demo: Any, register: Register) -> Any:
    data = ConcernData(
        concern_type=ConcernType.SAFEGUARDING, area_id=register.area_id,
        department_id=next(iter(demo.departments.values())).pk, source="neighbour",
        what_happened="A neighbour heard shouting and a child crying late at night.",
        happened_on=__import__("datetime").date.today(),
        people=[PersonData(full_name="Gemma Thistlewood", address="4 Larch Close"),
                PersonData(full_name="Ollie Thistlewood", person_type="child")],
    )
    return do_report_concern(demo.org, data, acting_user=demo.people[Role.FRONTLINE])


def _sign_in(page: Any, login: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, user, DEMO_PASSWORD)


def _mark_all(page: Any) -> None:
    """The review is one form: a comment for every entry, then one of its buttons."""
    boxes = page.locator("textarea[name^=comment-]")
    for i in range(boxes.count()):
        if not boxes.nth(i).input_value():
            boxes.nth(i).fill("Checked the update with the NSO.")


def test_it_runs_a_month_of_the_register(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    demos, _ = seed_all()
    demo = demos[0]
    register = Register.objects.for_org(demo.org).select_related("area").order_by("area__name").first()
    case = _new_case(demo, register)

    # The NSO sees the case is not yet on the register and adds it.
    _sign_in(page, login, demo.people[Role.NSO])
    assert page.get_by_role("heading", name="Register entries to update this month").is_visible()
    page.get_by_role("link", name="Registers", exact=True).click()
    axe_check(page)
    shot(page, "1-nso-registers")
    page.get_by_role("link", name=f"Add to register case {case.reference}").click()
    assert page.get_by_label("Person 1: full name").input_value() == "Gemma Thistlewood"
    page.get_by_label("High").check()
    page.get_by_label("Children's services").check()
    axe_check(page)
    shot(page, "2-entry-from-case")
    page.get_by_role("button", name="Save entry").click()
    entry = Entry.objects.for_org(demo.org).get(case=case)
    assert page.get_by_role("heading", name=f"Entry {entry.reference}: Thistlewood household").is_visible()

    # ...and records its monthly update.
    page.get_by_role("link", name="Record monthly update").click()
    page.get_by_label("With whom").fill("Cora Ashby, case officer")
    page.get_by_label("What has changed").fill("Children's services visited; a strategy meeting is booked.")
    page.get_by_role("button", name="Save update").click()
    assert page.get_by_text("Update recorded").is_visible()
    axe_check(page)
    shot(page, "3-entry-updated")

    # The DSL reviews: sign-off is refused while one entry lacks this month's update.
    _sign_in(page, login, demo.people[Role.DSL])
    page.get_by_role("link", name=f"{register}: review for").first.click()
    _mark_all(page)
    page.get_by_role("button", name="Save and sign off the review").click()
    refused = page.get_by_text("The review cannot be signed off yet").first
    assert refused.is_visible()
    missing = Entry.objects.for_org(demo.org).get(register=register, household="Quenby household")
    assert missing.reference in refused.inner_text()
    axe_check(page)
    shot(page, "4-sign-off-refused")

    # The NSO records the missing update from the register page.
    _sign_in(page, login, demo.people[Role.NSO])
    page.goto(f"/registers/{register.pk}/?needs_update=1")
    shot(page, "5-entries-needing-update")
    page.get_by_role("link", name=f"Record update for {missing.reference}").click()
    page.get_by_label("With whom").fill("Tomas Reyne, case officer")
    page.get_by_label("What has changed").fill("Fire service safety visit done; clearance started.")
    page.get_by_role("button", name="Save update").click()

    # The DSL signs the month off.
    _sign_in(page, login, demo.people[Role.DSL])
    page.get_by_role("link", name=f"{register}: review for").first.click()
    _mark_all(page)
    page.get_by_role("button", name="Save and sign off the review").click()
    page.get_by_role("heading", name="Signed off").wait_for(timeout=15000)
    axe_check(page)
    shot(page, "6-signed-off")

    # The child protection page asks for the password again; the view is logged.
    page.get_by_role("link", name="Back to the register").click()
    page.get_by_role("link", name="Child protection page").click()
    assert "/account/reauthenticate/" in page.url or page.get_by_label("Your password").is_visible()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm it is you").click()
    assert page.get_by_role("heading", name="Children on a child protection plan").is_visible()
    assert page.get_by_text("Fairweather household").is_visible()
    axe_check(page)
    shot(page, "7-child-protection")

    _sign_in(page, login, demo.people[Role.SAFEGUARDING_MANAGER])
    page.goto("/registers/child-protection-log/")
    row = page.get_by_role("row", name=demo.people[Role.DSL].full_name)
    assert row.first.is_visible() and str(register) in row.first.inner_text()
    axe_check(page)
    shot(page, "8-cp-log")


def test_it_keeps_the_other_register_pages_accessible(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    from registers import actions
    from safeguard.background.models import BackgroundJob
    from safeguard.background.runner import run_job

    demos, _ = seed_all()
    demo = demos[0]
    register = Register.objects.for_org(demo.org).select_related("area").order_by("area__name").first()
    entry = Entry.objects.for_org(demo.org).filter(register=register, cp_plan=False).order_by("reference").first()
    manager = demo.people[Role.SAFEGUARDING_MANAGER]
    export = actions.do_request_export(register, fmt="pdf", acting_user=manager)
    run_job(export.pk)

    _sign_in(page, login, manager)
    for name, url in [
        ("register", f"/registers/{register.pk}/"), ("entry", f"/registers/entries/{entry.pk}/"),
        ("reviews", f"/registers/{register.pk}/reviews/"), ("access", "/registers/access/"),
        ("counts", "/registers/counts/"), ("export", f"/jobs/{export.pk}/"),
    ]:
        page.goto(url)
        assert page.locator("h1").is_visible(), name
        axe_check(page)
        shot(page, name)
    assert BackgroundJob.objects.for_org(demo.org).get(pk=export.pk).status == "done"
    page.goto("/registers/access/")
    page.get_by_label("Person", exact=True).select_option(label=f"{demo.people[Role.CASE_MANAGER].full_name} "
                                                    f"({demo.people[Role.CASE_MANAGER].email})")
    page.get_by_label("Register", exact=True).select_option(label=str(register))
    page.get_by_label("Give this permission").check()
    page.get_by_label("Reason", exact=True).fill("Covering the NSO during leave")
    page.get_by_role("button", name="Save the change").click()
    assert page.get_by_text("Covering the NSO during leave").is_visible()
    axe_check(page)
    shot(page, "access-changed")

    _sign_in(page, login, demo.people[Role.BOARD_MEMBER])
    assert page.get_by_role("link", name="Registers", exact=True).count() == 0
    page.get_by_role("link", name="Register figures: families, children and adults by area and risk").click()
    assert page.get_by_role("heading", name="Register figures for the board").is_visible()
    assert "household" not in page.content()
