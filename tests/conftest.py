from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import World, make_world


@pytest.fixture(scope="session", autouse=True)
def _test_code_crosses_organisations():
    """Row-level security is on in every test. Test set-up and assertions make and read
    both organisations' data, like a management command: they run in the named bypass.
    Every request (the test client, the live server) and every per-organisation job
    narrows to one organisation as in production."""
    from safeguard.tenancy import rls

    with rls.dangerously_all_orgs():
        yield


@pytest.fixture(autouse=True)
def _clean_state(settings):
    settings.AXES_ENABLED = True
    # The idle time-out moves on once a minute (a session write); a slow test comparing query counts
    # must not see it. tests/tenancy/test_accounts.py sets it back to test it.
    settings.SESSION_REFRESH_SECONDS = 24 * 3600
    cache.clear()


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world per test module, for read-mostly suites such as the access matrix.

    It is built once inside a transaction that is rolled back when the module
    ends; each test (with the ``db`` fixture) runs in a savepoint within it, so
    what a test changes is undone before the next one.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield make_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def matrix_world(shared_world, db) -> World:
    return shared_world
