"""PostgreSQL row-level security: a second wall under tenant scoping (issue 8, item 13).

Every table with an ``organisation_id`` column has row-level security enabled and
*forced* (the table owner is held to it too), with one policy::

    organisation_id = NULLIF(current_setting('safeguard.org_id', true), '')::bigint

so a query sees and writes only the rows of the organisation set on its database
session, whatever its WHERE clause says. ``apply_policies`` (run after every
``migrate``) gives each such table, including any added later, its policy.

Who runs the queries. Superusers and roles with BYPASSRLS ignore policies, so
the app works through two roles (``migrations/0006_rls_roles`` creates them where
it may; production creates them with ``docker/postgres/init-roles.sh``)::

    safeguard_app   NOBYPASSRLS  every request, and every job for one organisation
    safeguard_jobs  BYPASSRLS    only inside dangerously_all_orgs()

Each database connection runs ``SET ROLE safeguard_app`` with no organisation
when it opens: it sees no tenant row at all until told whose rows it works on.
The only ways to change that are the three context managers below:

* ``org_scope(org)``: one organisation's work. ``RowLevelSecurityMiddleware``
  opens one (no organisation yet) around every request; ``TenantMiddleware``
  names the organisation with ``use_org`` where it sets ``request.org``. Jobs that
  work for one organisation (imports, exports) use it too.
* ``dangerously_all_orgs()``: ``SET ROLE safeguard_jobs``. For work that crosses
  organisations on purpose: beat jobs, e-mail sweeps, the platform admin, the
  person's own memberships in the middleware, an invitation found by its token,
  management commands. ``tools/check_scoping.py`` keeps it out of views.
* ``as_owner()``: the login role itself, for ``migrate`` and ``flush`` (DDL).

Each context restores the previous state on exit, and a pooled connection
(``conn_max_age``) never carries one request's organisation into the next:
the request's scope resets it, and a new connection starts with none.

This wall catches a query written wrongly (a missing ``for_org``, raw SQL, a
relation followed into another organisation). It is not a boundary against SQL
chosen by an attacker: the app's role may switch to ``safeguard_jobs``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

APP_ROLE = "safeguard_app"
JOBS_ROLE = "safeguard_jobs"
ORG_SETTING = "safeguard.org_id"
POLICY = "safeguard_org_isolation"
POLICY_EXPRESSION = f"organisation_id = NULLIF(current_setting('{ORG_SETTING}', true), '')::bigint"


@dataclass(frozen=True)
class State:
    mode: str  # "org": safeguard_app, seeing org_id's rows (none if None); "all": safeguard_jobs; "owner"
    org_id: int | None = None


NO_ORG = State("org")
ALL_ORGS = State("all")
OWNER = State("owner")
_state: ContextVar[State] = ContextVar("safeguard_rls_state", default=NO_ORG)
_in_request: ContextVar[bool] = ContextVar("safeguard_rls_in_request", default=False)


def enabled() -> bool:
    return bool(getattr(settings, "SAFEGUARD_RLS", False))


def current() -> State:
    return _state.get()


def _settings_for(state: State) -> tuple[str, str]:
    if state.mode == "owner":
        return "none", ""  # RESET ROLE: the login role
    if state.mode == "all":
        return JOBS_ROLE, ""
    return APP_ROLE, "" if state.org_id is None else str(int(state.org_id))


def _execute(raw: Any, state: State) -> None:
    role, org = _settings_for(state)
    with raw.cursor() as cursor:
        cursor.execute("SELECT set_config('role', %s, false), set_config(%s, %s, false)", [role, ORG_SETTING, org])


def _apply(*, leaving: bool = False) -> None:
    """Put the open connection (if any) in the current state; a new one gets it when it opens.

    Statements go to the driver's connection directly: they are session state,
    not queries of a page, and do not count in ``django_assert_num_queries``.
    """
    if not enabled():
        return
    connection = connections[DEFAULT_DB_ALIAS]
    raw = connection.connection
    if raw is None or raw.closed:
        return
    if leaving:
        from psycopg.pq import TransactionStatus

        if raw.info.transaction_status == TransactionStatus.INERROR:
            # The failed transaction's rollback undoes what was set inside it,
            # which puts the session back in the state of the enclosing context.
            return
        try:
            _execute(raw, _state.get())
        except Exception:
            # Never leave a connection in a wider state than its context:
            # closing it means the next query opens one in the right state.
            connection.close()
            raise
        return
    _execute(raw, _state.get())


@contextmanager
def _entered(state: State) -> Iterator[None]:
    token = _state.set(state)
    try:
        _apply()
        yield
    finally:
        _state.reset(token)
        _apply(leaving=True)


def org_scope(org: Any) -> Any:
    """Work of one organisation (``org`` an Organisation, its id, or None for no rows at all)."""
    org_id = getattr(org, "pk", org)
    return _entered(State("org", None if org_id is None else int(org_id)))


def dangerously_all_orgs() -> Any:
    """Cross-organisation work on purpose: beat jobs, the platform admin, commands. Never a view's own query."""
    return _entered(ALL_ORGS)


