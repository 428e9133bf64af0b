"""Which roles hold and see cases.

``CASE_ROLES`` decides who may open the case list and who has "Cases" in the navigation;
``OFFICER_ROLES`` who may be allocated a case (an allegation against a colleague goes to
the People and Culture Director, HR or a case manager).
"""

from __future__ import annotations

from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role

from ..models import Case
from .management import MANAGER_ROLES

CASE_ROLES: frozenset[str] = frozenset({Role.CASE_OFFICER, Role.NSO}) | MANAGER_ROLES
# Hold cases of their own ("My cases").
HOLDER_ROLES: frozenset[str] = frozenset({Role.CASE_OFFICER, Role.CASE_MANAGER})
OFFICER_ROLES: tuple[str, ...] = (Role.CASE_OFFICER, Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR)
ALLEGATION_OFFICER_ROLES: tuple[str, ...] = (Role.PEOPLE_DIRECTOR, Role.HR_LD, Role.CASE_MANAGER)


def may_open_case_list(membership: Membership) -> bool:
    return membership.has_role(*CASE_ROLES)


def may_triage(membership: Membership) -> bool:
    """The allocation queue is for the managers (of some cases)."""
    return membership.has_role(*MANAGER_ROLES)


def officer_roles_for(case: Case) -> tuple[str, ...]:
    return ALLEGATION_OFFICER_ROLES if case.is_colleague_allegation else OFFICER_ROLES


def lead_role(case: Case) -> str:
    """The case's lead: the Safeguarding Manager (the People and Culture Director for an allegation)."""
    return Role.PEOPLE_DIRECTOR if case.is_colleague_allegation else Role.SAFEGUARDING_MANAGER


def is_case_lead(case: Case, membership: Membership) -> bool:
    """Sees who opened the case and names people who may see it."""
    return membership.has_role(lead_role(case))


def may_see_viewing_log(membership: Membership) -> bool:
    """The organisation's log of case openings (allegations left out) is the Safeguarding Manager's."""
    return membership.has_role(Role.SAFEGUARDING_MANAGER)
