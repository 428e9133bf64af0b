"""The working-day deadline for alerts: weekends and England and Wales bank holidays do not count."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from safeguard.tenancy.workdays import add_working_days, is_working_day, working_days_between


def test_it_treats_england_and_wales_bank_holidays_as_the_same() -> None:
    years = range(2024, 2031)
    eng = holidays.country_holidays("GB", subdiv="ENG", years=years)
    wls = holidays.country_holidays("GB", subdiv="WLS", years=years)
    assert set(eng) == set(wls)


@pytest.mark.parametrize(("decided", "due"), [
    (date(2026, 11, 23), date(2026, 11, 24)),  # Monday -> Tuesday
    (date(2026, 11, 20), date(2026, 11, 23)),  # Friday -> Monday
    (date(2026, 11, 21), date(2026, 11, 23)),  # Saturday -> Monday
    (date(2026, 11, 22), date(2026, 11, 23)),  # Sunday -> Monday
    (date(2026, 8, 28), date(2026, 9, 1)),     # Friday before the late summer bank holiday -> Tuesday
    (date(2026, 5, 1), date(2026, 5, 5)),      # Friday before early May bank holiday -> Tuesday
    (date(2026, 4, 2), date(2026, 4, 7)),      # Thursday before Good Friday -> Tuesday after Easter Monday
    (date(2026, 4, 3), date(2026, 4, 7)),      # Good Friday itself -> Tuesday
    (date(2026, 12, 24), date(2026, 12, 29)),  # Christmas Eve -> Tuesday (Christmas Fri, Boxing Day on Mon 28)
    (date(2027, 12, 24), date(2027, 12, 29)),  # Christmas and Boxing Day at a weekend -> Mon and Tue substitute
    (date(2026, 12, 31), date(2027, 1, 4)),    # New Year's Eve (Thursday) -> Monday after New Year's Day
])
def test_it_gives_one_working_day_after_the_decision(decided: date, due: date) -> None:
    assert add_working_days(decided, 1) == due


def test_it_counts_several_working_days_over_a_bank_holiday() -> None:
    # Thursday 2 April 2026 + 3 working days: skips Good Friday, the weekend and Easter Monday.
    assert add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 9)


def test_it_gives_the_same_day_for_zero_working_days() -> None:
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 21)


def test_it_refuses_negative_days() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), -1)


def test_it_knows_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert not is_working_day(date(2026, 11, 22))  # Sunday
    assert is_working_day(date(2026, 12, 29))


def test_it_counts_working_days_between_two_dates() -> None:
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
