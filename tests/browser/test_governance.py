"""A Safeguarding Manager walks an audit round in Chromium: the sample is drawn, three cases are audited,
one is found not correctly recorded with a follow-up action, and the month's failure count shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from governance.models import AuditedCase, FollowUpAction
from safeguard.tenancy.roles import Role
from tests.factories import make_world
from tests.registers.helpers import make_case


def _answer_all(page: Any, ok: bool) -> None:
    radios = page.locator("input[type=radio][value=yes]")
    for i in range(radios.count()):
        radios.nth(i).check()
    page.locator("input[name=correctly_recorded][value=%s]" % ("true" if ok else "false")).check()


def test_it_walks_an_audit_round_from_sample_to_the_months_failure_count(page: Any, login: Any, axe_check: Any,
                                                                          shot: Any) -> None:
    world = make_world()
    for _ in range(4):
        make_case(world)
    manager = world.members[Role.SAFEGUARDING_MANAGER]
    login(page, manager)
    page.get_by_role("link", name="Governance").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Governance", level=1).is_visible()
    axe_check(page)
    shot(page, "home")
    page.get_by_role("link", name="Case audits").click()
    page.get_by_role("link", name="Start an audit round").click()
    axe_check(page)
    # Plain words when nothing is filled in.
    page.get_by_role("button", name="Draw the sample").click()
    assert page.get_by_text("Choose at least one area").first.is_visible()
    axe_check(page)
    today = timezone.localdate()
    page.get_by_label("Name of the round (optional)").fill("December register audit")
    page.get_by_label("Elmstead").check()
    page.get_by_label("Fernbury").check()
    page.get_by_label("Cases reported from").fill(str(today - timedelta(days=30)))
    page.get_by_label("Cases reported up to").fill(str(today))
    page.get_by_label("Sample size").fill("3")
    shot(page, "start")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_load_state()
    assert "Sample drawn: 3 cases to audit" in page.content()
    axe_check(page)
    shot(page, "round")
    links = page.locator("[data-testid=sample] a")
    assert links.count() == 3
    for i in range(3):
        page.locator("[data-testid=sample] a").nth(i).click()
        page.wait_for_load_state()
        axe_check(page)
        failed = i == 1
        _answer_all(page, ok=not failed)
        if failed:
            page.get_by_label("What you found").fill("The household is not on the Elmstead register.")
            page.get_by_role("button", name="Save the audit").click()
            assert page.get_by_text("Say what must be done to put the record right").first.is_visible()
            axe_check(page)
            _answer_all(page, ok=False)
            page.get_by_label("Follow-up action").fill("Add the household to the register")
            page.get_by_label("Who will do it").select_option(label=world.members[Role.CASE_MANAGER].full_name)
            page.get_by_label("Due date of the action").fill(str(today + timedelta(days=14)))
            shot(page, "audit-failed")
        page.get_by_role("button", name="Save the audit").click()
        page.wait_for_load_state()
        assert "Audit of case" in page.content()
    assert page.get_by_test_id("progress").inner_text() == "3 of 3 audited; 1 not correctly recorded"
    shot(page, "round-done")
    assert AuditedCase.objects.for_org(world.org).filter(correctly_recorded_on_register=False).count() == 1
    assert FollowUpAction.objects.for_org(world.org).get().owner == world.members[Role.CASE_MANAGER]
    page.get_by_role("link", name="Case audits").click()
    assert "<strong>1</strong>" in page.get_by_test_id("month-failures").inner_html()
    axe_check(page)
    page.goto("/governance/")
    assert "<strong>1</strong>" in page.get_by_test_id("month-failures").inner_html()
    axe_check(page)
    shot(page, "home-after")
