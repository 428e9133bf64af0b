from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import restart_step, run_job
from safeguard.tenancy.roles import Role
from training.models import DBSCheck, Person, TrainingRecord

from .conftest import Setup

PEOPLE = (
    "reference,full_name,email,kind,job_role,department,team,line_manager_reference\n"
    "E1,Ann Archer,ann@oakridge.test,colleague,Housing Officer,Housing,North,M1\n"
    "E2,,bob@oakridge.test,colleague,Housing Officer,Housing,North,\n"
    "E3,Cat Carter,not-an-email,volunteer,Housing Officer,Support,South,\n"
    "E4,Dan Dale,dan@oakridge.test,contractor,,Support,South,E1\n"
)
FIXED = PEOPLE.replace(",,bob@", ",Bob Bright,bob@").replace("not-an-email", "cat@oakridge.test")


def _hr(setup: Setup) -> Client:
    client = Client()
    client.force_login(setup.world.members[Role.HR_LD])
    return client


def _upload(client: Client, kind: str, name: str, data: bytes) -> BackgroundJob:
    response = client.post(reverse("training:import"), {"kind": kind, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return BackgroundJob.objects.for_org(BackgroundJob.all_orgs.latest("pk").organisation).latest("pk")


def _names(setup: Setup) -> list[str]:
    return sorted(Person.objects.for_org(setup.world.org).values_list("full_name", flat=True))


def test_it_lists_every_bad_row_in_plain_words_and_imports_nothing(setup: Setup) -> None:
    client = _hr(setup)
    before = _names(setup)
    job = _upload(client, "people", "people.csv", PEOPLE.encode())
    page = client.get(reverse("background:job", args=[job.pk])).content.decode()
    assert "2 of 4 rows have problems" in page
    assert "The full name is missing" in page and "&#x27;not-an-email&#x27; is not an e-mail address" in page
    assert [(p["row"], p["column"]) for p in job.result["problems"]] == [(3, "full_name"), (4, "email")]
    response = client.post(reverse("training:import-confirm", args=[job.pk]))
    assert _names(setup) == before
    assert "Fix them" in client.get(response["Location"]).content.decode()


def test_it_imports_the_fixed_file_and_the_second_import_changes_nothing(setup: Setup) -> None:
    client = _hr(setup)
    job = _upload(client, "people", "people.csv", FIXED.encode())
    client.post(reverse("training:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.result["created"], job.result["updated"]) == ("done", 4, 0)
    ann = Person.objects.for_org(setup.world.org).get(reference="E1")
    assert ann.line_manager == setup.manager and ann.job_role == setup.role
    assert Person.objects.for_org(setup.world.org).get(reference="E4").line_manager == ann
    count, history = Person.objects.for_org(setup.world.org).count(), Person.history.count()
    again = _upload(client, "people", "people-again.csv", FIXED.encode())
    client.post(reverse("training:import-confirm", args=[again.pk]))
    again.refresh_from_db()
    assert (again.result["created"], again.result["updated"], again.result["unchanged"]) == (0, 0, 4)
    assert Person.objects.for_org(setup.world.org).count() == count and Person.history.count() == history


def test_it_imports_the_good_rows_when_told_to_skip_the_bad_ones(setup: Setup) -> None:
    client = _hr(setup)
    job = _upload(client, "people", "people.csv", PEOPLE.encode())
    client.post(reverse("training:import-confirm", args=[job.pk]), {"skip_bad_rows": "yes"})
    job.refresh_from_db()
    assert (job.result["created"], job.result["skipped"]) == (2, 2)
    assert {"Ann Archer", "Dan Dale"} <= set(_names(setup)) and "Cat Carter" not in _names(setup)


def test_it_matches_people_on_email_when_there_is_no_reference(setup: Setup) -> None:
    client = _hr(setup)
    data = f"full_name,email,team\nNew Name,{setup.worker.email},East\n".encode()
    job = _upload(client, "people", "p.csv", data)
    client.post(reverse("training:import-confirm", args=[job.pk]))
    setup.worker.refresh_from_db()
    assert setup.worker.team == "East" and setup.worker.reference == "W1"
    assert Person.objects.for_org(setup.world.org).filter(email=setup.worker.email).count() == 1


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_dbs_checks_from_xlsx_with_renewal_dates(setup: Setup) -> None:
    client = _hr(setup)
    data = _xlsx([["person_reference", "level", "certificate_number", "issue_date", "update_service"],
                  ["W1", "Enhanced with barred lists", "001234567890", date(2024, 2, 29), "yes"],
                  ["NOPE", "enhanced", "12345", "31/02/2024", "maybe"]])
    job = _upload(client, "dbs", "dbs.xlsx", data)
    messages = [p["message"] for p in job.result["problems"]]
    assert "No one has the reference 'NOPE' (import them as people first)" in messages
    assert "The certificate number must be 12 digits" in messages
    assert "'31/02/2024' is not a date: write it like 31/12/2025" in messages
    client.post(reverse("training:import-confirm", args=[job.pk]), {"skip_bad_rows": "yes"})
    check = DBSCheck.objects.for_org(setup.world.org).get()
    assert check.renews_on == date(2027, 2, 28) and check.update_service


def test_it_imports_training_completions_once(setup: Setup) -> None:
    client = _hr(setup)
    data = b"person_reference,email,course,level,provider,completed_on,expires_on\nW1,,safeguarding,2,Acme,02/06/2025,\n"
    for _ in range(2):
        job = _upload(client, "training", "t.csv", data)
        client.post(reverse("training:import-confirm", args=[job.pk]))
    record = TrainingRecord.objects.for_org(setup.world.org).get()
    assert record.expires_on == date(2028, 6, 2) and record.provider == "Acme"


def test_it_refuses_a_file_without_the_needed_columns(setup: Setup) -> None:
    job = _upload(_hr(setup), "dbs", "dbs.csv", b"name,date\nx,y\n")
    job.refresh_from_db()
    assert job.status == "failed" and "no column called person_reference or email" in job.message


def test_it_refuses_a_file_that_is_not_a_spreadsheet(setup: Setup) -> None:
    response = _hr(setup).post(reverse("training:import"),
                               {"kind": "people", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "The spreadsheet must be a CSV, XLSX file" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_offers_templates_to_download(setup: Setup, fmt: str) -> None:
    response = _hr(setup).get(reverse("training:import-template", args=["people"]), {"format": fmt})
    assert response.status_code == 200 and f"people-import-template.{fmt}" in response["Content-Disposition"]


def test_it_runs_a_large_file_in_the_task_and_shows_progress(setup: Setup, monkeypatch) -> None:
    monkeypatch.setattr("training.views_import.INLINE_MAX_BYTES", 10)
    client = _hr(setup)
    job = _upload(client, "people", "people.csv", FIXED.encode())
    page = client.get(reverse("background:job", args=[job.pk])).content.decode()
    assert 'data-sg-refresh=' in page and "Waiting to start" in page and "Stop updating this page" in page
    still = client.get(reverse("background:job", args=[job.pk]), {"still": "1"}).content.decode()
    assert 'data-sg-refresh=' not in still and "Check again" in still  # WCAG 2.2.1: the user can stop it
    run_job(job.pk)  # what the worker does
    client.post(reverse("training:import-confirm", args=[job.pk]))
    assert 'data-sg-refresh=' in client.get(reverse("background:job", args=[job.pk])).content.decode()
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 4 and job.percent == 100


def test_it_never_imports_twice_from_one_job(setup: Setup) -> None:
    job = _upload(_hr(setup), "people", "people.csv", FIXED.encode())
    restart_step(job, "import")
    run_job(job.pk)
    run_job(job.pk)
    assert Person.objects.for_org(setup.world.org).filter(reference="E1").count() == 1


def test_it_imports_nothing_when_a_row_fails_half_way(setup: Setup, monkeypatch) -> None:
    from training import actions

    real = actions.do_save_person
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database hiccup")
        return real(*args, **kwargs)

    client = _hr(setup)
    job = _upload(client, "people", "people.csv", FIXED.encode())
    monkeypatch.setattr(actions, "do_save_person", flaky)
    client.post(reverse("training:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and "nothing was imported" in job.message
    assert not Person.objects.for_org(setup.world.org).filter(reference__in=["E1", "E2"]).exists()


def test_it_refuses_a_file_with_too_many_rows_without_reading_all_of_them(setup: Setup, monkeypatch) -> None:
    from training import imports

    data = _xlsx([["full_name"]] + [[f"Person {i}"] for i in range(3000)])  # type: ignore[arg-type]
    assert len(data) < 60_000  # small on disk, many rows inside
    real, read = imports.read_rows, {"rows": 0}

    def counting(data: bytes, name: str):
        headers, rows = real(data, name)

        def counted():
            for row in rows:
                read["rows"] += 1
                yield row

        return headers, counted()

    monkeypatch.setattr(imports, "read_rows", counting)
    monkeypatch.setattr(imports, "MAX_ROWS", 100)
    job = run_job(_upload(_hr(setup), "people", "many.xlsx", data).pk)  # large: the worker checks it
    assert job.status == "failed" and "more than 100 rows" in job.message
    assert read["rows"] == 101  # refused at the first row over the limit, the rest never read


def test_it_refuses_an_xlsx_that_unpacks_too_large_before_opening_it(setup: Setup, monkeypatch) -> None:
    import openpyxl

    from training import imports

    data = _xlsx([["full_name"]] + [["x" * 200] for _ in range(500)])  # type: ignore[arg-type]
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 50_000)
    job = run_job(_upload(_hr(setup), "people", "big.xlsx", data).pk)
    assert job.status == "failed" and "split it into smaller files" in job.message and not opened
