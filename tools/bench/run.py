"""Measure every key page, the signed-in floor and the daily jobs on a generated data set.

    .venv/bin/python -m tools.bench run [--requests 20]

For a member of the largest and of the smallest organisation it requests each key page in-process
(Django's test client, DEBUG off, templates as in production) and reports the queries of one request,
p50 and p95 of ``--requests`` requests after a warm-up, and the limit: the same SQL statements run again
straight on the database (the time no page can beat). It then times the signed-in floor against the
anonymous ``/health/``, and the daily flag jobs (first run, inside a transaction that is rolled back)
with the worker's memory growth. It prints a table with each figure and its target.
"""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import Client

PAGE_TARGET_MS = 150.0


@dataclass
class Row:
    what: str
    queries: int | str
    p50: float
    p95: float
    limit: float | None
    target: str

    def met(self) -> str:
        if self.target.startswith("p95"):
            return "yes" if self.p95 <= float(self.target.split()[-1].rstrip("ms")) else "NO"
        return ""


class Recorder:
    """Every statement run on the connection while it is installed (an execute wrapper, so it survives the
    request handler resetting the query log and reconnecting)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def _sql_time(statements: list[tuple[str, object]]) -> float:
    """The time to run a page's SELECTs again, statement by statement, in milliseconds."""
    total = 0.0
    with connection.cursor() as cursor:  # scoping: re-running the page's own statements, read-only
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            t0 = time.perf_counter()
            cursor.execute(sql, params)  # type: ignore[arg-type]
            cursor.fetchall()
            total += (time.perf_counter() - t0) * 1000
    return total


def measure(client: Client, path: str, requests: int) -> tuple[int, float, float, float]:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        client.get(path)
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    limit = statistics.median([_sql_time(recorder.statements) for _ in range(3)])
    return len(recorder.statements), statistics.median(times), p95, limit


def _member(org_id: int, role: str) -> object:
    from safeguard.tenancy.models import Membership

    membership = (Membership.objects.for_org(org_id).filter(role_assignments__role=role, is_active=True)
                  .select_related("user").order_by("pk").first())
    if membership is None:
        raise SystemExit(f"No {role} in organisation {org_id}: generate the data set first")
    return membership.user


def pages_for(org_id: int) -> list[tuple[str, str, str]]:
    """(role, label, path) of every key page of one organisation."""
    from cases.models import Case
    from registers.models import Register

    register = Register.objects.for_org(org_id).order_by("pk").first()
    busiest = (Case.objects.for_org(org_id).filter(allocated_to__isnull=False).order_by("-pk").first())
    today = time.localtime()
    pages = [
        ("case_manager", "case list", "/cases/"),
        ("case_manager", "allocation queue", "/cases/to-allocate/"),
        ("case_officer", "my cases", "/cases/mine/"),
        ("case_manager", "case page", f"/cases/{busiest.pk}/" if busiest else "/cases/"),
        ("safeguarding_manager", "referrals report", "/referrals/report/"),
        ("nso", "register", f"/registers/{register.pk}/" if register else "/registers/"),
        ("dsl", "DSL review", f"/registers/{register.pk}/reviews/{today.tm_year}/{today.tm_mon}/"
         if register else "/registers/"),
        ("safeguarding_manager", "register counts", "/registers/counts/"),
        ("hr_ld", "training matrix", "/training/matrix/"),
    ]
    pages += [(role, f"home ({role})", "/") for role in ("frontline", "case_officer", "case_manager",
                                                          "safeguarding_manager", "hr_ld", "board_member")]
    return pages


def run(requests: int = 20, say: Callable[[str], None] = print) -> list[Row]:
    from django.db.models import Count, OuterRef, Subquery

    from cases.models import Case
    from safeguard.tenancy.models import Organisation

    n_cases = (Case.all_orgs.filter(organisation=OuterRef("pk")).order_by().values("organisation")
               .annotate(n=Count("pk")).values("n"))
    orgs = list(Organisation.objects.filter(slug__startswith="bench-").annotate(n=Subquery(n_cases))
                .order_by("-n"))
    if not orgs:
        raise SystemExit("No benchmark organisations: run `python -m tools.bench generate` first")
    rows: list[Row] = []
    for org, label in ((orgs[0], "largest"), (orgs[-1], "small")):
        say(f"{label} organisation: {org.name} ({org.n:,} cases)")
        clients: dict[str, Client] = {}
        for role, page, path in pages_for(org.pk):
            if role not in clients:
                clients[role] = Client()
                clients[role].force_login(_member(org.pk, role))  # type: ignore[arg-type]
            queries, p50, p95, limit = measure(clients[role], path, requests)
            rows.append(Row(f"{page} — {label}", queries, p50, p95, limit, f"p95 ≤ {PAGE_TARGET_MS:.0f}ms"))
            say(f"  {page}: {queries} queries, p50 {p50:.0f} ms, p95 {p95:.0f} ms, SQL {limit:.1f} ms")
    anonymous = Client()
    _, health50, health95, _ = measure(anonymous, "/health/", requests)
    floor_client = Client()
    floor_client.force_login(_member(orgs[-1].pk, "frontline"))  # type: ignore[arg-type]
    q, floor50, floor95, floor_sql = measure(floor_client, "/account/", requests)
    rows.append(Row("signed-in floor (/account/) vs anonymous /health/", q, floor50, floor95, health50,
                    f"≤ 4× /health/ ({4 * health50:.1f}ms)"))
    rows.append(daily_jobs(say))
    return rows


def daily_jobs(say: Callable[[str], None]) -> Row:
    """The first run of every daily flag job, rolled back afterwards; with the process's memory growth."""
    from safeguard.tenancy.tasks import run_daily_flags

    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    recorder = Recorder()
    with transaction.atomic():
        with connection.execute_wrapper(recorder):
            run_daily_flags()
        elapsed = (time.perf_counter() - t0) * 1000
        transaction.set_rollback(True)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    say(f"  daily jobs: {len(recorder.statements)} statements, {elapsed:.0f} ms, memory +{grown:.0f} MB")
    return Row(f"daily jobs, first run (memory +{grown:.0f} MB)", len(recorder.statements), elapsed, elapsed,
               None, "≤ 50 MB growth")


def table(rows: list[Row]) -> str:
    lines = ["| what | queries | p50 ms | p95 ms | SQL limit ms | target | met |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        limit = f"{r.limit:.1f}" if r.limit is not None else "—"
        lines.append(f"| {r.what} | {r.queries} | {r.p50:.0f} | {r.p95:.0f} | {limit} | {r.target} | {r.met()} |")
    return "\n".join(lines)
