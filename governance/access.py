"""Who sees and changes which governance record (issue 9, item 9).

* The Safeguarding Manager keeps every record.
* Case managers and DSLs run audits of their areas (``audits.py`` in this package's views).
* Anyone named on a record (owner, lead, a group's member) sees it and updates it.
* Everyone but board members may read the policies register.
* Board members read aggregate views only (the board dashboard): no governance record page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.tenancy.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from safeguard.tenancy.models import Membership

KEEPERS = frozenset({Role.SAFEGUARDING_MANAGER})
AUDITORS = frozenset({Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DSL})


def is_keeper(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(*KEEPERS)


def board_only(membership: Membership | None) -> bool:
    """Holds no role but board member: sees aggregate figures only, never a record with a name."""
    if membership is None:
        return True
    roles = set(membership.grants)
    return not roles or roles == {Role.BOARD_MEMBER}


def require_governance_member(request: HttpRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if board_only(membership):
        raise PermissionDenied
    return membership  # type: ignore[return-value]


def require_record_reader(request: HttpRequest) -> Membership:
    """On a record's page: a board member (or anyone with no governance record) gets 404, as for a missing id."""
    membership = getattr(request, "membership", None)
    if board_only(membership):
        raise Http404
    return membership  # type: ignore[return-value]


def require_keeper(request: HttpRequest) -> Membership:
    membership = require_governance_member(request)
    if not is_keeper(membership):
        raise PermissionDenied
    return membership
