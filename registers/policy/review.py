"""The monthly rules of a register (Wolverhampton policy 5.1.5: the NSO updates the register monthly).

* Every open entry needs an update each calendar month (Europe/London).
* The DSL reviews and signs off each register each month; a month may still be signed off in the
  next month, so this month and last month are reviewable.
* A review covers the entries open during its month.
* A month is missed when it ends unsigned; months missed in a row count back to the register's first.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone

from ..models import Entry, EntryStatus, Register


def month_start(day: date) -> date:
    return day.replace(day=1)


def this_month(today: date | None = None) -> date:
    """The first day of the current calendar month in Europe/London."""
    return month_start(today or timezone.localdate())


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after ``month``'s."""
    return month_start(month) + relativedelta(months=n)


def reviewable_months(today: date | None = None) -> list[date]:
    """This month and last month (a month can be signed off on the first days of the next)."""
    current = this_month(today)
    return [current, add_months(current, -1)]


def entries_in_review(register: Register, month: date) -> QuerySet[Entry]:
    """Open entries that were on the register during ``month``."""
    return register.entries.filter(status=EntryStatus.OPEN, opened_on__lt=add_months(month, 1))


def months_missed(signed: set[date], created: date, current: date) -> int:
    """Whole months before ``current``, back to the register's first, without a signed review, in a row."""
    missed, month = 0, add_months(current, -1)
    while month >= created.replace(day=1) and month not in signed:
        missed += 1
        month = add_months(month, -1)
    return missed
