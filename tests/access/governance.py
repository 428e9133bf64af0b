"""The governance app's URLs. The Safeguarding Manager keeps every record; auditors (case managers,
DSLs) run audits; board members reach no record page (403 on lists, 404 on records); a record that is
not yours answers 404, as another organisation's id does."""

from __future__ import annotations

from django.core.files.base import ContentFile

from governance import models as m
from governance.kinds import KINDS
from safeguard.tenancy.roles import Role
from tests.governance import helpers as h

from . import EVERYONE, UrlCase

MEMBERS = EVERYONE - {Role.BOARD_MEMBER}
KEEP = frozenset({Role.SAFEGUARDING_MANAGER})
AUDITORS = frozenset({Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DSL})


def _with_document(obj):
    if hasattr(obj, "document") and not obj.document:
        obj.document.save("d.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        obj.document_name = "d.pdf"
        obj.save()
    return obj


MAKERS = {
    "policies": h.make_policy,
    "policy-versions": lambda w: _with_document(
        m.PolicyVersion.objects.for_org(w.org).filter(label="v9").first()
        or m.PolicyVersion.objects.create(organisation=w.org, policy=h.make_policy(w), label="v9")),
    "case-reviews": h.make_review,
    "recommendations": h.make_recommendation,
    "review-actions": lambda w: h.make_action(w, case_review=h.make_review(w), source="case_review"),
    "lessons": lambda w: h._get_or_make(m.Lesson, w, {"lesson": "Ask again"}, theme="Curiosity",
                                        recorded_on="2026-10-01"),
    "near-misses": lambda w: h._get_or_make(m.NearMiss, w, {"summary": "Referral nearly missed"},
                                            received_on="2026-10-01", response_due_on="2026-10-15"),
    "complaints": lambda w: h._get_or_make(m.Complaint, w, {"summary": "Slow response"}, received_on="2026-10-01",
                                           response_due_on="2026-10-20"),
    "groups": h.make_group,
    "group-members": lambda w: h._get_or_make(m.GroupMember, w, {"group": h.make_group(w), "user": h.sm(w)}),
    "meetings": h.make_meeting,
    "attendance": lambda w: h._get_or_make(m.Attendance, w, {"meeting": h.make_meeting(w), "user": h.sm(w)}),
    "meeting-actions": lambda w: h.make_action(w, meeting=h.make_meeting(w), source="meeting"),
    "audit-actions": lambda w: h.make_action(w, audited_case=h.make_round(w).audited_cases.first(), source="audit"),
    "outcomes": h.make_outcome,
    "plan-actions": h.make_plan_action,
    "progress": lambda w: h._get_or_make(m.ProgressNote, w, {"action": h.make_plan_action(w), "text": "Started"},
                                         noted_on="2026-10-02", written_by=h.sm(w)),
    "suppliers": h.make_supplier,
}

# Who may see a record of each kind (its owner is nobody, so only its keeper, unless all may read it).
READERS = {"policies": MEMBERS, "policy-versions": MEMBERS}


def _pk(slug):
    def prepare(w):
        obj = MAKERS[slug](w)
        if KINDS[slug].has_document:
            _with_document(obj)
        return {"pk": obj.pk}
    return prepare


def _parent_pk(slug):
    def prepare(w):
        kind = KINDS[slug]
        if kind.parent_kind == "audited-cases":
            return {"parent_pk": h.make_round(w).audited_cases.first().pk}
        return {"parent_pk": MAKERS[kind.parent_kind](w).pk}
    return prepare


def _audited(w):
    return {"pk": h.make_round(w).audited_cases.first().pk}


def _round(w):
    return {"pk": h.make_round(w).pk}


def _question(w):
    from governance.actions.audits import ensure_default_questions

    ensure_default_questions(w.org)
    return {"pk": m.AuditQuestion.objects.for_org(w.org).first().pk}


def _import(w):
    from safeguard.background.models import BackgroundJob
    from safeguard.background.runner import create_job

    job = create_job(org=w.org, kind="governance.import", requested_by=h.sm(w), step="check",
                     params={"kind": "suppliers"}, upload=ContentFile(b"name,services\nAcme,Repairs\n", name="s.csv"))
    BackgroundJob.all_orgs.filter(pk=job.pk).update(status=BackgroundJob.Status.DONE, total=1)
    return {"pk": job.pk}


CASES = [
    UrlCase("governance:home", allowed=MEMBERS),
    UrlCase("governance:audits", allowed=AUDITORS),
    UrlCase("governance:audit-start", allowed=AUDITORS),
    UrlCase("governance:audit-checklist", allowed=AUDITORS),
    UrlCase("governance:audit-question-add", method="post", allowed=KEEP,
            data=lambda w, kw: {"text": "Risks are assessed", "position": 9, "is_active": "on"}),
    UrlCase("governance:audit-question", prepare=_question, allowed=KEEP, object_of_org=True, denied=404),
    # The round was started by the Safeguarding Manager over every area; the DSL (one area) sees its cases.
    UrlCase("governance:audit-round", prepare=_round, allowed=AUDITORS, object_of_org=True, denied=404),
    UrlCase("governance:audit-round-close", method="post", prepare=_round, allowed=KEEP, object_of_org=True,
            denied=404),
    UrlCase("governance:audited-case", prepare=_audited, allowed=AUDITORS, object_of_org=True, denied=404),
    UrlCase("governance:workplan-print", allowed=MEMBERS),
    # Imports (issue 9, item 10): the people who keep the records.
    *[UrlCase("governance:import", allowed=KEEP, prepare=lambda w, s=s: {"slug": s}, id=f"governance:import:{s}")  # type: ignore[misc]
      for s in ("policies", "outcomes", "suppliers")],
    *[UrlCase("governance:import-template", allowed=KEEP, prepare=lambda w, s=s: {"slug": s},  # type: ignore[misc]
              id=f"governance:import-template:{s}")
      for s in ("policies", "outcomes", "suppliers")],
    UrlCase("governance:import-confirm", method="post", prepare=_import, allowed=KEEP, object_of_org=True),
]

for slug, kind in KINDS.items():
    readers = READERS.get(slug, KEEP)
    if slug == "audit-actions":
        readers = AUDITORS
    if not kind.parent:
        CASES.append(UrlCase(kind.n_list, allowed=MEMBERS))
        CASES.append(UrlCase(kind.n_add, allowed=KEEP))
    else:
        writers = AUDITORS if slug == "audit-actions" else KEEP
        CASES.append(UrlCase(kind.n_add, prepare=_parent_pk(slug), allowed=writers, object_of_org=True, denied=404))
    CASES.append(UrlCase(kind.n_detail, prepare=_pk(slug), allowed=readers, object_of_org=True, denied=404))
    CASES.append(UrlCase(kind.n_edit, prepare=_pk(slug), allowed=AUDITORS if slug == "audit-actions" else KEEP,
                         object_of_org=True, denied=404))
    if kind.close is not None:
        CASES.append(UrlCase(kind.n_close, method="post", prepare=_pk(slug),
                             allowed=AUDITORS if slug == "audit-actions" else KEEP, object_of_org=True, denied=404))
    if kind.has_document:
        CASES.append(UrlCase(kind.n_document, prepare=_pk(slug), allowed=readers, object_of_org=True, denied=404))
