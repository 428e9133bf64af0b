"""An NSO corrects a person on a register entry and removes one added in error."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from registers.models import Entry
from safeguard.tenancy.demo import DEMO_PASSWORD, seed_all
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.browser


def test_it_corrects_and_removes_people_on_an_entry(page: Any, login: Any, axe_check: Any, shot: Any,
                                                      live_url: str) -> None:
    demos, _ = seed_all()
    demo = demos[0]
    entry = (Entry.objects.for_org(demo.org).filter(cp_plan=False).annotate(n=Count("people"))
             .filter(n__gte=2).order_by("pk").first())
    first, second = list(entry.people.all())[:2]
    login(page, demo.people[Role.NSO], DEMO_PASSWORD)
    page.goto(f"{live_url}/registers/entries/{entry.pk}/")
    page.get_by_role("link", name=f"Change {first.full_name}").click()
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("There is a problem").is_visible()
    axe_check(page)
    shot(page, "registers-person-edit-error")
    page.get_by_label("Full name").fill("Corrected Name")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("Corrected Name saved on").is_visible()
    page.get_by_role("link", name=f"Remove {second.full_name}").click()
    page.get_by_label("Why this person is being removed").fill("Added to the wrong household")
    axe_check(page)
    page.get_by_role("button", name="Remove this person").click()
    assert page.get_by_text(f"Removed person: {second.full_name}").first.is_visible()
    axe_check(page)
    shot(page, "registers-person-history")
