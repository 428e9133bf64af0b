"""The Data Privacy Manager in Chromium (issue 14): places a legal hold and sees the record held in the
destruction review, ticks another record and destroys it, follows the progress page to its tombstone; every
page axe-core clean."""

from __future__ import annotations

from typing import Any

import pytest

from governance.privacy.jobs import list_due_records
from governance.privacy.models import ReviewItem, Tombstone
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import run_job
from safeguard.tenancy.roles import Role
from tests.factories import make_world
from tests.privacy.test_pages import _old_cases

pytestmark = pytest.mark.browser


def test_the_data_privacy_manager_holds_one_record_and_destroys_another(
    page: Any, login: Any, axe_check: Any, shot: Any
) -> None:
    world = make_world()
    _old_cases(world, 0, 2)
    list_due_records()
    held, gone = ReviewItem.objects.for_org(world.org).order_by("reference")
    login(page, world.members[Role.DATA_PRIVACY_MANAGER])

    page.goto("/privacy/holds/new/")
    page.get_by_label("One case").check()
    page.get_by_label("Case reference").fill(held.reference)
    page.get_by_label("Why the records must be kept").fill("Claim notified by solicitors, ref CL-204.")
    page.get_by_role("button", name="Place the hold").click()
    assert page.get_by_role("heading", name="Legal hold").is_visible()
    assert axe_check(page) == []
    shot(page, "1-hold")

    page.goto("/privacy/review/")
    assert page.get_by_role("row", name=held.reference).get_by_text("Held").is_visible()
    assert axe_check(page) == []
    shot(page, "2-review")
    page.get_by_label(gone.reference).check()
    page.get_by_label("Destroy them permanently").check()
    page.get_by_role("button", name="Record the decision").click()
    job = BackgroundJob.objects.for_org(world.org).get(kind="privacy.destroy")
    assert page.url.endswith(f"/jobs/{job.pk}/")
    run_job(job.pk)
    page.reload()
    assert page.get_by_text("1 record destroyed").is_visible()
    assert axe_check(page) == []
    shot(page, "3-done")
    page.get_by_role("link", name="See the destroyed records").click()
    assert page.get_by_role("cell", name=gone.reference).is_visible()
    assert axe_check(page) == []
    shot(page, "4-tombstones")
    assert list(Tombstone.objects.for_org(world.org).values_list("reference", flat=True)) == [gone.reference]
