"""The child protection page, the board's counts and exports."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import run_job
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from tests.factories import PASSWORD
from tests.registers.helpers import make_entry, register_of


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_asks_for_the_password_again_and_logs_each_view_of_the_cp_page(world) -> None:
    protected = make_entry(world, household="Wren household", cp_plan=True)
    make_entry(world, household="Plain household")
    url = reverse("registers:child-protection", args=[protected.register_id])
    dsl = _client(world.members[Role.DSL])
    response = dsl.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauthenticate"))
    assert not AuditEvent.objects.for_org(world.org).filter(action="register.cp_viewed").exists()
    wrong = dsl.post(reverse("reauthenticate") + f"?next={url}", {"password": "not-it"})
    assert "The password is not right" in wrong.content.decode()
    page = dsl.post(reverse("reauthenticate") + f"?next={url}", {"password": PASSWORD}, follow=True)
    html = page.content.decode()
    assert "Wren household" in html and "Plain household" not in html
    event = AuditEvent.objects.for_org(world.org).get(action="register.cp_viewed")
    assert event.actor == world.members[Role.DSL] and event.detail["entries"] == [protected.reference]
    log = _client(world.members[Role.SAFEGUARDING_MANAGER]).get(reverse("registers:cp-log")).content.decode()
    assert world.members[Role.DSL].full_name in log and protected.reference in log


def test_it_hides_the_cp_page_from_those_not_granted_it(world) -> None:
    protected = make_entry(world, cp_plan=True)
    url = reverse("registers:child-protection", args=[protected.register_id])
    for role in (Role.NSO, Role.REGISTER_ADMIN, Role.CASE_OFFICER, Role.BOARD_MEMBER):
        assert _client(world.members[role]).get(url).status_code == 404, role
    assert _client(world.members[Role.DSL]).get(reverse("registers:cp-log")).status_code == 403


def test_it_shows_the_board_counts_without_names_or_small_numbers(world) -> None:
    for i in range(6):
        make_entry(world, household=f"Family{i} household", risk_level="medium")
    make_entry(world, area=world.second_area, household="Lone household", risk_level="high")
    page = _client(world.members[Role.BOARD_MEMBER]).get(reverse("registers:counts")).content.decode()
    first = page.split(world.area.name)[1].split("</tr>")[0]
    assert first.count("not shown") == 3  # 6 each, hidden: the total of 7 would give the other area away
    assert ">7<" in page.split(">Total<")[1].split("</tr>")[0]
    second = page.split(world.second_area.name)[1].split("</tr>")[0]
    assert second.count("fewer than 5") == 3
    assert "household" not in page and "Family0" not in page
    assert _client(world.members[Role.CASE_OFFICER]).get(reverse("registers:counts")).status_code == 403


def test_it_exports_a_spreadsheet_and_a_pdf_in_a_task_and_logs_it(world) -> None:
    make_entry(world, household="Exported household")
    make_entry(world, household="Protected household", cp_plan=True)
    register = register_of(world.area)
    sm = _client(world.members[Role.SAFEGUARDING_MANAGER])
    response = sm.post(reverse("registers:export-start", args=[register.pk]), {"format": "xlsx"})
    export = BackgroundJob.objects.for_org(world.org).get()
    assert response["Location"] == reverse("background:job", args=[export.pk])
    waiting = sm.get(response["Location"]).content.decode()
    assert 'data-sg-refresh=' in waiting and "Waiting to start" in waiting
    finished = run_job(export.pk).finished_at
    assert finished and run_job(export.pk).finished_at == finished  # done, and never made twice
    ready = sm.get(response["Location"]).content.decode()
    assert "Your file is ready" in ready and 'data-sg-refresh=' not in ready
    download = sm.get(reverse("registers:export-download", args=[export.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Exported household" in cells and "Protected household" not in cells
    actions = list(AuditEvent.objects.for_org(world.org).filter(action__startswith="register.export")
                   .values_list("action", flat=True).order_by("at"))
    assert actions == ["register.exported", "register.export_downloaded"]
    assert _client(world.members[Role.NSO]).get(reverse("background:job", args=[export.pk])).status_code == 404
    sm.post(reverse("registers:export-start", args=[register.pk]), {"format": "pdf"})
    pdf = BackgroundJob.objects.for_org(world.org).get(params__format="pdf")
    run_job(pdf.pk)
    pdf.refresh_from_db()
    assert pdf.file.open("rb").read(4) == b"%PDF"


def test_it_refuses_exports_to_those_without_access(world) -> None:
    register = register_of(world.second_area)
    for role in (Role.DSL, Role.CASE_OFFICER, Role.BOARD_MEMBER):
        response = _client(world.members[role]).post(reverse("registers:export-start", args=[register.pk]),
                                                      {"format": "xlsx"})
        assert response.status_code == 404, role
    assert not BackgroundJob.objects.for_org(world.org).exists()
