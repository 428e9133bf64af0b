"""Issue 14: a record reaching its period is listed, a legal hold stops its destruction, and once the hold is
lifted the Data Privacy Manager destroys it (tombstone, past figures unchanged) or keeps it with a reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from governance.dashboard import indicators
from governance.privacy import policy
from governance.privacy.jobs import list_due_records
from governance.privacy.models import Delegate, LegalHold, RecordKind, RetentionRule, ReviewItem, Tombstone
from safeguard.background.runner import run_job
from safeguard.tenancy.models import AuditEvent, Notification
from safeguard.tenancy.roles import Role

from .helpers import adult_case, client_for, dpm

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 9, 0, tzinfo=LONDON), tick=False)


def figures(org: Any) -> Any:
    """The board's raw figures for January 2020 (before suppression): what must not change."""
    p = indicators.periods("month", date(2020, 1, 1))
    s = indicators.scalars(org, None, p, date(2020, 2, 1), month=date(2020, 1, 1))
    keep = {k: v for k, v in s.items() if isinstance(v, int | float | None.__class__)}
    return (
        indicators.concern_rows(org, None, date(2019, 1, 1), date(2020, 1, 31)),
        keep,
        indicators.categories(org, None, p),
        indicators.referrals(org, None, p["now"]),
    )


def queue_item(world: Any, case: Case) -> ReviewItem | None:
    return ReviewItem.objects.for_org(world.org).filter(kind=RecordKind.CASE_ADULT, object_id=case.pk).first()


def test_it_lists_a_case_at_the_end_of_its_period_holds_it_then_destroys_it_once_released(
    world, django_capture_on_commit_callbacks
) -> None:
    with at(2020, 1, 15):
        case = adult_case(world)
        before = figures(world.org)
    # an adult case: 6 years after closure
    with at(2026, 1, 14):
        list_due_records()
        assert queue_item(world, case) is None
    with at(2026, 1, 15):
        list_due_records()
        item = queue_item(world, case)
        assert item is not None and item.due_on == date(2026, 1, 15) and item.started_on == date(2020, 1, 15)
        assert item.started_from == "closed"
        client = client_for(dpm(world))
        page = client.get(reverse("privacy:queue")).content.decode()
        assert case.reference in page and "Held" not in page

        # a legal hold on the case: shown as held, and destruction is refused
        hold_page = client.post(
            reverse("privacy:hold-add"),
            {
                "scope": "case",
                "case_reference": case.reference,
                "reason": "Safeguarding adults review SAR-9",
                "starts_on": "2026-01-15",
            },
        )
        assert hold_page.status_code == 302
        hold = LegalHold.objects.for_org(world.org).get()
        page = client.get(reverse("privacy:queue")).content.decode()
        assert "Held" in page
        refused = client.post(reverse("privacy:queue"), {"items": [item.pk], "decision": "destroy"})
        assert refused.status_code == 200 and "A legal hold stops the destruction" in refused.content.decode()
        item.refresh_from_db()
        assert item.status == ReviewItem.Status.PENDING

        # lifted with a reason, then destroyed in the background
        client.post(
            reverse("privacy:hold", args=[hold.pk]),
            {"reason": "The review has reported.", "version": hold.version},
        )
        hold.refresh_from_db()
        assert hold.lifted_at is not None and hold.lift_reason == "The review has reported."
        with django_capture_on_commit_callbacks(execute=False):
            done = client.post(reverse("privacy:queue"), {"items": [item.pk], "decision": "destroy"})
        assert done.status_code == 302 and "/jobs/" in done["Location"]
        job_pk = int(done["Location"].rstrip("/").split("/")[-1])
        assert run_job(job_pk).status == "done"
        assert "1 record destroyed" in client.get(done["Location"]).content.decode()

    tombstone = Tombstone.objects.for_org(world.org).get()
    assert tombstone.reference == case.reference and tombstone.decided_by == dpm(world)
    assert tombstone.record_closed_on == date(2020, 1, 15) and tombstone.due_on == date(2026, 1, 15)
    assert "6 years after it closed" in tombstone.rule_text
    case.refresh_from_db()
    assert case.destroyed_at is not None and case.what_happened == ""
    assert not case.people.exclude(full_name="").exists()
    assert figures(world.org) == before
    actions = set(
        AuditEvent.objects.for_org(world.org)
        .filter(action__startswith="privacy.")
        .values_list("action", flat=True)
    )
    assert {
        "privacy.hold_placed",
        "privacy.hold_lifted",
        "privacy.destruction_decided",
        "privacy.destroyed",
    } <= actions
    # the case is gone for its own managers too
    manager = client_for(world.members[Role.CASE_MANAGER])
    assert manager.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case.reference not in manager.get(reverse("cases:list")).content.decode()
    assert case.reference in client_for(dpm(world)).get(reverse("privacy:destroyed")).content.decode()


def test_it_keeps_the_record_with_a_reason_until_a_new_date(world) -> None:
    with at(2020, 1, 15):
        case = adult_case(world)
    with at(2026, 1, 20):
        list_due_records()
        item = queue_item(world, case)
        client = client_for(dpm(world))
        missing = client.post(reverse("privacy:queue"), {"items": [item.pk], "decision": "keep"})
        assert "Enter why the records are kept" in missing.content.decode()
        kept = client.post(
            reverse("privacy:queue"),
            {
                "items": [item.pk],
                "decision": "keep",
                "keep_reason": "A claim is expected from the family.",
                "keep_until": "2027-01-20",
            },
        )
        assert kept.status_code == 302
        item.refresh_from_db()
        assert item.status == ReviewItem.Status.KEPT and item.kept_until == date(2027, 1, 20)
        assert "A claim is expected" in client.get(reverse("privacy:kept")).content.decode()
    with at(2026, 6, 1):
        list_due_records()
        item.refresh_from_db()
        assert item.status == ReviewItem.Status.KEPT
    with at(2027, 1, 20):
        list_due_records()
        item.refresh_from_db()
        assert item.status == ReviewItem.Status.PENDING
    case.refresh_from_db()
    assert case.destroyed_at is None and case.people.filter(full_name="Dana Fictional").exists()
    assert not Tombstone.objects.for_org(world.org).exists()


