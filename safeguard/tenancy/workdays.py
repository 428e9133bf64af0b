"""Working days in England and Wales, counting bank holidays from the ``holidays`` library.

England and Wales share the same bank holidays; ``holidays`` files them under the
subdivision "ENG" (and "WLS", which is identical; the tests check that). Pure
functions: no database, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not an England and Wales bank holiday (or its substitute day)."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts).

    A decision on Friday with one working day allowed is due on Monday, or on
    Tuesday when Monday is a bank holiday.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count
