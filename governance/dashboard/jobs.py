"""The nightly RAG job: the rating of every organisation and area for the current month, stored.

Set-based: ``governance.rag.rate`` works over every organisation in a fixed number of queries, and
the month's rows are replaced in one delete and one insert. Earlier months are never touched, so a
month's stored rating is the one of its last night. Run by ``run_daily_flags`` (06:00) with the flags.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from registers.policy.review import month_start
from safeguard.tenancy.models import Organisation
from safeguard.tenancy.tasks import register_daily_job

from .models import RatingSnapshot


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
