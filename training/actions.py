"""Changes to people, their records, requirements and policy sign-off. Each is atomic."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import ensure_version, lock_for_edit
from safeguard.tenancy.models import Membership, Organisation, User
from safeguard.tenancy.notifications import notify

from .models import (
    LIVE,
    Course,
    DBSCheck,
    JobRole,
    Person,
    PolicyAcknowledgement,
    PolicyVersion,
    Requirement,
    TrainingRecord,
    add_years,
)
from .policy.compliance import dbs_years, training_years

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


@transaction.atomic
def do_save_person(org: Organisation, values: dict[str, Any], *, person: Person | None = None,
                   acting_user: User | None, expected_version: int | None = None) -> tuple[Person, str]:
    """Create or update a person; returns (person, created/updated/unchanged).

    With ``expected_version`` (from the form), a save over someone else's newer change is refused."""
    if person is None:
        person = Person(organisation=org)
    if person.organisation_id != org.pk:
        raise ValidationError("That person is not in this organisation.")
    created = person.pk is None
    reference = values.get("reference") or ""
    if reference and Person.objects.for_org(org).filter(reference__iexact=reference).exclude(pk=person.pk).exists():
        raise ValidationError(f"Someone in your organisation already has the reference {reference}.")
    if not created and expected_version is not None:
        lock_for_edit(Person.objects.for_org(org), person.pk, expected_version,
                      message="Someone else changed this person while you were editing. Their change has been "
                              "kept: check the details below and make your change again.")
    changed = _apply(person, values) or created
    if changed:
        person.full_clean(exclude=["membership", "organisation"])
        person.version += 0 if created else 1
        person.save()
        link_membership(org, person)
        audit.record(org=org, actor=acting_user, action="training.person_saved", obj=person)
    return person, CREATED if created else UPDATED if changed else UNCHANGED


def link_membership(org: Organisation, person: Person) -> None:
    """Link a person to the member with the same e-mail, if there is one and it is free."""
    if person.membership_id or not person.email:
        return
    member = (Membership.objects.for_org(org).filter(user__email__iexact=person.email, training_person__isnull=True)
              .first())
    if member is not None:
        person.membership = member
        person.save(update_fields=["membership"])


@transaction.atomic
def do_record_dbs(person: Person, *, level: str, certificate_number: str, issued_on: date,
                  update_service: bool, acting_user: User | None) -> tuple[DBSCheck, str]:
    """Record a DBS certificate (once per certificate number); renewal from the role or the organisation."""
    org = person.organisation
    renews_on = add_years(issued_on, dbs_years(org, person.job_role))
    check = person.dbs_checks.filter(LIVE, certificate_number=certificate_number).first()
    values = {"level": level, "issued_on": issued_on, "update_service": update_service, "renews_on": renews_on}
    if check is None:
        check = DBSCheck(organisation=org, person=person, certificate_number=certificate_number,
                         checked_by=acting_user, checked_at=timezone.now(), **values)
        check.full_clean(validate_constraints=False)
        check.save()
        audit.record(org=org, actor=acting_user, action="training.dbs_recorded", obj=check)
        return check, CREATED
    if _apply(check, values):
        check.checked_by, check.checked_at = acting_user, timezone.now()
        check.save()
        return check, UPDATED
    return check, UNCHANGED


@transaction.atomic
def do_record_training(person: Person, *, course: Course, level: int, completed_on: date,
                       expires_on: date | None = None, provider: str = "", evidence: UploadedFile | None = None,
                       acting_user: User | None) -> tuple[TrainingRecord, str]:
    """Record a completed course; expiry defaults to the refresh interval of the person's role."""
    org = person.organisation
    if course.organisation_id != org.pk:
        raise ValidationError("That course is not one of this organisation's.")
    if level > course.levels:
        raise ValidationError(f"{course.name} has {course.levels} level{'s' if course.levels > 1 else ''}.")
    expires_on = expires_on or add_years(completed_on, training_years(org, person.job_role))
    record = person.training_records.filter(LIVE, course=course, level=level, completed_on=completed_on).first()
    values = {"expires_on": expires_on, "provider": provider}
    created = record is None
    if record is None:
        record = TrainingRecord(organisation=org, person=person, course=course, level=level,
                                completed_on=completed_on, recorded_by=acting_user, **values)
    changed = _apply(record, values) or created
    if evidence is not None:
        record.evidence.save(evidence.name, evidence, save=False)  # type: ignore[arg-type]
        record.evidence_name = evidence.name[:200]  # type: ignore[index]
        changed = True
    if changed:
        record.save()
        audit.record(org=org, actor=acting_user, action="training.record_saved", obj=record)
    return record, CREATED if created else UPDATED if changed else UNCHANGED


