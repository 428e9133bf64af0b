"""Changes of the privacy app: delegates, the schedule, legal holds and the review of the destruction queue.

Each is atomic, keeps history (django-simple-history) and is audited. Destruction itself runs in the
``privacy.destroy`` background job (``background_jobs.py``), one record at a time through ``destroy_item``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CasePerson
from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Organisation, User

from . import policy
from .models import Delegate, LegalHold, RetentionRule, ReviewItem, Tombstone, Trigger

DESTROY_KIND = "privacy.destroy"


# --- delegates ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_name_delegate(org: Organisation, user: User, *, acting_user: User) -> Delegate:
    delegate, created = Delegate.objects.for_org(org).get_or_create(
        organisation=org, user=user, defaults={"named_by": acting_user}
    )
    if created:
        audit.record(org=org, actor=acting_user, action="privacy.delegate_named", obj=delegate, user=user.pk)
    return delegate


@transaction.atomic
def do_remove_delegate(org: Organisation, delegate: Delegate, *, acting_user: User) -> None:
    from safeguard.tenancy.models import Notification

    audit.record(
        org=org, actor=acting_user, action="privacy.delegate_removed", obj=delegate, user=delegate.user_id
    )
    # the notification that named them links to pages they may no longer open
    Notification.objects.for_org(org).filter(recipient_id=delegate.user_id, kind="privacy.delegate").delete()
    delegate.delete()


# --- the schedule ---------------------------------------------------------------------------------------------


def ensure_schedule(org: Organisation) -> list[RetentionRule]:
    """The organisation's rules, the defaults added for any kind it has none for yet."""
    existing = {(org.pk, k) for k in RetentionRule.objects.for_org(org).values_list("kind", flat=True)}
    missing = policy.missing_rules([org.pk], existing)
    if missing:
        RetentionRule.objects.bulk_create(missing, ignore_conflicts=True)
    return list(RetentionRule.objects.for_org(org).order_by("pk"))


@transaction.atomic
def do_save_rule(
    org: Organisation, rule_pk: int, values: dict[str, Any], *, version: int | None, acting_user: User
) -> RetentionRule:
    rule = lock_for_edit(
        RetentionRule.objects.for_org(org),
        rule_pk,
        version,
        message="Someone else changed this rule while you were editing it. "
        "Your changes are below: check them and save again.",
    )
    before = {name: getattr(rule, name) for name in values}
    for name, value in values.items():
        setattr(rule, name, value)
    rule.version += 1
    rule.updated_by, rule.updated_at = acting_user, timezone.now()
    rule.save()
    audit.record(
        org=org,
        actor=acting_user,
        action="privacy.rule_changed",
        obj=rule,
        kind=rule.kind,
        before={k: str(v) for k, v in before.items() if k != "reason"},
        after={k: str(v) for k, v in values.items() if k != "reason"},
    )
    return rule


# --- legal holds ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_place_hold(
    org: Organisation,
    *,
    scope: str,
    reason: str,
    starts_on: date,
    case: Case | None = None,
    person: CasePerson | None = None,
    acting_user: User,
) -> LegalHold:
    hold = LegalHold.objects.create(
        organisation=org,
        scope=scope,
        case=case,
        person=person,
        reason=reason.strip(),
        starts_on=starts_on,
        placed_by=acting_user,
    )
    audit.record(
        org=org,
        actor=acting_user,
        action="privacy.hold_placed",
        obj=hold,
        scope=scope,
        case=case.reference if case else "",
    )
    return hold


@transaction.atomic
def do_lift_hold(
    org: Organisation, hold_pk: int, reason: str, *, version: int | None, acting_user: User
) -> LegalHold:
    hold = lock_for_edit(
        LegalHold.objects.for_org(org),
        hold_pk,
        version,
        message="Someone else changed this hold while you were looking at it.",
    )
    if hold.lifted_at is not None:
        raise ValidationError("This hold was already lifted.")
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), acting_user, reason.strip()
    hold.version += 1
    hold.save()
    audit.record(org=org, actor=acting_user, action="privacy.hold_lifted", obj=hold)
    return hold


# --- the review -----------------------------------------------------------------------------------------------


def _pending(org: Organisation, item_ids: list[int]) -> list[ReviewItem]:
    items = list(
        ReviewItem.objects.for_org(org)
        .select_for_update()
        .filter(pk__in=item_ids, status=ReviewItem.Status.PENDING)
        .order_by("pk")
    )
    if len(items) != len(set(item_ids)):
        raise ValidationError(
            "Some of the records you chose were decided by someone else meanwhile, or are no "
            "longer waiting for review. Choose again."
        )
    return items


@transaction.atomic
def do_keep(org: Organisation, item_ids: list[int], *, reason: str, until: date, acting_user: User) -> int:
    """Keep the records until a new date, with a reason; they come back to the queue on that date."""
    problem = policy.keep_until_ok(until, timezone.localdate())
    if problem:
        raise ValidationError(problem)
    items = _pending(org, item_ids)
    now = timezone.now()
    for item in items:
        item.status, item.keep_reason, item.kept_until = ReviewItem.Status.KEPT, reason.strip(), until
        item.decided_by, item.decided_at = acting_user, now
        item.version += 1
        item.save()
        audit.record(
            org=org,
            actor=acting_user,
            action="privacy.kept",
            obj=item,
            reference=item.reference,
            until=until.isoformat(),
        )
    return len(items)


