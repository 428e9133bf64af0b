#!/usr/bin/env python
"""Time the board dashboard for an organisation of 100,000 cases (not a test: run by hand).

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> .venv/bin/python tools/bench_dashboard.py [cases] [runs]
        [--keep] [--explain] [--live]

Builds a throwaway organisation with four areas and N cases (default 100,000) over two years, with
actions (a visit on every third case), referrals (every fifth, with outcomes and responses), register
entries and a board member; then requests the dashboard ``runs`` times (default 20) for each period
(month, quarter, year) and prints the median and p95 time and the number of queries. It also times the
annual report (PDF and XLSX). Everything it made is rolled back at the end, unless ``--keep``: then the
data set is committed once (organisation ``bench-keep``) and later runs with ``--keep`` reuse it.
``--live`` skips the nightly job that stores finished months (every figure then comes from the records).
``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of each statement of one yearly request, slowest first.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")


def make_data(n: int, stamp: str):
    """An organisation of four areas and ``n`` cases over two years, with actions, referrals and a board member."""
    from django.utils import timezone

    from cases.models import Action, Case, HarmCategory
    from cases.referrals.models import Referral
    from safeguard.tenancy.actions import RoleSpec, do_add_member, do_create_organisation
    from safeguard.tenancy.models import Area, Department, User

    org = do_create_organisation(name=f"Bench {stamp}", slug=f"bench-{stamp}",
                                 areas=["North", "South", "East", "West"], departments=["Housing", "Support"])
    board = User.objects.create_user(f"board-{stamp}@bench.invalid", "x" * 20, full_name="Bench Board")
    officer = User.objects.create_user(f"officer-{stamp}@bench.invalid", "x" * 20, full_name="Bench Officer")
    do_add_member(org, board, [RoleSpec("board_member")])
    do_add_member(org, officer, [RoleSpec("case_officer")])
    areas = list(Area.objects.for_org(org))
    dept = Department.objects.for_org(org).first()
    cats = HarmCategory.all_orgs.bulk_create([HarmCategory(organisation=org, name=f"Harm {i}") for i in range(8)])
    now = timezone.now()
    t0 = time.perf_counter()
    cases = Case.all_orgs.bulk_create([
        Case(organisation=org, reference=f"B-{i}", area=areas[i % 4], department=dept, reported_by=officer,
             allocated_to=officer, status="closed" if i % 3 == 0 else "allocated",
             reported_at=now - timedelta(days=(i * 7) % 730, hours=i % 24),
             closed_at=now - timedelta(days=(i * 7) % 700) if i % 3 == 0 else None,
             next_action_due=date.today() - timedelta(days=i % 20 - 10),
             concern_type="wow" if i % 4 == 0 else "safeguarding", source=["colleague", "neighbour",
                                                                            "self", "other_agency"][i % 4],
             is_colleague_allegation=i % 97 == 0, what_happened="Bench", happened_on=date(2025, 1, 1))
        for i in range(n)], batch_size=5000)
    through = Case.categories.through
    through.objects.bulk_create([through(case_id=c.pk, harmcategory_id=cats[i % 8].pk)
                                 for i, c in enumerate(cases)], batch_size=10000)
    Action.all_orgs.bulk_create([
        Action(organisation=org, case=c, action_type="visit", taken_on=date.today() - timedelta(days=i % 700),
               note="Visit", next_due=date.today(), recorded_by=officer)
        for i, c in enumerate(cases) if i % 3 == 0], batch_size=5000)
    Referral.all_orgs.bulk_create([
        Referral(organisation=org, case=c, agency=["childrens_services", "adult_social_care", "police"][i % 3],
                 agency_name=f"{areas[i % 4].name} Council", decided_on=date.today() - timedelta(days=i % 700),
                 due_by=date.today() - timedelta(days=i % 700 - 1),
                 made_on=date.today() - timedelta(days=i % 700), outcome=["accepted", "declined",
                                                                          "no_response", "awaiting"][i % 4],
                 response_on=date.today() - timedelta(days=max(0, i % 700 - 12)) if i % 4 < 2 else None,
                 recorded_by=officer)
        for i, c in enumerate(cases) if i % 5 == 0], batch_size=5000)
    print(f"made {n:,} cases with actions and referrals in {time.perf_counter() - t0:.1f}s")
    return org, board


class Statements:
    """Every statement the app sends while inside (the request handler resets Django's own query log)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any, float]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append((sql, params, (time.perf_counter() - start) * 1000))


def time_pages(client, runs: int) -> None:
    from django.db import connection

    client.get("/board/")
    for period in ("month", "quarter", "year"):
        times = []
        for _ in range(runs):
            statements = Statements()
            with connection.execute_wrapper(statements):
                start = time.perf_counter()
                response = client.get(f"/board/?period={period}")
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        sql_ms = sum(t for _, _, t in statements.seen)
        print(f"dashboard period={period}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"{len(statements.seen)} queries, {sql_ms:.0f} ms of them in SQL (last run; {runs} runs)")


def explain(client, org) -> None:
    """EXPLAIN ANALYZE each statement of one yearly request (as the page's organisation), slowest first."""
    from django.db import connection

    from safeguard.tenancy import rls

    statements = Statements()
    with connection.execute_wrapper(statements):
        client.get("/board/?period=year")
    with rls.org_scope(org), connection.cursor() as cursor:
        for sql, params, ms in sorted(statements.seen, key=lambda s: -s[2]):
            if not sql.lstrip("( ").upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(r[0] for r in cursor.fetchall())
            print(f"--- {ms:.1f} ms: {sql[:300]}\n{plan}\n")


def main(n: int, runs: int, *, keep: bool = False, show_plans: bool = False) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from governance.dashboard.models import BoardReport
    from governance.reports.make import make
    from safeguard.tenancy import rls
    from safeguard.tenancy.models import Organisation, User

    settings.ALLOWED_HOSTS = ["*"]

    class Rollback(Exception):
        pass

    def analyze() -> None:
        # As the tables' owner: the app's roles may not ANALYZE (PostgreSQL skips the tables with a warning,
        # and the planner then expects a handful of rows where there are 100,000).
        with rls.as_owner(), connection.cursor() as cursor:
            for table in ("cases_case", "cases_case_categories", "cases_action", "referrals_referral"):
                cursor.execute(f"ANALYZE {table}")

    def measure(org, board) -> None:
        from governance.dashboard.jobs import store_month_figures
        from governance.dashboard.models import MonthCategoryFigures, MonthFigures, StoredMonth

        if "--live" in sys.argv:  # as before the nightly job (rolled back with the rest)
            for model in (StoredMonth, MonthFigures, MonthCategoryFigures):
                model.all_orgs.filter(organisation=org).delete()
            print("no stored months: every figure from the records")
        else:  # the nightly job has stored the finished months (as in production)
            start = time.perf_counter()
            months = store_month_figures()
            print(f"nightly month figures: {months} months stored in {time.perf_counter() - start:.1f}s")
        client = Client()
        client.force_login(board)
        if show_plans:
            explain(client, org)
        time_pages(client, runs)
        report = BoardReport.objects.create(organisation=org, kind="annual", period_start=date(2025, 4, 1),
                                            period_end=date(2026, 3, 31))
        start = time.perf_counter()
        make(report)
        print(f"annual report (PDF and XLSX): {time.perf_counter() - start:.1f}s")

    if keep:
        # Set-up across organisations, committed once; each dashboard request narrows to its own organisation.
        with rls.dangerously_all_orgs():
            org = Organisation.objects.filter(slug="bench-keep").first()
            if org is None:
                with transaction.atomic():
                    org, board = make_data(n, "keep")
            analyze()  # every time: cheap, and the planner needs it
            board = User.objects.get(email="board-keep@bench.invalid")
            try:
                with transaction.atomic():
                    measure(org, board)
                    raise Rollback  # the report made
            except Rollback:
                pass
        return
    try:
        # Set-up across organisations (rolled back); each dashboard request narrows to its own organisation.
        with rls.dangerously_all_orgs(), transaction.atomic():
            org, board = make_data(n, f"{time.time():.0f}")
            analyze()
            measure(org, board)
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(numbers[0]) if numbers else 100_000, int(numbers[1]) if len(numbers) > 1 else 20,
         keep="--keep" in flags, show_plans="--explain" in flags)