def as_owner() -> Any:
    """The login role, for migrations and ``flush`` only."""
    return _entered(OWNER)


def use_org(org: Any) -> None:
    """Within the request's scope: the organisation the rest of the request works in."""
    if not _in_request.get():
        return  # no request scope to end it (a middleware called on its own, in a test)
    org_id = getattr(org, "pk", org)
    _state.set(State("org", None if org_id is None else int(org_id)))
    _apply()


def use_all_orgs() -> None:
    """Within the request's scope: the platform admin, which crosses organisations by design."""
    if not _in_request.get():
        return
    _state.set(ALL_ORGS)
    _apply()


def org_of(model: Any, pk: Any) -> int | None:
    """The organisation of one row of a tenant model, for a job about to work for it."""
    with dangerously_all_orgs():
        org_id: int | None = model.all_orgs.filter(pk=pk).values_list("organisation_id", flat=True).first()
        return org_id


# --- Hooks ---------------------------------------------------------------------------------------

def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Every new connection starts in the current context's state (no organisation, outside one)."""
    if not enabled() or connection.alias != DEFAULT_DB_ALIAS:
        return
    try:
        _execute(connection.connection, _state.get())
    except Exception as exc:
        connection.connection.rollback()
        raise ImproperlyConfigured(
            f"Row-level security needs the PostgreSQL roles {APP_ROLE} and {JOBS_ROLE}, and the login "
            f"role allowed to SET ROLE to them ({exc}). Create them as the README says, or run "
            "'manage.py migrate' once as a superuser."
        ) from exc


class RowLevelSecurityMiddleware:
    """Opens the request's scope: no organisation until TenantMiddleware names one.

    The platform admin (staff only) crosses organisations by design and runs with
    ``dangerously_all_orgs``; its own querysets still limit an operator to the
    organisations they are a member of.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _in_request.set(True)
        try:
            with org_scope(None):
                return self.get_response(request)
        finally:
            _in_request.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        from django.urls import reverse

        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.is_staff
                and request.path.startswith(reverse("admin:index"))):
            use_all_orgs()


# --- Policies ---------------------------------------------------------------------------------------

def tenant_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t"
        " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND c.column_name = 'organisation_id'"
        " AND t.table_type = 'BASE TABLE' ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def missing_policies(cursor: Any) -> list[tuple[str, bool, bool, bool]]:
    """Tenant tables lacking any of: RLS enabled, RLS forced, the policy. One catalog query."""
    cursor.execute(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, EXISTS(SELECT 1 FROM pg_policies p"
        "  WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = %s)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        " AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS(SELECT 1 FROM pg_policies p"
        "  WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = %s))"
        " ORDER BY 1",
        [POLICY, POLICY],
    )
    return [tuple(row) for row in cursor.fetchall()]


def apply_policies(sender: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate (also sent by ``flush``): every tenant table gets RLS enabled, forced and its
    policy, and the roles DML on every table. Runs once per migrate (all tables exist by then), and
    locks no table when nothing is missing."""
    if sender is not None and getattr(sender, "label", None) != "tenancy":
        return
    connection = connections[using]
    if connection.vendor != "postgresql" or not enabled():
        return
    with connection.cursor() as cursor:
        for table, enabled_, forced, has_policy in missing_policies(cursor):
            name = connection.ops.quote_name(table)
            if not has_policy:
                cursor.execute(f"CREATE POLICY {POLICY} ON {name} USING ({POLICY_EXPRESSION})"
                               f" WITH CHECK ({POLICY_EXPRESSION})")
            if not enabled_:
                cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            if not forced:
                cursor.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", [APP_ROLE, JOBS_ROLE])
        if cursor.fetchone()[0] == 2:
            roles = f"{APP_ROLE}, {JOBS_ROLE}"
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {roles}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {roles}")
