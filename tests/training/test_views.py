from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from training import actions
from training.models import DBSCheck, Person, TrainingRecord

from .conftest import Setup


def _client(setup: Setup, role: str) -> Client:
    client = Client()
    client.force_login(setup.world.members[role])
    return client


def _dbs(setup: Setup) -> None:
    actions.do_record_dbs(setup.worker, level="enhanced", certificate_number="123456781234",
                          issued_on=date.today() - timedelta(days=10), update_service=True, acting_user=None)


def test_it_shows_the_certificate_number_to_hr_only(setup: Setup) -> None:
    _dbs(setup)
    url = reverse("training:person", args=[setup.worker.pk])
    assert "123456781234" in _client(setup, Role.HR_LD).get(url).content.decode()
    for role in (Role.CASE_MANAGER, Role.FRONTLINE, Role.SAFEGUARDING_MANAGER):
        page = _client(setup, role).get(url).content.decode()
        assert "********1234" in page and "123456781234" not in page


def test_it_lets_a_line_manager_see_their_team_but_no_one_else(setup: Setup) -> None:
    client = _client(setup, Role.CASE_MANAGER)
    assert client.get(reverse("training:person", args=[setup.worker.pk])).status_code == 200
    assert client.get(reverse("training:person", args=[setup.volunteer.pk])).status_code == 404
    page = client.get(reverse("training:matrix")).content.decode()
    assert setup.worker.full_name in page and "Vic Volunteer" not in page


def test_it_lets_a_person_see_their_own_record_only(setup: Setup) -> None:
    client = _client(setup, Role.FRONTLINE)
    assert client.get(reverse("training:person", args=[setup.worker.pk])).status_code == 200
    assert client.get(reverse("training:person", args=[setup.manager.pk])).status_code == 404
    assert client.get(reverse("training:matrix")).status_code == 403
    page = client.get(reverse("training:mine")).content.decode()
    assert "What you need as Housing Officer" in page


def test_it_shows_board_members_percentages_without_names(setup: Setup) -> None:
    _dbs(setup)
    client = _client(setup, Role.BOARD_MEMBER)
    page = client.get(reverse("training:figures")).content.decode()
    assert "Housing Officer" in page and "%" in page
    assert setup.worker.full_name not in page
    assert client.get(reverse("training:matrix")).status_code == 403


def _bulk(setup: Setup, n: int, start: int = 0) -> None:
    org = setup.world.org
    people = Person.all_orgs.bulk_create([
        Person(organisation=org, full_name=f"Bulk {i:04d}", reference=f"B{i}", job_role=setup.role,
               department=setup.world.department, team=f"Team {i % 7}") for i in range(start, start + n)])
    DBSCheck.all_orgs.bulk_create([
        DBSCheck(organisation=org, person=p, level="enhanced", certificate_number=f"{start + i:012d}",
                 issued_on=date(2025, 1, 1), renews_on=date(2028, 1, 1)) for i, p in enumerate(people)])
    TrainingRecord.all_orgs.bulk_create([
        TrainingRecord(organisation=org, person=p, course=setup.course, level=2, completed_on=date(2025, 1, 1),
                       expires_on=date(2025, 6, 1)) for p in people])


def _count(client: Client, setup: Setup) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("training:matrix"), {"department": setup.world.department.pk})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_it_loads_the_matrix_in_a_fixed_number_of_queries(setup: Setup, django_assert_max_num_queries) -> None:
    client = _client(setup, Role.HR_LD)
    client.get(reverse("training:matrix"))  # the session and caches are warm from here on
    _bulk(setup, 5, start=0)
    small = _count(client, setup)
    _bulk(setup, 495, start=5)
    with django_assert_max_num_queries(small):
        response = client.get(reverse("training:matrix"), {"department": setup.world.department.pk})
    assert "500 of 1004 requirements met" in response.content.decode()
    # The floor (session, user, memberships with their roles, 2FA) and the page, with the status counts at
    # the top in two aggregate queries (issue 11; 28 before).
    assert small <= 23, small


