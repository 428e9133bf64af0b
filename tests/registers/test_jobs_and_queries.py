"""Daily flags, the RAG inputs, and list pages in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registers import actions, jobs
from registers.models import Entry, EntryPerson, EntryUpdate, Register
from registers.policy.review import this_month
from registers.status import register_rag_inputs
from safeguard.tenancy.models import Flag, Notification
from safeguard.tenancy.roles import Role
from tests.registers.helpers import make_entry, register_of, update

LONDON = ZoneInfo("Europe/London")


def _notes(world, kind: str) -> set[int]:
    return set(Notification.objects.for_org(world.org).filter(kind=kind).values_list("recipient_id", flat=True))


def test_it_flags_entries_not_updated_this_month_once_and_tells_the_nso(world) -> None:
    entry = make_entry(world)
    first = jobs.flag_entries_not_updated()
    again = jobs.flag_entries_not_updated()
    assert (first.raised, again.raised, again.notified) == (1, 0, 0)
    assert _notes(world, jobs.ENTRY_NOT_UPDATED) == {world.members[Role.NSO].pk}
    flag = Flag.objects.for_org(world.org).get(kind=jobs.ENTRY_NOT_UPDATED)
    assert flag.period == f"{this_month():%Y-%m}" and flag.cleared_at is None
    update(world, entry, timezone.localdate())
    assert jobs.flag_entries_not_updated().cleared == 1


def test_it_flags_a_register_that_missed_two_months_and_clears_when_signed(world) -> None:
    register = register_of(world.area)
    Register.objects.for_org(world.org).update(created_at=datetime(2026, 8, 3, tzinfo=LONDON))
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=LONDON), tick=False):
        one, two = jobs.flag_reviews_missed(), jobs.flag_reviews_missed_two_months()
        assert (one.raised, two.raised) == (2, 2)  # both areas' registers
        assert (jobs.flag_reviews_missed().raised, jobs.flag_reviews_missed_two_months().raised) == (0, 0)
        told = _notes(world, jobs.REVIEW_MISSED_TWO)
        assert told == {world.members[Role.DSL].pk, world.members[Role.SAFEGUARDING_MANAGER].pk}
        assert world.members[Role.NSO].pk not in told
        rag = {r["register_id"]: r for r in register_rag_inputs(world.org)}
        assert rag[register.pk]["months_missed"] == 3 and rag[register.pk]["last_signed_month"] is None
        october = date(2026, 10, 1)
        review = actions.start_review(register, october, acting_user=world.members[Role.DSL])
        actions.do_sign_review(review, acting_user=world.members[Role.DSL])
        assert jobs.flag_reviews_missed().cleared == 1
        assert jobs.flag_reviews_missed_two_months().cleared == 1
        rag = {r["register_id"]: r for r in register_rag_inputs(world.org)}
        assert rag[register.pk]["months_missed"] == 0 and rag[register.pk]["last_signed_month"] == october
    open_flags = Flag.objects.for_org(world.org).filter(cleared_at__isnull=True, object_id=register.pk,
                                                        kind__startswith="registers.review")
    assert not open_flags.exists()


def test_it_does_not_flag_a_register_made_this_month(world) -> None:
    assert jobs.flag_reviews_missed().raised == 0


def test_it_runs_the_register_flags_with_the_daily_beat_job(world) -> None:
    from safeguard.tenancy.tasks import run_daily_flags

    make_entry(world)
    results = run_daily_flags()
    assert {k: v for k, v in results.items() if k.startswith("registers.")} == {
        "registers.entries_not_updated": "FlagResult(raised=1, cleared=0, notified=1)",
        "registers.review_missed": "FlagResult(raised=0, cleared=0, notified=0)",
        "registers.review_missed_two_months": "FlagResult(raised=0, cleared=0, notified=0)",
    }


def _bulk_entries(world, n: int, prefix: str = "BULK") -> None:
    register = register_of(world.area)
    nso = world.members[Role.NSO]
    rows = [Entry(organisation=world.org, register=register, reference=f"{prefix}-{i:05d}", household=f"H{i}",
                  risk_level="low", risk="r", department=world.department, created_by=nso) for i in range(n)]
    Entry.all_orgs.bulk_create(rows)
    entries = list(Entry.objects.for_org(world.org).filter(reference__startswith=f"{prefix}-"))
    EntryPerson.all_orgs.bulk_create([EntryPerson(organisation=world.org, entry=e, full_name="P") for e in entries])
    month = this_month()
    EntryUpdate.all_orgs.bulk_create([
        EntryUpdate(organisation=world.org, entry=e, month=month, liaised_on=month, with_whom="x", what_changed="y",
                    recorded_by=nso) for e in entries[::2]])


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_answers_the_register_pages_in_the_same_queries_for_5_and_5000_entries(world) -> None:
    client = Client()
    client.force_login(world.members[Role.DSL])
    register = register_of(world.area)
    month = this_month()
    urls = [reverse("registers:register", args=[register.pk]), reverse("registers:index"),
            reverse("registers:review", args=[register.pk, month.year, month.month]), reverse("home")]
    _bulk_entries(world, 5)
    review = actions.start_review(register, month, acting_user=world.members[Role.DSL])
    first = Entry.objects.for_org(world.org).order_by("pk").first()
    actions.do_mark_entry(review, first, comment="Seen", acting_user=world.members[Role.DSL])
    client.get(urls[0])  # the first page after sign-in keeps the organisation in the session (a write)
    small = [_count(client, u) for u in urls]
    _bulk_entries(world, 4995, prefix="MORE")
    assert Entry.objects.for_org(world.org).count() == 5000
    large = [_count(client, u) for u in urls]
    assert small == large
