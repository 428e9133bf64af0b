"""Changes to registers. Views call these; each is atomic and writes history, audit and notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job, enqueue_job
from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import User
from safeguard.tenancy.notifications import notify

from .models import (
    MANAGE,
    REVIEW,
    AccessOverride,
    Entry,
    EntryPerson,
    EntryStatus,
    EntryUpdate,
    Register,
    Review,
    ReviewMark,
    ReviewStatus,
)
from .models import RegisterUserObjectPermission as Perm
from .policy.review import entries_in_review

log = logging.getLogger("safeguard.registers")

ENTRY_FIELDS = (
    "household", "address", "tenancy_reference", "risk_level", "risk", "department", "case",
    "la_childrens_services", "la_adult_social_care", "cp_plan", "child_in_need", "marac", "la_other",
    "actions", "escalations", "opened_on",
)


@dataclass
class PersonSpec:
    """One person of the household, as typed into the entry form."""

    person_type: str
    full_name: str
    date_of_birth: date | None = None


def holders(register: Register, codename: str) -> list[int]:
    return list(Perm.objects.filter(content_object=register, permission__codename=codename)
                .values_list("user_id", flat=True))


def _reference(register: Register) -> str:
    """The next reference; the UPDATE locks the register's row, so two entries never share one.
    (An UPDATE rather than a save: the counter is not a change of the register worth a history row.)"""
    Register.objects.for_org(register.organisation_id).filter(pk=register.pk).update(next_number=F("next_number") + 1)
    number = Register.objects.for_org(register.organisation_id).filter(pk=register.pk).values_list("next_number", flat=True).get() - 1
    prefix = "".join(ch for ch in register.area.name.upper() if ch.isalpha())[:3] or "REG"
    return f"{prefix}-{number:04d}"


@transaction.atomic
def do_add_entry(register: Register, data: Mapping[str, Any], *, people: Iterable[PersonSpec] = (),
                 categories: Iterable[Any] = (), acting_user: User) -> Entry:
    """Put a household on the register; an entry from a case links the two. A repeat of the same
    form submission (same ``submission_token``) returns the first entry."""
    token = data.get("submission_token")
    if token and (same := register.entries.filter(submission_token=token).first()) is not None:
        return same
    case = data.get("case")
    if case is not None and (case.organisation_id != register.organisation_id or case.area_id != register.area_id):
        raise ValidationError("That case belongs to another area's register.")
    fields = {k: data[k] for k in ENTRY_FIELDS if k in data}
    fields["submission_token"] = token or None
    entry = Entry(organisation_id=register.organisation_id, register=register, reference=_reference(register),
                  created_by=acting_user, **fields)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        if token and (same := register.entries.filter(submission_token=token).first()) is not None:
            return same
        raise ValidationError("This case is already on the register.") from exc
    entry.categories.set(list(categories))
    EntryPerson.objects.bulk_create([
        EntryPerson(organisation_id=register.organisation_id, entry=entry, person_type=p.person_type,
                    full_name=p.full_name, date_of_birth=p.date_of_birth) for p in people
    ])
    for person in entry.people.all():  # bulk_create skips history: write it for each person
        person.save()
    notify(org=register.organisation, recipients=[u for u in holders(register, REVIEW) if u != acting_user.pk],
           kind="registers.entry_added", title=f"New entry {entry.reference} on the {register.area.name} register: check it in this month's review",
           url=reverse("registers:entry", args=[entry.pk]))
    return entry


@transaction.atomic
def do_edit_entry(entry: Entry, data: Mapping[str, Any], *, version: int, categories: Iterable[Any] | None = None,
                  acting_user: User) -> Entry:
    """Change an entry; refused when someone else saved it since the form was opened."""
    locked = lock_for_edit(Entry.objects.for_org(entry.organisation_id), entry.pk, version,
                           message="Someone else changed this entry while you were editing it. "
                                   "Your changes are below: check the entry and save again.")
    for key in ENTRY_FIELDS:
        if key in data and key != "case":
            setattr(locked, key, data[key])
    locked.version += 1
    locked.save()
    if categories is not None:
        locked.categories.set(list(categories))
    return locked


@transaction.atomic
def do_add_person(entry: Entry, person: PersonSpec, *, acting_user: User) -> EntryPerson:
    return EntryPerson.objects.create(organisation_id=entry.organisation_id, entry=entry,
                                      person_type=person.person_type, full_name=person.full_name,
                                      date_of_birth=person.date_of_birth)


STALE_PERSON = ("Someone else changed this person while you were editing. "
                "Your changes are below: check them and save again.")


def _locked_person(person: EntryPerson, version: int) -> EntryPerson:
    """The person's row, locked; refused when someone else changed or removed it since the form was opened."""
    return lock_for_edit(EntryPerson.objects.for_org(person.organisation_id).filter(entry_id=person.entry_id), person.pk, version,
                         message=STALE_PERSON,
                         missing_message="This person has already been removed from the entry.")


