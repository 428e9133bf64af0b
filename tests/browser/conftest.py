"""Browser tests: Playwright driving Debian's Chromium against the live server.

Every page a test visits can be checked with ``axe_check(page)`` (axe-core,
WCAG 2.2 A/AA rules) and photographed with ``shot(page, name)`` into
``test-artifacts/screenshots/``. Without /usr/bin/chromium the tests skip
with a message saying so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SAFEGUARD_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped "
                    "(install Debian's 'chromium' package, or set SAFEGUARD_CHROMIUM).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: browser tests skipped.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make for set-up are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_url(live_server: Any, transactional_db: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def page(browser: Any, live_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The Content-Security-Policy must not break a page: Chromium reports every
    # refused script, style, image or handler on the console, and any fails the test.
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not refused, "the Content-Security-Policy refused something:\n" + "\n".join(refused)


@pytest.fixture
def login() -> Callable[..., None]:
    from tests.factories import PASSWORD

    def _login(page: Any, user: Any, password: str = PASSWORD) -> None:
        page.goto("/account/login/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return _login


@pytest.fixture
def axe_check() -> Callable[[Any], list[dict[str, Any]]]:
    def _check(page: Any) -> list[dict[str, Any]]:
        # Evaluated through DevTools, which the page's CSP does not govern (an
        # injected <script> tag would be refused, as it should be).
        page.evaluate(AXE_JS.read_text())
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = result["violations"]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} -> " + ", ".join(n["target"][0] for n in v["nodes"][:3])
            for v in violations
        ]
        assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(summary)
        return violations

    return _check


@pytest.fixture
def shot(request: Any) -> Callable[[Any, str], Path]:
    def _shot(page: Any, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9_-]+", "-", f"{request.node.name}-{name}".lower())
        path = SHOTS / f"{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
