"""The reports' schedule (beat, every morning): weekly manager reports per area on Mondays, the board report
on the first working day of the month, the panel report on the first working day of a quarter, and the
annual report on the first working day of April. Idempotent: a report already made for its period is not
made again."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

log = logging.getLogger("safeguard.board")


def _first_working_day(on: date) -> bool:
    from safeguard.tenancy.workdays import is_working_day

    if not is_working_day(on):
        return False
    day = on.replace(day=1)
    while not is_working_day(day):
        day = day.replace(day=day.day + 1)
    return day == on


def due_today(on: date) -> list[str]:
    from .models import ReportKind

    kinds = []
    if on.weekday() == 0:
        kinds.append(ReportKind.WEEKLY)
    if _first_working_day(on):
        kinds.append(ReportKind.MONTHLY)
        if on.month in (1, 4, 7, 10):
            kinds.append(ReportKind.QUARTERLY)
        if on.month == 4:
            kinds.append(ReportKind.ANNUAL)
    return kinds  # type: ignore[return-value]


@shared_task(name="governance.dashboard.tasks.scheduled_reports", ignore_result=True)
def scheduled_reports(on: str | None = None) -> int:
    from safeguard.tenancy import rls

    day = date.fromisoformat(on) if on else timezone.localdate()
    with rls.dangerously_all_orgs():  # every organisation's scheduled reports, each report for its own org
        return _make_due(day)


def _make_due(day: date) -> int:
    from governance.reports.make import make, period_for
    from safeguard.tenancy.models import Area, Organisation

    from .models import BoardReport, ReportKind

    made = 0
    for kind in due_today(day):
        start, end = period_for(kind, day)
        for org in Organisation.objects.filter(is_active=True):
            areas = list(Area.objects.for_org(org).filter(is_active=True)) if kind == ReportKind.WEEKLY else [None]
            for area in areas:
                report, created = BoardReport.objects.for_org(org).get_or_create(
                    organisation=org, kind=kind, area=area, period_start=start, requested_by=None,
                    defaults={"period_end": end})
                if not created and report.status == "done":
                    continue
                try:
                    make(report)
                    made += 1
                except Exception:
                    log.exception("report %s failed", report.pk)
                    BoardReport.objects.for_org(org).filter(pk=report.pk).update(status="failed")
    return made
