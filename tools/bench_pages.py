#!/usr/bin/env python
"""Count the queries of the main list pages and time them, for small and large data (not a test).

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> .venv/bin/python tools/bench_pages.py [N ...]

For each N (default 50 and 5000) it makes the test world (``tests.factories.make_world``), then
bulk-creates N cases (each with two people, an action and a referral) and N entries (each with two
people, half updated this month) on one register, and requests, signed in as a role that may see
them: the case list, my cases, the allocation queue, the register, the register counts and the
referrals report. It prints the queries of one request and the median time of five (after one
warm-up request). Everything is made in a transaction that is rolled back at the end, as in
``tools/bench_training_matrix.py``; the query count should not grow with N.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
# Development secret key and no HTTPS redirect, with DEBUG still off so templates run as in production.
os.environ.setdefault("SAFEGUARD_TESTING", "1")

REQUESTS = 5
STATUSES = ("reported", "allocated", "allocated", "closure_requested", "closed")
AGENCIES = ("adult_social_care", "childrens_services", "police", "health", "other")
OUTCOMES = ("awaiting", "accepted", "declined", "no_response")


def make_cases(world: Any, n: int) -> None:
    """N cases across both areas and departments: reported, allocated to the case officer, closing, closed."""
    from django.utils import timezone

    from cases.models import Action, Case, CasePerson
    from cases.referrals.models import Referral

    org, now, today = world.org, timezone.now(), timezone.localdate()
    reporter, officer = world.members["frontline"], world.members["case_officer"]
    areas, depts = (world.area, world.second_area), (world.department, world.second_department)
    cases = Case.all_orgs.bulk_create([Case(
        organisation=org, reference=f"SG-{i + 1:06d}", concern_type="safeguarding" if i % 2 else "wow",
        status=STATUSES[i % len(STATUSES)], area=areas[i % 2], department=depts[(i // 2) % 2],
        reported_by=reporter, reported_at=now - timedelta(hours=i), source="colleague",
        allocated_to=None if i % len(STATUSES) == 0 else officer,
        allocated_at=None if i % len(STATUSES) == 0 else now - timedelta(hours=i),
        closure_requested_at=now if STATUSES[i % len(STATUSES)] == "closure_requested" else None,
        closed_at=now if STATUSES[i % len(STATUSES)] == "closed" else None,
        immediate_risk=i % 7 == 0, what_happened=f"Concern number {i}: seen at the door looking unwell.",
        happened_on=today - timedelta(days=i % 60), next_action_due=today + timedelta(days=i % 30 - 10),
    ) for i in range(n)])
    CasePerson.all_orgs.bulk_create([CasePerson(
        organisation=org, case=c, person_type=kind, full_name=f"{kind.title()} Bench{i:05d}",
        is_household_lead=kind == "adult", tenancy_reference=f"T{i:05d}",
    ) for i, c in enumerate(cases) for kind in ("adult", "child")])
    Action.all_orgs.bulk_create([Action(
        organisation=org, case=c, action_type="visit", taken_on=today - timedelta(days=1),
        note="Visited the household.", next_due=today + timedelta(days=10), recorded_by=officer,
    ) for c in cases if c.allocated_to_id])
    Referral.all_orgs.bulk_create([Referral(
        organisation=org, case=c, agency=AGENCIES[i % len(AGENCIES)], reason="Needs an assessment.",
        decided_on=today - timedelta(days=i % 90), due_by=today - timedelta(days=i % 90 - 1),
        made_on=today - timedelta(days=i % 90), made_by=officer, outcome=OUTCOMES[i % len(OUTCOMES)],
        response_on=None if i % len(OUTCOMES) in (0, 3) else today, recorded_by=officer,
    ) for i, c in enumerate(cases)])


def make_entries(world: Any, n: int) -> Any:
    """N entries on the first area's register (one in ten with a child protection plan); the register."""
    from django.utils import timezone

    from registers.models import Entry, EntryPerson, EntryUpdate, Register

    org, today, nso = world.org, timezone.localdate(), world.members["nso"]
    register = Register.objects.for_org(org).get(area=world.area)
    entries = Entry.all_orgs.bulk_create([Entry(
        organisation=org, register=register, reference=f"R-{i + 1:06d}", household=f"Bench{i:05d} household",
        risk_level=("high", "medium", "low")[i % 3], risk="A known risk to the household.",
        department=world.department, cp_plan=i % 10 == 0, la_childrens_services=i % 4 == 0,
        status="closed" if i % 9 == 8 else "open", created_by=nso,
    ) for i in range(n)])
    EntryPerson.all_orgs.bulk_create([EntryPerson(
        organisation=org, entry=e, person_type=kind, full_name=f"{kind.title()} Bench{i:05d}",
    ) for i, e in enumerate(entries) for kind in ("adult", "child")])
    EntryUpdate.all_orgs.bulk_create([EntryUpdate(
        organisation=org, entry=e, month=today.replace(day=1), liaised_on=today, with_whom="The officer",
        what_changed="Nothing new.", recorded_by=nso,
    ) for e in entries[::2]])
    return register


