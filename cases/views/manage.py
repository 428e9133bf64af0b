"""Managers' decisions and changes that carry the case's version (allocation, details, closure, reopening,
access). If someone else saved the case first, the second editor is told and what they typed is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy.access import OrgRequest, member_required

from .. import actions, sections
from ..access import access_case
from ..forms import AllocateForm, ClosureDecisionForm, ClosureRequestForm, DetailsForm, GrantForm, ReopenForm
from ..models import Case, CaseStatus
from ..policy.roles import is_case_lead
from ..policy.visibility import managed_cases

STALE = ("{who} changed this case while you were working on it, so your changes have not been saved yet. "
         "What you entered is still below: check it against the case as it is now and save again.")


def _who_changed(case: Case) -> str:
    last = case.history.select_related("history_user").first()
    return last.history_user.full_name if last is not None and last.history_user else "Someone else"


def _managed(request: OrgRequest, pk: int) -> Case:
    """A case this member manages; 404 for anyone else (managers' pages are not even confirmed to exist)."""
    qs = managed_cases(request.org, request.membership)
    return get_object_or_404(qs.select_related("area", "department", "allocated_to", "organisation", "reported_by"),
                             pk=pk)


def _versioned(request: OrgRequest, case: Case, form: Any, do: Callable[[Any], Case], *,
               title: str, success: str, intro: str = "", template: str = "cases/form_page.html",
               extra: dict[str, Any] | None = None) -> HttpResponse:
    """Run ``do`` with a valid form; on a stale version keep the input and say who got there first."""
    if request.method == "POST" and form.is_valid():
        try:
            do(form)
        except actions.StaleCaseError as exc:
            data = request.POST.copy()
            data["version"] = str(exc.current.version)  # type: ignore[union-attr]
            form = type(form)(data, **form.init_kwargs)
            form.is_valid()
            form.add_error(None, STALE.format(who=_who_changed(exc.current)))  # type: ignore[arg-type]
            case = exc.current  # type: ignore[assignment]
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, success)
            return redirect("cases:detail", pk=case.pk)
    ctx = {"case": case, "form": form, "title": title, "intro": intro, "back": reverse("cases:detail", args=[case.pk])}
    return render(request, template, {**ctx, **(extra or {})}, status=400 if form.errors else 200)


def _form(cls: Any, request: OrgRequest, initial: dict[str, Any], **kwargs: Any) -> Any:
    form = cls(request.POST or None, initial=initial, **kwargs)
    form.init_kwargs = kwargs
    return form


@member_required
@require_http_methods(["GET", "POST"])
def allocate(request: OrgRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    if not case.is_open:
        raise PermissionDenied
    form = _form(AllocateForm, request, {"version": case.version, "concern_type": case.concern_type,
                                         "officer": case.allocated_to_id}, case=case)

    def do(f: Any) -> Case:
        return actions.do_allocate(case, officer=f.members[f.cleaned_data["officer"]],
                                   concern_type=f.cleaned_data["concern_type"], version=f.cleaned_data["version"],
                                   acting_user=request.user)

    return _versioned(request, case, form, do, title=f"Allocate {case.reference}", template="cases/allocate.html",
                      success="Case allocated. The case officer and the reporter have been told.",
                      extra={"people": case.people.all(), "categories": case.categories.all(),
                             "loads": [(u, form.loads[u.pk]) for u in form.members.values()]})


@member_required
@require_http_methods(["GET", "POST"])
def edit_details(request: OrgRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    initial = {"version": case.version, "concern_type": case.concern_type, "area": case.area_id,
               "department": case.department_id, "categories": list(case.categories.all()),
               "vulnerabilities": list(case.vulnerabilities.all())}
    form = _form(DetailsForm, request, initial, org=request.org)

    def do(f: Any) -> Case:
        d = dict(f.cleaned_data)
        version = d.pop("version")
        return actions.do_update_details(case, version=version, acting_user=request.user, **d)

    return _versioned(request, case, form, do, title=f"Change details of {case.reference}", success="Details saved.",
                      intro="What the reporter and officers wrote cannot be changed here; only how the case is classified.")


@member_required
@require_http_methods(["GET", "POST"])
def request_closure(request: OrgRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, write=True)
    form = _form(ClosureRequestForm, request, {"version": case.version})

    def do(f: Any) -> Case:
        return actions.do_request_closure(case, outcome=f.cleaned_data["outcome"], version=f.cleaned_data["version"],
                                          acting_user=request.user)

    return _versioned(request, case, form, do, title=f"Ask to close {case.reference}",
                      success="A manager has been asked to authorise the closure.",
                      intro="A manager checks the notes, actions and referrals, then authorises the closure "
                            "or sends it back to you.")


@member_required
@require_http_methods(["GET", "POST"])
def closure_decision(request: OrgRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        messages.info(request, "Nobody has asked to close this case.")
        return redirect("cases:detail", pk=case.pk)
    form = _form(ClosureDecisionForm, request, {"version": case.version})

    def do(f: Any) -> Case:
        d = f.cleaned_data
        return actions.do_decide_closure(case, authorise=d["decision"] == "authorise", reason=d["reason"],
                                         version=d["version"], acting_user=request.user,
                                         membership=request.membership)

    extra = {"actions": case.actions.select_related("recorded_by")[:200], "events": case.events.select_related("by"),
             "people": case.people.all(), "sections": sections.for_case(request, case)}
    return _versioned(request, case, form, do, title=f"Decide on closing {case.reference}",
                      template="cases/closure.html", success="Decision recorded. The case officer has been told.",
                      extra=extra)


@member_required
@require_http_methods(["GET", "POST"])
def reopen(request: OrgRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    form = _form(ReopenForm, request, {"version": case.version})

    def do(f: Any) -> Case:
        return actions.do_reopen(case, reason=f.cleaned_data["reason"], version=f.cleaned_data["version"],
                                 acting_user=request.user, membership=request.membership)

    return _versioned(request, case, form, do, title=f"Reopen {case.reference}", success="Case reopened.")


def _grantor(request: OrgRequest, pk: int) -> Case:
    case = access_case(request, pk)
    if not is_case_lead(case, request.membership):
        raise Http404
    return case


@member_required
@require_http_methods(["GET", "POST"])
def access_grants(request: OrgRequest, pk: int) -> HttpResponse:
    """Name people who may see the case (the People and Culture Director for an allegation against a
    colleague, else the Safeguarding Manager)."""
    case = _grantor(request, pk)
    form = GrantForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_grant_access(case, user=form.users[form.cleaned_data["user"]], reason=form.cleaned_data["reason"],
                                    can_edit=form.cleaned_data["can_edit"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error("user", exc)
        else:
            messages.success(request, "Access given. They have been told.")
            return redirect("cases:access", pk=case.pk)
    grants = case.access_grants.select_related("user", "granted_by").order_by("revoked_at", "-granted_at")
    return render(request, "cases/access.html", {"case": case, "form": form, "grants": grants},
                  status=400 if form.errors else 200)


@member_required
@require_POST
def revoke_grant(request: OrgRequest, pk: int, grant_pk: int) -> HttpResponse:
    case = _grantor(request, pk)
    grant = get_object_or_404(case.access_grants.select_related("user", "case"), pk=grant_pk)
    actions.do_revoke_access(grant, acting_user=request.user)
    messages.success(request, f"Access removed for {grant.user.full_name}.")
    return redirect("cases:access", pk=case.pk)
