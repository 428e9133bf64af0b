"""Changes to cases. Views call these; each is atomic and writes history, events and notifications.

Submitted text (what a reporter wrote, an action's note) is never changed here: corrections are
addenda by their author. Changes to a case's details carry the version the editor saw; if someone
else saved first, ``StaleCaseError`` says so and nothing is overwritten.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.api import webhooks
from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import StaleEditError, lock_for_edit
from safeguard.tenancy.models import Membership, Organisation, User
from safeguard.tenancy.notifications import notify

from .models import (
    Action,
    Addendum,
    Attachment,
    Case,
    CaseAccessGrant,
    CaseEvent,
    CasePerson,
    CaseStatus,
    ConcernDraft,
    HarmCategory,
    VulnerabilityFactor,
)
from .policy import cadence, closure
from .policy.management import manager_ids
from .policy.roles import officer_roles_for

# Someone else changed the case after this editor opened it (``.current`` is the stored case).
StaleCaseError = StaleEditError


@dataclass
class PersonData:
    full_name: str
    person_type: str = "adult"
    date_of_birth: date | None = None
    age: int | None = None
    address: str = ""
    tenancy_reference: str = ""
    is_household_lead: bool = False


@dataclass
class ConcernData:
    """What a reporter submits."""

    concern_type: str
    area_id: int
    department_id: int
    source: str
    what_happened: str
    happened_on: date
    people: list[PersonData]
    immediate_risk: bool = False
    is_colleague_allegation: bool = False
    category_ids: list[int] = field(default_factory=list)
    vulnerability_ids: list[int] = field(default_factory=list)


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _next_reference(org: Organisation) -> str:
    """The next number of this organisation; the organisation row is locked so two reports never share one."""
    Organisation.objects.select_for_update().get(pk=org.pk)
    return f"SG-{Case.objects.for_org(org).count() + 1:06d}"


def _event(case: Case, kind: str, by: User, note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(organisation_id=case.organisation_id, case=case, kind=kind, by=by, note=note)


def _check_ids(org: Organisation, data: ConcernData) -> None:
    from safeguard.tenancy.models import Area, Department

    if not Area.objects.for_org(org).filter(pk=data.area_id).exists():
        raise ValidationError("Choose an area of this organisation.")
    if not Department.objects.for_org(org).filter(pk=data.department_id).exists():
        raise ValidationError("Choose a department of this organisation.")
    for model, ids in ((HarmCategory, data.category_ids), (VulnerabilityFactor, data.vulnerability_ids)):
        if ids and model.objects.for_org(org).filter(pk__in=ids).count() != len(set(ids)):
            raise ValidationError("A category or factor chosen is not one of this organisation's.")


def do_report_concern(
    org: Organisation, data: ConcernData, *, acting_user: User, token: uuid.UUID | None = None
) -> Case:
    """Record a concern; a repeat of the same submission (same token) returns the first case."""
    if token is not None:
        existing = Case.objects.for_org(org).filter(reported_by=acting_user, submission_token=token).first()
        if existing is not None:
            return existing
    _check_ids(org, data)
    try:
        with transaction.atomic():
            return _create_case(org, data, acting_user, token)
    except IntegrityError:
        existing = Case.objects.for_org(org).filter(reported_by=acting_user, submission_token=token).first()
        if existing is None:
            raise
        return existing


def _create_case(org: Organisation, data: ConcernData, reporter: User, token: uuid.UUID | None) -> Case:
    now = timezone.now()
    case = Case.objects.create(
        organisation=org, reference=_next_reference(org), concern_type=data.concern_type,
        area_id=data.area_id, department_id=data.department_id, reported_by=reporter, reported_at=now,
        is_colleague_allegation=data.is_colleague_allegation, immediate_risk=data.immediate_risk,
        source=data.source, what_happened=data.what_happened, happened_on=data.happened_on,
        next_action_due=cadence.first_action_due(org, concern_type=data.concern_type,
                                                 immediate_risk=data.immediate_risk, reported_on=timezone.localdate()),
        submission_token=token,
    )
    case.categories.set(data.category_ids)
    case.vulnerabilities.set(data.vulnerability_ids)
    for i, person in enumerate(data.people):
        CasePerson.objects.create(
            organisation=org, case=case, person_type=person.person_type, full_name=person.full_name,
            date_of_birth=person.date_of_birth, age=person.age, address=person.address,
            tenancy_reference=person.tenancy_reference,
            is_household_lead=person.is_household_lead or (i == 0 and not any(p.is_household_lead for p in data.people)),
        )
    _event(case, CaseEvent.Kind.REPORTED, reporter)
    ConcernDraft.objects.for_org(org).filter(user=reporter).delete()
    urgent = " (someone at immediate risk)" if data.immediate_risk else ""
    notify(org=org, recipients=[u for u in manager_ids(case) if u != reporter.pk], kind="case.reported",
           title=f"New concern {case.reference} reported{urgent}: allocate it to a case officer",
           app_title=f"New concern {case.reference} from {reporter.full_name}{urgent}: allocate it to a case officer",
           url=reverse("cases:allocate", args=[case.pk]))
    if not case.is_colleague_allegation:  # webhooks carry references only, and never an allegation
        webhooks.emit(org.pk, "concern.reported", f"concern.reported:{case.pk}",
                      {"case_id": case.pk, "reference": case.reference, "concern_type": case.concern_type,
                       "immediate_risk": case.immediate_risk, "area_id": case.area_id})
    return case


def save_draft(org: Organisation, user: User, data: dict[str, Any]) -> ConcernDraft:
    draft, _ = ConcernDraft.objects.for_org(org).update_or_create(
        organisation=org, user=user, defaults={"data": data, "updated_at": timezone.now()}
    )
    return draft


def officer_choices(case: Case) -> Iterable[Membership]:
    """Active members who may hold this case."""
    return (
        Membership.objects.for_org(case.organisation_id)
        .filter(is_active=True, role_assignments__role__in=officer_roles_for(case))
        .select_related("user").distinct().order_by("user__full_name")
    )


def _due_for_type(case: Case) -> date:
    latest = case.actions.order_by("-taken_on", "-recorded_at", "-pk").first()
    return cadence.due_after_type_change(case, reported_on=timezone.localtime(case.reported_at).date(),
                                         last_action=(latest.taken_on, latest.next_due) if latest else None)


def _locked(case: Case, version: int) -> Case:
    return lock_for_edit(Case.objects.for_org(case.organisation_id), case.pk, version)


@transaction.atomic
def do_allocate(case: Case, *, officer: User, concern_type: str, version: int, acting_user: User) -> Case:
    """Give the case to an officer and confirm safeguarding or WoW; the officer and reporter are told."""
    current = _locked(case, version)
    if not any(m.user_id == officer.pk for m in officer_choices(current)):
        raise ValidationError("Choose someone who can hold this case.")
    first, previous = current.allocated_to_id is None, current.allocated_to_id
    now = timezone.now()
    current.allocated_to, current.allocated_at = officer, now
    if current.concern_type != concern_type:
        current.concern_type = concern_type
        current.next_action_due = _due_for_type(current)
    if current.status == CaseStatus.REPORTED:
        current.status = CaseStatus.ALLOCATED
    current.version += 1
    current.save()
    _event(current, CaseEvent.Kind.ALLOCATED, acting_user,
           f"To {officer.full_name} as {current.get_concern_type_display().lower()}")
    # One notification per person for this event, and none to the person who did it.
    if officer.pk != acting_user.pk:
        notify(org=current.organisation, recipients=[officer], kind="case.allocated",
               title=f"Case {current.reference} allocated to you: read it and record your first action",
               app_title=f"{acting_user.full_name} allocated case {current.reference} to you: "
                         "read it and record your first action",
               url=case_url(current))
    if previous and previous not in (officer.pk, acting_user.pk):
        notify(org=current.organisation, recipients=[previous], kind="case.reallocated",
               title=f"Case {current.reference} was reallocated: you no longer hold it",
               app_title=f"Case {current.reference} is now held by {officer.full_name}: you no longer hold it",
               url=reverse("home"))
    if first and current.reported_by_id not in (officer.pk, acting_user.pk):
        notify(org=current.organisation, recipients=[current.reported_by_id], kind="case.received",
               title=f"Your concern {current.reference} is now held by a case officer: nothing more is needed from you",
               url=reverse("cases:received", args=[current.pk]))
    if not current.is_colleague_allegation:
        webhooks.emit(current.organisation_id, "case.allocated", f"case.allocated:{current.pk}:{current.version}",
                      {"case_id": current.pk, "reference": current.reference, "concern_type": current.concern_type,
                       "status": current.status})
    return current


@transaction.atomic
def do_update_details(case: Case, *, version: int, acting_user: User, **changes: Any) -> Case:
    """Change classification (area, department, type, categories, factors); never what was written."""
    current = _locked(case, version)
    categories = changes.pop("categories", None)
    vulnerabilities = changes.pop("vulnerabilities", None)
    type_changed = "concern_type" in changes and changes["concern_type"] != current.concern_type
    for name, value in changes.items():
        setattr(current, name, value)
    if type_changed and current.is_open:
        current.next_action_due = _due_for_type(current)
    current.version += 1
    current.save()
    if categories is not None:
        current.categories.set(categories)
    if vulnerabilities is not None:
        current.vulnerabilities.set(vulnerabilities)
    _event(current, CaseEvent.Kind.RECLASSIFIED, acting_user)
    return current


def _check_action_dates(case: Case, taken_on: date, next_due: date) -> None:
    today = timezone.localdate()
    if taken_on > today:
        raise ValidationError({"taken_on": "The date of the action cannot be in the future"})
    if next_due <= taken_on:
        raise ValidationError({"next_due": "The next action must be due after the date of this action"})
    limit = cadence.next_due_limit(case, taken_on)
    if next_due > limit:
        raise ValidationError({"next_due": f"The next action must be due by {limit:%-d %B %Y} "
                                           f"({cadence.case_cadence(case)} after this one)"})


@transaction.atomic
def do_record_action(
    case: Case, *, action_type: str, taken_on: date, note: str, next_due: date, acting_user: User
) -> Action:
    """Record an action; the case's next due date follows the latest action."""
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it to record an action.")
    _check_action_dates(case, taken_on, next_due)
    action = Action.objects.create(
        organisation_id=case.organisation_id, case=case, action_type=action_type, taken_on=taken_on,
        note=note, next_due=next_due, recorded_by=acting_user,
    )
    latest = case.actions.order_by("-taken_on", "-recorded_at", "-pk").first()
    current = Case.objects.for_org(case.organisation_id).select_for_update().get(pk=case.pk)
    current.next_action_due = latest.next_due if latest else next_due
    current.save(update_fields=["next_action_due"])
    case.next_action_due = current.next_action_due
    return action


