"""Case audit pages: rounds, the sample, recording an audit, the checklist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.policy.visibility import can_see
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required
from safeguard.tenancy.concurrency import StaleEditError

from ..access import is_keeper, require_governance_member, require_record_reader
from ..actions.audits import (
    do_close_round,
    do_record_audit,
    do_save_question,
    do_start_round,
    ensure_default_questions,
)
from ..audits import (
    auditable_areas,
    can_audit,
    may_audit,
    month_failure_count,
    round_progress,
    visible_audited_cases,
    visible_rounds,
)
from ..forms_audits import AuditForm, QuestionForm, StartRoundForm
from ..models import AuditedCase, AuditQuestion


def access_audited_case(request: OrgRequest, pk: int, *, write: bool = False) -> AuditedCase:
    qs = visible_audited_cases(request.org, request.membership).select_related(
        "round", "case", "area", "auditor", "organisation")
    audited = get_object_or_404(qs, pk=pk)
    if write and not (can_audit(audited, request.membership) or audited.auditor_id == request.user.pk
                      and audited.round.status == "open"):
        raise Http404
    return audited


def _require_auditor(request: OrgRequest) -> None:
    require_governance_member(request)
    if not may_audit(request.membership):
        raise PermissionDenied


@member_required
def round_list(request: OrgRequest) -> HttpResponse:
    _require_auditor(request)
    rounds = list(visible_rounds(request.org, request.membership).select_related("started_by")[:100])
    progress = round_progress(request.org, [r.pk for r in rounds])
    today = timezone.localdate()
    return render(request, "governance/audits/rounds.html", {
        "rounds": [(r, progress.get(r.pk, {"total": 0, "done": 0, "failed": 0})) for r in rounds],
        "month_failures": month_failure_count(request.org, today) if is_keeper(request.membership) else None,
        "today": today, "is_keeper": is_keeper(request.membership),
    })


@member_required
@require_http_methods(["GET", "POST"])
def round_start(request: OrgRequest) -> HttpResponse:
    _require_auditor(request)
    org, membership = request.org, request.membership
    form = StartRoundForm(request.POST or None, areas=auditable_areas(org, membership))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = do_start_round(org, membership, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"Sample drawn: {rnd.audited_cases.count()} cases to audit.")
            return redirect("governance:audit-round", pk=rnd.pk)
    return render(request, "governance/audits/start.html", {"form": form})


@member_required
def round_detail(request: OrgRequest, pk: int) -> HttpResponse:
    require_record_reader(request)
    rnd = get_object_or_404(visible_rounds(request.org, request.membership).select_related("started_by"), pk=pk)
    cases = (visible_audited_cases(request.org, request.membership).filter(round=rnd)
             .select_related("case", "area", "auditor").order_by("area__name", "case__reference"))
    rows = list(cases)
    return render(request, "governance/audits/round.html", {
        "round": rnd, "rows": rows, "areas": list(rnd.areas.all()),
        "done": sum(1 for r in rows if r.audited_on), "failed": sum(1 for r in rows if r.failed),
        "can_close": rnd.status == "open" and (is_keeper(request.membership) or rnd.started_by_id == request.user.pk),
        "history": list(rnd.history.select_related("history_user").order_by("-history_date")[:20]),
    })


@member_required
@require_POST
def round_close(request: OrgRequest, pk: int) -> HttpResponse:
    require_record_reader(request)
    rnd = get_object_or_404(visible_rounds(request.org, request.membership), pk=pk)
    if not (is_keeper(request.membership) or rnd.started_by_id == request.user.pk):
        raise Http404
    version = request.POST.get("version", "")
    try:
        do_close_round(rnd, expected_version=int(version) if version.isdigit() else None, acting_user=request.user)
    except StaleEditError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "The audit round is finished.")
    return redirect("governance:audit-round", pk=rnd.pk)


@member_required
@require_http_methods(["GET", "POST"])
def audited_case(request: OrgRequest, pk: int) -> HttpResponse:
    require_record_reader(request)
    audited = access_audited_case(request, pk)
    audit.record(org=request.org, actor=request.user, action="governance.audited_case.viewed", obj=audited)
    writable = can_audit(audited, request.membership)
    ensure_default_questions(request.org)
    existing = {f.question_id: f for f in audited.findings_list.select_related("question")}
    questions = list(AuditQuestion.objects.for_org(request.org).filter(is_active=True))
    questions += [f.question for qid, f in existing.items() if qid not in {q.pk for q in questions}]
    initial = {"findings": audited.findings, "version": audited.version}
    if audited.correctly_recorded_on_register is not None:
        initial["correctly_recorded"] = "true" if audited.correctly_recorded_on_register else "false"
    if audited.audited_on:
        initial["audited_on"] = audited.audited_on
    form = AuditForm(request.POST or None, org=request.org, questions=questions, existing=existing, initial=initial)
    if request.method == "POST":
        if not writable:
            raise Http404
        if form.is_valid():
            try:
                do_record_audit(audited, request.membership, answers=form.answers(),
                                findings=form.cleaned_data["findings"],
                                correctly_recorded=form.cleaned_data["correctly_recorded"],
                                audited_on=form.cleaned_data["audited_on"], follow_up=form.follow_up(),
                                expected_version=form.cleaned_data.get("version"), acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, f"Audit of case {audited.case.reference} saved.")
                return redirect("governance:audit-round", pk=audited.round_id)
    actions = list(audited.actions.select_related("owner"))
    return render(request, "governance/audits/audited_case.html", {
        "audited": audited, "form": form, "writable": writable, "actions": actions,
        "may_open_case": can_see(audited.case, request.membership),
        "findings": list(existing.values()),
        "history": list(audited.history.select_related("history_user").order_by("-history_date")[:20]),
    })


def _checklist(request: OrgRequest, form: QuestionForm) -> HttpResponse:
    questions = AuditQuestion.objects.for_org(request.org)
    form.helper.form_tag = False  # the page's own form posts to the add URL
    return render(request, "governance/audits/checklist.html", {
        "questions": questions, "form": form, "can_edit": is_keeper(request.membership)})


@member_required
def checklist(request: OrgRequest) -> HttpResponse:
    _require_auditor(request)
    ensure_default_questions(request.org)
    return _checklist(request, QuestionForm())


@member_required
@require_POST
def question_add(request: OrgRequest) -> HttpResponse:
    require_governance_member(request)
    if not is_keeper(request.membership):
        raise PermissionDenied
    form = QuestionForm(request.POST)
    if form.is_valid():
        do_save_question(request.org, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "Question added to the checklist.")
        return redirect("governance:audit-checklist")
    return _checklist(request, form)


@member_required
@require_http_methods(["GET", "POST"])
def question_edit(request: OrgRequest, pk: int) -> HttpResponse:
    membership = require_record_reader(request)
    question = get_object_or_404(AuditQuestion.objects.for_org(request.org), pk=pk)
    if not is_keeper(membership):
        raise Http404
    form = QuestionForm(request.POST or None, initial={"text": question.text, "position": question.position,
                                                       "is_active": question.is_active})
    if request.method == "POST" and form.is_valid():
        do_save_question(request.org, question=question, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "Question changed.")
        return redirect("governance:audit-checklist")
    return render(request, "governance/record_form.html", {"form": form, "title": "Change a checklist question",
                                                           "back": "../../"})
