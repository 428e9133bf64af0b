#!/usr/bin/env python
"""Time the training matrix and its totals for 5,000 people (not a test: run by hand).

    DATABASE_URL=postgres://root@127.0.0.1:5432/<db> .venv/bin/python tools/bench_training_matrix.py [people]

Builds a throwaway organisation with N people (default 5,000), a DBS check and a
training record each, then times the matrix page as an HR member and counts its
queries. Everything it made is deleted at the end.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")


def main(n: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safeguard.tenancy.actions import RoleSpec, do_add_member, do_create_organisation
    from safeguard.tenancy.models import User
    from training import actions
    from training.models import DBSCheck, Person, TrainingRecord

    settings.ALLOWED_HOSTS = ["*"]
    with transaction.atomic():
        org = do_create_organisation(name=f"Bench {time.time():.0f}", departments=["Housing"])
        hr = User.objects.create_user(f"bench-{time.time():.0f}@bench.invalid", "x" * 20, full_name="Bench HR")
        do_add_member(org, hr, [RoleSpec("hr_ld")])
        course = actions.do_save_course(org, name="Safeguarding", levels=3, acting_user=None)
        role = actions.do_save_job_role(org, {"name": "Officer", "dbs_level": "enhanced"}, {course.pk: 2},
                                        acting_user=None)
        people = Person.all_orgs.bulk_create([Person(organisation=org, full_name=f"Person {i:05d}", reference=f"P{i}",
                                                     job_role=role, team=f"Team {i % 40}") for i in range(n)])
        DBSCheck.all_orgs.bulk_create([DBSCheck(organisation=org, person=p, level="enhanced",
                                                certificate_number=f"{i:012d}", issued_on=date(2024, 1, 1),
                                                renews_on=date(2027, 1, 1)) for i, p in enumerate(people)])
        TrainingRecord.all_orgs.bulk_create([TrainingRecord(organisation=org, person=p, course=course, level=2,
                                                            completed_on=date(2024, 1, 1), expires_on=date(2027, 1, 1))
                                             for p in people[::2]])
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give a real table
            cursor.execute("ANALYZE training_person, training_dbscheck, training_trainingrecord")
        try:
            client = Client()
            client.force_login(hr)
            client.get("/training/matrix/")
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get("/training/matrix/", {"page": "3"})
                elapsed = time.perf_counter() - start
            print(f"{n} people: matrix page {response.status_code} in {elapsed * 1000:.0f} ms, "
                  f"{len(ctx.captured_queries)} queries; slowest:")
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"  {float(q['time']) * 1000:.0f} ms  {q['sql'][:100]}")
            start = time.perf_counter()
            client.get("/training/figures/")
            print(f"figures page in {(time.perf_counter() - start) * 1000:.0f} ms")
            from safeguard.background.models import BackgroundJob
            from safeguard.background.runner import run_job

            for fmt in ("csv", "xlsx"):
                start = time.perf_counter()
                response = client.get("/training/matrix/export/", {"format": fmt})
                job = BackgroundJob.objects.for_org(org).latest("pk")
                run_job(job.pk)  # what the Celery worker does
                print(f"{fmt} export of every person (task) in {(time.perf_counter() - start) * 1000:.0f} ms")
        finally:
            transaction.set_rollback(True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
