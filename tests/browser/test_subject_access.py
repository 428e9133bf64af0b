"""The Data Privacy Manager's journey (issue 14 item 4): record a subject access request, find the person's
records, redact a third party's details, make the pack in the background and download it."""

from __future__ import annotations

from typing import Any

import pytest

from cases.demo import seed_cases
from governance.subject_access.models import Request
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import run_job
from safeguard.tenancy.demo import DEMO_PASSWORD, ORGS, build_org
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.browser
THIRD_PARTY = "She saw a man leave at 23:40 and slam the door."


def test_it_takes_the_dpm_from_request_to_pack(page: Any, login: Any, axe_check: Any, shot: Any) -> None:
    demo = build_org(0, ORGS[0])
    seed_cases(demo)
    login(page, demo.people[Role.DATA_PRIVACY_MANAGER], DEMO_PASSWORD)
    page.goto("/")
    assert page.get_by_test_id("sar-counts").is_visible()
    page.get_by_role("link", name="Record a request").first.click()
    page.get_by_label("Subject access (article 15)").check()
    page.get_by_label("Who made the request").fill("Dana Whitcombe")
    page.get_by_label("The person's full name").fill("Dana Whitcombe")
    page.get_by_label("Tenancy reference").fill("LR-0014")
    page.get_by_label("Date identity was verified").fill(page.get_by_label("Date received").input_value())
    page.get_by_label("How identity was verified").fill("Photo ID seen at the office")
    axe_check(page)
    page.get_by_role("button", name="Save the request").click()
    assert "recorded: respond by" in page.content()

    page.get_by_test_id("find").click()
    assert "1 record found, 1 new" in page.content()
    axe_check(page)
    page.get_by_role("link", name="SG-000001").click()
    page.get_by_label("What to redact").select_option(value="what_happened")
    page.get_by_label("Only this text (optional)").fill(THIRD_PARTY)
    page.get_by_label("Reason shown in the pack").fill("third party: information about another person")
    page.get_by_role("button", name="Redact").click()
    box = page.get_by_test_id("redacted")
    assert box.inner_text() == "[redacted: third party: information about another person]"
    assert THIRD_PARTY not in page.get_by_test_id("record-parts").inner_text()
    page.get_by_label("Disclose").check()
    axe_check(page)
    shot(page, "1-record-redacted")
    page.get_by_role("button", name="Save the decision").click()

    page.get_by_test_id("make-pack").click()
    job = BackgroundJob.objects.for_org(demo.org).get(kind="subject_access.pack")
    run_job(job.pk)  # the worker
    page.reload()
    assert page.get_by_text("The pack is ready").is_visible()
    axe_check(page)
    shot(page, "2-pack-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    assert (
        download.value.suggested_filename == f"{Request.objects.for_org(demo.org).get().reference}-pack.pdf"
    )
    page.goto(f"/subject-access/{Request.objects.for_org(demo.org).get().pk}/")
    shot(page, "3-request")
