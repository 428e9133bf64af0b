"""The "needs you now" list at the top of each role's home page (issue 12.7).

Each app registers a function giving the signed-in member's items (``register_needs``), each with
a bucket: ``overdue`` (oldest first), then ``today``, then ``new`` (newest first). The home page
merges them into one list in that order; an item appears once, keyed by the page it links to, so a
notification about a case already listed as overdue is not shown again. Every source runs a fixed
number of queries and returns at most ``LIMIT`` items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest

OVERDUE, TODAY, NEW = "overdue", "today", "new"
ORDER = {OVERDUE: 0, TODAY: 1, NEW: 2}
LABELS = {OVERDUE: "Overdue", TODAY: "Due today", NEW: "New"}
LIMIT = 10


@dataclass
class Need:
    bucket: str
    title: str
    url: str
    detail: str = ""
    due: date | None = None  # overdue and today: when it was due
    at: datetime | None = None  # new: when it arrived
    post_url: str = ""  # open by POST (a notification, which is then marked read)
    urgent: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.bucket]

    @property
    def key(self) -> str:
        return self.url.split("#", 1)[0]


@dataclass(frozen=True)
class Source:
    func: Callable[[HttpRequest], list[Need]]
    roles: frozenset[str] | None
    order: int


SOURCES: list[Source] = []


def register_needs(func: Callable[[HttpRequest], list[Need]], *, roles: set[str] | None = None,
                   order: int = 50) -> None:
    if any(s.func.__module__ == func.__module__ and s.func.__name__ == func.__name__ for s in SOURCES):
        return
    SOURCES.append(Source(func, frozenset(roles) if roles else None, order))
    SOURCES.sort(key=lambda s: s.order)


def _sort_key(need: Need) -> tuple[Any, ...]:
    if need.bucket == NEW:
        return (ORDER[NEW], not need.urgent, -(need.at.timestamp() if need.at else 0))
    return (ORDER[need.bucket], not need.urgent, need.due or date.max)


def needs_for(request: HttpRequest) -> list[Need]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    found: list[Need] = []
    for source in SOURCES:
        if source.roles is None or membership.has_role(*source.roles):
            found.extend(source.func(request))
    found.sort(key=_sort_key)
    seen: set[str] = set()
    result = []
    for need in found:  # most pressing first, so a later duplicate (a notification) is the one dropped
        if need.key in seen:
            continue
        seen.add(need.key)
        result.append(need)
    return result
