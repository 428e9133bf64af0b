"""The case page and the officer's work on it: actions, addenda, files, chronology, history, who viewed."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Submit
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.paging import capped_page

from .. import actions, sections
from ..access import access_case
from ..chronology import entries_for
from ..forms import ActionForm, AddendumForm, AttachmentForm, PersonForm
from ..models import Action as CaseAction
from ..models import Addendum, Attachment, Case, CaseAccessGrant, CasePerson
from ..policy import closure
from ..policy.management import can_manage
from ..policy.roles import is_case_lead
from ..policy.visibility import can_write

ACTIONS_PER_PAGE = 20


def _viewed(request: OrgRequest, case: Case, page: str) -> None:
    audit.record(org=request.org, actor=request.user, action="case.viewed", obj=case, page=page)


@member_required
def case_detail(request: OrgRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk)
    membership = request.membership
    _viewed(request, case, "case")
    writable = can_write(case, membership)
    ctx: dict[str, Any] = {
        "case": case,
        "people": case.people.all(),
        "categories": case.categories.all(),
        "vulnerabilities": case.vulnerabilities.all(),
        # The latest actions, the rest a page away (and all of them in the chronology).
        "actions_page": capped_page(case.actions.select_related("recorded_by").prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.for_org(case.organisation_id).select_related("written_by"))
        ).order_by("-taken_on", "-recorded_at", "-pk"), ACTIONS_PER_PAGE, request.GET.get("page")),
        "report_addenda": case.addenda.filter(action__isnull=True).select_related("written_by"),
        "files": case.attachments.select_related("uploaded_by"),
        "events": case.events.select_related("by"),
        "can_write": writable and case.is_open,
        "can_manage": can_manage(case, membership),
        "may_request_closure": closure.may_request_closure(case, membership),
        "may_decide_closure": closure.may_decide_closure(case, membership),
        "may_reopen": closure.may_reopen(case, membership),
        "can_see_viewers": is_case_lead(case, membership),
        "sections": sections.for_case(request, case),
    }
    return render(request, "cases/detail.html", ctx)


@member_required
def chronology(request: OrgRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk)
    _viewed(request, case, "chronology")
    return render(request, "cases/chronology.html", {"case": case, "entries": entries_for(case)})


HISTORY_SOURCES: list[tuple[type, Any]] = [
    (CasePerson, lambda r: f"Person: {r.full_name}"),
    (CaseAction, lambda r: f"Action: {r.get_action_type_display()} of {r.taken_on:%-d %b %Y}"),
    (Addendum, lambda r: "Addendum"),
    (Attachment, lambda r: f"File: {r.original_name}"),
    (CaseAccessGrant, lambda r: f"Access for {r.user}"),
]


def _rows_for(label: Any, records: list[Any]) -> list[dict[str, Any]]:
    rows, previous = [], None
    for rec in records:
        changes = []  # type: ignore[var-annotated]
        if previous is not None and rec.history_type == "~":
            changes = [f"{c.field.replace('_', ' ')}: {c.old} → {c.new}"
                       for c in rec.diff_against(previous).changes if c.field != "version"]
        rows.append({"when": rec.history_date, "who": rec.history_user, "what": label(rec),
                     "type": rec.get_history_type_display(), "changes": changes})
        previous = rec
    return rows


def _history_rows(case: Case) -> list[dict[str, Any]]:
    """Every change of the case and of each record on it, oldest first (one query per kind of record)."""
    rows = _rows_for(lambda r: "Case", list(case.history.select_related("history_user").order_by("history_date")))
    for model, label in HISTORY_SOURCES:
        grouped: dict[int, list[Any]] = {}
        for rec in model.history.filter(case_id=case.pk).select_related("history_user").order_by("history_date"):  # type: ignore[attr-defined]
            grouped.setdefault(rec.id, []).append(rec)
        for records in grouped.values():
            rows += _rows_for(label, records)
    return sorted(rows, key=lambda r: r["when"])


@member_required
def history(request: OrgRequest, pk: int) -> HttpResponse:
    """Every change of the case and its people, for its managers."""
    case = access_case(request, pk)
    if not can_manage(case, request.membership):
        raise Http404
    _viewed(request, case, "history")
    return render(request, "cases/history.html", {"case": case, "rows": _history_rows(case)})


@member_required
def viewers(request: OrgRequest, pk: int) -> HttpResponse:
    """Who opened the case and when: for the Safeguarding Manager (the People and Culture Director
    for an allegation against a colleague)."""
    case = access_case(request, pk)
    if not is_case_lead(case, request.membership):
        raise Http404
    events = AuditEvent.objects.for_org(request.org).filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
    ).select_related("actor").order_by("-at")[:500]
    return render(request, "cases/viewers.html", {"case": case, "events": events})


@member_required
@require_http_methods(["GET", "POST"])
def add_action(request: OrgRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, write=True)
    form = ActionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_action(case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else _add_errors(form, exc)
        else:
            messages.success(request, f"Action recorded. Next action due by {case.next_action_due:%-d %B %Y}.")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form_page.html", {
        "case": case, "form": form, "title": "Record an action", "back": reverse("cases:detail", args=[pk]),
        "intro": "Once saved, a note cannot be changed: corrections are added as dated addenda.",
    }, status=400 if form.errors else 200)


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@member_required
@require_http_methods(["GET", "POST"])
def action_addendum(request: OrgRequest, pk: int, action_pk: int) -> HttpResponse:
    """The author of an action adds a dated correction; others get 404."""
    case = access_case(request, pk)
    action = get_object_or_404(case.actions.filter(recorded_by=request.user), pk=action_pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_addendum(case, text=form.cleaned_data["text"], action=action, acting_user=request.user)
        messages.success(request, "Addendum added.")
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/addendum.html", {
        "case": case, "form": form, "original": action.note, "back": reverse("cases:detail", args=[pk]),
    }, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def add_attachment(request: OrgRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, write=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actions.do_attach(case, form.cleaned_data["file"], content_type=form.content_type,
                          description=form.cleaned_data["description"], acting_user=request.user)
        messages.success(request, "File uploaded.")
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form_page.html", {
        "case": case, "form": form, "title": "Add a file", "back": reverse("cases:detail", args=[pk]),
        "multipart": True,
    }, status=400 if form.errors else 200)


@member_required
def download_attachment(request: OrgRequest, pk: int, file_pk: int) -> FileResponse:
    case = access_case(request, pk)
    attachment = get_object_or_404(case.attachments.all(), pk=file_pk)
    audit.record(org=request.org, actor=request.user, action="case.file_downloaded", obj=case,
                 file_id=attachment.pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response



@member_required
@require_http_methods(["GET", "POST"])
def add_person(request: OrgRequest, pk: int) -> HttpResponse:
    """Add someone else in the household to the case (what was reported is not changed)."""
    case = access_case(request, pk, write=True)
    form = PersonForm(request.POST or None)
    form.helper.form_tag = True
    form.helper.add_input(Submit("submit", "Add person"))
    if request.method == "POST" and form.is_valid():
        person = form.person()
        if person is None:
            form.add_error("full_name", "Enter the person's name, or 'not known'")
        else:
            actions.do_add_person(case, person, acting_user=request.user)
            messages.success(request, f"{person.full_name} added to the case.")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form_page.html", {
        "case": case, "form": form, "title": "Add a person", "back": reverse("cases:detail", args=[pk]),
    }, status=400 if form.errors else 200)
