"""Permanent destruction of a record's personal data, after the Data Privacy Manager's decision (issue 14).

What goes, for a case: every free-text field of the case and of everything recorded on it (people's names,
dates of birth, ages, addresses and tenancy references; action and event notes; consent, referral, DASH and
MARAC notes; access requests; audit findings), its addenda and attachments (rows and the files in storage),
every django-simple-history row of all of them (the copies of what was once typed), the notifications and
flags pointing at them, the detail of audit events about them, and admin log entries.

What stays: a skeleton without personal data, so the board's figures for past periods do not change (they are
counted live from cases, people by type, actions, referrals and categories): the case row with its reference,
type, area, department, source, categories, status and dates; its people as a type only; its actions and
referrals as types, dates and outcomes. ``Case.destroyed_at`` hides the skeleton from every list and page. The
``Tombstone`` written by the action says which record it was, its dates, who decided and under which rule.

Called inside ``rls.org_scope(org)`` by the destruction job only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Action, Addendum, Attachment, Case, CaseAccessGrant, CaseEvent, CasePerson
from cases.referrals.models import (
    AccessRequest,
    Consent,
    DashAssessment,
    MaracPrompt,
    PrivacyReview,
    Referral,
)
from governance.dashboard.equality import EqualityProfile
from governance.models import AuditedCase, AuditFinding
from governance.subject_access.models import Correction, FoundRecord, Redaction
from safeguard.tenancy.models import AuditEvent, Flag, Notification, Organisation
from safeguard.tenancy.scoping import TenantModel

# model -> the fields emptied on the skeleton (rows kept for the figures)
SCRUB: dict[type[TenantModel], dict[str, Any]] = {
    Case: {"what_happened": "", "outcome": "", "submission_token": None},
    CasePerson: {"full_name": "", "date_of_birth": None, "age": None, "address": "", "tenancy_reference": ""},
    Action: {"note": ""},
    CaseEvent: {"note": ""},
    CaseAccessGrant: {"reason": ""},
    Consent: {"capacity_notes": "", "parents_not_told_reason": "", "notes": ""},
    Referral: {"reason": "", "agency_reference": "", "outcome_notes": "", "override_reason": ""},
    PrivacyReview: {"notes": ""},
    DashAssessment: {"answers": [], "notes": ""},
    MaracPrompt: {"detail": ""},
    AuditedCase: {"findings": ""},
    AuditFinding: {"note": ""},
}
# A subject access request's marks on the case go with it (a redaction keeps the phrase it hides); the
# request itself, and the pack it disclosed, are the request's own record (kept under its own rule).
DELETED: tuple[type[TenantModel], ...] = (Correction, Redaction, FoundRecord, Addendum, Attachment, AccessRequest)


def _history_delete(model: type[models.Model], ids: Iterable[int]) -> int:
    ids = list(ids)
    if not ids or not hasattr(model, "history"):
        return 0
    deleted, _ = model.history.filter(id__in=ids).delete()
    return deleted


def _attachment_files(org: Organisation, attachment_ids: list[int]) -> set[tuple[Storage, str]]:
    files = {
        (a.file.storage, a.file.name)
        for a in Attachment.objects.for_org(org).filter(pk__in=attachment_ids)
        if a.file.name  # what `if a.file` tests (FieldFile.__bool__), narrowed to a str
    }
    storage = Attachment._meta.get_field("file").storage
    names = Attachment.history.filter(id__in=attachment_ids).values_list("file", flat=True)
    files |= {(storage, name) for name in names if name}
    return files


def destroy_case(org: Organisation, case_id: int) -> dict[str, int]:
    """Destroy one case's personal data (see the module). Returns what was removed, for the tombstone."""
    with transaction.atomic():
        case = Case.objects.for_org(org).select_for_update().get(pk=case_id)
        ids: dict[type[TenantModel], list[int]] = {Case: [case.pk]}

        def of(model: type[TenantModel], q: Q) -> list[int]:
            found = list(model.objects.for_org(org).filter(q).values_list("pk", flat=True))
            ids[model] = found
            return found

        people = of(CasePerson, Q(case_id=case.pk))
        actions = of(Action, Q(case_id=case.pk))
        of(CaseEvent, Q(case_id=case.pk))
        of(Addendum, Q(case_id=case.pk))
        attachments = of(Attachment, Q(case_id=case.pk))
        of(CaseAccessGrant, Q(case_id=case.pk))
        of(Consent, Q(case_id=case.pk))
        referrals = of(Referral, Q(case_id=case.pk))
        of(PrivacyReview, Q(referral_id__in=referrals))
        of(DashAssessment, Q(case_id=case.pk))
        of(MaracPrompt, Q(case_id=case.pk))
        of(AccessRequest, Q(case_id=case.pk) | Q(from_case_id=case.pk))
        of(Correction, Q(case_id=case.pk))
        found_records = of(FoundRecord, Q(case_id=case.pk))
        of(Redaction, Q(found_id__in=found_records))
        audited = of(AuditedCase, Q(case_id=case.pk))
        of(AuditFinding, Q(audited_case_id__in=audited))
        profiles = list(
            EqualityProfile.objects.for_org(org).filter(person_id__in=people).values_list("pk", flat=True)
        )

        files = _attachment_files(org, attachments)
        counts = {"history rows": 0, "files": len(files), "notifications": 0, "flags": 0}
        for model in DELETED:
            model.objects.for_org(org).filter(pk__in=ids[model]).delete()
        for model, values in SCRUB.items():
            if ids.get(model):
                model.objects.for_org(org).filter(pk__in=ids[model]).update(**values)
        Case.objects.for_org(org).filter(pk=case.pk).update(destroyed_at=timezone.now())
        # last: deleting rows writes a history row of the deletion (simple-history's post_delete)
        for model, found in ids.items():
            counts["history rows"] += _history_delete(model, found)
        counts["history rows"] += _history_delete(EqualityProfile, profiles)

        # Pointers to it elsewhere: notifications (their titles carry the reference, their bodies text), flags,
        # audit events' detail and the admin log's object names.
        counts["notifications"], _ = (
            Notification.objects.for_org(org)
            .filter(
                Q(url__contains=f"/cases/{case.pk}/")
                | Q(url__contains=f"/case/{case.pk}/")
                | Q(title__contains=case.reference)
                | Q(app_title__contains=case.reference)
            )
            .delete()
        )
        pointers = Q()
        for model, found in ids.items():
            if found:
                ct = ContentType.objects.get_for_model(model)
                pointers |= Q(content_type=ct, object_id__in=found)
        counts["flags"], _ = Flag.objects.for_org(org).filter(pointers).delete()
        AuditEvent.objects.for_org(org).filter(pointers).update(detail={"destroyed": True})
        for model, found in ids.items():
            if found:
                LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id__in=[str(pk) for pk in found],
                ).delete()

        def remove_files() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
        counts["people"] = len(people)
        counts["actions"] = len(actions)
    return counts
