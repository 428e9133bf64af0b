"""The "needs you now" list at the top of each role's home page (issue 12.7).

Each app registers a function giving the signed-in member's items (``register_needs``), each with
a bucket: ``overdue`` (oldest first), then ``today``, then ``new`` (newest first). The home page
merges them into one list in that order; an item appears once, keyed by the page it links to, so a
notification about a case already listed (as overdue, or to allocate) is not shown again. Every source runs a fixed
number of queries and returns at most ``LIMIT`` items.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from safeguard.tenancy.access import OrgRequest, TenantRequest

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
        """The record the item is about: its URL up to the first id (``/cases/59/allocate/`` -> ``/cases/59/``)."""
        parts = []
        for part in self.url.split("#", 1)[0].split("?", 1)[0].split("/"):
            parts.append(part)
            if part.isdigit():
                break
        return "/".join(parts).rstrip("/") + "/"


@dataclass(frozen=True)
class Source:
    func: Callable[[OrgRequest], list[Need]]
    roles: frozenset[str] | None
    order: int
    covers: frozenset[str] = frozenset()  # notification kinds this source lists from the live state




SOURCES: list[Source] = []


def register_needs(func: Callable[[OrgRequest], list[Need]], *, roles: Collection[str] | None = None,
                   order: int = 50, covers: tuple[str, ...] = ()) -> None:
    """Add a source of items. ``covers``: notification kinds not listed again for members this source
    runs for (it shows the same work from the records themselves, so an already-done one drops out)."""
    if any(s.func.__module__ == func.__module__ and s.func.__name__ == func.__name__ for s in SOURCES):
        return
    SOURCES.append(Source(func, frozenset(roles) if roles else None, order, frozenset(covers)))
    SOURCES.sort(key=lambda s: s.order)


def _sort_key(need: Need) -> tuple[Any, ...]:
    if need.bucket == NEW:
        return (ORDER[NEW], not need.urgent, -(need.at.timestamp() if need.at else 0))
    return (ORDER[need.bucket], not need.urgent, need.due or date.max)


def _active(request: OrgRequest) -> list[Source]:
    membership = request.membership
    return [s for s in SOURCES if s.roles is None or membership.has_role(*s.roles)]


def covered_kinds(request: OrgRequest) -> set[str]:
    """Notification kinds whose work the member's sources already list (for the notifications source)."""
    return {kind for source in _active(request) for kind in source.covers}


def needs_for(request: TenantRequest) -> list[Need]:
    if getattr(request, "membership", None) is None:
        return []
    member = cast("OrgRequest", request)
    found: list[Need] = []
    for source in _active(member):
        found.extend(source.func(member))
    # One item per record: the most pressing of the work items, and a notification only where no work
    # item already leads to that record.
    found.sort(key=_sort_key)
    seen: set[str] = set()
    kept: list[Need] = []
    for need in sorted(found, key=lambda n: bool(n.post_url)):  # stable: work items first, in order
        if need.key in seen:
            continue
        seen.add(need.key)
        kept.append(need)
    return sorted(kept, key=_sort_key)