@transaction.atomic
def do_edit_person(person: EntryPerson, spec: PersonSpec, *, version: int, acting_user: User) -> EntryPerson:
    """Correct a person on an entry; refused when someone else saved it since the form was opened."""
    locked = _locked_person(person, version)
    before = {"full_name": locked.full_name, "person_type": locked.person_type,
              "date_of_birth": str(locked.date_of_birth or "")}
    locked.full_name, locked.person_type, locked.date_of_birth = spec.full_name, spec.person_type, spec.date_of_birth
    locked.version += 1
    locked.save()
    audit.record(org=locked.organisation, actor=acting_user, action="register.person_changed", obj=locked.entry,
                 person=locked.pk, before=before)
    return locked


@transaction.atomic
def do_remove_person(person: EntryPerson, *, reason: str, version: int, acting_user: User) -> None:
    """Remove a person added in error. The history keeps the person, the reason and who removed them."""
    if not reason.strip():
        raise ValidationError("Enter the reason for removing this person.")
    locked = _locked_person(person, version)
    entry = locked.entry
    locked._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]  # the history column holds 100 characters; the audit all of it
    locked.delete()
    audit.record(org=entry.organisation, actor=acting_user, action="register.person_removed", obj=entry,
                 person=person.pk, full_name=locked.full_name, reason=reason.strip())


@transaction.atomic
def do_close_entry(entry: Entry, *, reason: str, acting_user: User, today: date | None = None) -> Entry:
    if not reason.strip():
        raise ValidationError("Enter the reason the risk has been removed.")
    locked = Entry.objects.for_org(entry.organisation_id).select_for_update().get(pk=entry.pk)
    if not locked.is_open:
        raise ValidationError("This entry is already closed.")
    locked.status = EntryStatus.CLOSED
    locked.closed_reason = reason.strip()
    locked.closed_on = today or timezone.localdate()
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def do_reopen_entry(entry: Entry, *, acting_user: User) -> Entry:
    locked = Entry.objects.for_org(entry.organisation_id).select_for_update().get(pk=entry.pk)
    locked.status = EntryStatus.OPEN
    locked.closed_on = None
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def do_add_update(entry: Entry, *, liaised_on: date, with_whom: str, what_changed: str, actions: str = "",
                  escalations: str = "", acting_user: User, today: date | None = None) -> EntryUpdate:
    """The NSO's monthly update after liaising with the originating officer."""
    today = today or timezone.localdate()
    if liaised_on > today:
        raise ValidationError("The date of the liaison cannot be in the future.")
    if not entry.is_open:
        raise ValidationError("This entry is closed: reopen it before recording an update.")
    repeat = entry.updates.filter(liaised_on=liaised_on, with_whom=with_whom, what_changed=what_changed,
                                  recorded_by=acting_user, recorded_at__gte=timezone.now() - timedelta(minutes=10))
    if (same := repeat.first()) is not None:  # a double submit: keep the first
        return same
    return EntryUpdate.objects.create(
        organisation_id=entry.organisation_id, entry=entry, liaised_on=liaised_on, with_whom=with_whom,
        what_changed=what_changed, actions=actions, escalations=escalations, recorded_by=acting_user,
    )


# --- the DSL's monthly review ---------------------------------------------------------------------


def with_month_state(entries: QuerySet[Entry], month: date, review: Review | None = None) -> QuerySet[Entry]:
    """Annotate ``updated`` (an update that month) and, for a review, ``marked``/``reasoned``."""
    qs = entries.annotate(updated=Exists(EntryUpdate.objects.filter(entry=OuterRef("pk"), month=month)))
    if review is not None:
        marks = ReviewMark.objects.filter(review=review, entry=OuterRef("pk"))
        qs = qs.annotate(marked=Exists(marks), reasoned=Exists(marks.exclude(no_update_reason="")))
    return qs


