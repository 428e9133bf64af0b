"""How much each officer already holds, for the manager allocating a concern (issue 12.5).

One aggregate query for any number of officers: open cases, open cases whose next action is
overdue, and cases allocated to them since Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from .models import Case, CaseStatus


@dataclass(frozen=True)
class Load:
    open_cases: int = 0
    overdue: int = 0
    this_week: int = 0

    def summary(self) -> str:
        return (f"{self.open_cases} open case{'' if self.open_cases == 1 else 's'}, "
                f"{self.overdue} overdue, {self.this_week} allocated this week")


def week_start(today: date) -> datetime:
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def officer_load(org: Any, user_ids: list[int], today: date | None = None) -> dict[int, Load]:
    today = today or timezone.localdate()
    is_open = ~Q(status=CaseStatus.CLOSED)
    rows = (Case.objects.for_org(org).filter(allocated_to_id__in=user_ids)
            .values("allocated_to_id")
            .annotate(open_cases=Count("pk", filter=is_open),
                      overdue=Count("pk", filter=is_open & Q(next_action_due__lt=today)),
                      this_week=Count("pk", filter=Q(allocated_at__gte=week_start(today))))
            .order_by())
    loads = {r["allocated_to_id"]: Load(r["open_cases"], r["overdue"], r["this_week"]) for r in rows}
    return {uid: loads.get(uid, Load()) for uid in user_ids}
