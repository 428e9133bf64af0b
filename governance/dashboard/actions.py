"""Changes of the board dashboard: the commentary and the thresholds, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Organisation, User

from .models import Commentary, RagSettings


@transaction.atomic
def do_save_commentary(org: Organisation, month: date, text: str, *, version: int | None,
                       acting_user: User) -> Commentary:
    existing = Commentary.objects.for_org(org).filter(month=month).first()
    if existing is None:
        commentary = Commentary.objects.create(organisation=org, month=month, text=text.strip(),
                                               written_by=acting_user)
    else:
        commentary = lock_for_edit(Commentary.objects.for_org(org), existing.pk, version,
                                   message="Someone else saved the commentary while you were writing.")
        commentary.text, commentary.written_by, commentary.written_at = text.strip(), acting_user, timezone.now()
        commentary.version += 1
        commentary.save()
    audit.record(org=org, actor=acting_user, action="board.commentary_saved", obj=commentary)
    return commentary


@transaction.atomic
def do_save_rag_settings(org: Organisation, values: dict[str, Any], *, acting_user: User) -> RagSettings:
    settings, _ = RagSettings.objects.for_org(org).get_or_create(organisation=org)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.version += 1
    settings.save()
    audit.record(org=org, actor=acting_user, action="board.rag_settings_saved", obj=settings, **{
        k: str(v) for k, v in values.items()})
    return settings


@transaction.atomic
def do_request_report(org: Organisation, kind: str, on: date, *, area: Any = None, acting_user: User) -> Any:
    """A report made on demand: its row (kept with the history) and a background job that makes it."""
    from governance.reports.make import period_for
    from safeguard.background.runner import create_job, enqueue_job

    from .background_jobs import REPORT
    from .models import BoardReport

    start, end = period_for(kind, on)
    report = BoardReport.objects.create(organisation=org, kind=kind, area=area if kind == "weekly" else None,
                                        period_start=start, period_end=end, requested_by=acting_user)
    job = create_job(org=org, kind=REPORT, requested_by=acting_user,
                     params={"report_id": report.pk, "title": report.title})
    enqueue_job(job)
    audit.record(org=org, actor=acting_user, action="board.report_requested", obj=report)
    return job


@transaction.atomic
def do_save_equality(person: Any, values: dict[str, Any], *, acting_user: User) -> Any:
    """A case person's equality monitoring. Without consent, gender reassignment is cleared."""
    from django.core.exceptions import ValidationError as Invalid

    from .equality import EqualityProfile

    if values.get("gender_reassignment") and not values.get("gender_reassignment_consent"):
        raise Invalid("Gender reassignment can be recorded only with the person's explicit consent.")
    profile = EqualityProfile.objects.for_org(person.organisation_id).filter(person=person).first() or \
        EqualityProfile(organisation_id=person.organisation_id, person=person, updated_by=acting_user)
    consent_now = values.get("gender_reassignment_consent") and not profile.gender_reassignment_consent
    for name, value in values.items():
        setattr(profile, name, value or ("" if name != "gender_reassignment_consent" else False))
    if not profile.gender_reassignment_consent:
        profile.gender_reassignment = ""
    if consent_now:
        profile.consent_recorded_by, profile.consent_recorded_at = acting_user, timezone.now()
    profile.updated_by, profile.updated_at = acting_user, timezone.now()
    profile.version += 1
    profile.save()
    audit.record(org=person.organisation, actor=acting_user, action="board.equality_saved", obj=profile)
    return profile