def pages(world: Any, register: Any) -> list[tuple[str, str, Any]]:
    """(label, URL, who asks) for each page measured."""
    from django.urls import reverse

    m = world.members
    return [
        ("cases:list", reverse("cases:list"), m["safeguarding_manager"]),
        ("cases:mine", reverse("cases:mine"), m["case_officer"]),
        ("cases:triage", reverse("cases:triage"), m["safeguarding_manager"]),
        ("registers:register", reverse("registers:register", args=[register.pk]), m["safeguarding_manager"]),
        ("registers:counts", reverse("registers:counts"), m["board_member"]),
        ("referrals:report", reverse("referrals:report"), m["safeguarding_manager"]),
    ]


def measure(url: str, user: Any) -> tuple[int, int, float]:
    """Status code and queries of one request, and the median milliseconds of REQUESTS more."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code  # also the warm-up
    queries = len(ctx.captured_queries)  # now: the next request's start empties the log
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return status, queries, statistics.median(times)


def measure_daily_jobs() -> tuple[int, float]:
    """Queries of the daily flag run (the beat task) and the median milliseconds of three more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.tenancy.tasks import run_daily_flags

    with CaptureQueriesContext(connection) as ctx:
        run_daily_flags.run()  # the first run raises the flags; the next ones find them raised
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run_daily_flags.run()
        times.append((time.perf_counter() - start) * 1000)
    return len(ctx.captured_queries), statistics.median(times)


def bench(n: int) -> list[tuple[str, int, int, int, float]]:
    from django.db import connection, transaction

    from safeguard.tenancy import rls
    from tests.factories import make_world

    rows = []
    with transaction.atomic():
        world = make_world()
        make_cases(world, n)
        register = make_entries(world, n)
        with rls.as_owner(), connection.cursor() as cursor:  # fresh statistics, as autovacuum would give
            cursor.execute("ANALYZE cases_case, cases_caseperson, cases_action, referrals_referral, "
                           "registers_entry, registers_entryperson, registers_entryupdate")
        try:
            for label, url, user in pages(world, register):
                status, queries, ms = measure(url, user)
                rows.append((label, n, status, queries, ms))
            rows.append(("daily jobs", n, 0, *measure_daily_jobs()))
        finally:
            transaction.set_rollback(True)
    return rows


def compare_rls(n: int, rounds: int = 15) -> None:
    """Row-level security's overhead: the same requests and daily jobs, alternately with the
    policies applied (role safeguard_app) and bypassed (the superuser login), medians of ``rounds``."""
    from contextlib import contextmanager

    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    from safeguard.tenancy import rls
    from safeguard.tenancy.tasks import run_daily_flags
    from tests.factories import make_world

    @contextmanager
    def rls_off():
        with rls.as_owner():  # the superuser login: PostgreSQL skips the policies
            settings.SAFEGUARD_RLS = False
            try:
                yield
            finally:
                settings.SAFEGUARD_RLS = True

    with transaction.atomic():
        world = make_world()
        make_cases(world, n)
        register = make_entries(world, n)
        with rls.as_owner(), connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case, cases_caseperson, cases_action, referrals_referral, "
                           "registers_entry, registers_entryperson, registers_entryupdate")
        run_daily_flags.run()
        work = [(label, url, user) for label, url, user in pages(world, register) if label in
                {"cases:list", "cases:mine", "registers:register"}]
        for label, url, user in work:
            client = Client()
            client.force_login(user)
            client.get(url)
            on, off = [], []  # type: ignore[var-annotated]
            for _ in range(rounds):
                for sink, ctx in ((on, None), (off, rls_off)):
                    start = time.perf_counter()
                    if ctx is None:
                        client.get(url)
                    else:
                        with ctx():
                            client.get(url)
                    sink.append((time.perf_counter() - start) * 1000)
            print(f"{label:<20} {n:>6} rls on {statistics.median(on):8.1f} ms  off {statistics.median(off):8.1f} ms")
        on, off = [], []
        for _ in range(max(3, rounds // 3)):
            for sink, ctx in ((on, None), (off, rls_off)):
                start = time.perf_counter()
                if ctx is None:
                    run_daily_flags.run()
                else:
                    with ctx():
                        run_daily_flags.run()
                sink.append((time.perf_counter() - start) * 1000)
        print(f"{'daily jobs':<20} {n:>6} rls on {statistics.median(on):8.1f} ms  off {statistics.median(off):8.1f} ms")
        transaction.set_rollback(True)


def main(sizes: list[int]) -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from safeguard.tenancy import rls

    with rls.dangerously_all_orgs():  # set-up makes two organisations' data; each request narrows to one
        rows = [row for n in sizes for row in bench(n)]
    print(f"row-level security: {'on' if settings.SAFEGUARD_RLS else 'off (DATABASE_RLS=0)'}")
    print(f"{'page':<20} {'N':>6} {'status':>6} {'queries':>7} {'median ms':>9}")
    for label, n, status, queries, ms in sorted(rows, key=lambda r: (r[0], r[1])):
        print(f"{label:<20} {n:>6} {status:>6} {queries:>7} {ms:>9.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rls"]:  # tools/bench_pages.py --rls [N]: row-level security on vs off
        import django

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        from django.conf import settings

        from safeguard.tenancy import rls

        settings.ALLOWED_HOSTS = ["*"]
        with rls.dangerously_all_orgs():
            compare_rls(int(sys.argv[2]) if len(sys.argv) > 2 else 5000)
    else:
        main([int(arg) for arg in sys.argv[1:]] or [50, 5000])
