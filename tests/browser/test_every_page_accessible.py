"""axe-core on every page: each GET URL of the access matrix, opened in Chromium
by a role allowed to see it, must show no WCAG 2.2 A/AA violations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.tenancy.roles import ALL_ROLES, Role
from tests.access import all_cases
from tests.factories import make_world

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SKIP = {"logout", "health"}


def _role_for(case: Any, world: Any) -> str | None:
    for role in ALL_ROLES:
        if case.allowed_for(world, role) if case.allowed_for else role in case.allowed:
            return role
    return None


def test_it_finds_no_accessibility_violations_on_any_page(browser: Any, live_url: str, login: Any) -> None:
    from tests.browser.conftest import AXE_JS

    world = make_world()
    pages: dict[str, Any] = {}
    problems: list[str] = []
    visited = 0
    for case in all_cases():
        if case.method != "get" or case.name in SKIP:
            continue
        role = Role.ORG_ADMIN if case.public else _role_for(case, world)
        if role is None:
            continue
        if role not in pages:
            context = browser.new_context(base_url=live_url)
            pages[role] = context.new_page()
            # Every page must work under the Content-Security-Policy: a refusal is a problem.
            pages[role].on("console", lambda msg, page=pages[role]: problems.append(f"{page.url}: {msg.text}")
                           if "Content Security Policy" in msg.text else None)
            login(pages[role], world.members[role])
        page = pages[role]
        url = reverse(case.name, kwargs=case.prepare(world))
        # A progress page reloads itself on a timer; a reload firing while the next page loads aborts it.
        page.evaluate("() => { const last = window.setTimeout(() => {}, 0);"
                      " for (let id = 0; id <= last; id++) window.clearTimeout(id); }")
        try:
            response = page.goto(url)
        except Exception as exc:  # noqa: BLE001 - a file download is not a page
            if "Download is starting" in str(exc) or ("ERR_ABORTED" in str(exc) and "download" in url):
                continue
            raise
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue  # pages that answer an error are checked by the matrix, not here
        page.evaluate(AXE_JS.read_text())  # through DevTools: the page's CSP refuses injected scripts
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                               AXE_TAGS)
        visited += 1
        for v in result["violations"]:
            problems.append(f"{url} ({case.name} as {role}): {v['id']}: {v['help']} -> "
                            + ", ".join(n["target"][0] for n in v["nodes"][:3]))
    for page in pages.values():
        page.context.close()
    assert visited >= 10
    assert not problems, f"axe-core found {len(problems)} violation(s):\n" + "\n".join(problems)
