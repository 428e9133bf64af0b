"""Starting audit rounds, drawing the sample, recording audits, follow-up actions, closing rounds."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Area, Membership, Organisation, User
from safeguard.tenancy.notifications import notify

from ..audits import auditable_cases, candidates_for, draw
from ..models import (
    DEFAULT_QUESTIONS,
    ActionSource,
    AuditedCase,
    AuditFinding,
    AuditQuestion,
    AuditRound,
    FollowUpAction,
)


def ensure_default_questions(org: Organisation | int) -> None:
    """The default checklist, the first time an organisation audits."""
    org_id = getattr(org, "pk", org)
    if AuditQuestion.objects.for_org(org_id).exists():
        return
    bulk_create_with_history([AuditQuestion(organisation_id=org_id, text=t, position=i)  # type: ignore[misc]
                              for i, t in enumerate(DEFAULT_QUESTIONS, start=1)], AuditQuestion)


@transaction.atomic
def do_start_round(org: Organisation, membership: Membership, *, areas: list[Area], period_start: date,
                   period_end: date, sample_size: int, sample_is_percent: bool, title: str = "",
                   seed: int | None = None, acting_user: User) -> AuditRound:
    """Start a round and draw its sample of the cases this auditor may audit."""
    ensure_default_questions(org)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    area_ids = sorted(a.pk for a in areas)
    candidates = candidates_for(org, membership, area_ids=area_ids, start=period_start, end=period_end)
    if not candidates:
        raise ValidationError("There are no cases you may audit in those areas and dates. Choose other areas "
                              "or a longer period")
    sample = draw(candidates, seed=seed, n=None if sample_is_percent else sample_size,
                  percent=sample_size if sample_is_percent else None)
    rnd = AuditRound(organisation=org, title=title, period_start=period_start, period_end=period_end,
                     sample_size=sample_size, sample_is_percent=sample_is_percent, seed=seed, started_by=acting_user,
                     created_by=acting_user)
    rnd._history_user = acting_user  # type: ignore[attr-defined]
    rnd.save()
    rnd.areas.set(area_ids)
    bulk_create_with_history([AuditedCase(organisation=org, round=rnd, case_id=cid, area_id=aid)
                              for cid, aid in sample], AuditedCase, default_user=acting_user)
    audit.record(org=org, actor=acting_user, action="governance.audit_round.started", obj=rnd,
                 candidates=len(candidates), sampled=len(sample), seed=seed)
    return rnd


@transaction.atomic
def do_record_audit(audited: AuditedCase, membership: Membership, *, answers: dict[int, tuple[str, str]],
                    findings: str, correctly_recorded: bool, audited_on: date,
                    follow_up: dict[str, Any] | None, expected_version: int | None,
                    acting_user: User) -> AuditedCase:
    """Record the audit of one sampled case: an answer per question, the overall result, and a follow-up
    action when the case was not correctly recorded."""
    org = audited.organisation
    current = lock_for_edit(AuditedCase.objects.for_org(org), audited.pk, expected_version)
    if current.round.status != AuditRound.Status.OPEN:
        raise ValidationError("This audit round has finished: its audits can no longer be changed")
    if not auditable_cases(org, membership).filter(pk=current.case_id).exists():
        raise ValidationError("You may not audit this case: you work on it, or it is outside your areas")
    if correctly_recorded is False and not follow_up and not current.actions.exists():
        raise ValidationError("Say what must be done to put the record right: a follow-up action, its owner and due date")
    questions = {q.pk: q for q in AuditQuestion.objects.for_org(org).filter(pk__in=list(answers))}
    existing = {f.question_id: f for f in current.findings_list.all()}
    for qid, (answer, note) in answers.items():
        finding = existing.get(qid) or AuditFinding(organisation=org, audited_case=current, question=questions[qid],
                                                   question_text=questions[qid].text)
        if finding.pk and finding.answer == answer and finding.note == note:
            continue
        finding.answer, finding.note = answer, note
        finding._history_user = acting_user  # type: ignore[union-attr]
        finding.save()
    current.findings, current.correctly_recorded_on_register = findings, correctly_recorded
    current.audited_on, current.auditor = audited_on, acting_user
    current.version += 1
    current._history_user = acting_user
    current.save()
    if follow_up:
        do_add_follow_up(current, acting_user=acting_user, **follow_up)
    audit.record(org=org, actor=acting_user, action="governance.audited_case.recorded", obj=current,
                 correctly_recorded=correctly_recorded)
    return current


def do_add_follow_up(audited: AuditedCase, *, title: str, owner: User, due_on: date,
                     acting_user: User | None) -> FollowUpAction:
    action = FollowUpAction(organisation_id=audited.organisation_id, source=ActionSource.AUDIT, audited_case=audited,
                            title=title, owner=owner, due_on=due_on, created_by=acting_user)
    action._history_user = acting_user  # type: ignore[attr-defined]
    action.save()
    notify(org=audited.organisation, recipients=[owner], kind="governance.action_assigned",
           title=f"Audit follow-up for case {audited.case.reference}, due {due_on:%d %b %Y}",
           url=reverse("governance:audit-actions-detail", args=[action.pk]), dedupe_key=f"gov-action:{action.pk}")
    return action


@transaction.atomic
def do_close_round(rnd: AuditRound, *, expected_version: int | None, acting_user: User) -> AuditRound:
    current = lock_for_edit(AuditRound.objects.for_org(rnd.organisation_id), rnd.pk, expected_version)
    current.status, current.closed_at = AuditRound.Status.CLOSED, timezone.now()
    current.version += 1
    current._history_user = acting_user
    current.save()
    audit.record(org=current.organisation, actor=acting_user, action="governance.audit_round.closed", obj=current)
    return current


@transaction.atomic
def do_save_question(org: Organisation, *, text: str, position: int, is_active: bool,
                     question: AuditQuestion | None = None, acting_user: User | None) -> AuditQuestion:
    question = question or AuditQuestion(organisation=org)
    question.text, question.position, question.is_active = text.strip(), position, is_active
    question._history_user = acting_user  # type: ignore[attr-defined]
    question.save()
    return question
