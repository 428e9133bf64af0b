"""The one-month time limit (UK GDPR art. 12(3), ICO guidance) and its extension, in ``policy.py``."""

from __future__ import annotations

from datetime import date

import pytest

from governance.subject_access import policy


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 1, 31), date(2027, 3, 1)),  # 28 Feb 2027 is a Sunday: the next working day
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year: the last day of February (a Tuesday)
        (date(2026, 1, 31), date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday: Monday 2 March
        (date(2026, 11, 20), date(2026, 12, 21)),  # 20 Dec is a Sunday
        (date(2026, 10, 13), date(2026, 11, 13)),  # the corresponding day
        (
            date(2026, 11, 25),
            date(2026, 12, 29),
        ),  # 25 Dec; then Christmas, Boxing Day (28th substitute) fall away
    ],
)
def test_it_gives_one_calendar_month_from_receipt(received, due):
    assert policy.deadline(received) == due


def test_it_counts_from_the_later_identity_check_or_fee():
    assert policy.deadline(date(2026, 10, 1), identity_verified_on=date(2026, 10, 14)) == date(2026, 11, 16)
    assert policy.deadline(
        date(2026, 10, 1), identity_verified_on=date(2026, 10, 5), fee_received_on=date(2026, 10, 12)
    ) == date(2026, 11, 12)


def test_it_extends_by_up_to_two_further_months():
    assert policy.deadline(date(2026, 10, 13), extension_months=2) == date(2027, 1, 13)
    # 30 April has no 31st: 31 May; that is the spring bank holiday, so 1 June
    assert policy.deadline(date(2027, 3, 31), extension_months=1) == date(2027, 6, 1)
    with pytest.raises(ValueError):
        policy.deadline(date(2026, 10, 13), extension_months=3)


def test_it_warns_a_week_before_and_after_the_deadline():
    today = date(2026, 12, 1)
    assert policy.deadline_state(date(2026, 12, 8), today) == "near"
    assert policy.deadline_state(date(2026, 12, 9), today) == ""
    assert policy.deadline_state(date(2026, 11, 30), today) == "overdue"
    assert policy.deadline_state(date(2026, 11, 30), today, closed=True) == ""