@transaction.atomic
def do_save_job_role(org: Organisation, values: dict[str, Any], requirements: dict[int, int], *,
                     job_role: JobRole | None = None, acting_user: User | None) -> JobRole:
    """Save a job role and its required courses ({course id: level})."""
    job_role = job_role or JobRole(organisation=org)
    _apply(job_role, values)
    job_role.save()
    courses = {c.pk: c for c in Course.objects.for_org(org).filter(pk__in=list(requirements))}
    if len(courses) != len(requirements):
        raise ValidationError("A course chosen is not one of this organisation's.")
    for req in list(job_role.requirements.all()):
        if req.course_id not in requirements:
            req.delete()
    for course_id, level in requirements.items():
        req, _ = Requirement.objects.for_org(org).get_or_create(organisation=org, job_role=job_role, course_id=course_id,
                                                    defaults={"level": level})
        if req.level != level:
            req.level = level
            req.save()
    audit.record(org=org, actor=acting_user, action="training.job_role_saved", obj=job_role)
    return job_role


@transaction.atomic
def do_save_course(org: Organisation, *, name: str, levels: int, course: Course | None = None,
                   acting_user: User | None) -> Course:
    course = course or Course(organisation=org)
    _apply(course, {"name": name.strip(), "levels": levels})
    course.save()
    return course


@transaction.atomic
def do_publish_policy(org: Organisation, *, label: str, document: File, review_on: date,
                      acting_user: User | None) -> PolicyVersion:
    """Publish a new version of the policy staff sign (governance's policies register keeps it);
    everyone with a login is asked to read it (the old sign-offs stay)."""
    from governance.actions.policies import do_publish_version, ensure_staff_policy

    policy = ensure_staff_policy(org, review_on=review_on, acting_user=acting_user)
    version = do_publish_version(policy, label=label, document=document, review_on=review_on, acting_user=acting_user)
    ask_everyone_to_read(org, version, acting_user=acting_user)
    return version


def ask_everyone_to_read(org: Organisation, version: PolicyVersion, *, acting_user: User | None) -> None:
    """A new version of the policy staff sign (from training or the policies register): everyone with a
    login is asked to read it."""
    ensure_acknowledgements(org, version)
    audit.record(org=org, actor=acting_user, action="training.policy_published", obj=version)
    people = Person.objects.for_org(org).filter(is_active=True, membership__is_active=True)
    notify(org=org, recipients=people.values_list("membership__user_id", flat=True), kind="training.policy_published",
           title=f"Please read the safeguarding policy {version.label}", url=reverse("training:policy"),
           dedupe_key=f"policy:{version.pk}")


def ensure_acknowledgements(org: Organisation | int, version: PolicyVersion) -> int:
    """Ask every active person with a login to read ``version`` (one insert; safe to repeat)."""
    people = Person.objects.for_org(org).filter(is_active=True, membership__isnull=False).values_list("pk", flat=True)
    rows = [PolicyAcknowledgement(organisation_id=version.organisation_id, version=version, person_id=pk)
            for pk in people]
    return len(PolicyAcknowledgement.objects.bulk_create(rows, ignore_conflicts=True))


@transaction.atomic
def do_sign_policy(person: Person, version: PolicyVersion, *, acting_user: User) -> PolicyAcknowledgement:
    """The person confirms they have read this version. Signing twice keeps the first time."""
    if version.organisation_id != person.organisation_id:
        raise ValidationError("That policy is not this organisation's.")
    ack, _ = PolicyAcknowledgement.objects.for_org(person.organisation_id).select_for_update().get_or_create(
        organisation_id=person.organisation_id, version=version, person=person)
    if ack.signed_at is None:
        ack.signed_at = timezone.now()
        ack.save()
        audit.record(org=person.organisation, actor=acting_user, action="training.policy_signed", obj=ack)
    return ack


