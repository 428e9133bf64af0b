"""The Safeguarding Manager imports suppliers in Chromium: a bad row is shown in plain words, the good
row is imported when they choose to skip the bad one, and the list then shows it (issue 9, item 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safeguard.tenancy.roles import Role
from tests.factories import make_world

pytestmark = pytest.mark.browser

SUPPLIERS = ("name,services,contract_has_clause,policy,confirmed_on,next_confirmation_due,owner_email,still_used\n"
             "Brightside Repairs,Responsive repairs,yes,own,02/06/2025,02/06/2026,,yes\n"
             "Greenway Gardens,Grounds maintenance,perhaps,ours,,,,\n")


def test_it_imports_suppliers_skipping_the_bad_row(page: Any, login: Any, axe_check: Any, tmp_path: Path) -> None:
    world = make_world()
    login(page, world.members[Role.SAFEGUARDING_MANAGER])
    page.goto("/governance/suppliers/")
    page.get_by_role("link", name="Import suppliers and contractors from a spreadsheet").click()
    page.wait_for_load_state()
    axe_check(page)
    path = tmp_path / "suppliers.csv"
    path.write_text(SUPPLIERS)
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "1 of 2 rows has a problem" in page.content()
    assert page.get_by_test_id("problems").get_by_text("'perhaps' should be yes or no").is_visible()
    axe_check(page)
    page.get_by_role("button", name="Import the 1 good row and skip the rest").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("import-result").inner_text().startswith("1 added, 0 updated")
    axe_check(page)
    page.get_by_role("link", name="See suppliers and contractors").click()
    page.wait_for_load_state()
    records = page.get_by_test_id("records")
    assert records.get_by_role("link", name="Brightside Repairs").is_visible()
    assert records.get_by_text("Greenway Gardens").count() == 0
