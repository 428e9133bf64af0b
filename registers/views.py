"""Register pages: thin views over ``registers.access`` (who) and ``registers.actions`` (changes)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_case, visible_cases
from safeguard.background.models import BackgroundJob
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required
from safeguard.tenancy.searches import kept_search
from safeguard.tenancy.views.accounts import recently_reauthenticated

from . import actions
from .access import access_entry, access_register, require, visible_registers
from .background_jobs import visible_exports
from .forms import (
    CloseForm,
    EntryForm,
    ExportForm,
    MarkForm,
    PeopleFormSet,
    PersonEditForm,
    PersonForm,
    RemovePersonForm,
    SignForm,
    UpdateForm,
)
from .models import (
    MANAGE,
    REVIEW,
    VIEW,
    VIEW_CP,
    Entry,
    EntryPerson,
    EntryStatus,
    EntryUpdate,
    Review,
)
from .policy.review import add_months, entries_in_review, reviewable_months, this_month
from .status import not_on_register

PAGE_SIZE = 50


@member_required
def index(request: OrgRequest) -> HttpResponse:
    registers = list(visible_registers(request).select_related("area"))
    require(bool(registers))
    month = this_month()
    missing_update = ~Q(Exists(EntryUpdate.objects.filter(entry=OuterRef("pk"), month=month)))
    stats = {
        row["register_id"]: row for row in Entry.objects.for_org(request.org)
        .filter(register__in=[r.pk for r in registers], status=EntryStatus.OPEN)
        .values("register_id").annotate(open=Count("pk"), missing=Count("pk", filter=missing_update))
    }
    reviews = {(r.register_id, r.month): r for r in Review.objects.for_org(request.org).filter(
        register__in=[r.pk for r in registers], month__in=reviewable_months())}
    rows = [{"register": r, "open": stats.get(r.pk, {}).get("open", 0),  # type: ignore[call-overload]
             "missing": stats.get(r.pk, {}).get("missing", 0),  # type: ignore[call-overload]
             "review": reviews.get((r.pk, month)), "last_review": reviews.get((r.pk, add_months(month, -1)))}
            for r in registers]
    cases = not_on_register(request)[:20] if request.membership.has_role("nso") else []
    return render(request, "registers/index.html", {"rows": rows, "month": month, "cases": cases})


def _entry_list(register: Any, params: Any, month: date) -> tuple[QuerySet[Entry], dict[str, str]]:
    show = params.get("show", "open")
    needs = params.get("needs_update") == "1"
    q = params.get("q", "").strip()[:100]
    qs = actions.with_month_state(register.entries.filter(cp_plan=False), month)
    if q:
        people = EntryPerson.objects.for_org(register.organisation_id).filter(full_name__icontains=q)
        qs = qs.filter(Q(household__icontains=q) | Q(reference__iexact=q) | Q(address__icontains=q)
                       | Q(pk__in=people.values("entry_id")))
    if show in {"open", "closed"}:
        qs = qs.filter(status=show)
    if needs:
        qs = qs.filter(status=EntryStatus.OPEN, updated=False)  # type: ignore[misc]
    qs = qs.select_related("department", "case").prefetch_related("people").order_by("reference")
    return qs, {"show": show, "needs_update": "1" if needs else "", "q": q}


@member_required
def register_detail(request: OrgRequest, pk: int) -> HttpResponse:
    register, perms = access_register(request, pk)
    search = kept_search(request)  # names searched for stay out of the URL
    if search.redirect:
        return search.redirect
    month = this_month()
    qs, filters = _entry_list(register, search.params, month)
    page = Paginator(qs, PAGE_SIZE).get_page(search.params.get("page"))
    protected = actions.with_month_state(register.entries.filter(cp_plan=True, status=EntryStatus.OPEN), month)
    protected_rows = list(protected.order_by("reference")[:PAGE_SIZE])
    audit.record(org=request.org, actor=request.user, action="register.viewed", obj=register,
                 page=page.number)
    return render(request, "registers/register.html", {
        "register": register, "perms": perms, "page_obj": page, "entries": page.object_list, "month": month,
        "filters": filters, "query_string": search.query_string, "search_expired": search.expired,
        "protected_rows": protected_rows, "export_form": ExportForm(),
    })


def _case_initial(case: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    people = list(case.people.all())
    lead = people[0] if people else None
    initial = {"case": case, "department": case.department_id, "risk": case.what_happened,
               "categories": [c.pk for c in case.categories.all()],
               "household": f"{lead.full_name.split()[-1]} household" if lead else "",
               "address": lead.address if lead else "", "tenancy_reference": lead.tenancy_reference if lead else ""}
    rows = [{"person_type": p.person_type, "full_name": p.full_name, "date_of_birth": p.date_of_birth}
            for p in people]
    return initial, rows


def _token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _entry_form_page(request: OrgRequest, register: Any, case: Any = None) -> HttpResponse:
    initial, people_initial = _case_initial(case) if case is not None else ({}, [])
    initial.setdefault("opened_on", timezone.localdate())
    form = EntryForm(request.POST or None, org=request.org, initial=initial)
    extra = max(3, len(people_initial) + 1)
    formset = PeopleFormSet(request.POST or None, prefix="people", initial=people_initial or None)
    formset.extra = extra - len(people_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        people = [actions.PersonSpec(f.cleaned_data["person_type"], f.cleaned_data["full_name"],
                                     f.cleaned_data.get("date_of_birth"))
                  for f in formset.forms if f.cleaned_data.get("full_name")]
        data = {**form.cleaned_data, "case": case, "submission_token": _token(request.POST.get("submission_token"))}
        try:
            entry = actions.do_add_entry(register, data, people=people, categories=form.cleaned_data["categories"],
                                         acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Entry {entry.reference} added to the {register.area.name} register.")
            return redirect("registers:entry", entry.pk)
    return render(request, "registers/entry_form.html", {
        "register": register, "form": form, "formset": formset, "case": case, "adding": True,
        "submission_token": _token(request.POST.get("submission_token")) or uuid.uuid4(),
    })


@member_required
def entry_add(request: OrgRequest, pk: int) -> HttpResponse:
    register, _ = access_register(request, pk, MANAGE)
    return _entry_form_page(request, register)


@member_required
def entry_add_from_case(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = access_case(request, case_pk)
    register = visible_registers(request).filter(area_id=case.area_id).first()
    require(register is not None)
    register, _ = access_register(request, register.pk, MANAGE)  # type: ignore[union-attr]
    existing = register.entries.filter(case=case).first()
    if existing is not None:
        messages.info(request, f"This case is already on the register as {existing.reference}.")
        return redirect("registers:entry", existing.pk)
    return _entry_form_page(request, register, case)


def _protected_check(request: OrgRequest, entry: Entry, perms: set[str]) -> HttpResponse | None:
    """Entries with a child protection plan: the CP permission and a recent password check."""
    if not entry.cp_plan:
        return None
    require(VIEW_CP in perms)
    if not recently_reauthenticated(request):
        return redirect(reverse("reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
    return None


@member_required
def entry_detail(request: OrgRequest, pk: int) -> HttpResponse:
    entry, perms = access_entry(request, pk)
    early = _protected_check(request, entry, perms)
    if early is not None:
        return early
    month = this_month()
    updates = list(entry.updates.select_related("recorded_by"))
    action = "register.cp_entry_viewed" if entry.cp_plan else "register.entry_viewed"
    audit.record(org=request.org, actor=request.user, action=action, obj=entry.register,
                 entries=[entry.reference])
    return render(request, "registers/entry.html", {
        "entry": entry, "register": entry.register, "perms": perms, "updates": updates,
        "people": list(entry.people.all()), "categories": list(entry.categories.all()),
        "updated_this_month": any(u.month == month for u in updates), "month": month,
        "history": _history(entry),
        "marks": list(entry.review_marks.select_related("review", "marked_by")[:12]),
        # The case is linked only for people who may open it; others see its reference (issue 12.1).
        "case_visible": entry.case_id is not None and visible_cases(
            request.org, request.membership).filter(pk=entry.case_id).exists(),
    })


@member_required
def entry_edit(request: OrgRequest, pk: int) -> HttpResponse:
    entry, perms = access_entry(request, pk, MANAGE)
    early = _protected_check(request, entry, perms)
    if early is not None:
        return early
    form = EntryForm(request.POST or None, instance=entry, org=request.org,
                     initial={"categories": [c.pk for c in entry.categories.all()]}, submit="Save changes")
    version = int(request.POST.get("version", entry.version)) if request.POST.get("version", "").isdigit() \
        else entry.version
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_entry(entry, form.cleaned_data, version=version,
                                  categories=form.cleaned_data["categories"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
            # The person has been told and sees what they typed; saving again is their choice.
            entry.refresh_from_db(fields=["version"])
            version = entry.version
        else:
            messages.success(request, f"Entry {entry.reference} saved.")
            return redirect("registers:entry", entry.pk)
    return render(request, "registers/entry_form.html", {
        "register": entry.register, "entry": entry, "form": form, "version": version, "adding": False,
    })


@member_required
def person_add(request: OrgRequest, pk: int) -> HttpResponse:
    entry, perms = access_entry(request, pk, MANAGE)
    early = _protected_check(request, entry, perms)
    if early is not None:
        return early
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_person(entry, actions.PersonSpec(**form.cleaned_data), acting_user=request.user)
        messages.success(request, f"Person added to {entry.reference}.")
        return redirect("registers:entry", entry.pk)
    return render(request, "registers/simple_form.html", {
        "entry": entry, "register": entry.register, "form": form, "title": f"Add a person to {entry.reference}",
    })


_CHANGE = {"+": "Added", "~": "Changed", "-": "Removed"}


def _history(entry: Entry) -> list[dict[str, Any]]:
    """The entry's changes and its people's, newest first (the latest 20)."""
    rows = [{"when": h.history_date, "who": h.history_user,
             "change": f"{_CHANGE.get(h.history_type, 'Changed')} entry (status {h.get_status_display().lower()})"}
            for h in entry.history.select_related("history_user")[:20]]
    people = EntryPerson.history.filter(organisation_id=entry.organisation_id, entry_id=entry.pk)
    for h in people.select_related("history_user").order_by("-history_date")[:20]:
        kind = "+" if h.history_type == "~" and h.version == 1 else h.history_type  # saved once on adding
        change = f"{_CHANGE.get(kind, 'Changed')} person: {h.full_name} ({h.get_person_type_display().lower()})"
        if h.history_type == "-" and h.history_change_reason:
            change += f". Reason: {h.history_change_reason}"
        rows.append({"when": h.history_date, "who": h.history_user, "change": change})
    return sorted(rows, key=lambda r: r["when"], reverse=True)[:20]


def _person(request: OrgRequest, pk: int, person_pk: int) -> tuple[Entry, EntryPerson | HttpResponse]:
    """The entry's person, for those who may manage the register (child protection entries: the CP permission)."""
    entry, perms = access_entry(request, pk, MANAGE)
    early = _protected_check(request, entry, perms)
    if early is not None:
        return entry, early
    people = EntryPerson.objects.for_org(request.org).filter(entry=entry)
    return entry, get_object_or_404(people, pk=person_pk)


