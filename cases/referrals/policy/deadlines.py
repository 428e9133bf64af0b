"""When a referral is due (Paradigm: an alert is made within one working day of the decision).

* The alert is due ``alert_deadline_working_days`` working days after the decision to refer
  (weekends and England and Wales bank holidays do not count).
* A response is overdue ``referral_response_days`` calendar days after the referral was made.
"""

from __future__ import annotations

from datetime import date, timedelta

from safeguard.tenancy.models import Organisation
from safeguard.tenancy.workdays import add_working_days


def alert_due_by(org: Organisation, decided_on: date) -> date:
    return add_working_days(decided_on, org.alert_deadline_working_days)


def response_due_by(org: Organisation, made_on: date) -> date:
    return made_on + timedelta(days=org.referral_response_days)
