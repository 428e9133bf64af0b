"""Training journeys in Chromium with the demo data: HR imports a spreadsheet with two bad
rows, fixes them and sees the result in the matrix; a person signs the new policy and
their policy cell turns compliant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safeguard.tenancy.demo import DEMO_PASSWORD, seed_all
from safeguard.tenancy.models import User
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.browser

BAD = (
    "reference,full_name,email,kind,job_role,department,team,line_manager_reference\n"
    "NV9001,Ivy Larkspur,ivy.larkspur@northvale.example,colleague,Housing Officer,Housing,Estate team,\n"
    "NV9002,,rowan.thistle@northvale.example,colleague,Housing Officer,Housing,Estate team,NV9001\n"
    "NV9003,Sol Maddox,sol.maddox@northvale.example,volunteer,Chief Wizard,Support,Estate team,NV9001\n"
    "NV9004,Tam Ferrier,tam.ferrier@northvale.example,contractor,Repairs Operative,Repairs and Assets,Estate team,\n"
)
FIXED = BAD.replace(",,rowan.", ",Rowan Thistle,rowan.").replace("Chief Wizard", "Volunteer")


def _login(page: Any, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _upload(page: Any, path: Path) -> None:
    page.goto("/training/import/")
    page.get_by_label("People").check()
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_it_imports_people_after_fixing_two_bad_rows(page: Any, live_url: str, axe_check: Any, shot: Any,
                                                     tmp_path: Path) -> None:
    seed_all()
    _login(page, "hr.ld@northvale.example")
    bad, fixed = tmp_path / "people.csv", tmp_path / "people-fixed.csv"
    bad.write_text(BAD)
    fixed.write_text(FIXED)
    _upload(page, bad)
    problems = page.get_by_test_id("problems")
    assert "2 of 4 rows have problems" in page.content()
    assert problems.get_by_text("The full name is missing").is_visible()
    assert problems.get_by_text("There is no job role called 'Chief Wizard'").is_visible()
    axe_check(page)
    shot(page, "import-problems")
    _upload(page, fixed)
    assert "All 4 rows can be imported" in page.content()
    page.get_by_role("button", name="Import 4 rows").click()
    assert page.get_by_test_id("import-result").inner_text().startswith("4 added, 0 updated")
    axe_check(page)
    page.get_by_role("link", name="See the training matrix").click()
    page.get_by_label("Team").select_option("Estate team")
    page.get_by_role("button", name="Filter").click()
    matrix = page.get_by_test_id("matrix")
    for name in ("Ivy Larkspur", "Rowan Thistle", "Sol Maddox", "Tam Ferrier"):
        assert matrix.get_by_role("link", name=name).is_visible()
    assert "4 people" in matrix.locator("caption").inner_text()
    axe_check(page)
    shot(page, "matrix-after-import")


def test_it_turns_the_policy_cell_compliant_when_a_person_signs(page: Any, live_url: str, axe_check: Any,
                                                                  shot: Any, tmp_path: Path) -> None:
    seed_all()
    _login(page, "hr.ld@northvale.example")
    doc = tmp_path / "safeguarding-policy-2026-2.pdf"
    doc.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.goto("/training/policy/publish/")
    page.get_by_label("Version").fill("2026.2")
    page.get_by_label("Policy document").set_input_files(str(doc))
    page.get_by_label("Review date").fill("2027-11-01")
    page.get_by_role("button", name="Publish and ask everyone to read it").click()
    assert "Version 2026.2 published" in page.content()
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    fran = User.objects.get(email="frontline@northvale.example")
    _login(page, fran.email)
    page.goto("/training/mine/")
    policy_row = page.get_by_test_id("requirements").get_by_role("row", name="Policy 2026.2")
    assert policy_row.get_by_text("Missing").is_visible()
    page.get_by_role("link", name="Read and sign the policy").click()
    axe_check(page)
    shot(page, "policy-to-sign")
    page.get_by_role("button", name="I confirm I have read and understood the safeguarding policy 2026.2").click()
    policy_row = page.get_by_test_id("requirements").get_by_role("row", name="Policy 2026.2")
    assert policy_row.get_by_text("Compliant").is_visible()
    axe_check(page)
    shot(page, "my-training-signed")
    page.get_by_role("button", name="Sign out").click()

    _login(page, "hr.ld@northvale.example")
    page.goto("/training/matrix/?q=Fran")
    row = page.get_by_test_id("matrix").locator("tr", has_text=fran.full_name)
    assert row.locator("td").nth(4).inner_text().startswith("Compliant")
    shot(page, "matrix-fran-signed")
    assert Role.FRONTLINE


PAGES = {
    "hr.ld@northvale.example": ["/training/matrix/", "/training/mine/", "/training/figures/", "/training/settings/",
                                "/training/settings/job-roles/add/", "/training/people/add/", "/training/policy/",
                                "/training/policy/publish/", "/training/import/", "/"],
    "case.manager@northvale.example": ["/training/matrix/", "/training/mine/", "/"],
    "board.member@northvale.example": ["/training/figures/", "/training/mine/"],
}


def test_it_finds_no_accessibility_problems_on_training_pages_with_demo_data(page: Any, live_url: str,
                                                                              axe_check: Any, shot: Any) -> None:
    seed_all()
    for email, urls in PAGES.items():
        _login(page, email)
        for url in urls:
            page.goto(url)
            axe_check(page)
        if email.startswith("hr."):
            page.goto("/training/matrix/?q=Fran")
            page.get_by_role("link", name="Fran Lowther").click()
            axe_check(page)
            shot(page, "person-detail-hr")
            for link in ("Add a DBS check", "Add a training record"):
                page.get_by_role("link", name=link).click()
                page.get_by_role("button", name=link.replace("Add a", "Save")).click()  # empty form
                assert page.locator(".govuk-error-summary").is_visible()
                axe_check(page)
                page.go_back()
                page.go_back()
        shot(page, f"last-page-{email.split('@')[0]}")
        page.get_by_role("button", name="Sign out").click()


def test_it_lets_hr_correct_a_dbs_check_and_mark_a_record_entered_in_error(page: Any, live_url: str,
                                                                          axe_check: Any, shot: Any) -> None:
    import re
    from datetime import date, timedelta

    seed_all()
    _login(page, "hr.ld@northvale.example")
    page.goto("/training/matrix/?q=Fran")
    page.get_by_role("link", name="Fran Lowther").click()
    person_url = page.url
    page.get_by_role("link", name=re.compile(r"^Change DBS check issued")).first.click()
    axe_check(page)
    issued = date.today() - timedelta(days=20)
    page.get_by_label("Issue date").fill(issued.isoformat())
    page.get_by_role("button", name="Save DBS check").click()
    assert "DBS check changed. The next renewal is due on" in page.content()
    shot(page, "dbs-corrected")

    page.get_by_role("link", name=re.compile(r"^Entered in error")).last.click()
    page.get_by_role("button", name="Mark as entered in error").click()  # no reason given
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)
    page.get_by_label("Why was this record entered in error?").fill("Recorded against the wrong person")
    page.get_by_role("button", name="Mark as entered in error").click()
    assert page.url == person_url
    assert page.get_by_test_id("in-error").get_by_text("Recorded against the wrong person").is_visible()
    axe_check(page)
    shot(page, "record-entered-in-error")