def _stale(form: Any, exc: ValidationError, person: EntryPerson) -> None:
    """Show the error; the next save is checked against the version now saved."""
    form.add_error(None, exc)
    form.data = form.data.copy()
    form.data["version"] = str(EntryPerson.objects.for_org(person.organisation_id)
                               .filter(pk=person.pk).values_list("version", flat=True).first() or "")


@member_required
def person_edit(request: OrgRequest, pk: int, person_pk: int) -> HttpResponse:
    entry, person = _person(request, pk, person_pk)
    if isinstance(person, HttpResponse):
        return person
    initial = {"person_type": person.person_type, "full_name": person.full_name,
               "date_of_birth": person.date_of_birth, "version": person.version}
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("person_type", "full_name", "date_of_birth")}
        try:
            actions.do_edit_person(person, actions.PersonSpec(**data), version=form.cleaned_data["version"],
                                   acting_user=request.user)
        except ValidationError as exc:
            _stale(form, exc, person)
        else:
            messages.success(request, f"{data['full_name']} saved on {entry.reference}.")
            return redirect("registers:entry", entry.pk)
    return render(request, "registers/simple_form.html", {
        "entry": entry, "register": entry.register, "form": form,
        "title": f"Change {person.full_name} on {entry.reference}",
    })


@member_required
def person_remove(request: OrgRequest, pk: int, person_pk: int) -> HttpResponse:
    entry, person = _person(request, pk, person_pk)
    if isinstance(person, HttpResponse):
        return person
    form = RemovePersonForm(request.POST or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_remove_person(person, reason=form.cleaned_data["reason"],
                                     version=form.cleaned_data["version"], acting_user=request.user)
        except ValidationError as exc:
            _stale(form, exc, person)
        else:
            messages.success(request, f"{person.full_name} removed from {entry.reference}.")
            return redirect("registers:entry", entry.pk)
    return render(request, "registers/simple_form.html", {
        "entry": entry, "register": entry.register, "form": form,
        "title": f"Remove {person.full_name} from {entry.reference}",
        "intro": "Remove a person only when they were added in error. "
                 "The entry's history keeps who was removed, by whom and why.",
    })


@member_required
def entry_close(request: OrgRequest, pk: int) -> HttpResponse:
    entry, _ = access_entry(request, pk, MANAGE)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_close_entry(entry, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Entry {entry.reference} closed.")
            return redirect("registers:entry", entry.pk)
    return render(request, "registers/simple_form.html", {
        "entry": entry, "register": entry.register, "form": form, "title": f"Close entry {entry.reference}",
        "intro": "Close an entry only when the risk has been removed. The entry and its history are kept.",
    })


@require_POST
@member_required
def entry_reopen(request: OrgRequest, pk: int) -> HttpResponse:
    entry, _ = access_entry(request, pk, MANAGE)
    actions.do_reopen_entry(entry, acting_user=request.user)
    messages.success(request, f"Entry {entry.reference} reopened.")
    return redirect("registers:entry", entry.pk)


@member_required
def update_add(request: OrgRequest, pk: int) -> HttpResponse:
    """The monthly update; on a protected entry the page shows the reference only."""
    entry, _ = access_entry(request, pk, MANAGE)
    form = UpdateForm(request.POST or None, initial={"liaised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_update(entry, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Update recorded on {entry.reference}.")
            target = "registers:register" if entry.cp_plan else "registers:entry"
            return redirect(target, entry.register_id if entry.cp_plan else entry.pk)
    return render(request, "registers/simple_form.html", {
        "entry": entry, "register": entry.register, "form": form,
        "title": f"Monthly update of {entry.reference}",
        "intro": "Record your liaison with the originating officer this month: when, with whom, "
                 "what has changed, and any actions or escalations.",
    })


# --- the monthly review ---------------------------------------------------------------------------


def _month_or_404(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


@member_required
@require_http_methods(["GET", "POST"])
def review(request: OrgRequest, pk: int, year: int, month: int) -> HttpResponse:
    """The DSL's month in one page: each entry's latest NSO update, a comment box per entry, sign-off.

    One form marks every entry on the page (an empty comment leaves an entry as it was); "Save and
    sign off" then signs the month if nothing is missing, else says what is.
    """
    register, perms = access_register(request, pk, REVIEW if request.method == "POST" else VIEW)
    first = _month_or_404(year, month)
    if request.method == "POST":
        return _review_save(request, register, first)
    the_review = Review.objects.for_org(request.org).filter(register=register, month=first).first()
    open_review = the_review is not None and not the_review.is_signed
    todo = open_review and request.GET.get("todo") == "1"
    page = Paginator(_review_rows(register, first, the_review, todo), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    marks = {m.entry_id: m for m in the_review.marks.filter(entry__in=entries)
             .select_related("marked_by")} if the_review else {}
    latest = {u.entry_id: u for u in EntryUpdate.objects.for_org(request.org)
              .filter(entry__in=entries).select_related("recorded_by")
              .order_by("entry_id", "-liaised_on", "-recorded_at").distinct("entry_id")}
    cp_open = VIEW_CP in perms and recently_reauthenticated(request)
    return render(request, "registers/review.html", {
        "register": register, "perms": perms, "month": first, "review": the_review, "page_obj": page,
        "todo": todo, "query_string": "todo=1" if todo else "",
        "rows": [_review_row(e, marks.get(e.pk), latest.get(e.pk), perms, cp_open) for e in entries],
        "can_review": REVIEW in perms and first in reviewable_months() and not (
            the_review and the_review.is_signed),
        "problems": actions.sign_off_problems(the_review) if open_review else [],  # type: ignore[arg-type]
        "history": list(the_review.history.select_related("history_user")[:10]) if the_review else [],
    })


def _review_row(entry: Entry, mark: Any, latest: Any, perms: set[str], cp_open: bool) -> dict[str, Any]:
    """What one row shows. A child-protection entry's details and link go through the password check."""
    url = reverse("registers:entry", args=[entry.pk])
    row: dict[str, Any] = {"entry": entry, "mark": mark, "update": latest, "url": url, "hidden": False}
    if entry.cp_plan:
        if VIEW_CP not in perms:
            row.update(url="", hidden=True)
        elif not cp_open:
            row.update(url=reverse("reauthenticate") + "?" + urlencode({"next": url}), hidden=True)
    return row


def _review_save(request: OrgRequest, register: Any, first: date) -> HttpResponse:
    require(first in reviewable_months())
    url = reverse("registers:review", args=[register.pk, first.year, first.month])
    the_review = actions.start_review(register, first, acting_user=request.user)
    if the_review.is_signed:
        messages.error(request, "This review has been signed off and cannot be changed.")
        return redirect(url)
    ids = [int(v) for v in request.POST.getlist("entry") if v.isdigit()]
    entries = list(entries_in_review(register, first).filter(pk__in=ids))
    existing = {m.entry_id: m for m in the_review.marks.filter(entry__in=entries)}
    saved = 0
    with transaction.atomic():
        for entry in entries:
            comment = request.POST.get(f"comment-{entry.pk}", "").strip()
            reason = request.POST.get(f"reason-{entry.pk}", "").strip()
            before = existing.get(entry.pk)
            if not comment or (before and before.comment == comment and before.no_update_reason == reason):
                continue
            actions.do_mark_entry(the_review, entry, comment=comment, no_update_reason=reason,
                                  acting_user=request.user)
            saved += 1
    done = f"{saved} entr{'y' if saved == 1 else 'ies'} marked reviewed." if saved else ""
    if request.POST.get("action") != "sign":
        if done:
            messages.success(request, done)
        return redirect(url)
    try:
        actions.do_sign_review(the_review, summary=request.POST.get("summary", ""), acting_user=request.user)
    except ValidationError as exc:
        if done:
            messages.success(request, done)
        messages.error(request, "The review cannot be signed off yet. " + " ".join(exc.messages))
        return redirect(url)
    messages.success(request, f"{done} The {register.area.name} register review for {first:%B %Y} is signed off.".strip())
    return redirect(url)


def _review_rows(register: Any, month: date, the_review: Review | None, todo: bool) -> QuerySet[Entry]:
    """The entries of a month's review: those marked once it is signed, else the open ones."""
    if the_review is not None and the_review.is_signed:
        rows = actions.with_month_state(register.entries.filter(review_marks__review=the_review), month)
    else:
        rows = actions.with_month_state(entries_in_review(register, month), month, the_review)
    if todo:
        rows = rows.filter(marked=False)  # type: ignore[misc]
    return rows.select_related("department").order_by("reference")


@require_POST
@member_required
def review_mark(request: OrgRequest, pk: int, year: int, month: int, entry_pk: int) -> HttpResponse:
    register, _ = access_register(request, pk, REVIEW)
    first = _month_or_404(year, month)
    require(first in reviewable_months())
    entry = get_object_or_404(entries_in_review(register, first), pk=entry_pk)
    form = MarkForm(request.POST)
    url = reverse("registers:review", args=[register.pk, year, month])
    if not form.is_valid():
        messages.error(request, f"{entry.reference}: enter a comment on the entry to mark it reviewed.")
        return redirect(url + f"#entry-{entry.pk}")
    the_review = actions.start_review(register, first, acting_user=request.user)
    try:
        actions.do_mark_entry(the_review, entry, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{entry.reference} marked reviewed.")
    return redirect(url + f"#entry-{entry.pk}")


@require_POST
@member_required
def review_sign(request: OrgRequest, pk: int, year: int, month: int) -> HttpResponse:
    register, _ = access_register(request, pk, REVIEW)
    first = _month_or_404(year, month)
    require(first in reviewable_months())
    the_review = actions.start_review(register, first, acting_user=request.user)
    form = SignForm(request.POST)
    form.is_valid()
    try:
        actions.do_sign_review(the_review, summary=form.cleaned_data.get("summary", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "The review cannot be signed off yet. " + " ".join(exc.messages))
    else:
        messages.success(request, f"The {register.area.name} register review for {first:%B %Y} is signed off.")
    return redirect("registers:review", register.pk, year, month)


@member_required
def review_list(request: OrgRequest, pk: int) -> HttpResponse:
    register, perms = access_register(request, pk)
    reviews = list(register.reviews.select_related("signed_by").annotate(marked=Count("marks")))
    return render(request, "registers/review_list.html", {
        "register": register, "perms": perms, "reviews": reviews, "months": reviewable_months(),
    })


# --- the child protection page --------------------------------------------------------------------


@member_required
def child_protection(request: OrgRequest, pk: int) -> HttpResponse:
    register, perms = access_register(request, pk)
    require(VIEW_CP in perms)
    if not recently_reauthenticated(request):
        return redirect(reverse("reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
    month = this_month()
    entries = list(actions.with_month_state(register.entries.filter(cp_plan=True, status=EntryStatus.OPEN), month)
                   .select_related("department", "case").prefetch_related("people")
                   .order_by("reference"))
    audit.record(org=request.org, actor=request.user, action="register.cp_viewed", obj=register,
                 entries=[e.reference for e in entries])
    return render(request, "registers/child_protection.html", {
        "register": register, "perms": perms, "entries": entries, "month": month,
    })


# --- exports --------------------------------------------------------------------------------------


@require_POST
@member_required
def export_start(request: OrgRequest, pk: int) -> HttpResponse:
    register, _ = access_register(request, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a format for the export.")
        return redirect("registers:register", register.pk)
    export = actions.do_request_export(register, fmt=form.cleaned_data["format"], acting_user=request.user)
    return redirect("background:job", export.pk)


def _own_export(request: OrgRequest, pk: int) -> BackgroundJob:
    jobs = BackgroundJob.objects.for_org(request.org)
    return get_object_or_404(visible_exports(request, jobs), pk=pk)


@member_required
def export_download(request: OrgRequest, pk: int) -> HttpResponseBase:
    export = _own_export(request, pk)
    require(export.status == BackgroundJob.Status.DONE and bool(export.file))
    register = get_object_or_404(visible_registers(request), pk=export.params["register_id"])
    audit.record(org=request.org, actor=request.user, action="register.export_downloaded",
                 obj=register, export_id=export.pk)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])  # type: ignore[union-attr]

