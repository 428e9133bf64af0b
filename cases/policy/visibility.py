"""Who sees a case and who may write on it.

* The reporter sees only the "received" page of their own concern (not here).
* The allocated officer sees and works their cases.
* The managers of a case (``management.MANAGERS``) see and manage it: case managers the
  cases of the areas/departments their role covers, the Safeguarding Manager every case
  except allegations against a colleague, the People and Culture Director those allegations.
* Named Senior Officers see their department's safeguarding cases (to put them on registers), read only.
* Anyone named on a case (``CaseAccessGrant``) sees it; edits only if the grant says so.
* Board members and everyone else: nothing.

Imports ``management`` (the managers see what they manage); ``management`` never imports this.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from safeguard.tenancy.models import Membership, Organisation
from safeguard.tenancy.roles import Role

from ..models import Case, CaseAccessGrant, ConcernType
from .management import NOT_ALLEGATION, can_manage, covers_q, managed_q


def _granted_case_ids(membership: Membership, *, editing: bool = False) -> QuerySet[CaseAccessGrant, Any]:
    grants = CaseAccessGrant.objects.for_org(membership.organisation_id).filter(
        user_id=membership.user_id, revoked_at__isnull=True
    )
    if editing:
        grants = grants.filter(can_edit=True)
    return grants.values("case_id")


def visible_q(membership: Membership) -> Q:
    """The filter of cases this membership may see."""
    q = Q(allocated_to_id=membership.user_id) | Q(pk__in=_granted_case_ids(membership))
    managed = managed_q(membership)
    if managed is not None:
        q |= managed
    nso = membership.grants.get(Role.NSO)
    if nso is not None:
        q |= NOT_ALLEGATION & Q(concern_type=ConcernType.SAFEGUARDING) & covers_q(nso)
    return q


def visible_cases(org: Organisation, membership: Membership | None) -> QuerySet[Case]:
    """Every case of ``org`` that ``membership`` may open. Empty for no membership."""
    qs = Case.objects.for_org(org)
    if membership is None or membership.organisation_id != org.pk or not membership.is_active:
        return qs.none()
    return qs.filter(visible_q(membership), destroyed_at__isnull=True)


def managed_cases(org: Organisation, membership: Membership) -> QuerySet[Case]:
    """Cases this membership manages: triage, allocation, closure."""
    managed = managed_q(membership)
    qs = Case.objects.for_org(org).filter(destroyed_at__isnull=True)
    return qs.filter(managed) if managed is not None else qs.none()


def can_see(case: Case, membership: Membership | None) -> bool:
    """The per-object form of ``visible_q`` (one query at most)."""
    if membership is None or not membership.is_active or membership.organisation_id != case.organisation_id:
        return False
    if case.destroyed_at is not None:  # destroyed under the retention schedule: a skeleton nobody opens
        return False
    if case.allocated_to_id == membership.user_id or can_manage(case, membership):
        return True
    nso = membership.grants.get(Role.NSO)
    if (nso is not None and not case.is_colleague_allegation and case.concern_type == ConcernType.SAFEGUARDING
            and nso.covers(area_id=case.area_id, department_id=case.department_id)):
        return True
    return case.access_grants.filter(user_id=membership.user_id, revoked_at__isnull=True).exists()


def can_write(case: Case, membership: Membership) -> bool:
    """May record actions, addenda and attachments on the case (it must also be visible)."""
    if case.allocated_to_id == membership.user_id or can_manage(case, membership):
        return True
    return case.access_grants.filter(user_id=membership.user_id, revoked_at__isnull=True, can_edit=True).exists()
