"""PostgreSQL row-level security under the tenant scoping (issue 8, item 13)."""

from __future__ import annotations

import inspect

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.test import Client, override_settings

from cases import actions as case_actions
from cases.models import Case
from safeguard.tenancy import rls
from safeguard.tenancy.roles import Role
from tests.cases.helpers import concern, report
from tests.factories import World


def _other_case(world: World) -> Case:
    data = concern(world, area_id=world.other_area.pk, department_id=world.other_department.pk)
    return case_actions.do_report_concern(world.other_org, data, acting_user=world.outsider)


def _uncovered_tables() -> list[str]:
    with connection.cursor() as cursor:
        return [row[0] for row in rls.missing_policies(cursor)]


@pytest.mark.django_db
def test_it_has_row_level_security_enabled_forced_and_a_policy_on_every_tenant_table() -> None:
    with connection.cursor() as cursor:
        tables = rls.tenant_tables(cursor)
    assert {"cases_case", "cases_caseperson", "registers_entry", "training_person", "tenancy_membership",
            "tenancy_auditevent", "cases_historicalcase"} <= set(tables)
    assert _uncovered_tables() == []


@pytest.mark.django_db
def test_it_finds_a_new_tenant_table_without_a_policy_and_post_migrate_gives_it_one() -> None:
    with rls.as_owner(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE rls_probe_newthing (id bigint PRIMARY KEY, organisation_id bigint NOT NULL)")
        assert _uncovered_tables() == ["rls_probe_newthing"]  # what the test above would then fail on
        rls.apply_policies()
        assert _uncovered_tables() == []
        transaction.set_rollback(True)


@override_settings(ROOT_URLCONF="tests.tenancy.rls_urls")
def test_it_returns_nothing_of_another_organisation_to_a_wrongly_written_query_in_a_request(world: World) -> None:
    mine, theirs = report(world), _other_case(world)
    client = Client()
    client.force_login(world.members[Role.SAFEGUARDING_MANAGER])
    found = client.get("/rls-probe/", {"other": world.other_org.pk}).json()
    assert found["every"] == [mine.pk]
    assert found["theirs"] == [] and found["their_people"] == 0
    assert found["overwritten"] == 0
    assert found["orm"] == [mine.pk]
    assert found["role"] == rls.APP_ROLE and found["bypasses"] is False
    theirs.refresh_from_db()
    assert theirs.what_happened != "overwritten"
    # The other organisation's member sees theirs only, on the same pooled connection.
    client.force_login(world.outsider)
    assert client.get("/rls-probe/", {"other": world.org.pk}).json()["every"] == [theirs.pk]


@override_settings(ROOT_URLCONF="tests.tenancy.rls_urls")
def test_it_shows_no_tenant_rows_at_all_to_a_request_without_an_organisation(world: World) -> None:
    report(world), _other_case(world)
    anonymous = Client().get("/rls-probe/", {"other": world.org.pk}).json()
    assert anonymous["every"] == [] and anonymous["orm"] == []
    nobody = Client()
    nobody.force_login(world.nobody)
    assert nobody.get("/rls-probe/", {"other": world.org.pk}).json()["every"] == []


def test_it_leaves_no_organisation_on_the_connection_after_a_request(world: World) -> None:
    client = Client()
    client.force_login(world.members[Role.SAFEGUARDING_MANAGER])
    assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true), current_user", [rls.ORG_SETTING])
        org, role = cursor.fetchone()
    assert org in ("", None)
    assert role == rls.JOBS_ROLE  # back in the test's own (named) bypass, not the request's state


def test_it_refuses_to_write_a_row_into_another_organisation_inside_one_organisations_scope(world: World) -> None:
    from safeguard.tenancy.models import Area

    with (rls.org_scope(world.other_org), pytest.raises(ProgrammingError, match="row-level security"),
          transaction.atomic()):
        Area.all_orgs.create(organisation=world.org, name="Planted")
    assert not Area.all_orgs.filter(name="Planted").exists()


def test_it_narrows_jobs_for_one_organisation_and_restores_the_outer_state(world: World) -> None:
    mine, theirs = report(world), _other_case(world)
    with rls.org_scope(world.org):
        assert list(Case.all_orgs.values_list("pk", flat=True)) == [mine.pk]
        with rls.dangerously_all_orgs():
            assert sorted(Case.all_orgs.values_list("pk", flat=True)) == sorted([mine.pk, theirs.pk])
        assert list(Case.all_orgs.values_list("pk", flat=True)) == [mine.pk]
    with rls.org_scope(None):
        assert not Case.all_orgs.exists()
    assert Case.all_orgs.count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_gives_a_new_connection_the_state_of_its_context() -> None:
    from tests.factories import make_world

    world = make_world()
    mine = report(world)
    _other_case(world)
    with rls.org_scope(world.org):
        connection.close()  # as conn_max_age or a dropped connection would
        assert list(Case.all_orgs.values_list("pk", flat=True)) == [mine.pk]
    connection.close()
    assert Case.all_orgs.count() == 2


def test_every_task_and_command_names_its_row_level_security_path() -> None:
    """A Celery task or command runs with no organisation unless it says which: each must say."""
    from celery import current_app
    from django.core.management import get_commands, load_command_class

    import safeguard.celery  # noqa: F401 - registers the tasks

    current_app.loader.import_default_modules()
    ours = [t for name, t in current_app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) >= 6
    # A task touching no tenant table says so with a "# rls: <reason>" comment.
    silent = [name for name, task in current_app.tasks.items() if not name.startswith("celery.")
              and not any(word in inspect.getsource(task.run)
                          for word in ("rls.org_scope", "rls.dangerously_all_orgs", "# rls:"))]
    assert silent == []
    commands = {name: app for name, app in get_commands().items()
                if app.split(".")[0] in {"safeguard", "cases", "registers", "training", "governance"}}
    silent = [name for name, app in commands.items()
              if not any(word in inspect.getsource(type(load_command_class(app, name))) for word in ("rls.", "# rls:"))]
    assert silent == []
