"""The rules of subject access, rectification and erasure requests (UK GDPR arts. 12, 15-17; DPA 2018).

Everything else (views, templates, jobs, the panel) asks these functions and never restates them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef

from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role
from safeguard.tenancy.workdays import is_working_day

if TYPE_CHECKING:
    from cases.models import Case
    from safeguard.tenancy.models import User

    from .models import Request

RESPONSE_MONTHS = 1  # art. 12(3): "without undue delay and in any event within one month of receipt"
MAX_EXTENSION_MONTHS = 2  # art. 12(3): "extended by two further months where necessary"
NEAR_DEADLINE_DAYS = 7  # the Data Privacy Manager is told a week before the deadline


HANDLER_ROLES = (Role.DATA_PRIVACY_MANAGER,)


def may_handle_requests(membership: Membership | None) -> bool:
    """Who records, sees and answers requests: the Data Privacy Manager and the members they name
    (``governance.privacy.policy.may_handle_privacy``: one rule for every data-protection page)."""
    from governance.privacy.policy import may_handle_privacy

    return may_handle_privacy(membership)


def dangerously_handlers_of(org_ids: set[int]) -> dict[int, set[int]]:
    """The user ids, per organisation, who ``may_handle_requests``: the Data Privacy Managers and their
    delegates with an active membership, in two queries, for the daily flags.

    Crosses organisations on purpose (the flag job runs for all of them); never used by a view."""
    from governance.privacy.models import Delegate
    from safeguard.tenancy.models import Membership as MembershipModel
    from safeguard.tenancy.models import RoleAssignment

    found: dict[int, set[int]] = {}
    for org_id, user_id in RoleAssignment.all_orgs.filter(
        role__in=HANDLER_ROLES,
        membership__is_active=True,
        organisation_id__in=org_ids,
    ).values_list("organisation_id", "membership__user_id"):
        found.setdefault(org_id, set()).add(user_id)
    active = MembershipModel.all_orgs.filter(
        organisation_id=OuterRef("organisation_id"), user_id=OuterRef("user_id"), is_active=True
    )
    for org_id, user_id in (
        Delegate.all_orgs.filter(organisation_id__in=org_ids).filter(Exists(active))
        .values_list("organisation_id", "user_id")
    ):
        found.setdefault(org_id, set()).add(user_id)
    return found


def clock_starts(
    received_on: date, identity_verified_on: date | None = None, fee_received_on: date | None = None
) -> date:
    """The time limit runs from receipt, or from the later day the identity was verified or a fee was paid
    (ICO guidance: the clock starts once the organisation has what it asked for)."""
    return max(d for d in (received_on, identity_verified_on, fee_received_on) if d is not None)


def deadline(
    received_on: date,
    *,
    identity_verified_on: date | None = None,
    fee_received_on: date | None = None,
    extension_months: int = 0,
) -> date:
    """The last day to respond: the corresponding calendar day one month (plus any extension) after the clock
    starts; the last day of that month where it has no such day (31 January -> 28/29 February); moved to the
    next working day when it falls on a weekend or an England and Wales bank holiday (ICO guidance)."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"An extension is of at most {MAX_EXTENSION_MONTHS} further months")
    day = clock_starts(received_on, identity_verified_on, fee_received_on) + relativedelta(
        months=RESPONSE_MONTHS + extension_months
    )
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline_state(due_on: date | None, today: date, *, closed: bool = False) -> str:
    """ "overdue", "near" (within a week) or "" for a request answered or comfortably in time."""
    if closed or due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    if due_on <= today + timedelta(days=NEAR_DEADLINE_DAYS):
        return "near"
    return ""


# Standard reasons a safeguarding record is not erased (art. 17(3), DPA 2018 Sch. 1 and 2).
ERASURE_EXEMPTIONS = [
    ("legal_obligation", "Kept to meet a legal obligation (art. 17(3)(b)): statutory safeguarding duties"),
    ("safeguarding", "Safeguarding of children and individuals at risk (DPA 2018 Sch. 1 para. 18)"),
    ("legal_claims", "Needed for the establishment, exercise or defence of legal claims (art. 17(3)(e))"),
    (
        "inquiry",
        "Covered by an inquiry or review that asked for records to be kept (e.g. IICSA, a case review)",
    ),
    (
        "public_interest",
        "Public interest or official authority (art. 17(3)(b)), e.g. a local authority's duty",
    ),
    ("retention", "Within its retention period under the organisation's retention schedule"),
]
# Standard reasons for withholding or redacting (DPA 2018 Sch. 2 and 3).
WITHHOLDING_REASONS = [
    "third party: reporter's identity",
    "third party: information about another person",
    "could cause serious harm (DPA 2018 Sch.3)",
    "prevention or detection of crime (DPA 2018 Sch.2 para.2)",
    "legal professional privilege (DPA 2018 Sch.2 para.19)",
    "child abuse data not in the child's best interests (DPA 2018 Sch.3 para.21)",
]


def check_rectification(request: Request, case: Case, user: User) -> None:
    """A correction under a rectification request: the request is open, accepted (in full or in part), of the
    case's organisation, and the person writing it may handle requests there. Raises ``PermissionDenied``."""
    from django.core.exceptions import PermissionDenied

    from .models import Decision, Kind

    ok = (
        getattr(request, "kind", None) == Kind.RECTIFICATION
        and request.is_open
        and request.decision in (Decision.ACCEPTED, Decision.PARTLY)
        and request.organisation_id == case.organisation_id
        and may_handle_requests(
            Membership.objects.for_org(case.organisation_id).filter(user=user, is_active=True).first()
        )
    )
    if not ok:
        raise PermissionDenied("Only an accepted rectification request lets its handler correct this record.")