def test_it_totals_every_filtered_person_not_just_the_page(setup: Setup) -> None:
    _bulk(setup, 120)
    page = _client(setup, Role.HR_LD).get(reverse("training:matrix"), {"job_role": setup.role.pk}).content.decode()
    # 120 bulk people meet their DBS but not their expired training; the three set-up people meet nothing.
    assert "120 of 246 requirements met by the 123 people shown" in page
    assert "Page 1 of 3" in page


def test_it_filters_the_matrix_by_team(setup: Setup) -> None:
    page = _client(setup, Role.HR_LD).get(reverse("training:matrix"), {"team": "North"}).content.decode()
    assert setup.worker.full_name in page and "Vic Volunteer" not in page


def test_it_exports_the_matrix_as_csv(setup: Setup) -> None:
    _dbs(setup)
    response = _client(setup, Role.HR_LD).get(reverse("training:matrix-export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Name,Reference,Department,Team,Job role,DBS check,Safeguarding")
    assert "Frontline officer Person,W1,Housing,North,Housing Officer,Compliant until" in text
    assert AuditEvent.objects.for_org(setup.world.org).filter(action="training.matrix_exported").exists()


def test_it_stores_certificates_privately_and_serves_them_after_a_check(setup: Setup) -> None:
    client = _client(setup, Role.HR_LD)
    url = reverse("training:training-add", args=[setup.worker.pk])
    bad = client.post(url, {"course": setup.course.pk, "level": 2, "completed_on": "2025-06-01",
                            "provider": "Acme", "evidence": SimpleUploadedFile("c.exe", b"MZ")})
    page = bad.content.decode()
    assert "The certificate must be a JPEG, JPG, PDF, PNG file" in page and 'value="Acme"' in page
    client.post(url, {"course": setup.course.pk, "level": 2, "completed_on": "2025-06-01",
                      "evidence": SimpleUploadedFile("c.pdf", b"%PDF-1.4 cert")})
    record = TrainingRecord.objects.for_org(setup.world.org).get()
    assert record.expires_on == date(2028, 6, 1)
    evidence = reverse("training:evidence", args=[record.pk])
    assert b"".join(_client(setup, Role.FRONTLINE).get(evidence).streaming_content) == b"%PDF-1.4 cert"  # type: ignore[attr-defined]
    assert _client(setup, Role.DSL).get(evidence).status_code == 404


def test_it_rejects_a_certificate_number_that_is_not_12_digits(setup: Setup) -> None:
    response = _client(setup, Role.HR_LD).post(reverse("training:dbs-add", args=[setup.worker.pk]),
                                               {"level": "enhanced", "certificate_number": "12345",
                                                "issued_on": "2025-01-01"})
    assert "Enter the 12 digits of the certificate number" in response.content.decode()
    assert not DBSCheck.objects.for_org(setup.world.org).exists()


def test_it_turns_the_policy_cell_compliant_when_the_person_signs(setup: Setup) -> None:
    actions.do_publish_policy(setup.world.org, label="v1", document=ContentFile(b"%PDF", name="p.pdf"),
                              review_on=date(2030, 1, 1), acting_user=None)
    version = actions.do_publish_policy(setup.world.org, label="v2", document=ContentFile(b"%PDF", name="p.pdf"),
                                        review_on=date(2030, 1, 1), acting_user=None)
    client = _client(setup, Role.FRONTLINE)
    assert "You have not yet confirmed" in client.get(reverse("training:mine")).content.decode()
    client.post(reverse("training:policy-sign", args=[version.pk]))
    page = client.get(reverse("training:mine")).content.decode()
    assert "You have not yet confirmed" not in page
    assert "You confirmed you had read this version" in client.get(reverse("training:policy")).content.decode()


def test_it_refuses_to_sign_an_old_version(setup: Setup) -> None:
    old = actions.do_publish_policy(setup.world.org, label="v1", document=ContentFile(b"%PDF", name="p.pdf"),
                                    review_on=date(2030, 1, 1), acting_user=None)
    actions.do_publish_policy(setup.world.org, label="v2", document=ContentFile(b"%PDF", name="p.pdf"),
                              review_on=date(2030, 1, 1), acting_user=None)
    response = _client(setup, Role.FRONTLINE).post(reverse("training:policy-sign", args=[old.pk]), follow=True)
    assert "A newer version of the policy has been published" in response.content.decode()


def test_it_sets_what_a_job_role_needs(setup: Setup) -> None:
    client = _client(setup, Role.HR_LD)
    response = client.post(reverse("training:job-role-add"), {
        "name": "Support Worker", "dbs_level": "enhanced_barred", "training_refresh_years": "1",
        f"course_{setup.course.pk}": "3"})
    assert response.status_code == 302
    page = client.get(reverse("training:settings")).content.decode()
    assert "Support Worker" in page and "Safeguarding level 3" in page and "training every 1 yr" in page


def test_it_shows_home_panels_for_the_person_and_hr(setup: Setup) -> None:
    _dbs(setup)
    manager_home = _client(setup, Role.CASE_MANAGER).get(reverse("home")).content.decode()
    assert "Your training and DBS" in manager_home and "of your team's requirements" in manager_home
    hr_home = _client(setup, Role.HR_LD).get(reverse("home")).content.decode()
    assert "Compliance to chase" in hr_home


def test_it_keeps_what_was_typed_when_a_reference_is_taken(setup: Setup) -> None:
    response = _client(setup, Role.HR_LD).post(reverse("training:person-add"), {
        "full_name": "Newly Added", "reference": "W1", "kind": "colleague", "is_active": "on"})
    page = response.content.decode()
    assert "Someone in your organisation already has this reference" in page and 'value="Newly Added"' in page
    assert not Person.objects.for_org(setup.world.org).filter(full_name="Newly Added").exists()


def test_it_adds_a_person_without_a_login(setup: Setup) -> None:
    response = _client(setup, Role.HR_LD).post(reverse("training:person-add"), {
        "full_name": "Casey Contractor", "reference": "C7", "kind": "contractor", "job_role": setup.role.pk,
        "is_active": "on"})
    person = Person.objects.for_org(setup.world.org).get(reference="C7")
    assert response["Location"] == reverse("training:person", args=[person.pk]) and person.membership is None


def _edit(setup: Setup, version: int, team: str) -> object:
    return _client(setup, Role.HR_LD).post(reverse("training:person-edit", args=[setup.worker.pk]), {
        "full_name": setup.worker.full_name, "reference": "W1", "kind": "colleague", "job_role": setup.role.pk,
        "team": team, "is_active": "on", "version": version})


def test_it_saves_changes_to_a_person(setup: Setup) -> None:
    _edit(setup, setup.worker.version, "South")
    setup.worker.refresh_from_db()
    assert setup.worker.team == "South" and setup.worker.history.count() >= 2


def test_it_tells_the_second_editor_that_someone_else_changed_the_person(setup: Setup) -> None:
    version = setup.worker.version
    _edit(setup, version, "South")
    page = _edit(setup, version, "East").content.decode()  # type: ignore[attr-defined]
    assert "Someone else changed this person while you were editing" in page and 'value="East"' in page
    setup.worker.refresh_from_db()
    assert setup.worker.team == "South"


def test_it_shows_line_managers_a_team_training_link(setup: Setup) -> None:
    assert "Team training" in _client(setup, Role.CASE_MANAGER).get(reverse("training:mine")).content.decode()
    assert "Team training" not in _client(setup, Role.FRONTLINE).get(reverse("training:mine")).content.decode()


def test_it_builds_a_large_export_in_the_task_for_the_member_who_asked(setup: Setup, monkeypatch) -> None:
    from safeguard.background.models import BackgroundJob
    from safeguard.background.runner import run_job

    monkeypatch.setattr("training.views_matrix.INLINE_MAX_PEOPLE", 1)
    _dbs(setup)
    client = _client(setup, Role.CASE_MANAGER)  # a line manager: their team and themselves only
    response = client.get(reverse("training:matrix-export"), {"format": "xlsx"})
    job = BackgroundJob.objects.for_org(setup.world.org).get()
    assert response["Location"] == reverse("background:job", args=[job.pk])
    assert 'data-sg-refresh=' in client.get(response["Location"]).content.decode()
    run_job(job.pk)
    assert "Your file is ready" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("training:export-download", args=[job.pk]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.content)).active
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert names == {setup.worker.full_name, setup.manager.full_name}
    assert _client(setup, Role.HR_LD).get(reverse("training:export-download", args=[job.pk])).status_code == 404
