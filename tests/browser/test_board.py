"""A board member in Chromium: the dashboard with its rating and facts, every chart with its data table,
no name anywhere, axe-core clean, and the same page without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import CasePerson
from registers.models import EntryPerson
from safeguard.tenancy.demo import DEMO_PASSWORD, seed_all
from safeguard.tenancy.models import Organisation, User

pytestmark = pytest.mark.browser


def _login(page: Any, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_board_member_sees_the_dashboard_with_no_name_and_axe_finds_nothing(page, axe_check, shot) -> None:
    seed_all()
    ratings = {}
    for slug, domain in (("northvale", "northvale.example"), ("riverbend", "riverbend.example"),
                         ("kestrelvale", "kestrelvale.example")):
        _login(page, f"board.member@{domain}")
        page.goto("/board/")
        ratings[slug] = page.locator("[data-rating]").first.get_attribute("data-rating")
        facts = page.locator("[data-rating]").first.locator("li")
        if ratings[slug] != "green":  # the facts that made it, in words, without a link for a board member
            assert facts.count() >= 1 and facts.first.inner_text().strip()
            assert page.locator("[data-rating] a").count() == 0
        if slug == "northvale":
            charts = page.locator("figure.sg-figure-chart")
            assert charts.count() == 5
            for i in range(charts.count()):
                assert charts.nth(i).locator("figcaption").inner_text().strip()
                # its data table straight after it (a GOV.UK table with a caption)
                following = charts.nth(i).locator("xpath=following-sibling::*[1]")
                assert following.evaluate("e => e.tagName") == "TABLE"
                assert "govuk-table" in following.get_attribute("class")
                assert following.locator("caption").inner_text().strip()
            assert page.locator("table.govuk-table").count() >= 10
            text = page.inner_text("main")
            org = Organisation.objects.get(slug=slug)
            names = set(CasePerson.all_orgs.filter(organisation=org).values_list("full_name", flat=True))
            names |= set(EntryPerson.all_orgs.filter(organisation=org).values_list("full_name", flat=True))
            assert names and not [n for n in names if n in text]
            assert axe_check(page) == []
            shot(page, "board-dashboard")
        page.context.clear_cookies()
    assert ratings == {"northvale": "green", "riverbend": "amber", "kestrelvale": "red"}
    assert User.objects.filter(email="board.member@kestrelvale.example").exists()


def test_the_dashboard_works_without_javascript(browser, live_url) -> None:
    seed_all()
    context = browser.new_context(base_url=live_url, java_script_enabled=False)
    page = context.new_page()
    _login(page, "board.member@riverbend.example")
    page.goto("/board/?period=quarter")
    page.get_by_label("Period", exact=True).select_option("year")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()
    assert "period=year" in page.url
    assert page.locator("svg.sg-chart").count() == 5
    assert "Amber" in page.inner_text("main")
    context.close()
