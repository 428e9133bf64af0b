"""Small-number suppression for every figure shown outside a case: one place, one rule.

* A count under ``THRESHOLD`` (5) is never shown: it reads "fewer than 5"; a larger one hidden
  by secondary suppression reads "not shown" (it is not fewer than 5, and saying so would help).
* Secondary suppression: in a table with totals, a line (row or column, its total
  included) never has exactly one hidden cell, so no hidden cell can be worked out by
  subtraction; the next smallest cell in that line is hidden too, until no line gives
  one away.
* No percentage is shown over fewer than 5 people (the denominator), nor one whose
  numerator could be worked out to be a hidden number.
* A change (this period against another) is shown only when both sides are shown.

``Figure`` carries the number (for charts and sorting, never rendered where it is
hidden) and what may be shown. Templates print ``figure.shown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

THRESHOLD = 5
LABEL = "fewer than 5"
NOT_SHOWN = "not shown"  # a percentage or a change withheld


@dataclass(frozen=True)
class Figure:
    """A count and whether it may be shown."""

    value: int
    hidden: bool = False

    @property
    def shown(self) -> str:
        if not self.hidden:
            return f"{self.value:,}"
        # a cell hidden only so that a total cannot give a small one away is not itself small
        return LABEL if is_small(self.value) else NOT_SHOWN

    def __str__(self) -> str:
        return self.shown

    @property
    def sortable(self) -> int:
        """For a bar's height: a hidden figure draws no exact height."""
        return 0 if self.hidden else self.value


def is_small(n: int | None) -> bool:
    return n is not None and n < THRESHOLD


def count(n: int | None) -> Figure:
    """One count on its own: hidden when under 5 (zero included: it is a small number too)."""
    n = int(n or 0)
    return Figure(n, is_small(n))


def suppress(n: int | None) -> str:
    """The text of one count."""
    return count(n).shown


def percent(numerator: int | None, denominator: int | None, *, digits: int = 0) -> str:
    """A percentage, or "not shown" over fewer than 5, or where it would give away a hidden
    number (fewer than 5 people in the numerator or outside it)."""
    d = int(denominator or 0)
    n = int(numerator or 0)
    if d < THRESHOLD:
        return NOT_SHOWN
    if 0 < n < THRESHOLD or 0 < d - n < THRESHOLD:
        # e.g. 1 of 20 (5%) would tell a reader that exactly one person is in the group
        return NOT_SHOWN
    value = round(100 * n / d, digits)
    return f"{value:.{digits}f}%"


def percent_value(numerator: int | None, denominator: int | None) -> float | None:
    """The percentage as a number for charts, or None where ``percent`` would not show it."""
    if percent(numerator, denominator) == NOT_SHOWN:
        return None
    return 100 * int(numerator or 0) / int(denominator or 1)


def change(now: Figure, before: Figure) -> str:
    """The change between two shown figures ("up 12", "down 3", "no change"), else "not shown"."""
    if now.hidden or before.hidden:
        return NOT_SHOWN
    diff = now.value - before.value
    if diff == 0:
        return "no change"
    return f"{'up' if diff > 0 else 'down'} {abs(diff):,}"


def _hide_line(cells: list[list[int]], hidden: list[list[bool]], line: list[tuple[int, int]]) -> bool:
    """If exactly one cell of ``line`` is hidden, hide the smallest shown one too. True if changed."""
    hidden_count = sum(hidden[r][c] for r, c in line)
    if hidden_count != 1:
        return False
    shown = [(cells[r][c], r, c) for r, c in line if not hidden[r][c]]
    if not shown:
        return False
    _, r, c = min(shown)
    hidden[r][c] = True
    return True


def table(cells: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
          ) -> dict[str, Any]:
    """Suppress a table of counts with its totals.

    Returns ``{"cells": [[Figure]], "row_totals": [Figure], "column_totals": [Figure], "total": Figure}``
    where no hidden cell can be worked out from the figures shown.
    """
    rows, cols = len(cells), len(cells[0]) if cells else 0
    # Work on a grid that carries its margins: the last column holds row totals, the last row column totals.
    grid = [list(map(int, row)) + [sum(row)] for row in cells]
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(cols + 1)])
    hidden = [[is_small(v) for v in row] for row in grid]
    if not row_totals:
        for r in range(rows + 1):
            hidden[r][cols] = False
    if not column_totals:
        for c in range(cols + 1):
            hidden[rows][c] = False
    # only a line with its total shown can give a hidden cell away by subtraction
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        lines += [[(r, c) for c in range(cols)] + [(r, cols)] for r in range(rows)]
    if column_totals:
        lines += [[(r, c) for r in range(rows)] + [(rows, c)] for c in range(cols)]
    if row_totals and column_totals:
        lines.append([(rows, c) for c in range(cols + 1)])
        lines.append([(r, cols) for r in range(rows + 1)])
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed |= _hide_line(grid, hidden, line)
    fig = [[Figure(grid[r][c], hidden[r][c]) for c in range(cols + 1)] for r in range(rows + 1)]
    return {
        "cells": [row[:cols] for row in fig[:rows]],
        "row_totals": [row[cols] for row in fig[:rows]],
        "column_totals": fig[rows][:cols],
        "total": fig[rows][cols],
    }


def series(values: Iterable[int], *, with_total: bool = True) -> tuple[list[Figure], Figure]:
    """A list of counts and their total (one line), suppressed together."""
    values = list(values)
    if not values:
        return [], count(0)
    result = table([values], row_totals=with_total, column_totals=False)
    return result["cells"][0], result["row_totals"][0]
