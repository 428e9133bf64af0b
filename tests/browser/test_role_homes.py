"""Each role's "my work" page in Chromium: its own panels and navigation, nothing more, no axe violations."""

from __future__ import annotations

from typing import Any

from safeguard.tenancy.roles import ALL_ROLES
from safeguard.tenancy.ui import NAV_ITEMS, PANELS
from tests.factories import make_world


def _expected(items: list[Any], role: str, attr: str) -> set[str]:
    return {getattr(i, attr) for i in items if i.roles is None or role in i.roles}


def test_it_shows_each_role_only_its_own_work(browser: Any, live_url: str, login: Any, axe_check: Any, shot: Any) -> None:
    world = make_world()
    for role in ALL_ROLES:
        context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, world.members[role])
        assert page.get_by_role("heading", name="Your work").is_visible(), role
        nav = set(page.locator("nav[aria-label=Main] a").all_inner_texts())
        panels = set(page.locator("[data-panel]").evaluate_all("els => els.map(e => e.dataset.panel)"))
        assert nav <= _expected(NAV_ITEMS, role, "label"), (role, nav)
        assert panels - {"needs"} <= _expected(PANELS, role, "key"), (role, panels)
        assert "needs" in panels  # the "needs you now" list opens every home (issue 12.7)
        axe_check(page)
        shot(page, f"home-{role}")
        context.close()
