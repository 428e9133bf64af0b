"""Who sees whose records: HR and safeguarding leads everyone, a line manager their team,
a person their own, board members the percentages only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role

from .models import Person

VIEW_ALL = (Role.HR_LD, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)
MANAGE = (Role.HR_LD,)  # add and change people and records, import, see DBS numbers
SETTINGS = (Role.HR_LD, Role.ORG_ADMIN)  # job roles and courses
PUBLISH = (Role.HR_LD, Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)
FIGURES = (*VIEW_ALL, Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR)


def my_person(request: OrgRequest) -> Person | None:
    """The Person record of the signed-in member (cached on the request)."""
    if not hasattr(request, "_training_person"):
        request._training_person = (  # type: ignore[attr-defined]
            Person.objects.for_org(request.org).filter(membership=request.membership)
            .select_related("job_role", "department").first()
        )
    return request._training_person  # type: ignore[attr-defined]


def sees_all(request: OrgRequest) -> bool:
    return request.membership.has_role(*VIEW_ALL)


def can_manage(request: OrgRequest) -> bool:
    return request.membership.has_role(*MANAGE)


def team_of(request: OrgRequest) -> QuerySet[Person]:
    """The people who report to the signed-in member."""
    me = my_person(request)
    qs = Person.objects.for_org(request.org)
    return qs.filter(line_manager=me, is_active=True) if me else qs.none()


def is_line_manager(request: OrgRequest) -> bool:
    """Whether anyone active reports to the signed-in member (one query, cached on the request)."""
    if not hasattr(request, "_training_manages"):
        request._training_manages = (  # type: ignore[attr-defined]
            Person.objects.for_org(request.org)
            .filter(line_manager__membership=request.membership, is_active=True).exists()
        )
    return request._training_manages  # type: ignore[attr-defined]


def visible_people(request: OrgRequest) -> QuerySet[Person]:
    """Everyone for HR and leads; otherwise the member's team and themselves."""
    return people_visible_to(request.membership, everyone=sees_all(request), me=my_person(request))


def people_visible_to(membership: Membership, *, everyone: bool | None = None,
                      me: Person | None | bool = False) -> QuerySet[Person]:
    """What ``visible_people`` gives, for a membership outside a request (an export task)."""
    qs = Person.objects.for_org(membership.organisation_id)
    if everyone is None:
        everyone = membership.has_role(*VIEW_ALL)
    if everyone:
        return qs
    if me is False:
        me = qs.filter(membership=membership).first()
    if not me:
        return qs.none()
    return qs.filter(Q(pk=me.pk) | Q(line_manager=me))  # type: ignore[union-attr]


def access_person(request: OrgRequest, pk: int, *, write: bool = False) -> Person:
    """A person the member may see (404 otherwise: whether someone exists is confidential); 403 when
    seen but ``write`` is asked and not allowed, as for cases (``cases.access.access_case``)."""
    writer = can_manage(request)
    qs = Person.objects.for_org(request.org) if write and writer else visible_people(request)
    person = qs.select_related("job_role", "department", "line_manager", "membership__user").filter(pk=pk).first()
    if person is None:
        raise Http404
    if write and not writer:
        raise PermissionDenied
    return person
