"""Issue 12.1: every link a person is shown works for them.

The demo organisations are seeded (``seed_demo``'s data); then, as every role of every demo
organisation, the test follows same-site links from the home page (GET only, a bounded number per
kind of page) and fails on any link that answers 403 or 404 (or 405, or an error).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from safeguard.tenancy.demo import seed_all

HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"#]*)", re.IGNORECASE)
SKIP_PREFIXES = ("/logout", "/platform-admin", "/static", "/media", "/health")
PER_KIND = 1  # distinct URLs visited per URL name (and query shape), per person
MAX_PAGES = 50  # per person


def _kind(path: str, query: str) -> str:
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = path
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return f"{name}?{','.join(keys)}"


def crawl(client: Client) -> tuple[list[str], int]:
    """The dead links met, as 'status url (linked from page)', and how many pages were opened."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "sign-in")])
    dead: list[str] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        url, source = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(parts.path, parts.query)
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        pages += 1
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 - an error page is a dead end too
            dead.append(f"error {type(exc).__name__}: {exc} at {url} (from {source})")
            continue
        if response.status_code in (403, 404, 405) or response.status_code >= 500:
            dead.append(f"{response.status_code} {url} (from {source})")
            continue
        if response.status_code in (301, 302):
            queue.appendleft((urljoin(url, response["Location"]), source))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            queue.append((urljoin(url, unescape(href)), url))
    return dead, pages


@pytest.mark.django_db
def test_it_shows_no_link_that_answers_403_or_404_to_any_role_of_any_demo_organisation() -> None:
    demos, both = seed_all()
    people = {}  # type: ignore[var-annotated]
    for demo in demos:
        for key, user in demo.people.items():  # one person per role (the further area DSLs are alike)
            if user not in people.values():
                people[f"{demo.org.slug}:{key}"] = user
    people["both"] = both
    problems: list[str] = []
    total = 0
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        dead, pages = crawl(client)
        total += pages
        assert pages > 3, f"{who} could open only {pages} pages"
        problems += [f"{who} ({user.email}): {d}" for d in dead]
    assert not problems, f"{len(problems)} dead links in {total} pages:\n" + "\n".join(problems)
