"""Who manages a case: ONE declaration, three forms.

``MANAGERS`` says which role manages which cases (allocation, closure decisions,
reopening) and which of them are told of the daily flags. From it come:

* ``managed_q(membership)``: the queryset filter of the cases a membership manages;
* ``can_manage(case, membership)``: the same rule for one case in hand;
* ``dangerously_managers_of(case_ids)``: the set-based "who to tell" query of the
  daily jobs, across organisations, in one SQL statement;
* ``manager_ids(case)``: that query for one case (new reports, closure requests).

``tests/policy/`` runs every role x allegation x area x department through all
four so they cannot drift. This module imports models and the core only;
``visibility`` imports it, never the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q

from safeguard.tenancy.models import Membership, RoleAssignment
from safeguard.tenancy.roles import Grant, Role

from ..models import Case

# Every case that is not an allegation against a colleague.
NOT_ALLEGATION = Q(is_colleague_allegation=False)


@dataclass(frozen=True)
class ManagerRule:
    """``role`` manages the cases with ``is_colleague_allegation == allegations`` that its grant
    covers (areas and departments; an unlimited grant covers all). ``told_of_flags``: the
    daily flags on those cases (no action in time, referral deadlines) are sent to them."""

    role: str
    allegations: bool
    told_of_flags: bool


MANAGERS: tuple[ManagerRule, ...] = (
    ManagerRule(Role.CASE_MANAGER, allegations=False, told_of_flags=True),
    # The Safeguarding Manager oversees every other case; they are told of new reports and
    # closure requests, and see what is overdue on their dashboard rather than by a flag per case.
    ManagerRule(Role.SAFEGUARDING_MANAGER, allegations=False, told_of_flags=False),
    # Only the People and Culture Director handles an allegation against a colleague.
    ManagerRule(Role.PEOPLE_DIRECTOR, allegations=True, told_of_flags=True),
)

MANAGER_ROLES: frozenset[str] = frozenset(rule.role for rule in MANAGERS)


def covers_q(grant: Grant) -> Q:
    """The cases inside a grant's areas and departments, as a filter."""
    q = Q()
    if grant.area_ids is not None:
        q &= Q(area_id__in=grant.area_ids)
    if grant.department_ids is not None:
        q &= Q(department_id__in=grant.department_ids)
    return q


def managed_q(membership: Membership) -> Q | None:
    """Cases this membership manages, as a filter; None for none."""
    grants = membership.grants
    q: Q | None = None
    for rule in MANAGERS:
        grant = grants.get(rule.role)
        if grant is not None:
            part = Q(is_colleague_allegation=rule.allegations) & covers_q(grant)
            q = part if q is None else q | part
    return q


def can_manage(case: Case, membership: Membership) -> bool:
    """May allocate the case, decide on its closure and reopen it."""
    grants = membership.grants
    for rule in MANAGERS:
        grant = grants.get(rule.role)
        if (grant is not None and case.is_colleague_allegation == rule.allegations
                and grant.covers(area_id=case.area_id, department_id=case.department_id)):
            return True
    return False


def _managers_sql(rules: Sequence[ManagerRule]) -> tuple[str, dict[str, Any]]:
    case_t = Case._meta.db_table
    ra_t, m_t = RoleAssignment._meta.db_table, Membership._meta.db_table
    areas_t = RoleAssignment.areas.through._meta.db_table
    depts_t = RoleAssignment.departments.through._meta.db_table
    params: dict[str, object] = {}
    clauses = []
    for i, rule in enumerate(rules):
        params[f"role{i}"], params[f"allegation{i}"] = rule.role, rule.allegations
        clauses.append(f"(ra.role = %(role{i})s AND c.is_colleague_allegation = %(allegation{i})s)")
    sql = f"""
        SELECT DISTINCT c.id, c.organisation_id, m.user_id FROM {case_t} c
          JOIN {ra_t} ra ON ra.organisation_id = c.organisation_id
          JOIN {m_t} m ON m.id = ra.membership_id AND m.is_active
         WHERE c.id = ANY(%(ids)s)
           AND ({" OR ".join(clauses)})
           AND (NOT EXISTS (SELECT 1 FROM {areas_t} a WHERE a.roleassignment_id = ra.id)
                OR EXISTS (SELECT 1 FROM {areas_t} a WHERE a.roleassignment_id = ra.id AND a.area_id = c.area_id))
           AND (NOT EXISTS (SELECT 1 FROM {depts_t} d WHERE d.roleassignment_id = ra.id)
                OR EXISTS (SELECT 1 FROM {depts_t} d WHERE d.roleassignment_id = ra.id
                           AND d.department_id = c.department_id))
    """  # noqa: S608 - table names come from the models, values are parameters
    return sql, params


def dangerously_managers_of(case_ids: Iterable[int], *, flags: bool = True) -> list[tuple[int, int, int]]:
    """(case id, organisation id, user id) for the managers of each case, in one query.

    Crosses organisations on purpose (the daily jobs work in sets over every organisation);
    each row pairs a case with members of the case's own organisation only.
    ``flags``: only the managers told of daily flags (``ManagerRule.told_of_flags``).
    """
    rules = [rule for rule in MANAGERS if rule.told_of_flags or not flags]
    ids = list(case_ids)
    if not ids or not rules:
        return []
    sql, params = _managers_sql(rules)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "ids": ids})
        return sorted(tuple(row) for row in cursor.fetchall())


def manager_ids(case: Case) -> list[int]:
    """Users who manage this case (told of a new report and of a closure request)."""
    return sorted({user_id for _, _, user_id in dangerously_managers_of([case.pk], flags=False)})
