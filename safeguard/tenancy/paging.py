"""A pager for long lists that never counts more rows than it needs (issue 11).

Django's ``Paginator`` counts every matching row to show "Page 3 of 4,000", which at 100,000 cases reads
them all on every request. ``capped_page`` counts at most ``CAP`` rows past the page asked for
(``SELECT count(*) FROM (… LIMIT n)``), so the cost is that of the page, not of the list: a list longer
than that says "more than 1,025 cases" and "Page 2 of 42 or more", and its Next link keeps working.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.core.paginator import Page, Paginator

CAP = 1000

if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class CappedPaginator(_Paginator):
    """A ``Paginator`` whose ``count`` stops at ``limit`` rows; ``capped`` says there are more."""

    def __init__(self, object_list: Any, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted: int = cast(Any, self.object_list).order_by()[: self.limit + 1].count()
        self.capped = counted > self.limit
        return min(counted, self.limit)

    @property
    def count_shown(self) -> str:
        """The count as text with thousands separated ("1,025")."""
        return f"{self.count:,}"


def capped_page(object_list: Any, per_page: int, number: Any, cap: int | None = None) -> Page[Any]:
    """The page ``number`` (as ``Paginator.get_page``: a bad number gives the first or the last page)."""
    cap = CAP if cap is None else cap
    try:
        wanted = min(max(1, int(number)), 100_000)
    except (TypeError, ValueError):
        wanted = 1
    paginator = CappedPaginator(object_list, per_page, limit=wanted * per_page + cap)
    return paginator.get_page(number)
