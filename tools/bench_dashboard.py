#!/usr/bin/env python
"""Time the board dashboard for an organisation of 100,000 cases (not a test: run by hand).

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> .venv/bin/python tools/bench_dashboard.py [cases] [runs]

Builds a throwaway organisation with four areas and N cases (default 100,000) over two years, with
actions (a visit on every third case), referrals (every fifth, with outcomes and responses), register
entries and a board member; then requests the dashboard ``runs`` times (default 20) for each period
(month, quarter, year) and prints the median and p95 time and the number of queries. It also times the
monthly board report (PDF and XLSX). Everything it made is rolled back at the end.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")


def main(n: int, runs: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.models import Action, Case, HarmCategory
    from cases.referrals.models import Referral
    from governance.dashboard.models import BoardReport
    from governance.reports.make import make
    from safeguard.tenancy.actions import RoleSpec, do_add_member, do_create_organisation
    from safeguard.tenancy.models import Area, Department, User

    settings.ALLOWED_HOSTS = ["*"]
    stamp = f"{time.time():.0f}"

    class Rollback(Exception):
        pass

    from safeguard.tenancy import rls

    try:
        # Set-up across organisations (rolled back); each dashboard request narrows to its own organisation.
        with rls.dangerously_all_orgs(), transaction.atomic():
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
            cursor = connection.cursor()
            cursor.execute("ANALYZE")
            client = Client()
            client.force_login(board)
            client.get("/board/")
            for period in ("month", "quarter", "year"):
                times = []
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as queries:
                        start = time.perf_counter()
                        response = client.get(f"/board/?period={period}")
                        times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
                print(f"dashboard period={period}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
                      f"{len(queries)} queries ({runs} runs)")
            report = BoardReport.objects.create(organisation=org, kind="annual", period_start=date(2025, 4, 1),
                                                period_end=date(2026, 3, 31))
            start = time.perf_counter()
            make(report)
            print(f"annual report (PDF and XLSX): {time.perf_counter() - start:.1f}s")
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
