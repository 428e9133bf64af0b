"""Daily flag: open cases with no action within their 7 (safeguarding) or 14 (WoW) days.

A case's ``next_action_due`` is set when it is reported and moves with every action recorded,
so "no action in time" is one set-based filter. The officer and the managers of the case are told
once per flag (``flags.sync`` deduplicates); the flag clears when an action is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.models import Membership, RoleAssignment
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import register_daily_job

from .models import Case, CaseStatus

NO_ACTION = "case.no_action"


def needing_action(today: date | None = None) -> QuerySet[Case]:
    """Open cases, across every organisation, whose next action was due before today."""
    today = today or timezone.localdate()
    return Case.all_orgs.filter(status__in=[CaseStatus.REPORTED, CaseStatus.ALLOCATED], next_action_due__lt=today)


def _recipients_sql() -> str:
    case_t = Case._meta.db_table
    ra_t, m_t = RoleAssignment._meta.db_table, Membership._meta.db_table
    areas_t = RoleAssignment.areas.through._meta.db_table
    depts_t = RoleAssignment.departments.through._meta.db_table
    return f"""
        SELECT c.id, c.organisation_id, c.allocated_to_id FROM {case_t} c
         WHERE c.id = ANY(%(ids)s) AND c.allocated_to_id IS NOT NULL
        UNION
        SELECT c.id, c.organisation_id, m.user_id FROM {case_t} c
          JOIN {ra_t} ra ON ra.organisation_id = c.organisation_id
          JOIN {m_t} m ON m.id = ra.membership_id AND m.is_active
         WHERE c.id = ANY(%(ids)s)
           AND ((NOT c.is_colleague_allegation AND ra.role = %(manager)s)
                OR (c.is_colleague_allegation AND ra.role = %(director)s))
           AND (NOT EXISTS (SELECT 1 FROM {areas_t} a WHERE a.roleassignment_id = ra.id)
                OR EXISTS (SELECT 1 FROM {areas_t} a WHERE a.roleassignment_id = ra.id AND a.area_id = c.area_id))
           AND (NOT EXISTS (SELECT 1 FROM {depts_t} d WHERE d.roleassignment_id = ra.id)
                OR EXISTS (SELECT 1 FROM {depts_t} d WHERE d.roleassignment_id = ra.id
                           AND d.department_id = c.department_id))
    """  # noqa: S608 - table names come from the models, values are parameters


def case_recipients(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    """The officer and the case managers covering each case (the People and Culture Director
    for an allegation against a colleague), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_recipients_sql(), {"ids": ids, "manager": Role.CASE_MANAGER, "director": Role.PEOPLE_DIRECTOR})
        return [tuple(row) for row in cursor.fetchall()]


@register_daily_job("cases.no_action")
def flag_cases_without_action(today: date | None = None) -> FlagResult:
    return sync(
        kind=NO_ACTION,
        needing=needing_action(today),
        recipients=case_recipients,
        title=lambda r: f"Case {r['reference']}: its next action is overdue: record an action or a reason",
        url=lambda r: reverse("cases:detail", args=[r["pk"]]),
        label_fields=("reference",),
    )
