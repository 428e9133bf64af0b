"""THE one place that decides who sees and who may change which case.

* The reporter sees only the "received" page of their own concern (not here).
* The allocated officer sees and works their cases.
* Case managers see and manage cases of the areas/departments their role covers.
* The Safeguarding Manager sees and manages every case except allegations against a colleague.
* The People and Culture Director sees and manages allegations against a colleague.
* Named Senior Officers see their department's safeguarding cases (to put them on registers), read only.
* Anyone named on a case (``CaseAccessGrant``) sees it; edits only if the grant says so.
* Board members and everyone else: nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from safeguard.tenancy.roles import Grant, Role

from .models import Case, CaseAccessGrant, ConcernType

if TYPE_CHECKING:
    from django.http import HttpRequest

    from safeguard.tenancy.models import Membership, Organisation

NOT_ALLEGATION = Q(is_colleague_allegation=False)


def _covers_q(grant: Grant) -> Q:
    q = Q()
    if grant.area_ids is not None:
        q &= Q(area_id__in=grant.area_ids)
    if grant.department_ids is not None:
        q &= Q(department_id__in=grant.department_ids)
    return q


def managed_q(membership: Membership) -> Q | None:
    """Cases this membership manages (allocates, authorises closure), as a filter; None for none."""
    grants = membership.grants
    parts: list[Q] = []
    if Role.SAFEGUARDING_MANAGER in grants:
        parts.append(NOT_ALLEGATION)
    if Role.PEOPLE_DIRECTOR in grants:
        parts.append(Q(is_colleague_allegation=True))
    if Role.CASE_MANAGER in grants:
        parts.append(NOT_ALLEGATION & _covers_q(grants[Role.CASE_MANAGER]))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _granted_case_ids(membership: Membership, *, editing: bool = False) -> QuerySet[CaseAccessGrant]:
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
        q |= NOT_ALLEGATION & Q(concern_type=ConcernType.SAFEGUARDING) & _covers_q(nso)
    return q


def visible_cases(org: Organisation, membership: Membership | None) -> QuerySet[Case]:
    """Every case of ``org`` that ``membership`` may open. Empty for no membership."""
    qs = Case.objects.for_org(org)
    if membership is None or membership.organisation_id != org.pk or not membership.is_active:
        return qs.none()
    return qs.filter(visible_q(membership))


def managed_cases(org: Organisation, membership: Membership) -> QuerySet[Case]:
    """Cases this membership manages: triage, allocation, closure."""
    managed = managed_q(membership)
    qs = Case.objects.for_org(org)
    return qs.filter(managed) if managed is not None else qs.none()


def can_manage(case: Case, membership: Membership) -> bool:
    grants = membership.grants
    if case.is_colleague_allegation:
        return Role.PEOPLE_DIRECTOR in grants
    if Role.SAFEGUARDING_MANAGER in grants:
        return True
    grant = grants.get(Role.CASE_MANAGER)
    return grant is not None and grant.covers(area_id=case.area_id, department_id=case.department_id)


def can_write(case: Case, membership: Membership) -> bool:
    """May record actions, addenda and attachments on the case (it must also be visible)."""
    if case.allocated_to_id == membership.user_id or can_manage(case, membership):
        return True
    return case.access_grants.filter(user_id=membership.user_id, revoked_at__isnull=True, can_edit=True).exists()


def access_case(request: HttpRequest, pk: int, *, write: bool = False) -> Case:
    """The case if visible (else 404); 403 when visible but ``write`` is asked and not allowed."""
    membership = getattr(request, "membership", None)
    qs = visible_cases(request.org, membership).select_related(  # type: ignore[attr-defined]
        "area", "department", "reported_by", "allocated_to", "organisation"
    )
    case = get_object_or_404(qs, pk=pk)
    if write and not can_write(case, membership):  # type: ignore[arg-type]
        raise PermissionDenied
    return case