@transaction.atomic
def do_destroy(org: Organisation, item_ids: list[int], *, acting_user: User) -> Any:
    """Decide to destroy the records: refused while a legal hold covers any; the work runs as a background job."""
    from safeguard.background.runner import create_job, enqueue_job

    items = _pending(org, item_ids)
    held = policy.held_items(org, items)
    if held:
        refs = ", ".join(i.reference for i in items if i.pk in held)
        raise ValidationError(
            f"A legal hold stops the destruction of {refs}. Lift the hold first, or keep them."
        )
    now = timezone.now()
    for item in items:
        item.status, item.decided_by, item.decided_at = ReviewItem.Status.DESTROYING, acting_user, now
        item.version += 1
        item.save()
    job = create_job(
        org=org,
        kind=DESTROY_KIND,
        requested_by=acting_user,
        params={"item_ids": [i.pk for i in items], "title": f"Destroying {len(items)} records"},
    )
    audit.record(
        org=org,
        actor=acting_user,
        action="privacy.destruction_decided",
        obj=job,
        references=[i.reference for i in items],
    )
    enqueue_job(job)
    return job


def destroy_item(org: Organisation, item: ReviewItem) -> Tombstone | None:
    """Destroy one decided record and leave its tombstone; None (the item back in the queue) if a hold now covers
    it. Runs in the destruction job, one transaction per record."""
    from .destroy import destroy_case

    with transaction.atomic():
        item = ReviewItem.objects.for_org(org).select_for_update().get(pk=item.pk)
        if item.status != ReviewItem.Status.DESTROYING:
            return None
        if policy.held_items(org, [item]):
            item.status = ReviewItem.Status.PENDING
            item.save()
            return None
        if item.kind in policy.CASE_KINDS and not policy.case_still_destroyable(org, item.object_id):
            item.status = (
                ReviewItem.Status.PENDING
            )  # reopened since: the next daily run takes it off the queue
            item.save()
            return None
        if item.kind not in policy.CASE_KINDS:
            raise ValidationError(f"{item.get_kind_display()} records cannot be destroyed here yet.")
        counts = destroy_case(org, item.object_id)
        rule = item.rule
        assert item.decided_by is not None  # do_destroy sets it with DESTROYING (a tombstone needs it)
        tombstone = Tombstone.objects.create(
            organisation=org,
            kind=item.kind,
            object_id=item.object_id,
            reference=item.reference,
            record_created_on=item.record_created_on,
            record_closed_on=item.record_closed_on,
            started_from=item.started_from,
            started_on=item.started_on,
            due_on=item.due_on,
            rule_text=(f"{rule.get_kind_display()}: {policy.rule_text(rule)}. {rule.reason}" if rule else ""),
            decided_by=item.decided_by,
            decided_at=item.decided_at or timezone.now(),
            counts=counts,
        )
        item.status = ReviewItem.Status.DESTROYED
        item.save()
        audit.record(
            org=org,
            actor=item.decided_by,
            action="privacy.destroyed",
            obj=tombstone,
            reference=item.reference,
            kind=item.kind,
        )
    return tombstone


@transaction.atomic
def do_list_for_erasure(org: Organisation, case_ids: list[int], *, request_reference: str, acting_user: User) -> int:
    """A granted erasure request: its cases go on the destruction review at once (due today), where legal
    holds still apply and the Data Privacy Manager still decides. A case already listed is brought forward;
    one already destroyed is left, and so is an open case (safeguarding work still going on is closed first:
    the request's audit names it). Returns how many cases were listed or brought forward."""
    from cases.models import CaseStatus

    today = timezone.localdate()
    cases = list(
        Case.objects.for_org(org)
        .filter(pk__in=case_ids, status=CaseStatus.CLOSED, closed_at__isnull=False, destroyed_at__isnull=True)
        .prefetch_related("people")
    )
    listed = 0
    for case in cases:
        kind, _dates = policy.case_dates(
            reported_on=timezone.localdate(case.reported_at),
            closed_on=timezone.localdate(case.closed_at) if case.closed_at else None,
            people=list(case.people.all()),
            allegation=case.is_colleague_allegation,
        )
        item = ReviewItem.objects.for_org(org).filter(kind=kind, object_id=case.pk).select_for_update().first()
        if item is not None and item.status in (ReviewItem.Status.DESTROYING, ReviewItem.Status.DESTROYED):
            continue
        if item is None:
            item = ReviewItem(organisation=org, kind=kind, object_id=case.pk, reference=case.reference,
                              record_created_on=timezone.localdate(case.reported_at),
                              record_closed_on=timezone.localdate(case.closed_at) if case.closed_at else None)
        else:
            item.version += 1
        item.status = ReviewItem.Status.PENDING
        item.started_from, item.started_on, item.due_on = Trigger.ERASURE, today, today
        item.kept_until = None
        item.save()
        listed += 1
        audit.record(org=org, actor=acting_user, action="privacy.listed_for_erasure", obj=item,
                     reference=case.reference, request=request_reference)
    return listed
