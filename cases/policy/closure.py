"""Closing and reopening a case (Paradigm: closure is authorised by a manager after checking
the notes, actions and referrals).

* Whoever may write on an allocated case (its officer, its managers, an editing grant) may ask to
  close it, once at least one action is recorded.
* A manager of the case (``management.can_manage``) decides, but never on their own request.
* A manager of the case may reopen a closed case.

The ``check_*`` functions raise the error the user is shown; the ``may_*`` ones answer the pages'
"show this button?" with the same rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.tenancy.models import Membership

from ..models import Case, CaseStatus
from .management import can_manage
from .visibility import can_write


def check_request_closure(case: Case) -> None:
    if case.status != CaseStatus.ALLOCATED:
        raise ValidationError("Only an allocated, open case can be put forward for closure.")
    if not case.actions.exists():
        raise ValidationError("Record at least one action before asking to close the case.")


def check_decide_closure(case: Case, membership: Membership) -> None:
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError("Nobody has asked to close this case.")
    if not can_manage(case, membership):
        raise PermissionDenied("Only a manager of this case can decide on its closure.")
    if case.closure_requested_by_id == membership.user_id:
        raise ValidationError("You asked for this case to be closed, so another manager must decide.")


def check_reopen(case: Case, membership: Membership) -> None:
    if case.status != CaseStatus.CLOSED:
        raise ValidationError("Only a closed case can be reopened.")
    if not can_manage(case, membership):
        raise PermissionDenied


def may_request_closure(case: Case, membership: Membership) -> bool:
    return case.status == CaseStatus.ALLOCATED and can_write(case, membership)


def may_decide_closure(case: Case, membership: Membership) -> bool:
    return case.status == CaseStatus.CLOSURE_REQUESTED and can_manage(case, membership)


def may_reopen(case: Case, membership: Membership) -> bool:
    return case.status == CaseStatus.CLOSED and can_manage(case, membership)
