"""Each role's "my work" page in Chromium: its own panels and navigation, nothing more, no axe violations."""

from __future__ import annotations

from typing import Any

from safeguard.tenancy.roles import ALL_ROLES
from tests.factories import make_world

EVERYONE_NAV = {"Your work", "My training", "Registers", "Team training"}  # the last two when they apply
EVERYONE_PANELS = {"notifications", "cases-reported", "training-mine"}
# What each role may see on its home page, written out (not read from the registry under test).
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "frontline": (set(), set()),
    "case_officer": ({"Cases", "My cases"}, {"cases-mine", "referrals-mine"}),
    "case_manager": ({"Cases", "My cases", "Referrals", "To allocate", "Governance"},
                     {"cases-mine"}),
    "nso": ({"Cases"}, {"registers-to-update"}),
    "dsl": ({"Governance", "Board dashboard"}, {"registers-review-due"}),
    "safeguarding_manager": ({"Cases", "Referrals", "To allocate", "Training", "Governance", "Board dashboard"},
                             {"referrals-access", "referrals-privacy", "registers-oversight"}),
    "register_admin": (set(), {"registers-to-update"}),
    "data_privacy_manager": ({"Privacy reviews", "Referrals", "Data privacy", "Subject access requests"},
                             {"referrals-privacy", "privacy-retention", "subject-access"}),
    "people_director": ({"Cases", "Compliance figures", "To allocate", "Board dashboard"}, set()),
    "hr_ld": ({"Training"}, {"training-chase"}),
    "board_member": ({"Compliance figures", "Board dashboard"}, {"registers-oversight"}),
    "org_admin": ({"Case lists", "People", "Settings", "Training"}, {"organisation-admin", "registers-oversight"}),
}


def test_it_shows_each_role_only_its_own_work(browser: Any, live_url: str, login: Any, axe_check: Any, shot: Any) -> None:
    world = make_world()
    for role in ALL_ROLES:
        context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, world.members[role])
        assert page.get_by_role("heading", name="Your work").is_visible(), role
        nav = set(page.locator("nav[aria-label=Main] a").all_inner_texts())
        panels = set(page.locator("[data-panel]").evaluate_all("els => els.map(e => e.dataset.panel)"))
        own_nav, own_panels = EXPECTED[role]
        assert nav <= EVERYONE_NAV | own_nav, (role, nav)
        assert panels - {"needs"} <= EVERYONE_PANELS | own_panels, (role, panels)
        assert own_panels <= panels, (role, panels)
        assert "needs" in panels  # the "needs you now" list opens every home (issue 12.7)
        axe_check(page)
        shot(page, f"home-{role}")
        context.close()