@transaction.atomic
def do_add_addendum(case: Case, *, text: str, acting_user: User, action: Action | None = None,
                    rectification: Any = None) -> Addendum:
    """Only the author of the record may add to it; or, for an accepted rectification request (UK GDPR art. 16,
    ``governance.subject_access``), the person answering it, whose dated and signed addendum says so."""
    if rectification is not None:
        from governance.subject_access.policy import check_rectification

        check_rectification(rectification, case, acting_user)
        text = f"Correction under rectification request {rectification.reference}: {text}"
    else:
        author_id = action.recorded_by_id if action is not None else case.reported_by_id
        if author_id != acting_user.pk:
            raise PermissionDenied("Only the author of a record can add an addendum to it.")
    return Addendum.objects.create(
        organisation_id=case.organisation_id, case=case, action=action, text=text, written_by=acting_user
    )


@transaction.atomic
def do_add_person(case: Case, person: PersonData, *, acting_user: User) -> CasePerson:
    return CasePerson.objects.create(
        organisation_id=case.organisation_id, case=case, person_type=person.person_type,
        full_name=person.full_name, date_of_birth=person.date_of_birth, age=person.age,
        address=person.address, tenancy_reference=person.tenancy_reference,
    )


@transaction.atomic
def do_attach(case: Case, upload: UploadedFile, *, content_type: str, description: str, acting_user: User) -> Attachment:
    return Attachment.objects.create(  # type: ignore[misc]
        organisation_id=case.organisation_id, case=case, file=upload, original_name=upload.name[:255],  # type: ignore[index]
        content_type=content_type, size=upload.size, description=description, uploaded_by=acting_user,
    )


