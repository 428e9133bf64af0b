"""Changes to subject access, rectification and erasure requests. Each is atomic and audited
(``safeguard.tenancy.audit.record``); history is kept by django-simple-history. Views call these."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import actions as case_actions
from cases.models import Action, Case
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import create_job, enqueue_job
from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Organisation, User

from . import content, policy, search
from .models import Correction, Decision, FoundRecord, Kind, Mark, Redaction, Request, Source, Status

PACK = "subject_access.pack"
REQUEST_FIELDS = (
    "kind",
    "requester_name",
    "requester_relationship",
    "requester_contact",
    "subject_name",
    "subject_date_of_birth",
    "subject_tenancy_reference",
    "subject_case_person",
    "subject_training_person",
    "details",
    "received_on",
    "identity_verified_on",
    "identity_method",
    "fee_received_on",
    "extension_months",
    "extension_reason",
)


def _due(req: Request) -> date:
    return policy.deadline(
        req.received_on,
        identity_verified_on=req.identity_verified_on,
        fee_received_on=req.fee_received_on,
        extension_months=req.extension_months or 0,
    )


def _check(req: Request) -> None:
    if req.extension_months and not req.extension_reason.strip():
        raise ValidationError({"extension_reason": "Say why the deadline is extended"})
    if req.identity_verified_on and not req.identity_method.strip():
        raise ValidationError({"identity_method": "Say how the identity was verified"})


@transaction.atomic
def do_record_request(
    org: Organisation, data: dict[str, Any], *, acting_user: User, token: uuid.UUID | None = None
) -> Request:
    """Record a request; the same form sent twice (same ``token``) records it once."""
    Organisation.objects.select_for_update().get(pk=org.pk)  # one reference each, and a repeat sees the first
    if token is not None:
        existing = Request.objects.for_org(org).filter(created_by=acting_user, submission_token=token).first()
        if existing is not None:
            return existing
    req = Request(
        organisation=org,
        created_by=acting_user,
        submission_token=token,
        **{k: v for k, v in data.items() if k in REQUEST_FIELDS},
    )
    _check(req)
    req.reference = f"SAR-{Request.objects.for_org(org).count() + 1:04d}"
    req.due_on = _due(req)
    req.save()
    audit.record(
        org=org,
        actor=acting_user,
        action="subject_request.recorded",
        obj=req,
        kind=req.kind,
        due_on=req.due_on.isoformat(),
    )
    return req


@transaction.atomic
def do_update_request(req: Request, *, version: int, acting_user: User, **changes: Any) -> Request:
    current = lock_for_edit(Request.objects.for_org(req.organisation_id), req.pk, version)
    if not current.is_open:
        raise ValidationError("This request is closed.")
    for name, value in changes.items():
        if name in REQUEST_FIELDS:
            setattr(current, name, value)
    _check(current)
    before = current.due_on
    current.due_on = _due(current)
    current.version += 1
    current.save()
    audit.record(
        org=current.organisation,
        actor=acting_user,
        action="subject_request.changed",
        obj=current,
        fields=sorted(changes),
        due_on=current.due_on.isoformat(),
        due_before=before.isoformat(),
    )
    return current


@transaction.atomic
def do_find_records(req: Request, *, acting_user: User) -> tuple[int, int]:
    """Search every source again; records already found keep their marks. Returns (newly found, total)."""
    org = req.organisation
    matches = search.find(org, req)
    existing = FoundRecord.objects.for_org(org).filter(request=req)
    seen = {(f.source, f.case_id or f.entry_id or f.training_person_id) for f in existing}
    new = []
    for m in matches:
        if (m.source, m.pk) in seen:
            continue
        field = {Source.CASE: "case_id", Source.ENTRY: "entry_id", Source.TRAINING: "training_person_id"}[
            m.source
        ]
        new.append(
            FoundRecord(
                organisation=org, request=req, source=m.source, matched_by=m.matched_by[:200], **{field: m.pk}
            )
        )
    for f in new:
        f.save()  # one by one, so each has its history row
    Request.objects.for_org(org).filter(pk=req.pk).update(searched_at=timezone.now())
    audit.record(
        org=org,
        actor=acting_user,
        action="subject_request.searched",
        obj=req,
        found=len(matches),
        new=len(new),
    )
    return len(new), FoundRecord.objects.for_org(org).filter(request=req).count()


@transaction.atomic
def do_mark(found: FoundRecord, *, mark: str, reason: str, acting_user: User) -> FoundRecord:
    if mark not in Mark.values or mark == Mark.PENDING:
        raise ValidationError({"mark": "Choose whether to disclose or withhold the record"})
    if mark == Mark.WITHHOLD and not reason.strip():
        raise ValidationError({"exemption_reason": "Give the exemption under which the record is withheld"})
    _open(found.request)
    found.mark, found.exemption_reason = mark, reason.strip() if mark == Mark.WITHHOLD else ""
    found.marked_by, found.marked_at = acting_user, timezone.now()
    found.save()
    audit.record(
        org=found.request.organisation,
        actor=acting_user,
        action="subject_request.record_marked",
        obj=found.request,
        found_id=found.pk,
        source=found.source,
        mark=mark,
    )
    return found


def _open(req: Request) -> None:
    if not req.is_open:
        raise ValidationError("This request is closed.")


@transaction.atomic
def do_redact(found: FoundRecord, *, part: str, phrase: str, reason: str, acting_user: User) -> Redaction:
    """Black out a part of the record (or a phrase in it, or everywhere in the record) with the reason shown."""
    _open(found.request)
    phrase = phrase.strip()
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the redaction"})
    parts = {p.key: p for p in content.content(found).parts}
    if part != content.EVERYWHERE and part not in parts:
        raise ValidationError({"part": "Choose a part of this record"})
    if part == content.EVERYWHERE and not phrase:
        raise ValidationError({"phrase": "Give the text to redact everywhere in the record"})
    if phrase and part != content.EVERYWHERE and phrase.casefold() not in parts[part].text.casefold():
        raise ValidationError({"phrase": "That text is not in the part chosen: copy it exactly"})
    same = (
        Redaction.objects.for_org(found.organisation_id).filter(found=found, part=part, phrase=phrase).first()
    )
    if same is not None:  # the form sent twice, or the same text marked again: one box
        return same
    redaction = Redaction.objects.create(
        organisation_id=found.organisation_id,
        found=found,
        part=part,
        phrase=phrase,
        reason=reason.strip()[:200],
        made_by=acting_user,
    )
    # the audit names the part, never the redacted text (it is third-party information)
    audit.record(
        org=found.request.organisation,
        actor=acting_user,
        action="subject_request.redacted",
        obj=found.request,
        found_id=found.pk,
        part=part,
        reason=redaction.reason,
    )
    return redaction


@transaction.atomic
def do_remove_redaction(redaction: Redaction, *, acting_user: User) -> None:
    found = redaction.found
    _open(found.request)
    audit.record(
        org=found.request.organisation,
        actor=acting_user,
        action="subject_request.redaction_removed",
        obj=found.request,
        found_id=found.pk,
        part=redaction.part,
    )
    redaction.delete()


@transaction.atomic
def do_request_pack(req: Request, *, acting_user: User) -> BackgroundJob:
    """Start making the PDF pack in the background; every found record must be decided first."""
    _open(req)
    if req.kind != Kind.ACCESS:
        raise ValidationError("A pack is made for a subject access request.")
    found = FoundRecord.objects.for_org(req.organisation_id).filter(request=req)
    if not found.exists():
        raise ValidationError("Search for the person's records first.")
    if found.filter(mark=Mark.PENDING).exists():
        raise ValidationError("Decide whether to disclose or withhold every record found first.")
    job = create_job(
        org=req.organisation_id,
        kind=PACK,
        requested_by=acting_user,
        params={"request_id": req.pk},
        file_name=f"{req.reference}.pdf",
    )
    enqueue_job(job)
    audit.record(
        org=req.organisation,
        actor=acting_user,
        action="subject_request.pack_requested",
        obj=req,
        job_id=job.pk,
    )
    return job


def hand_to_destruction(req: Request, *, acting_user: User) -> None:
    """The hook for a granted erasure: the records found go to the retention and destruction queue.

    Records that the request was passed on (``passed_to_destruction_at``, audited) and lists each found case
    on ``governance.privacy``'s destruction review, due today, where legal holds still apply and the Data
    Privacy Manager decides."""
    now = timezone.now()
    Request.objects.for_org(req.organisation_id).filter(pk=req.pk).update(passed_to_destruction_at=now)
    req.passed_to_destruction_at = now
    records = list(
        FoundRecord.objects.for_org(req.organisation_id)
        .filter(request=req)
        .exclude(mark=Mark.NOT_SUBJECT)
        .values_list("source", "case_id", "entry_id", "training_person_id")
    )
    from governance.privacy.actions import do_list_for_erasure

    # Cases go on the destruction review (legal holds still apply there); register entries and training
    # records have no automatic destruction yet, so the audit lists them for the Data Privacy Manager.
    listed = do_list_for_erasure(
        req.organisation, [c for _s, c, _e, _t in records if c], request_reference=req.reference,
        acting_user=acting_user,
    )
    audit.record(
        org=req.organisation,
        actor=acting_user,
        action="subject_request.passed_to_destruction",
        obj=req,
        records=[[s, c or e or t] for s, c, e, t in records],
        cases_listed=listed,
    )


@transaction.atomic
def do_decide(
    req: Request,
    *,
    decision: str,
    reason: str,
    exemption: str = "",
    close: bool = False,
    version: int,
    acting_user: User,
) -> Request:
    current = lock_for_edit(Request.objects.for_org(req.organisation_id), req.pk, version)
    _open(current)
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose the decision"})
    if not reason.strip():
        raise ValidationError({"decision_reason": "Give the reason for the decision"})
    if current.kind == Kind.ERASURE and decision != Decision.ACCEPTED and not exemption:
        raise ValidationError({"exemption": "Choose why the records are not erased"})
    granted_now = (
        current.kind == Kind.ERASURE
        and decision in (Decision.ACCEPTED, Decision.PARTLY)
        and current.passed_to_destruction_at is None
    )
    current.decision, current.decision_reason = decision, reason.strip()
    current.exemption = exemption if current.kind == Kind.ERASURE else ""
    if close:
        current.status, current.closed_on, current.closed_by = (
            Status.CLOSED,
            timezone.localdate(),
            acting_user,
        )
    current.version += 1
    current.save()
    audit.record(
        org=current.organisation,
        actor=acting_user,
        action="subject_request.decided",
        obj=current,
        decision=decision,
        exemption=current.exemption,
        closed=close,
    )
    if granted_now:
        hand_to_destruction(current, acting_user=acting_user)
    return current


@transaction.atomic
def do_rectify(
    req: Request, *, case: Case, action: Action | None, text: str, acting_user: User
) -> Correction:
    """Correct a case through its own court-safe path: a dated, signed addendum (``cases.actions``)."""
    if not text.strip():
        raise ValidationError({"text": "Write the correction"})
    if not FoundRecord.objects.for_org(req.organisation_id).filter(request=req, case=case).exists():
        raise PermissionDenied("Only a case found for this request can be corrected from it.")
    if action is not None and action.case_id != case.pk:
        raise ValidationError({"action": "Choose an action of this case"})
    addendum = case_actions.do_add_addendum(
        case, text=text.strip(), action=action, acting_user=acting_user, rectification=req
    )
    correction = Correction.objects.create(
        organisation_id=req.organisation_id, request=req, case=case, addendum=addendum, made_by=acting_user
    )
    audit.record(
        org=req.organisation,
        actor=acting_user,
        action="subject_request.rectified",
        obj=req,
        case_id=case.pk,
        addendum_id=addendum.pk,
    )
    return correction
