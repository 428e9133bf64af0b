from __future__ import annotations

from datetime import date, timedelta

from training import actions
from training.compliance import current_policy, totals
from training.figures import compliance
from training.models import Person, add_years
from training.policy.compliance import DUE, EXPIRED, MISSING, OK, status_for

from .conftest import Setup


def test_it_renews_a_29_february_certificate_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_it_says_a_certificate_issued_exactly_three_years_ago_is_due_today() -> None:
    today = date(2026, 11, 23)
    renews = add_years(date(2023, 11, 23), 3)
    assert renews == today
    assert status_for(renews, today) == DUE
    assert status_for(renews - timedelta(days=1), today) == EXPIRED


def test_it_sorts_expiry_dates_into_the_four_states() -> None:
    today = date(2026, 1, 1)
    assert status_for(None, today) == MISSING
    assert status_for(today + timedelta(days=60), today) == DUE
    assert status_for(today + timedelta(days=61), today) == OK


def test_it_counts_requirements_met_in_sql(setup: Setup) -> None:
    today = date.today()
    actions.do_record_dbs(setup.worker, level="enhanced_barred", certificate_number="123456789012",
                          issued_on=today - timedelta(days=30), update_service=True, acting_user=None)
    actions.do_record_training(setup.worker, course=setup.course, level=2, completed_on=today, acting_user=None)
    actions.do_record_training(setup.manager, course=setup.course, level=1, completed_on=today, acting_user=None)
    people = Person.objects.for_org(setup.world.org)
    by_team = {r["team"]: r for r in totals(people, None, today, by="team")}
    # North: worker 2/2, manager 0/2 (level 1 is below the level 2 needed, no DBS).
    assert by_team["North"]["required"] == 4 and by_team["North"]["met"] == 2
    assert by_team["North"]["percent"] == 50


def test_it_gives_board_figures_per_department_and_role(setup: Setup) -> None:
    figures = compliance(setup.world.org)
    names = {d["name"] for d in figures["departments"]}
    assert names == {"Housing", "Support"}
    assert figures["organisation"]["percent"] == 0
    assert {r["name"] for r in figures["job_roles"]} == {"Housing Officer", "No job role"}


def test_it_counts_the_current_policy_for_people_with_a_login(setup: Setup) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    org = setup.world.org
    version = actions.do_publish_policy(org, label="v1", document=SimpleUploadedFile("p.pdf", b"%PDF-1.4"),
                                        review_on=date(2027, 1, 1), acting_user=None)
    actions.do_sign_policy(setup.worker, version, acting_user=setup.world.members["frontline"])
    row = totals(Person.objects.for_org(org).filter(pk=setup.worker.pk), current_policy(org), date.today())[0]
    assert row["required"] == 3 and row["met"] == 1


def test_it_counts_expired_due_and_missing_cells_in_sql_as_the_matrix_shows_them(setup: Setup) -> None:
    from training.compliance import COUNTED, build_rows, columns_for, status_counts
    from training.exports import requirements_for

    today = date.today()
    # worker: DBS due soon, course expired; manager: a lower DBS (does not count), course level too low;
    # volunteer: nothing at all (both missing); hr: no job role (nothing needed).
    actions.do_record_dbs(setup.worker, level="enhanced", certificate_number="123456789012",
                          issued_on=today - timedelta(days=3 * 365 - 20), update_service=False, acting_user=None)
    actions.do_record_dbs(setup.manager, level="standard", certificate_number="123456789013",
                          issued_on=today - timedelta(days=30), update_service=False, acting_user=None)
    actions.do_record_training(setup.worker, course=setup.course, level=2, completed_on=today - timedelta(days=5000),
                               acting_user=None)
    actions.do_record_training(setup.manager, course=setup.course, level=1, completed_on=today, acting_user=None)
    org = setup.world.org
    people = Person.objects.for_org(org).filter(is_active=True)
    requirements = requirements_for(org.pk, None)
    expected = {"dbs": dict.fromkeys(COUNTED, 0), "course": dict.fromkeys(COUNTED, 0)}
    columns = [c for c in columns_for(org, requirements, None) if c.key != "policy"]
    for row in build_rows(list(people.select_related("job_role")), columns, requirements, None, today):
        for cell in row.cells:
            if cell["status"] in COUNTED:
                expected["dbs" if cell["key"] == "dbs" else "course"][cell["status"]] += 1
    counts = status_counts(people, requirements, None, today, org)
    assert counts == expected
    assert counts["dbs"][MISSING] == 2 and counts["course"][EXPIRED] == 1 and counts["course"][MISSING] == 2