@transaction.atomic
def start_review(register: Register, month: date, *, acting_user: User) -> Review:
    review, _ = Review.objects.for_org(register.organisation_id).get_or_create(
        register=register, month=month, defaults={"organisation_id": register.organisation_id,
                                                  "started_by": acting_user})
    return review


@transaction.atomic
def do_mark_entry(review: Review, entry: Entry, *, comment: str, no_update_reason: str = "",
                  acting_user: User) -> ReviewMark:
    if review.is_signed:
        raise ValidationError("This review has been signed off and cannot be changed.")
    if entry.register_id != review.register_id:
        raise ValidationError("That entry is not on this register.")
    if not comment.strip():
        raise ValidationError("Enter a comment on the entry.")
    mark = review.marks.filter(entry=entry).first() or ReviewMark(
        organisation_id=review.organisation_id, review=review, entry=entry)
    mark.comment, mark.no_update_reason = comment.strip(), no_update_reason.strip()
    mark.marked_by, mark.marked_at = acting_user, timezone.now()
    mark.save()
    return mark


def _refs(rows: QuerySet[Entry], limit: int = 25) -> str:
    refs = list(rows.order_by("reference").values_list("reference", flat=True)[:limit])
    total = rows.count()
    return ", ".join(refs) + (f" and {total - limit} more" if total > limit else "")


def sign_off_problems(review: Review) -> list[str]:
    """Why the review cannot be signed yet, in plain words; empty when it can (a fixed few queries)."""
    rows = with_month_state(entries_in_review(review.register, review.month), review.month, review)
    problems = []
    missing = rows.filter(updated=False, reasoned=False)  # type: ignore[misc]
    if missing.exists():
        problems.append(f"These open entries have no update for {review.month:%B %Y} and no reason recorded: "
                        f"{_refs(missing)}.")
    unmarked = rows.filter(marked=False)  # type: ignore[misc]
    if unmarked.exists():
        problems.append(f"Mark these entries reviewed first: {_refs(unmarked)}.")
    return problems


@transaction.atomic
def do_sign_review(review: Review, *, summary: str = "", acting_user: User, today: date | None = None) -> Review:
    locked = Review.objects.for_org(review.organisation_id).select_for_update().get(pk=review.pk)
    if locked.is_signed:
        raise ValidationError("This review has already been signed off.")
    problems = sign_off_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.entry_count = entries_in_review(locked.register, locked.month).count()
    locked.summary = summary.strip()
    locked.signed_by, locked.signed_at = acting_user, timezone.now()
    locked.signed_on = today or timezone.localdate()
    locked.status = ReviewStatus.SIGNED
    locked.save()
    return locked


# --- access ---------------------------------------------------------------------------------------


@transaction.atomic
def do_set_access(register: Register, *, user: User, permission: str, allowed: bool, reason: str = "",
                  acting_user: User) -> AccessOverride:
    """Give or take away one permission on one register; recorded in the audit log."""
    override, _ = AccessOverride.objects.for_org(register.organisation_id).update_or_create(
        organisation_id=register.organisation_id, register=register, user=user, permission=permission,
        defaults={"allowed": allowed, "reason": reason, "set_by": acting_user, "set_at": timezone.now()},
    )
    audit.record(org=register.organisation, actor=acting_user,
                 action="register.access_granted" if allowed else "register.access_revoked", obj=register,
                 user_id=user.pk, user_name=user.full_name, permission=permission, reason=reason)
    return override


@transaction.atomic
def do_request_export(register: Register, *, fmt: str, acting_user: User) -> BackgroundJob:
    from .background_jobs import EXPORT

    job = create_job(org=register.organisation_id, kind=EXPORT, requested_by=acting_user,
                     params={"register_id": register.pk, "register_name": str(register), "format": fmt})
    audit.record(org=register.organisation, actor=acting_user, action="register.exported", obj=register,
                 export_id=job.pk, format=fmt)
    enqueue_job(job)
    return job


def can_manage(user: User, register: Register) -> bool:
    return Perm.objects.filter(user_id=user.pk, content_object=register, permission__codename=MANAGE).exists()
