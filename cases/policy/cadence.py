"""When the next action on a case is due.

``action_cadence`` is THE rule (Paradigm: an action every 7 days on a safeguarding case,
every 14 on a wellbeing or welfare case, both set per organisation). Every due date and
every sentence that states the rule comes from it: the first action after a report, the
limit on an action's "next due", a change of type, a reopening, the forms' hints. To count
working days instead, return ``Cadence(..., working_days=True)`` there.

A concern reported with someone at immediate risk needs its first action sooner: by the end
of the organisation's ``immediate_risk_action_working_days`` working day (1: the next working
day), whichever comes first. The allocation queue shows those concerns first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.tenancy.models import Organisation
from safeguard.tenancy.workdays import add_working_days

from ..models import Case, ConcernType

# The allocation queue (triage page and home panel): immediate risk first, then oldest first.
ALLOCATION_ORDER = ("-immediate_risk", "reported_at")


@dataclass(frozen=True)
class Cadence:
    """``days`` (calendar or working) allowed between one action and the next."""

    days: int
    working_days: bool = False

    def after(self, day: date) -> date:
        """The last day the next action may be due when the previous one was on ``day``."""
        if self.working_days:
            return add_working_days(day, self.days)
        return day + timedelta(days=self.days)

    def __str__(self) -> str:
        kind = "working day" if self.working_days else "day"
        return f"{self.days} {kind}{'' if self.days == 1 else 's'}"


def action_cadence(org: Organisation, concern_type: str) -> Cadence:
    """THE action rule of a case of ``concern_type`` in ``org``."""
    if concern_type == ConcernType.WOW:
        return Cadence(org.action_interval_wow_days)
    return Cadence(org.action_interval_safeguarding_days)


def case_cadence(case: Case) -> Cadence:
    return action_cadence(case.organisation, case.concern_type)


def first_action_due(org: Organisation, *, concern_type: str, immediate_risk: bool, reported_on: date) -> date:
    """When the first action on a new concern is due."""
    due = action_cadence(org, concern_type).after(reported_on)
    if immediate_risk:
        due = min(due, add_working_days(reported_on, org.immediate_risk_action_working_days))
    return due


def next_due_limit(case: Case, taken_on: date) -> date:
    """The latest "next action due" an action taken on ``taken_on`` may set."""
    return case_cadence(case).after(taken_on)


def due_after_type_change(case: Case, *, reported_on: date, last_action: tuple[date, date] | None) -> date:
    """The next action's due date after the type changed: the new cadence from the last action
    ``(taken_on, next_due)`` (or from the report), never later than that action already set."""
    if last_action is None:
        return first_action_due(case.organisation, concern_type=case.concern_type,
                                immediate_risk=case.immediate_risk, reported_on=reported_on)
    taken_on, next_due = last_action
    return min(next_due, next_due_limit(case, taken_on))


def due_after_reopen(case: Case, today: date) -> date:
    return next_due_limit(case, today)
