"""The board's nightly jobs, run by ``run_daily_flags`` (06:00) with the flags, set-based over every
organisation:

* ``store_ratings``: the RAG rating of every organisation and area for the current month. ``rate`` works
  over every organisation in a fixed number of queries, and the month's rows are replaced in one delete
  and one insert. Earlier months are never touched, so a month's stored rating is the one of its last night.
* ``store_month_figures``: the casework counts of every finished month not yet stored (``MonthFigures``,
  ``MonthCategoryFigures``, ``StoredMonth``), in three ``INSERT … SELECT`` statements. The dashboard reads
  stored months from there and only the current month from the cases, so its cost does not grow with the
  years of cases; stored months are kept (they outlive destroyed records, issue 14).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from registers.policy.review import month_start
from safeguard.tenancy.models import Organisation
from safeguard.tenancy.tasks import register_daily_job

from .models import MonthCategoryFigures, MonthFigures, RatingSnapshot, StoredMonth


@register_daily_job("board.ratings")
def store_ratings(today: date | None = None) -> int:
    from governance.rag import rate

    today = today or timezone.localdate()
    month = month_start(today)
    org_ids = list(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    ratings = rate(org_ids, today=today)
    now = timezone.now()
    rows = [
        RatingSnapshot(organisation_id=org_id, area_id=area_id, month=month, rating=r.rating,
                       facts=[f.as_json() for f in r.facts], computed_at=now)
        for org_id, areas in ratings.items() for area_id, r in areas.items()
    ]
    with transaction.atomic():
        RatingSnapshot.all_orgs.filter(organisation_id__in=org_ids, month=month).delete()
        RatingSnapshot.all_orgs.bulk_create(rows)
    return len(rows)


# The months to store per organisation: from the month after its latest stored month (or, the first time,
# its first month with any casework) to the month before ``current``. London months, as on the dashboard.
_BOUNDS = """
WITH orgs AS (
    SELECT o.id AS org_id, (SELECT max(s.next_month) FROM {stored} s WHERE s.organisation_id = o.id) AS since
    FROM tenancy_organisation o WHERE o.is_active
), firsts AS (
    SELECT orgs.org_id, COALESCE(orgs.since, LEAST(
        (SELECT date_trunc('month', min(c.reported_at) AT TIME ZONE %(tz)s)::date
         FROM cases_case c WHERE c.organisation_id = orgs.org_id),
        (SELECT date_trunc('month', min(a.taken_on))::date FROM cases_action a WHERE a.organisation_id = orgs.org_id),
        (SELECT date_trunc('month', min(r.due_by))::date FROM referrals_referral r
         WHERE r.organisation_id = orgs.org_id))) AS since
    FROM orgs
), bounds AS (
    SELECT org_id, since, (since::timestamp AT TIME ZONE %(tz)s) AS since_at FROM firsts
    WHERE since IS NOT NULL AND since < %(current)s
)
"""

_FIGURES = _BOUNDS + """, events AS (
    SELECT c.organisation_id, date_trunc('month', c.reported_at AT TIME ZONE %(tz)s)::date AS month, c.area_id,
           c.concern_type, c.source, 1 AS reported, c.is_colleague_allegation::int AS allegations, 0 AS closed,
           0.0::float8 AS closed_seconds, 0 AS visits, 0 AS alerts_due, 0 AS alerts_late
    FROM cases_case c JOIN bounds b ON b.org_id = c.organisation_id
    WHERE c.reported_at >= b.since_at AND c.reported_at < %(current_at)s
  UNION ALL
    SELECT c.organisation_id, date_trunc('month', c.closed_at AT TIME ZONE %(tz)s)::date, c.area_id, c.concern_type,
           c.source, 0, 0, 1, extract(epoch FROM c.closed_at)::float8 - extract(epoch FROM c.reported_at)::float8,
           0, 0, 0
    FROM cases_case c JOIN bounds b ON b.org_id = c.organisation_id
    WHERE c.status = 'closed' AND c.closed_at >= b.since_at AND c.closed_at < %(current_at)s
  UNION ALL
    SELECT a.organisation_id, date_trunc('month', a.taken_on)::date, c.area_id, c.concern_type, c.source,
           0, 0, 0, 0.0, 1, 0, 0
    FROM cases_action a JOIN bounds b ON b.org_id = a.organisation_id JOIN cases_case c ON c.id = a.case_id
    WHERE a.action_type = 'visit' AND a.taken_on >= b.since AND a.taken_on < %(current)s
  UNION ALL
    SELECT r.organisation_id, date_trunc('month', r.due_by)::date, c.area_id, c.concern_type, c.source,
           0, 0, 0, 0.0, 0, 1, (r.made_on IS NULL OR r.made_on > r.due_by)::int
    FROM referrals_referral r JOIN bounds b ON b.org_id = r.organisation_id JOIN cases_case c ON c.id = r.case_id
    WHERE r.due_by >= b.since AND r.due_by < %(current)s
)
INSERT INTO {figures} (organisation_id, month, area_id, concern_type, source, reported, allegations, closed,
                       closed_seconds, visits, alerts_due, alerts_late)
SELECT organisation_id, month, area_id, concern_type, source, sum(reported), sum(allegations), sum(closed),
       sum(closed_seconds), sum(visits), sum(alerts_due), sum(alerts_late)
FROM events GROUP BY organisation_id, month, area_id, concern_type, source
"""  # noqa: S608 - the table names are the models' own; every value is a parameter

_CATEGORIES = _BOUNDS + """
INSERT INTO {categories} (organisation_id, month, area_id, category_id, reported)
SELECT c.organisation_id, date_trunc('month', c.reported_at AT TIME ZONE %(tz)s)::date, c.area_id,
       cc.harmcategory_id, count(*)
FROM cases_case c JOIN bounds b ON b.org_id = c.organisation_id JOIN cases_case_categories cc ON cc.case_id = c.id
WHERE c.reported_at >= b.since_at AND c.reported_at < %(current_at)s
GROUP BY 1, 2, 3, 4
"""

_MONTHS = _BOUNDS + """
INSERT INTO {stored} (organisation_id, month, next_month, ends_at, computed_at)
SELECT b.org_id, m::date, (m + interval '1 month')::date, ((m + interval '1 month') AT TIME ZONE %(tz)s), now()
FROM bounds b, generate_series(b.since::timestamp, %(current)s::timestamp - interval '1 month', interval '1 month') m
"""


@register_daily_job("board.month_figures")
def store_month_figures(today: date | None = None) -> int:
    """Store every finished month not yet stored, for every organisation: returns the months stored."""
    from django.conf import settings

    today = today or timezone.localdate()
    current = month_start(today)
    params: dict[str, Any] = {"tz": settings.TIME_ZONE, "current": current,
                              "current_at": timezone.make_aware(datetime(current.year, current.month, 1))}
    tables = {"stored": StoredMonth._meta.db_table, "figures": MonthFigures._meta.db_table,
              "categories": MonthCategoryFigures._meta.db_table}
    with transaction.atomic(), connection.cursor() as cursor:
        # the figures first: they read the stored months to know where to start
        cursor.execute(_FIGURES.format(**tables), params)
        cursor.execute(_CATEGORIES.format(**tables), params)
        cursor.execute(_MONTHS.format(**tables), params)
        return cursor.rowcount
