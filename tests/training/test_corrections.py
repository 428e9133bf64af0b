"""Correcting DBS checks and training records, and marking them entered in error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from training import actions
from training.compliance import build_rows, columns_for, current_policy, today
from training.figures import compliance
from training.jobs import current_dbs
from training.models import DBSCheck, Requirement, TrainingRecord, add_years

from .conftest import Setup, years_ago


def _hr(setup: Setup, role: str = Role.HR_LD) -> Client:
    client = Client()
    client.force_login(setup.world.members[role])
    return client


def _check(setup: Setup, issued_on: date) -> DBSCheck:
    return actions.do_record_dbs(setup.worker, level="enhanced", certificate_number="123456781234",
                                 issued_on=issued_on, update_service=False, acting_user=None)[0]


def _record(setup: Setup, completed_on: date) -> TrainingRecord:
    return actions.do_record_training(setup.worker, course=setup.course, level=2, completed_on=completed_on,
                                      acting_user=None)[0]


def _cells(setup: Setup) -> dict[str, str]:
    org = setup.world.org
    requirements = list(Requirement.objects.for_org(org).filter(job_role=setup.role).select_related("course"))
    columns = columns_for(org, requirements, current_policy(org))
    row = build_rows([setup.worker], columns, requirements, current_policy(org), today())[0]
    return {c["key"]: c["status"] for c in row.cells}


def _dbs_post(check: DBSCheck, issued_on: date, version: int, number: str = "123456781234") -> dict[str, object]:
    return {"level": "enhanced", "certificate_number": number, "issued_on": issued_on.isoformat(),
            "version": version}


def test_it_recomputes_the_renewal_and_the_matrix_cell_when_a_dbs_check_is_corrected(setup: Setup) -> None:
    check = _check(setup, years_ago(5))
    assert _cells(setup)["dbs"] == "expired"
    fixed = date.today() - timedelta(days=30)
    response = _hr(setup).post(reverse("training:dbs-edit", args=[check.pk]), _dbs_post(check, fixed, check.version))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.issued_on == fixed and check.renews_on == add_years(fixed, setup.world.org.dbs_renewal_years)
    assert _cells(setup)["dbs"] == "ok" and check.history.count() == 2
    assert AuditEvent.objects.for_org(setup.world.org).filter(action="training.dbs_changed", object_id=check.pk).exists()
    page = _hr(setup).get(reverse("training:person", args=[setup.worker.pk])).content.decode()
    assert f"{check.renews_on:%-d %b %Y}" in page


def test_it_recomputes_the_expiry_and_the_matrix_cell_when_a_training_record_is_corrected(setup: Setup) -> None:
    record = _record(setup, years_ago(5))
    key = f"course:{setup.course.pk}"
    assert _cells(setup)[key] == "expired"
    fixed = date.today() - timedelta(days=3)
    response = _hr(setup).post(reverse("training:training-edit", args=[record.pk]), {
        "course": setup.course.pk, "level": 2, "completed_on": fixed.isoformat(), "version": record.version})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.expires_on == add_years(fixed, setup.world.org.training_refresh_years)
    assert _cells(setup)[key] == "ok"


def test_it_checks_a_corrected_record_like_a_new_one(setup: Setup) -> None:
    record = _record(setup, years_ago(1))
    page = _hr(setup).post(reverse("training:training-edit", args=[record.pk]), {
        "course": setup.course.pk, "level": 7, "completed_on": "2999-01-01", "version": record.version,
    }).content.decode()
    assert "The completion date must be today or in the past" in page and "has only 3 levels" in page


def test_it_refuses_a_concurrent_edit_and_keeps_what_was_typed(setup: Setup) -> None:
    check = _check(setup, years_ago(1))
    url, opened = reverse("training:dbs-edit", args=[check.pk]), check.version
    _hr(setup).post(url, _dbs_post(check, years_ago(2), opened))
    page = _hr(setup).post(url, _dbs_post(check, years_ago(1), opened, number="999988887777")).content.decode()
    assert "Someone else changed this record while you were editing" in page and 'value="999988887777"' in page
    check.refresh_from_db()
    assert check.issued_on == years_ago(2) and check.certificate_number == "123456781234"


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN, Role.CASE_MANAGER, Role.FRONTLINE])
def test_it_refuses_corrections_to_anyone_but_hr(setup: Setup, role: str) -> None:
    check, record = _check(setup, years_ago(1)), _record(setup, years_ago(1))
    for url in (reverse("training:dbs-edit", args=[check.pk]), reverse("training:dbs-error", args=[check.pk]),
                reverse("training:training-edit", args=[record.pk]),
                reverse("training:training-error", args=[record.pk])):
        assert _hr(setup, role).post(url, {"reason": "x", "version": 0}).status_code == 403
    assert not DBSCheck.objects.for_org(setup.world.org).exclude(entered_in_error_at=None).exists()


def test_it_gives_404_for_another_organisations_record(setup: Setup) -> None:
    check, record = _check(setup, years_ago(1)), _record(setup, years_ago(1))
    outsider = Client()
    outsider.force_login(setup.world.outsider)  # HR in the other organisation
    for url in (reverse("training:dbs-edit", args=[check.pk]), reverse("training:training-error", args=[record.pk])):
        assert outsider.get(url).status_code == 404


def test_it_stops_counting_a_record_marked_entered_in_error(setup: Setup) -> None:
    check, record = _check(setup, years_ago(1)), _record(setup, years_ago(1))
    before = compliance(setup.world.org)["organisation"]["met"]
    assert _cells(setup)["dbs"] == "ok" and current_dbs().filter(pk=check.pk).exists()
    client = _hr(setup)
    response = client.post(reverse("training:dbs-error", args=[check.pk]),
                           {"reason": "Recorded against the wrong person", "version": check.version})
    assert response.status_code == 302
    client.post(reverse("training:training-error", args=[record.pk]), {"reason": "Duplicate", "version": 0})
    assert _cells(setup)["dbs"] == "missing" and _cells(setup)[f"course:{setup.course.pk}"] == "missing"
    assert not current_dbs().filter(pk=check.pk).exists()
    assert compliance(setup.world.org)["organisation"]["met"] == before - 2
    check.refresh_from_db()
    assert check.in_error and check.error_reason == "Recorded against the wrong person" and check.history.count() == 2
    page = client.get(reverse("training:person", args=[setup.worker.pk])).content.decode()
    assert "Records entered in error" in page and "Recorded against the wrong person" in page
    assert client.get(reverse("training:dbs-edit", args=[check.pk])).status_code == 404
    # The same certificate can be entered again, correctly.
    assert _check(setup, years_ago(1)).pk != check.pk


def test_it_asks_why_a_record_was_entered_in_error(setup: Setup) -> None:
    check = _check(setup, years_ago(1))
    page = _hr(setup).post(reverse("training:dbs-error", args=[check.pk]), {"reason": "", "version": 0})
    assert "Say why the record was entered in error" in page.content.decode()
    check.refresh_from_db()
    assert not check.in_error


def test_it_links_to_corrections_from_the_persons_page_for_hr_only(setup: Setup) -> None:
    check = _check(setup, years_ago(1))
    url = reverse("training:person", args=[setup.worker.pk])
    assert reverse("training:dbs-edit", args=[check.pk]) in _hr(setup).get(url).content.decode()
    assert reverse("training:dbs-edit", args=[check.pk]) not in _hr(setup, Role.SAFEGUARDING_MANAGER).get(url).content.decode()
