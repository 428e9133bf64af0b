"""The four reports: made on schedule and on demand, PDF and XLSX, for their audience only."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from governance.dashboard.models import BoardReport
from governance.dashboard.tasks import due_today, scheduled_reports
from governance.reports.make import make, period_for
from safeguard.tenancy.models import Notification
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_case, make_entry

pytestmark = pytest.mark.django_db


def test_it_knows_when_each_report_is_due() -> None:
    assert due_today(date(2026, 11, 30)) == ["weekly"]  # a Monday
    assert due_today(date(2026, 12, 1)) == ["monthly"]  # Tuesday 1 December, a working day
    assert due_today(date(2027, 1, 4)) == ["weekly", "monthly", "quarterly"]  # 1 January is a bank holiday
    assert "annual" in due_today(date(2027, 4, 1))
    assert period_for("weekly", date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_for("quarterly", date(2027, 1, 4)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_for("annual", date(2027, 4, 1)) == (date(2026, 4, 1), date(2027, 3, 31))


def test_the_monthly_board_report_is_made_on_schedule_and_its_audience_told(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_case(world, name="Robin Tester")
    make_entry(world, household="Quillfeather household")
    assert scheduled_reports("2026-12-01") >= 2  # both organisations
    assert scheduled_reports("2026-12-01") == 0  # idempotent
    report = BoardReport.objects.for_org(world.org).get(kind="monthly")
    assert report.status == "done" and report.period_start == date(2026, 11, 1)
    told = set(Notification.objects.for_org(world.org).filter(kind="board.report_ready")
               .values_list("recipient_id", flat=True))
    assert world.members[Role.BOARD_MEMBER].pk in told and world.members[Role.FRONTLINE].pk not in told
    body = report.pdf.open("rb").read()
    assert body.startswith(b"%PDF")
    pdf_file = tmp_path / "board.pdf"
    pdf_file.write_bytes(body)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    assert "OFFICIAL-SENSITIVE" in text and world.org.name in text and "Contents" in text and "Page 2" in text
    assert "Robin Tester" not in text and "Quillfeather" not in text
    board = Client()
    board.force_login(world.members[Role.BOARD_MEMBER])
    assert board.get(reverse("board:report-download", args=[report.pk, "xlsx"])).status_code == 200
    frontline = Client()
    frontline.force_login(world.members[Role.FRONTLINE])
    assert frontline.get(reverse("board:report-download", args=[report.pk, "pdf"])).status_code == 404
    dsl = Client()
    dsl.force_login(world.members[Role.DSL])
    assert dsl.get(reverse("board:report-download", args=[report.pk, "pdf"])).status_code == 404


def test_a_report_asked_for_goes_through_a_background_job(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    sm = Client()
    sm.force_login(world.members[Role.SAFEGUARDING_MANAGER])
    response = sm.post(reverse("board:reports"), {"kind": "weekly", "ending": "2026-11-30",
                                                  "area": world.area.pk})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    report = BoardReport.objects.for_org(world.org).get(kind="weekly")
    assert report.area_id == world.area.pk
    for kind in ("weekly", "quarterly", "annual"):
        made = make(BoardReport.objects.create(organisation=world.org, kind=kind, area=world.area if kind == "weekly"
                                               else None, period_start=date(2026, 10, 1),
                                               period_end=date(2026, 12, 31)))
        assert made.pdf and made.xlsx
        if os.environ.get("BOARD_REPORTS_OUT"):  # to look at them: pdftoppm -png
            Path(os.environ["BOARD_REPORTS_OUT"], f"{kind}.pdf").write_bytes(made.pdf.open("rb").read())


@time_machine.travel("2026-12-01 09:00 +00:00", tick=False)
def test_the_monthly_report_rates_and_confirms_the_month_it_reports(world) -> None:
    from governance.reports.content import build
    from tests.board.helpers import audit_failure

    audit_failure(world, date(2026, 11, 20))  # in November: the report of November is Amber for it
    report = BoardReport.objects.create(organisation=world.org, kind="monthly", period_start=date(2026, 11, 1),
                                        period_end=date(2026, 11, 30))
    _data, sections = build(report)
    rag = sections[0]
    assert any("case audits in November 2026 found one case" in p for p in rag.paragraphs)
    captions = [t.caption for t in rag.tables]
    assert "Every register entry reviewed in November 2026 (Connexus 6.1–6.2)" in captions
    history = next(t for t in rag.tables if t.caption.startswith("The rating over"))
    assert history.header[-1] == "Nov 26" and history.rows[0][-1] == "Amber"
