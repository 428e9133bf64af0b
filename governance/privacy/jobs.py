"""The daily retention job: the default rules for any organisation or kind without one, kept records whose
date has come back to the queue, and every record reaching the end of its period listed for review.

Set-based: a few statements across every organisation (``policy.due_cases_sql`` is the one query of due
cases), run by ``run_daily_flags`` inside ``rls.dangerously_all_orgs()``. Idempotent: a record is listed once
(a unique row per record), a pending item that is no longer due (a rule lengthened, a case reopened) leaves the
queue, and items decided are never touched except a kept one whose date has come.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from safeguard.tenancy.models import Organisation
from safeguard.tenancy.tasks import register_daily_job

from . import policy
from .models import RetentionRule, ReviewItem, Trigger


def ensure_all_schedules() -> int:
    org_ids = list(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    existing = set(
        RetentionRule.all_orgs.filter(organisation_id__in=org_ids).values_list("organisation_id", "kind")
    )
    missing = policy.missing_rules(org_ids, existing)
    RetentionRule.all_orgs.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@register_daily_job("privacy.retention")
def list_due_records(today: date | None = None) -> int:
    """Returns how many records were newly listed."""
    today = today or timezone.localdate()
    ensure_all_schedules()
    due = policy.due_cases_sql()
    params: dict[str, Any] = {
        "tz": policy.time_zone(),
        "today": today,
        "kinds": list(policy.CASE_KINDS),
        "pending": ReviewItem.Status.PENDING,
        "kept": ReviewItem.Status.KEPT,
        "erasure": Trigger.ERASURE,  # listed by a granted erasure request: stays until decided
    }
    with transaction.atomic(), connection.cursor() as cursor:  # scoping: the daily job's set query, all orgs
        cursor.execute(
            "UPDATE privacy_reviewitem SET status = %(pending)s, version = version + 1 "
            "WHERE status = %(kept)s AND kept_until <= %(today)s",
            params,
        )
        # constant SQL (the due query is policy's text); every value is a parameter
        cursor.execute(
            "DELETE FROM privacy_reviewitem i WHERE i.status = %(pending)s AND i.kind = ANY(%(kinds)s) "  # noqa: S608
            "AND i.started_from <> %(erasure)s "
            "AND NOT EXISTS (SELECT 1 FROM (" + due + ") d WHERE d.organisation_id = i.organisation_id "
            "AND d.object_id = i.object_id AND d.kind = i.kind AND d.due_on <= %(today)s)",
            params,
        )
        cursor.execute(
            "INSERT INTO privacy_reviewitem (organisation_id, kind, object_id, reference, rule_id, started_from, started_on, "  # noqa: S608
            "due_on, record_created_on, record_closed_on, status, listed_at, keep_reason, version) "
            "SELECT d.organisation_id, d.kind, d.object_id, d.reference, d.rule_id, d.started_from, d.started_on, d.due_on, "
            "d.created_on, d.closed_on, %(pending)s, now(), '', 1 FROM (" + due + ") d "
            "WHERE d.due_on <= %(today)s ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount
