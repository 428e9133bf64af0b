"""An officer records consent refused, makes a referral with an override, and the
Data Privacy Manager records a decision; every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safeguard.tenancy.roles import Role
from tests.factories import make_world
from tests.referrals.helpers import make_case

pytestmark = pytest.mark.browser


def test_it_takes_a_referral_without_consent_to_the_dpm_decision(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    world = make_world()
    case = make_case(world)
    today = timezone.localdate().isoformat()

    login(page, world.members[Role.CASE_OFFICER])
    page.goto(f"/referrals/case/{case.pk}/")
    page.get_by_role("heading", name="Referrals, consent and risk").wait_for()
    axe_check(page)
    shot(page, "1-case-section")

    page.get_by_role("link", name="Record consent and capacity").click()
    page.get_by_label("Nell Ashcombe (adult)").check()
    page.get_by_label("Refused").check()
    page.get_by_label("Date consent was sought or answered").fill(today)
    page.get_by_label("Has capacity to decide").check()
    page.get_by_label("Other notes").fill("Does not want the council involved.")
    axe_check(page)
    page.get_by_role("button", name="Record consent").click()
    page.get_by_text("Consent recorded").wait_for()
    assert "Refused" in page.get_by_role("table", name="Latest consent for each person").inner_text()
    shot(page, "2-consent-refused")

    page.get_by_role("link", name="Make a referral or alert").click()
    assert "Consent to share has not been given by: Nell Ashcombe" in page.get_by_test_id("consent-missing").inner_text()
    page.get_by_label("Adult social care").check()
    page.get_by_label("Why are you making this referral?").fill("No food or heating; needs an assessment.")
    page.get_by_role("button", name="Record referral").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "choose the lawful basis" in summary.inner_text()
    assert page.get_by_label("Why are you making this referral?").input_value() == "No food or heating; needs an assessment."
    axe_check(page)
    shot(page, "3-override-required")

    page.get_by_label("Lawful basis for referring without consent").select_option("significant_harm")
    page.get_by_label("Why you are referring without consent").fill("Serious risk to health this winter.")
    page.get_by_role("button", name="Record referral").click()
    page.get_by_role("heading", name="Referral to Adult social care").wait_for()
    assert "Data Privacy Manager to review" in page.locator(".govuk-notification-banner").inner_text()
    assert "Waiting for review" in page.get_by_test_id("privacy-decision").inner_text()
    axe_check(page)
    shot(page, "4-referral-recorded")

    page.context.clear_cookies()
    login(page, world.members[Role.DATA_PRIVACY_MANAGER])
    page.get_by_role("link", name="1 referral made without consent waiting for review").click()
    axe_check(page)
    shot(page, "5-dpm-queue")
    page.get_by_role("link", name=f"Review case {case.reference}").click()
    page.get_by_label("Appropriate: lawful and proportionate").check()
    page.get_by_label("Notes on your decision").fill("Lawful and proportionate: risk of significant harm.")
    axe_check(page)
    shot(page, "6-dpm-review")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Nothing is waiting for review.").wait_for()
    page.get_by_role("link", name="See decisions already made").click()
    assert "Appropriate" in page.get_by_test_id("privacy-decisions").inner_text()
    axe_check(page)
    shot(page, "7-dpm-decisions")

    page.context.clear_cookies()
    login(page, world.members[Role.CASE_OFFICER])
    panel = page.locator("[data-panel=referrals-mine]")
    assert f"Case {case.reference}: Adult social care" in panel.inner_text()
    shot(page, "8-officer-home-panel")
    page.goto(f"/cases/{case.pk}/")
    assert "Without consent" in page.get_by_test_id("referrals-section").inner_text()
    axe_check(page)
    shot(page, "9-case-page-section")
    page.get_by_test_id("referrals-section").get_by_role("link", name="Adult social care").click()
    assert "Appropriate" in page.get_by_test_id("privacy-decision").inner_text()
    shot(page, "10-officer-sees-decision")


def test_it_prompts_marac_and_lets_an_officer_ask_to_see_a_restricted_case(page: Any, login: Any, axe_check: Any,
                                                                            shot: Any) -> None:
    from cases.actions import do_allocate

    world = make_world()
    earlier = make_case(world, allocate=False)
    do_allocate(earlier, officer=world.members[Role.CASE_MANAGER], concern_type=earlier.concern_type,
                version=earlier.version, acting_user=world.members[Role.SAFEGUARDING_MANAGER])
    case = make_case(world)
    today = timezone.localdate().isoformat()

    login(page, world.members[Role.CASE_OFFICER])
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Record a DASH assessment").click()
    page.get_by_label("Date of the assessment").fill(today)
    for number in range(1, 16):
        page.locator(f"input[name=q{number}]").check()
    axe_check(page)
    shot(page, "1-dash-form")
    page.get_by_role("button", name="Record DASH assessment").click()
    page.get_by_text("score of 15").wait_for()
    assert "Consider a MARAC referral" in page.get_by_test_id("marac-prompt").inner_text()
    assert "A restricted case exists about Nell Ashcombe" in page.get_by_test_id("other-cases").inner_text()
    axe_check(page)
    shot(page, "2-marac-prompt-and-restricted-case")

    page.get_by_role("link", name="Ask for access").click()
    page.get_by_label("Why do you need to see this case?").fill("I hold a case about the same tenant.")
    axe_check(page)
    page.get_by_role("button", name="Ask for access").click()
    page.get_by_text("You have asked for access.").wait_for()

    page.context.clear_cookies()
    login(page, world.members[Role.SAFEGUARDING_MANAGER])
    page.get_by_role("link", name="1 request waiting for your decision").click()
    axe_check(page)
    page.get_by_role("link", name=f"Decide on case {earlier.reference}").click()
    page.get_by_label("Grant access (to read the case)").check()
    axe_check(page)
    shot(page, "3-sm-decides")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("No requests are waiting.").wait_for()
    page.goto("/referrals/report/")
    axe_check(page)
    shot(page, "4-report")

    page.context.clear_cookies()
    login(page, world.members[Role.CASE_OFFICER])
    page.goto(f"/referrals/case/{case.pk}/")
    page.get_by_role("link", name=f"Case {earlier.reference}").click()
    page.get_by_role("heading", name=f"Case {earlier.reference}").wait_for()
    shot(page, "5-officer-opens-granted-case")


def test_it_finds_no_accessibility_violations_on_any_referrals_page(browser: Any, live_url: str, login: Any,
                                                                    axe_check: Any) -> None:
    from django.urls import reverse

    from tests.access.referrals import CASES

    world = make_world()
    pages: dict[str, Any] = {}
    for case in [c for c in CASES if c.method == "get"]:
        role = sorted(case.allowed)[0]
        if role not in pages:
            pages[role] = browser.new_context(base_url=live_url).new_page()
            login(pages[role], world.members[role])
        page = pages[role]
        response = page.goto(reverse(case.name, kwargs=case.prepare(world)))
        assert response is not None and response.status == 200, case.name
        axe_check(page)
    for page in pages.values():
        page.context.close()