def test_it_holds_every_case_about_a_person_and_everything_under_an_organisation_hold(world) -> None:
    from cases.actions import PersonData

    with at(2019, 3, 1):
        first = adult_case(
            world, people=[PersonData(full_name="Morgan Example", date_of_birth=date(1970, 5, 5))]
        )
        second = adult_case(world, people=[PersonData(full_name="morgan example")])
        other = adult_case(world)
    with at(2025, 3, 2):
        list_due_records()
        hold = LegalHold.objects.create(
            organisation=world.org,
            scope="person",
            person=first.people.get(),
            case=first,
            reason="Claim",
            placed_by=dpm(world),
        )
        held = policy.held_case_ids(world.org, [first.pk, second.pk, other.pk])
        assert set(held) == {first.pk, second.pk}
        hold.lifted_at = timezone.now()
        hold.save()
        LegalHold.objects.create(
            organisation=world.org, scope="organisation", reason="Public inquiry", placed_by=dpm(world)
        )
        items = list(ReviewItem.objects.for_org(world.org))
        assert len(items) == 3 and set(policy.held_items(world.org, items)) == {i.pk for i in items}


def test_it_works_out_a_childs_25th_birthday_in_sql_as_in_python(world) -> None:
    from cases.actions import PersonData

    with at(2010, 6, 1):
        case = adult_case(
            world,
            people=[
                PersonData(full_name="Ash Example", person_type="child", date_of_birth=date(2004, 2, 29))
            ],
        )
    from governance.privacy.actions import ensure_schedule

    rule = next(r for r in ensure_schedule(world.org) if r.kind == RecordKind.CASE_CHILD)
    kind, dates = policy.case_dates(
        reported_on=date(2010, 6, 1),
        closed_on=date(2010, 6, 1),
        people=list(case.people.all()),
        allegation=False,
    )
    assert kind == RecordKind.CASE_CHILD
    trigger, started, due = policy.due_on(rule, dates)
    # the 25th birthday beats closure + 6 years
    assert (trigger, started, due) == ("date_of_birth", date(2004, 2, 29), date(2029, 2, 28))
    with at(2029, 2, 27):
        list_due_records()
        assert not ReviewItem.objects.for_org(world.org).exists()
    with at(2029, 2, 28):
        list_due_records()
        item = ReviewItem.objects.for_org(world.org).get()
        assert (item.kind, item.started_from, item.due_on) == (kind, trigger, due)
        assert item.started_on is None  # a date of birth is never copied into the queue or a tombstone


def test_it_takes_a_record_off_the_queue_when_its_rule_is_lengthened(world) -> None:
    with at(2019, 1, 10):
        case = adult_case(world)
    with at(2025, 2, 1):
        list_due_records()
        assert queue_item(world, case) is not None
        client = client_for(dpm(world))
        rule = RetentionRule.objects.for_org(world.org).get(kind=RecordKind.CASE_ADULT)
        stale = client.post(
            reverse("privacy:rule-edit", args=[rule.pk]),
            {
                "trigger": "closed",
                "period_months": 120,
                "also_trigger": "",
                "reason": "Claims expected.",
                "version": rule.version - 1,
            },
        )
        assert "Someone else changed this rule" in stale.content.decode()
        saved = client.post(
            reverse("privacy:rule-edit", args=[rule.pk]),
            {
                "trigger": "closed",
                "period_months": 120,
                "also_trigger": "",
                "reason": "Claims expected.",
                "version": rule.version,
            },
        )
        assert saved.status_code == 302
        assert "10 years after it closed" in client.get(reverse("privacy:schedule")).content.decode()
        list_due_records()
        assert queue_item(world, case) is None


def test_it_lets_only_the_data_privacy_manager_and_their_delegates_in(world) -> None:
    officer = world.members[Role.SAFEGUARDING_MANAGER]
    assert client_for(officer).get(reverse("privacy:queue")).status_code == 403
    client = client_for(dpm(world))
    membership = world.membership(Role.SAFEGUARDING_MANAGER)
    assert client.post(reverse("privacy:delegates"), {"membership": membership.pk}).status_code == 302
    assert client_for(officer).get(reverse("privacy:queue")).status_code == 200
    assert client_for(officer).get(reverse("privacy:delegates")).status_code == 403
    assert policy.may_handle_privacy(world.membership(Role.SAFEGUARDING_MANAGER))
    assert not policy.may_handle_privacy(world.membership(Role.CASE_MANAGER))
    named = Notification.objects.for_org(world.org).get(recipient=officer, kind="privacy.delegate")
    assert named.url == reverse("privacy:home")
    delegate = Delegate.objects.for_org(world.org).get()
    assert client.post(reverse("privacy:delegate-remove", args=[delegate.pk])).status_code == 302
    assert client_for(officer).get(reverse("privacy:queue")).status_code == 403
    assert (
        not Notification.objects.for_org(world.org)
        .filter(recipient=officer, kind="privacy.delegate")
        .exists()
    )
