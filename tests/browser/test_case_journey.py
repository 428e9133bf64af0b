"""A concern from report to authorised closure, in Chromium, with axe-core on every page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from tests.factories import make_world

pytestmark = pytest.mark.browser


def _submit(page: Any) -> None:
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _check(page: Any, axe_check: Any, shot: Any, name: str) -> None:
    axe_check(page)
    shot(page, name)


def _report(page: Any, world: Any, axe_check: Any, shot: Any) -> Case:
    page.goto("/cases/report/")
    _check(page, axe_check, shot, "01-report-form")
    page.locator("[name=immediate_risk][value=no]").check()
    page.locator("[name=concern_type][value=safeguarding]").check()
    page.get_by_label("Local authority area").select_option(label=world.area.name)
    page.get_by_label("Your department").select_option(label=world.department.name)
    page.locator("#id_happened_on").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("What was seen or heard").fill("Tenant said her son takes her pension and she has no food.")
    page.get_by_label("Financial or material abuse").check()
    page.locator("#id_people-0-full_name").fill("Avril Demoworth")
    page.locator("#id_people-0-address").fill("5 Fictional Mews")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    case = Case.objects.for_org(world.org).get()
    assert case.reference in page.locator("[data-testid=reference]").inner_text()
    assert "Avril Demoworth" not in page.content()
    _check(page, axe_check, shot, "02-received")
    return case


def _allocate(page: Any, world: Any, case: Case, axe_check: Any, shot: Any) -> None:
    page.goto("/cases/to-allocate/")
    _check(page, axe_check, shot, "03-to-allocate")
    page.get_by_role("link", name=f"Allocate {case.reference}").click()
    page.get_by_label("Case officer").select_option(str(world.members["case_officer"].pk))  # the label shows their load too
    page.locator("[name=concern_type][value=safeguarding]").check()
    _check(page, axe_check, shot, "04-allocate-form")
    _submit(page)
    assert "Case allocated" in page.content()


def _work(page: Any, case: Case, axe_check: Any, shot: Any) -> None:
    page.goto("/cases/mine/")
    _check(page, axe_check, shot, "05-my-cases")
    page.get_by_role("link", name=case.reference).click()
    _check(page, axe_check, shot, "06-case")
    page.get_by_role("link", name="Record an action").click()
    page.get_by_label("What was done").select_option("visit")
    page.get_by_label("Note").fill("Visited with a colleague. Avril agreed to a referral for support.")
    _check(page, axe_check, shot, "07-action-form")
    _submit(page)
    assert "Action recorded" in page.content()


def _referral_and_consent(page: Any, case: Case, axe_check: Any, shot: Any) -> None:
    page.goto(reverse("referrals:consent-new", kwargs={"case_pk": case.pk}))
    page.locator("[name=person]").first.check()
    page.locator("[name=status][value=given]").check()
    page.locator("#id_decided_on").fill(timezone.localdate().isoformat())
    page.locator("[name=capacity][value=has]").check()
    _check(page, axe_check, shot, "08-consent")
    _submit(page)
    page.goto(reverse("referrals:referral-new", kwargs={"case_pk": case.pk}))
    page.locator("[name=agency][value=adult_social_care]").check()
    page.get_by_label("Why are you making this referral?").fill("Financial abuse by a family member.")
    page.locator("#id_decided_on").fill(timezone.localdate().isoformat())
    page.locator("#id_made_on").fill(timezone.localdate().isoformat())
    _check(page, axe_check, shot, "09-referral")
    _submit(page)
    assert "There is a problem" not in page.content()


def _ask_to_close(page: Any, case: Case, outcome: str) -> None:
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Ask to close").click()
    page.get_by_label("Outcome and reason to close").fill(outcome)
    _submit(page)
    assert "A manager has been asked" in page.content()


def _decide(page: Any, case: Case, axe_check: Any, shot: Any, *, send_back: bool, name: str) -> None:
    page.goto(f"/cases/{case.pk}/closure/")
    if send_back:
        page.get_by_label("Send it back to the officer").check()
        page.get_by_label("Reason").fill("Check the bank has stopped the card first.")
    else:
        page.get_by_label("Authorise closure").check()
    _check(page, axe_check, shot, name)
    _submit(page)
    assert "Decision recorded" in page.content()


def test_it_takes_a_concern_from_report_to_authorised_closure(page, live_url, login, axe_check, shot) -> None:
    world = make_world()
    login(page, world.members["frontline"])
    case = _report(page, world, axe_check, shot)
    _sign_out(page)
    login(page, world.members["case_manager"])
    _allocate(page, world, case, axe_check, shot)
    _sign_out(page)
    login(page, world.members["case_officer"])
    _work(page, case, axe_check, shot)
    _referral_and_consent(page, case, axe_check, shot)
    _ask_to_close(page, case, "Referral accepted by adult social care; the card is cancelled.")
    _sign_out(page)
    login(page, world.members["case_manager"])
    _decide(page, case, axe_check, shot, send_back=True, name="10-send-back")
    _sign_out(page)
    login(page, world.members["case_officer"])
    _ask_to_close(page, case, "The bank confirmed the card is stopped.")
    _sign_out(page)
    login(page, world.members["case_manager"])
    _decide(page, case, axe_check, shot, send_back=False, name="11-authorise")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    page.goto(f"/cases/{case.pk}/chronology/")
    assert "Closure sent back" in page.content() and "Closure authorised" in page.content()
    _check(page, axe_check, shot, "12-chronology")
    # The Print button works under the Content-Security-Policy (no inline handler).
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") is True


def test_it_explains_bad_input_and_keeps_a_report_through_a_timed_out_session(page, live_url, login, axe_check,
                                                                               shot) -> None:
    world = make_world()
    login(page, world.members["frontline"])
    page.goto("/cases/report/")
    page.locator("[name=immediate_risk][value=no]").check()
    page.locator("#id_happened_on").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    page.get_by_label("What was seen or heard").fill("He said <script>alert('x')</script> to me.")
    page.locator("#id_people-0-full_name").fill("Bea Inventedname")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The date cannot be in the future" in summary and "Choose the area" in summary
    assert "markup cannot be saved" in summary
    assert page.locator("#id_people-0-full_name").input_value() == "Bea Inventedname"
    _check(page, axe_check, shot, "01-errors")
    # The session times out while the reporter corrects the form; nothing they typed is lost.
    page.get_by_label("What was seen or heard").fill("He said he would hurt her if she told anyone.")
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Report the concern").click()
    page.wait_for_load_state()
    page.get_by_label("E-mail address").fill(world.members["frontline"].email)
    page.get_by_label("Password").fill("correct-horse-battery-staple-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "We kept what you wrote" in page.content()
    assert page.get_by_label("What was seen or heard").input_value() == "He said he would hurt her if she told anyone."
    _check(page, axe_check, shot, "02-restored-after-sign-in")
    assert not Case.objects.for_org(world.org).exists()