@transaction.atomic
def do_request_closure(case: Case, *, outcome: str, version: int, acting_user: User) -> Case:
    current = _locked(case, version)
    closure.check_request_closure(current)
    current.status = CaseStatus.CLOSURE_REQUESTED
    current.closure_requested_at, current.closure_requested_by = timezone.now(), acting_user
    current.outcome = outcome
    current.version += 1
    current.save()
    _event(current, CaseEvent.Kind.CLOSURE_REQUESTED, acting_user, outcome)
    notify(org=current.organisation, recipients=[u for u in manager_ids(current) if u != acting_user.pk],
           kind="case.closure_requested",
           title=f"Closure of case {current.reference} requested: decide whether to authorise it",
           app_title=f"{acting_user.full_name} asks to close case {current.reference}: decide whether to authorise it",
           url=reverse("cases:closure", args=[current.pk]))
    return current


@transaction.atomic
def do_decide_closure(
    case: Case, *, authorise: bool, reason: str, version: int, acting_user: User, membership: Membership
) -> Case:
    """A manager authorises the closure, or sends it back to the officer with a reason."""
    current = _locked(case, version)
    closure.check_decide_closure(current, membership)
    if authorise:
        current.status, current.closed_at, current.closed_by = CaseStatus.CLOSED, timezone.now(), acting_user
        kind, title = CaseEvent.Kind.CLOSED, f"Closure of case {current.reference} authorised: the case is closed"
        app_title = f"{acting_user.full_name} authorised the closure of case {current.reference}: the case is closed"
    else:
        if not reason.strip():
            raise ValidationError({"reason": "Say why the case is sent back"})
        current.status = CaseStatus.ALLOCATED
        kind, title = (CaseEvent.Kind.SENT_BACK,
                       f"Case {current.reference} sent back, not closed: read the reason and carry on with it")
        app_title = (f"{acting_user.full_name} sent case {current.reference} back, not closed: "
                     "read the reason and carry on with it")
    current.version += 1
    current.save()
    _event(current, kind, acting_user, reason)
    officer = [current.allocated_to_id or current.closure_requested_by_id]
    notify(org=current.organisation, recipients=[u for u in officer if u != acting_user.pk], kind="case.closure_decided",  # type: ignore[misc]
           title=title, app_title=app_title, url=case_url(current))
    return current