STALE = ("Someone else changed this record while you were editing. Their change has been kept: check the "
         "details below and make your change again.")


def _lock_current(model: Any, obj: Any, expected_version: int | None) -> Any:
    """The stored row, locked; refused if it changed since the form was opened or was entered in error."""
    stored = lock_for_edit(model.objects.for_org(obj.organisation_id), obj.pk, None)
    if stored.in_error:
        raise ValidationError("This record has been marked as entered in error, so it can no longer be changed.")
    ensure_version(stored, expected_version, message=STALE)
    return stored


@transaction.atomic
def do_edit_dbs(check: DBSCheck, *, level: str, certificate_number: str, issued_on: date, update_service: bool,
                expected_version: int | None, acting_user: User | None) -> DBSCheck:
    """Correct a DBS check; the next renewal is worked out again from the issue date."""
    check = _lock_current(DBSCheck, check, expected_version)
    person = check.person
    if person.dbs_checks.filter(LIVE, certificate_number=certificate_number).exclude(pk=check.pk).exists():
        raise ValidationError(f"{person.full_name} already has a DBS check with the certificate number "
                              f"{certificate_number}.")
    renews_on = add_years(issued_on, dbs_years(person.organisation, person.job_role))
    values = {"level": level, "certificate_number": certificate_number, "issued_on": issued_on,
              "update_service": update_service, "renews_on": renews_on}
    if _apply(check, values):
        check.version += 1
        check.full_clean(validate_constraints=False)
        check.save()
        audit.record(org=person.organisation, actor=acting_user, action="training.dbs_changed", obj=check)
    return check


@transaction.atomic
def do_edit_training(record: TrainingRecord, *, course: Course, level: int, completed_on: date,
                     expires_on: date | None, provider: str, evidence: UploadedFile | None,
                     expected_version: int | None, acting_user: User | None) -> TrainingRecord:
    """Correct a training record; an empty expiry is worked out again from the completion date."""
    record = _lock_current(TrainingRecord, record, expected_version)
    person, org = record.person, record.organisation
    if course.organisation_id != org.pk:
        raise ValidationError("That course is not one of this organisation's.")
    if level > course.levels:
        raise ValidationError(f"{course.name} has {course.levels} level{'s' if course.levels > 1 else ''}.")
    twin = person.training_records.filter(LIVE, course=course, level=level, completed_on=completed_on)
    if twin.exclude(pk=record.pk).exists():
        raise ValidationError(f"{person.full_name} already has {course.name} level {level} completed on "
                              f"{completed_on:%-d %B %Y}.")
    expires_on = expires_on or add_years(completed_on, training_years(org, person.job_role))
    changed = _apply(record, {"course": course, "level": level, "completed_on": completed_on,
                              "expires_on": expires_on, "provider": provider})
    if evidence is not None:
        record.evidence.save(evidence.name, evidence, save=False)  # type: ignore[arg-type]
        record.evidence_name, changed = evidence.name[:200], True  # type: ignore[index]
    if changed:
        record.version += 1
        record.save()
        audit.record(org=org, actor=acting_user, action="training.record_changed", obj=record)
    return record


@transaction.atomic
def do_mark_in_error(obj: DBSCheck | TrainingRecord, *, reason: str, expected_version: int | None,
                     acting_user: User | None) -> DBSCheck | TrainingRecord:
    """Mark a DBS check or training record entered in error: it stays, with its history, but stops counting."""
    obj = _lock_current(type(obj), obj, expected_version)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the record was entered in error.")
    obj.entered_in_error_at, obj.entered_in_error_by, obj.error_reason = timezone.now(), acting_user, reason
    obj.version += 1
    obj.save()
    audit.record(org=obj.organisation, actor=acting_user, action="training.entered_in_error", obj=obj,
                 reason=reason)
    return obj
