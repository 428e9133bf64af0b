"""Making a report: both files, kept on its ``BoardReport``; its audience told with a link (never the content)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.dashboard.models import BoardReport, ReportKind, ReportStatus
from registers.policy.review import add_months, month_start
from safeguard.tenancy.models import Membership
from safeguard.tenancy.notifications import notify
from safeguard.tenancy.roles import Role

from . import content, pdf, xlsx

AUDIENCE = {
    ReportKind.WEEKLY: {Role.CASE_MANAGER, Role.SAFEGUARDING_MANAGER},
    ReportKind.MONTHLY: {Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR},
    ReportKind.QUARTERLY: {Role.SAFEGUARDING_MANAGER, Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.DSL},
    ReportKind.ANNUAL: {Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR},
}


def period_for(kind: str, on: date) -> tuple[date, date]:
    """The period a report made on ``on`` covers: the week before (Monday to Sunday), the month before,
    the quarter before, or the financial year (April to March) before."""
    if kind == ReportKind.WEEKLY:
        monday = on - timedelta(days=on.weekday())
        return monday - timedelta(days=7), monday - timedelta(days=1)
    this = month_start(on)
    if kind == ReportKind.MONTHLY:
        return add_months(this, -1), this - timedelta(days=1)
    if kind == ReportKind.QUARTERLY:
        q = add_months(this, -((this.month - 1) % 3))
        return add_months(q, -3), q - timedelta(days=1)
    year = on.year if on.month >= 4 else on.year - 1
    return date(year - 1, 4, 1), date(year, 3, 31)


def audience_ids(report: BoardReport) -> list[int]:
    """Members holding one of the report's audience roles (case managers: those covering its area)."""
    roles = AUDIENCE[ReportKind(report.kind)]
    qs = Membership.objects.for_org(report.organisation_id).filter(is_active=True, role_assignments__role__in=roles)
    if report.kind == ReportKind.WEEKLY and report.area_id:
        qs = qs.filter(Q(role_assignments__role=Role.SAFEGUARDING_MANAGER)
                       | Q(role_assignments__areas__isnull=True) | Q(role_assignments__areas=report.area_id))
    return sorted(set(qs.values_list("user_id", flat=True)))


def make(report: BoardReport, progress: Any = None) -> BoardReport:
    _data, sections = content.build(report)
    org_name = report.organisation.name
    period = f"{report.period_start:%-d %B %Y} to {report.period_end:%-d %B %Y}"
    if report.area_id:
        period += f", {report.area.name}"  # type: ignore[union-attr]
    made_on = f"{timezone.localtime():%-d %B %Y %H:%M}"
    pdf_bytes = pdf.render(org_name=org_name, title=report.title, period=period, made_on=made_on,
                           sections=sections, progress=progress)
    xlsx_bytes = xlsx.render(org_name=org_name, title=report.title, period=period, made_on=made_on,
                             sections=sections)
    stem = f"{report.kind}-{report.period_start:%Y%m%d}-{report.pk}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx_bytes), save=False)
    report.status, report.progress, report.finished_at = ReportStatus.DONE, 100, timezone.now()
    report.save()
    notify(org=report.organisation, recipients=audience_ids(report), kind="board.report_ready",
           title=f"{report.title} is ready", url=reverse("board:report", args=[report.pk]),
           dedupe_key=f"board.report:{report.pk}")
    return report