@transaction.atomic
def do_reopen(case: Case, *, reason: str, version: int, acting_user: User, membership: Membership) -> Case:
    current = _locked(case, version)
    closure.check_reopen(current, membership)
    current.status = CaseStatus.ALLOCATED if current.allocated_to_id else CaseStatus.REPORTED
    current.closed_at = current.closed_by = None
    current.next_action_due = cadence.due_after_reopen(current, timezone.localdate())
    current.version += 1
    current.save()
    _event(current, CaseEvent.Kind.REOPENED, acting_user, reason)
    if current.allocated_to_id:
        notify(org=current.organisation, recipients=[current.allocated_to_id], kind="case.reopened",
               title=f"Case {current.reference} reopened: record its next action",
               app_title=f"{acting_user.full_name} reopened case {current.reference}: record its next action",
               url=case_url(current))
    return current


@transaction.atomic
def do_grant_access(case: Case, *, user: User, reason: str, can_edit: bool, acting_user: User) -> CaseAccessGrant:
    if not Membership.objects.for_org(case.organisation_id).filter(user=user, is_active=True).exists():
        raise ValidationError("Choose a member of this organisation.")
    grant, created = CaseAccessGrant.objects.for_org(case.organisation_id).get_or_create(
        organisation_id=case.organisation_id, case=case, user=user, revoked_at__isnull=True,
        defaults={"reason": reason, "can_edit": can_edit, "granted_by": acting_user},
    )
    if created:
        _event(case, CaseEvent.Kind.ACCESS_GRANTED, acting_user, f"{user.full_name}: {reason}")
        audit.record(org=case.organisation, actor=acting_user, action="case.access_granted", obj=case, user_id=user.pk)
        notify(org=case.organisation, recipients=[user], kind="case.access_granted",
               title=f"You have been given access to case {case.reference}: open it to read it",
               app_title=f"{acting_user.full_name} gave you access to case {case.reference}: open it to read it",
               url=case_url(case))
    return grant


@transaction.atomic
def do_revoke_access(grant: CaseAccessGrant, *, acting_user: User) -> None:
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save()
        _event(grant.case, CaseEvent.Kind.ACCESS_REVOKED, acting_user, grant.user.full_name)
        audit.record(org=grant.case.organisation, actor=acting_user, action="case.access_revoked",
                     obj=grant.case, user_id=grant.user_id)
