"""Pages of subject access, rectification and erasure requests: for whoever ``policy.may_handle_requests``.

Anyone else gets a 403 on the list and the form (the page says who can), and a 404 on a request's pages: a
request's existence is itself personal data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.background.models import BackgroundJob
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, deny, member_required
from safeguard.tenancy.concurrency import StaleEditError

from . import actions, content, policy
from .forms import DecisionForm, MarkForm, RectifyForm, RedactionForm, RequestForm
from .models import FoundRecord, Kind, Mark, Redaction, Request, Source, Status

STALE = (
    "Someone else changed this request while you were working on it, so your changes have not been saved "
    "yet. What you entered is still below: check it against the request as it is now and save again."
)


def _handler(*, hide: bool) -> Callable[[Any], Any]:
    def decorator(view: Any) -> Any:
        @member_required
        @wraps(view)
        def wrapper(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not policy.may_handle_requests(request.membership):
                if hide:
                    raise Http404
                raise deny(request, policy.HANDLER_ROLES)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _request(request: OrgRequest, pk: int) -> Request:
    return get_object_or_404(
        Request.objects.for_org(request.org).select_related(
            "organisation", "created_by", "closed_by", "subject_case_person__case", "subject_training_person"
        ),
        pk=pk,
    )


def _found(request: OrgRequest, req: Request, found_pk: int) -> FoundRecord:
    found = get_object_or_404(FoundRecord.objects.for_org(request.org).filter(request=req), pk=found_pk)
    found.request = req
    return content.load(request.org, [found])[0]


def _form_page(request: OrgRequest, form: Any, title: str, back: str, *, intro: Any = None) -> HttpResponse:
    """The one form page of this app: a 400 with the errors shown when the form was sent wrong."""
    context = {"form": form, "title": title, "back": back}
    if intro is not None:
        context["intro"] = intro
    return render(request, "subject_access/form.html", context, status=400 if form.errors else 200)


def _errors(form: Any, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@_handler(hide=False)
def request_list(request: OrgRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = list(Request.objects.for_org(request.org).annotate(found_count=Count("found")))
    for r in rows:
        r.state = r.deadline_state(today)  # type: ignore[attr-defined]
    return render(
        request,
        "subject_access/list.html",
        {
            "open": [r for r in rows if r.status == Status.OPEN],
            "closed": [r for r in rows if r.status == Status.CLOSED],
        },
    )


def _request_data(form: RequestForm) -> dict[str, Any]:
    d = {k: v for k, v in form.cleaned_data.items() if k in actions.REQUEST_FIELDS}
    d["subject_case_person"] = form.cleaned_data.get("subject_case_person")
    return d


@_handler(hide=False)
@require_http_methods(["GET", "POST"])
def request_add(request: OrgRequest) -> HttpResponse:
    form = RequestForm(
        request.POST or None,
        org=request.org,
        initial={"received_on": timezone.localdate(), "token": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = actions.do_record_request(
                request.org,
                _request_data(form),
                acting_user=request.user,
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, f"Request {req.reference} recorded: respond by {req.due_on:%-d %B %Y}.")
            return redirect("subject_access:detail", pk=req.pk)
    return _form_page(request, form, "Record a request", reverse("subject_access:list"))


@_handler(hide=True)
@require_http_methods(["GET", "POST"])
def request_edit(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    if not req.is_open:
        raise Http404
    initial = {f: getattr(req, f) for f in actions.REQUEST_FIELDS if f not in ("subject_case_person",)}
    initial.update(
        version=req.version,
        case_reference=req.subject_case_person.case.reference if req.subject_case_person else "",
    )
    form = RequestForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_request(
                req,
                version=form.cleaned_data["version"] or 0,
                acting_user=request.user,
                **_request_data(form),
            )
        except StaleEditError as exc:
            data = request.POST.copy()
            data["version"] = str(cast(Request, exc.current).version)
            form = RequestForm(data, org=request.org)
            form.is_valid()
            form.add_error(None, STALE)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "The request was saved.")
            return redirect("subject_access:detail", pk=req.pk)
    return _form_page(request, form, f"Change {req.reference}", reverse("subject_access:detail", args=[req.pk]))


@_handler(hide=True)
def request_detail(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    found = list(
        FoundRecord.objects.for_org(request.org)
        .filter(request=req)
        .select_related("case", "entry", "training_person")
        .annotate(redaction_count=Count("redactions"))
    )
    groups = [(label, [f for f in found if f.source == value]) for value, label in Source.choices]
    packs = list(
        BackgroundJob.objects.for_org(request.org)
        .filter(kind=actions.PACK, params__request_id=req.pk)
        .order_by("-created_at")[:5]
    )
    corrections = list(req.corrections.select_related("case", "addendum", "made_by"))
    audit.record(org=request.org, actor=request.user, action="subject_request.viewed", obj=req)
    return render(
        request,
        "subject_access/detail.html",
        {
            "req": req,
            "state": req.deadline_state(),
            "groups": groups,
            "found_count": len(found),
            "pending": sum(1 for f in found if f.mark == Mark.PENDING),
            "packs": packs,
            "corrections": corrections,
            "is_access": req.kind == Kind.ACCESS,
            "is_rectification": req.kind == Kind.RECTIFICATION,
            "may_rectify": req.kind == Kind.RECTIFICATION
            and req.is_open
            and req.decision in ("accepted", "partly")
            and any(f.case_id for f in found),
            "extension_limit": policy.MAX_EXTENSION_MONTHS,
        },
    )


@_handler(hide=True)
@require_POST
def find_records(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    try:
        new, total = actions.do_find_records(req, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Search done: {total} record{'s' if total != 1 else ''} found, {new} new.")
    return redirect(reverse("subject_access:detail", args=[req.pk]) + "#found")


@_handler(hide=True)
@require_http_methods(["GET", "POST"])
def found_record(request: OrgRequest, pk: int, found_pk: int) -> HttpResponse:
    req = _request(request, pk)
    found = _found(request, req, found_pk)
    which = request.POST.get("form") if request.method == "POST" else None
    mark_form = MarkForm(
        request.POST if which == "mark" else None,
        prefix="mark",
        initial={
            "mark": found.mark if found.mark != Mark.PENDING else None,
            "exemption_reason": found.exemption_reason,
        },
    )
    redact_form = RedactionForm(request.POST if which == "redact" else None, prefix="redact", found=found)
    if which == "mark" and mark_form.is_valid():
        try:
            actions.do_mark(
                found,
                mark=mark_form.cleaned_data["mark"],
                acting_user=request.user,
                reason=mark_form.cleaned_data["exemption_reason"],
            )
        except ValidationError as exc:
            _errors(mark_form, exc)
        else:
            messages.success(request, f"Saved: {found.get_mark_display().lower()}.")
            return redirect(reverse("subject_access:detail", args=[req.pk]) + "#found")
    if which == "redact" and redact_form.is_valid():
        try:
            actions.do_redact(
                found,
                part=redact_form.cleaned_data["part"],
                phrase=redact_form.cleaned_data["phrase"],
                reason=redact_form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _errors(redact_form, exc)
        else:
            messages.success(request, "Redaction added: it is shown as a black box in the pack.")
            return redirect("subject_access:found", pk=req.pk, found_pk=found.pk)
    found = _found(request, req, found_pk)  # with any redaction just made
    audit.record(
        org=request.org,
        actor=request.user,
        action="subject_request.record_reviewed",
        obj=req,
        found_id=found.pk,
        source=found.source,
    )
    record = content.content(found)
    labels = {p.key: p.label for p in record.parts} | {content.EVERYWHERE: "Everywhere in the record"}
    for r in found.loaded_redactions:  # type: ignore[attr-defined]
        r.part_label = labels.get(r.part, "A part no longer in the record")
    bad = mark_form.errors or redact_form.errors
    return render(
        request,
        "subject_access/found.html",
        {
            "req": req,
            "found": found,
            "record": record,
            "caution": _caution(found),
            "mark_form": mark_form,
            "redact_form": redact_form,
            "redactions": found.loaded_redactions,  # type: ignore[attr-defined]
            "reasons": policy.WITHHOLDING_REASONS,
            "everywhere": content.EVERYWHERE,
        },
        status=400 if bad else 200,
    )


def _caution(found: FoundRecord) -> str:
    """What the handler should weigh before disclosing this record."""
    if found.case_id and found.case.is_colleague_allegation:  # type: ignore[union-attr]
        return (
            "This is an allegation against a colleague: agree what is disclosed with the People and Culture "
            "Director, and consider the LADO's and the police's views."
        )
    if found.entry_id and found.entry.cp_plan:  # type: ignore[union-attr]
        return (
            "A child on this entry is on a child protection plan: consult the local authority before "
            "disclosing, and withhold what could cause serious harm (DPA 2018 Sch. 3)."
        )
    return ""


@_handler(hide=True)
@require_POST
def remove_redaction(request: OrgRequest, pk: int, found_pk: int, redaction_pk: int) -> HttpResponse:
    req = _request(request, pk)
    found = get_object_or_404(FoundRecord.objects.for_org(request.org).filter(request=req), pk=found_pk)
    redaction = get_object_or_404(Redaction.objects.for_org(request.org).filter(found=found), pk=redaction_pk)
    redaction.found = found
    found.request = req
    try:
        actions.do_remove_redaction(redaction, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Redaction removed.")
    return redirect("subject_access:found", pk=req.pk, found_pk=found.pk)


@_handler(hide=True)
@require_POST
def make_pack(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    try:
        job = actions.do_request_pack(req, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("subject_access:detail", args=[req.pk]) + "#pack")
    return redirect("background:job", pk=job.pk)


@_handler(hide=True)
def download_pack(request: OrgRequest, pk: int, job_pk: int) -> HttpResponseBase:
    req = _request(request, pk)
    job = get_object_or_404(
        BackgroundJob.objects.for_org(request.org).filter(
            kind=actions.PACK, params__request_id=req.pk, status=BackgroundJob.Status.DONE
        ),
        pk=job_pk,
    )
    if not job.file:
        raise Http404
    audit.record(
        org=request.org,
        actor=request.user,
        action="subject_request.pack_downloaded",
        obj=req,
        job_id=job.pk,
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{req.reference}-pack.pdf",
        content_type="application/pdf",
    )


@_handler(hide=True)
@require_http_methods(["GET", "POST"])
def decide(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    if not req.is_open:
        raise Http404
    form = DecisionForm(
        request.POST or None,
        request_obj=req,
        initial={
            "version": req.version,
            "decision": req.decision or None,
            "decision_reason": req.decision_reason,
            "exemption": req.exemption,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_decide(
                req,
                decision=d["decision"],
                reason=d["decision_reason"],
                exemption=d.get("exemption", ""),
                close=d["close"],
                version=d["version"],
                acting_user=request.user,
            )
        except StaleEditError as exc:
            current = cast(Request, exc.current)  # what do_decide locked: this request
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = DecisionForm(data, request_obj=current)
            form.is_valid()
            form.add_error(None, STALE)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request, "The decision was recorded." + (" The request is closed." if d["close"] else "")
            )
            return redirect("subject_access:detail", pk=req.pk)
    return _form_page(request, form, f"Decision on {req.reference}",
                      reverse("subject_access:detail", args=[req.pk]), intro=_decision_intro(req))


def _decision_intro(req: Request) -> str:
    if req.kind == Kind.ERASURE:
        return (
            "Safeguarding records are often exempt from erasure. Record the decision either way. If erasure is "
            "granted, the records found are passed to the retention and destruction queue, where the Data "
            "Privacy Manager reviews them (a legal hold still stops destruction)."
        )
    if req.kind == Kind.RECTIFICATION:
        return (
            "If you accept the request, make each correction from the request page: it is added to the case as "
            "a dated, signed addendum, so the record stays as it was written. Close the request once the "
            "person has been told."
        )
    return "Record what was disclosed and why anything was withheld; close the request once the pack has been sent."


@_handler(hide=True)
@require_http_methods(["GET", "POST"])
def rectify(request: OrgRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    if req.kind != Kind.RECTIFICATION or not req.is_open:
        raise Http404
    form = RectifyForm(request.POST or None, request_obj=req)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_rectify(
                req, case=d["case"], action=d["action"], text=d["text"], acting_user=request.user
            )
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "This request does not allow a correction now.")
        else:
            messages.success(request, f"The correction was added to {d['case'].reference}.")
            return redirect("subject_access:detail", pk=req.pk)
    return _form_page(request, form, f"Correct a case under {req.reference}",
                      reverse("subject_access:detail", args=[req.pk]), intro=_decision_intro(req))
