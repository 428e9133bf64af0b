"""Reporting a concern, and the reporter's only view of it afterwards.

Nothing typed is lost: "Save as draft" (and, with JavaScript, a quiet autosave) keeps a
server-side draft for the reporter; a form posted after the session ended is kept in the
new session and put back in front of them once they sign in again. A hidden token makes
a double submit one concern.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.tenancy.access import OrgRequest, member_required

from .. import actions
from ..forms import AddendumForm, ConcernForm, PeopleFormSet, PersonForm, concern_data, new_token
from ..models import Case, ConcernDraft

PENDING_KEY = "cases_pending_concern"
PENDING_CUT_KEY = "cases_pending_concern_cut"
CONTROL_KEYS = {"csrfmiddlewaretoken", "save_draft", "add_person", "discard_draft", "autosave", "submit"}
# What a signed-out browser may leave in its session until it signs in (issue 8 item 10).
PENDING_MAX_BYTES = 20 * 1024
PENDING_SHORT_FIELD_CHARS = 500
_MULTIPLE = {"categories", "vulnerabilities"}
_MAX_PEOPLE = 12
# The same report sent again within this time is the same concern (Back, then submit).
RESUBMIT_WINDOW = timedelta(hours=2)


def _posted(request: HttpRequest) -> dict[str, list[str]]:
    return {k: v for k, v in request.POST.lists() if k not in CONTROL_KEYS}


def _report_field_names() -> set[str]:
    names = set(ConcernForm.base_fields) | {f"people-{k}" for k in
                                            ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")}
    return names | {f"people-{i}-{f}" for i in range(_MAX_PEOPLE) for f in PersonForm.base_fields}


def _size(data: dict[str, list[str]]) -> int:
    return len(json.dumps(data, ensure_ascii=False).encode())


def pending_from(request: HttpRequest) -> tuple[dict[str, list[str]], int | None]:
    """The report's own fields from an anonymous POST, small enough to keep in the session.

    Unknown keys are dropped, each field keeps one value (a few for the checkboxes) of at most
    ``PENDING_SHORT_FIELD_CHARS``, and "What was seen or heard" keeps what fits in
    ``PENDING_MAX_BYTES``. Returns the data and, if the description was cut, how many characters were kept.
    """
    allowed = _report_field_names()
    kept: dict[str, list[str]] = {}
    for key, values in request.POST.lists():
        if key not in allowed:
            continue
        values = values[:40] if key in _MULTIPLE else values[:1]
        kept[key] = [v if key == "what_happened" else v[:PENDING_SHORT_FIELD_CHARS] for v in values]
    text = (kept.get("what_happened") or [""])[0]
    excess = _size(kept) - PENDING_MAX_BYTES
    cut_at: int | None = None
    while excess > 0 and text:
        # Cut by bytes (JSON escapes and UTF-8 make characters uneven), then measure again.
        text = text.encode()[: max(0, len(text.encode()) - excess - 16)].decode(errors="ignore")
        kept["what_happened"] = [text]
        cut_at = len(text)
        excess = _size(kept) - PENDING_MAX_BYTES
    return kept, cut_at


def _as_querydict(data: dict[str, list[str]]) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, values in data.items():
        qd.setlist(key, values if isinstance(values, list) else [values])
    return qd


def _forms(org: Any, data: QueryDict | None, *, quiet: bool = False) -> tuple[ConcernForm, Any]:
    if data is None:
        form = ConcernForm(org=org, initial={"token": new_token()})
        return form, PeopleFormSet(prefix="people")
    if not data.get("token"):
        data = data.copy()
        data["token"] = new_token()
    form, people = ConcernForm(data, org=org), PeopleFormSet(data, prefix="people")
    if quiet:  # show what was typed without complaining about what is not there yet
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        for f in people.forms:
            f._errors = ErrorDict()
        people._non_form_errors = form.error_class()  # type: ignore[attr-defined]
        people._errors = []  # type: ignore[attr-defined]
    return form, people


def _anchor(bound: Any) -> str:
    multiple = getattr(bound.field.widget, "allow_multiple_selected", False) or bound.widget_type == "radioselect"
    return f"{bound.auto_id}_1" if multiple else bound.auto_id


def error_list(forms_: list[Any], first: str = "id_immediate_risk_1") -> list[tuple[str, str]]:
    """(anchor, message) for every error of the forms, in page order, for the error summary."""
    found: list[tuple[str, str]] = []
    for form in forms_:
        found += [(first, str(e)) for e in form.non_field_errors()]
        for bound in form:
            found += [(_anchor(bound), f"{form.prefix_label}{e}" if hasattr(form, "prefix_label") else str(e))
                      for e in bound.errors]
    return found


def _render(request: HttpRequest, form: ConcernForm, people: Any, draft: ConcernDraft | None = None,
            status: int = 200) -> HttpResponse:
    errors: list[tuple[str, str]] = []
    if form.is_bound:
        for i, f in enumerate(people.forms, start=1):
            f.prefix_label = f"Person {i}: "
        errors = error_list([form, *people.forms]) + [("id_people-0-full_name", str(e)) for e in people.non_form_errors()]
    return render(request, "cases/report.html", {
        "form": form, "people": people, "draft": draft, "errors": errors,
    }, status=status)


def _extra_person(data: QueryDict) -> QueryDict:
    data = data.copy()
    total = int(data.get("people-TOTAL_FORMS") or 1)
    data["people-TOTAL_FORMS"] = str(min(total + 1, 12))
    return data


def _start(request: OrgRequest) -> HttpResponse:
    org = request.org
    pending = request.session.pop(PENDING_KEY, None)
    cut_at = request.session.pop(PENDING_CUT_KEY, None)
    if pending:
        messages.info(request, "We kept what you wrote before you were signed out. It has not been sent yet: "
                               "check it and select 'Report the concern'.")
        if cut_at is not None:
            messages.warning(request, f"'What was seen or heard' was too long to keep while you were signed out: "
                                      f"only its first {cut_at:,} characters were kept. Add the rest before sending.")
        actions.save_draft(org, request.user, pending)
        form, people = _forms(org, _as_querydict(pending), quiet=True)
        return _render(request, form, people)
    draft = ConcernDraft.objects.for_org(org).filter(user=request.user).first()
    if draft is not None:
        form, people = _forms(org, _as_querydict(draft.data), quiet=True)
        return _render(request, form, people, draft=draft)
    form, people = _forms(org, None)
    return _render(request, form, people)


@require_http_methods(["GET", "POST"])
def report_concern(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated and request.method == "POST":
        pending, cut_at = pending_from(request)
        request.session[PENDING_KEY] = pending
        request.session[PENDING_CUT_KEY] = cut_at
        if cut_at is not None:
            messages.warning(request, f"You were signed out before your report was sent. 'What was seen or heard' is "
                                      f"too long to keep until you sign in: only its first {cut_at:,} characters will "
                                      f"be kept. Press Back in your browser and copy the rest before you sign in.")
        return redirect_to_login(reverse("cases:report"))
    return _report(cast("OrgRequest", request))  # member_required signs them in first


@member_required
def _report(request: OrgRequest) -> HttpResponse:
    if request.method == "GET":
        return _start(request)
    org, user = request.org, request.user
    data = _as_querydict(_posted(request))
    if "autosave" in request.POST or "save_draft" in request.POST:
        actions.save_draft(org, user, dict(data.lists()))
        if "autosave" in request.POST:
            return HttpResponse(status=204)
        messages.success(request, "Your draft is saved. Only you can see it, and it will be here when you come back.")
        return redirect("cases:report")
    if "discard_draft" in request.POST:
        ConcernDraft.objects.for_org(org).filter(user=user).delete()
        messages.success(request, "Your draft was deleted.")
        return redirect("cases:report")
    if "add_person" in request.POST:
        form, people = _forms(org, _extra_person(data), quiet=True)
        return _render(request, form, people)
    return _submit(request, data)


def _submit(request: OrgRequest, data: QueryDict) -> HttpResponse:
    org = request.org
    form, people = _forms(org, data)
    if form.is_valid() and people.is_valid():
        earlier = _already_sent(request, form, people)
        if earlier is not None:
            messages.info(request, f"You have already sent this concern, so it was not sent again. "
                                   f"Its reference is {earlier.reference}.")
            return redirect("cases:received", pk=earlier.pk)
        try:
            case = actions.do_report_concern(org, concern_data(form, people), acting_user=request.user,
                                             token=form.cleaned_data.get("token"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("cases:received", pk=case.pk)
    return _render(request, form, people, status=400)


def _already_sent(request: OrgRequest, form: ConcernForm, people: Any) -> Case | None:
    """The reporter's concern this submission repeats: the same form page (token), or the same
    report sent again from a page the browser refilled (Back after "Concern received")."""
    return already_sent(request.org, request.user, form.cleaned_data, people)


def already_sent(org: Any, user: Any, d: dict[str, Any], people: Any) -> Case | None:
    """The duplicate rule of ``_already_sent`` for any caller (the browser form and the API)."""
    mine = Case.objects.for_org(org).filter(reported_by=user)
    if d.get("token"):
        same_page = mine.filter(submission_token=d["token"]).first()
        if same_page is not None:
            return same_page
    names = sorted(p.full_name for p in (f.person() for f in people.forms) if p is not None)
    candidates = mine.filter(
        reported_at__gte=timezone.now() - RESUBMIT_WINDOW, what_happened=d["what_happened"],
        happened_on=d["happened_on"], area=d["area"], concern_type=d["concern_type"],
    ).prefetch_related("people").order_by("-reported_at")[:5]
    return next((c for c in candidates if sorted(p.full_name for p in c.people.all()) == names), None)


def _my_report(request: OrgRequest, pk: int) -> Case:
    qs = Case.objects.for_org(request.org).filter(reported_by=request.user)
    return get_object_or_404(qs.select_related("allocated_to", "area", "department"), pk=pk)


@member_required
def received(request: OrgRequest, pk: int) -> HttpResponse:
    """The reporter's view: received, its reference and who holds it; nothing more."""
    case = _my_report(request, pk)
    addenda = case.addenda.filter(action__isnull=True, written_by=request.user)
    return render(request, "cases/received.html", {"case": case, "addenda": addenda})


@member_required
@require_http_methods(["GET", "POST"])
def report_addendum(request: OrgRequest, pk: int) -> HttpResponse:
    """The reporter adds to what they wrote; the original stays as it was."""
    case = _my_report(request, pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_addendum(case, text=form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, "Your addendum was added to the concern.")
        return redirect("cases:received", pk=case.pk)
    return render(request, "cases/addendum.html", {
        "case": case, "form": form, "original": case.what_happened, "back": reverse("cases:received", args=[pk]),
    }, status=400 if form.errors else 200)
