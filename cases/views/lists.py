"""Lists of cases: find cases, my cases (by urgency) and the manager's allocation queue.

Each runs a fixed number of queries whatever the number of cases: the page of cases with
its related rows joined, one prefetch of the people, and the filter choices.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest, member_required
from safeguard.tenancy.models import Area, Department, Membership
from safeguard.tenancy.paging import capped_page
from safeguard.tenancy.searches import kept_search

from ..models import Case, CasePerson, CaseStatus, HarmCategory
from ..policy.cadence import ALLOCATION_ORDER
from ..policy.roles import may_open_case_list, may_see_viewing_log, may_triage
from ..policy.visibility import managed_cases, visible_cases

PAGE_SIZE = 25


def with_people(qs: QuerySet[Case], org: Any) -> QuerySet[Case]:
    """The page's related rows. Areas and departments are prefetched, not joined: joined, PostgreSQL
    multiplies the three filters' selectivities, expects a handful of cases and sorts the whole
    organisation instead of reading the first page from the ``(organisation, reported_at)`` index."""
    return qs.select_related("allocated_to").prefetch_related(
        Prefetch("area", queryset=Area.objects.for_org(org)),
    ).prefetch_related(
        Prefetch("department", queryset=Department.objects.for_org(org)),
    ).prefetch_related(
        Prefetch("people", queryset=CasePerson.objects.for_org(org).order_by("-is_household_lead", "pk")),
    )


class FindForm(forms.Form):
    q = forms.CharField(label="Name or reference", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), ("open", "Open")] + CaseStatus.choices)
    area = forms.ModelChoiceField(label="Area", required=False, queryset=Area.objects.none(), empty_label="Any area")
    department = forms.ModelChoiceField(label="Department", required=False, queryset=Department.objects.none(),
                                        empty_label="Any department")
    category = forms.ModelChoiceField(label="Category of harm", required=False, queryset=HarmCategory.objects.none(),
                                      empty_label="Any category")
    officer = forms.ChoiceField(label="Case officer", required=False)
    overdue = forms.BooleanField(label="Only cases with an overdue action", required=False)

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["category"].queryset = HarmCategory.objects.for_org(org)  # type: ignore[attr-defined]
        members = Membership.objects.for_org(org).filter(
            role_assignments__role__in=["case_officer", "case_manager", "safeguarding_manager", "people_director"]
        ).select_related("user").distinct()
        self.fields["officer"].choices = [("", "Anyone")] + [(str(m.user_id), m.user.full_name) for m in members]  # type: ignore[attr-defined]
        for name in ("status", "area", "department", "category", "officer"):
            self.fields[name].widget.attrs["class"] = "govuk-select"

    def apply(self, qs: QuerySet[Case], org: Any) -> QuerySet[Case]:
        d = self.cleaned_data
        if d.get("q"):
            term = d["q"].strip()
            named = CasePerson.objects.for_org(org).filter(case=OuterRef("pk"), full_name__icontains=term)
            qs = qs.filter(Q(reference__iexact=term) | Q(reference__icontains=term) | Exists(named))
        if d.get("status") == "open":
            qs = qs.exclude(status=CaseStatus.CLOSED)
        elif d.get("status"):
            qs = qs.filter(status=d["status"])
        for name in ("area", "department"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        if d.get("category"):
            qs = qs.filter(categories=d["category"])
        if d.get("officer"):
            qs = qs.filter(allocated_to_id=d["officer"])
        if d.get("overdue"):
            qs = overdue(qs)
        return qs


def overdue(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(status__in=[CaseStatus.REPORTED, CaseStatus.ALLOCATED], next_action_due__lt=timezone.localdate())


def _page(request: OrgRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@member_required
def find_cases(request: OrgRequest) -> HttpResponse:
    org, membership = request.org, request.membership
    if not may_open_case_list(membership):
        raise PermissionDenied
    search = kept_search(request)  # names searched for stay out of the URL
    if search.redirect:
        return search.redirect
    form = FindForm(search.params or None, org=org)
    qs = visible_cases(org, membership)
    if form.is_valid():
        qs = form.apply(qs, org)
    qs = with_people(qs, org).order_by("-reported_at", "-pk")
    return render(request, "cases/list.html", {
        "form": form, "page": capped_page(qs, PAGE_SIZE, search.params.get("page")),
        "query_string": search.query_string, "search_expired": search.expired, "today": timezone.localdate(),
        "may_see_log": may_see_viewing_log(membership),
    })


def urgency(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.order_by(F("next_action_due").asc(nulls_last=True), "-immediate_risk", "reported_at")


@member_required
def my_cases(request: OrgRequest) -> HttpResponse:
    org, membership = request.org, request.membership
    qs = visible_cases(org, membership).filter(allocated_to=request.user).exclude(status=CaseStatus.CLOSED)
    return render(request, "cases/mine.html", {
        "page": _page(request, urgency(with_people(qs, org))), "today": timezone.localdate(), "query_string": "",
    })


@member_required
def triage(request: OrgRequest) -> HttpResponse:
    """New concerns to allocate, and closures waiting for a decision, for the managers of their areas."""
    org, membership = request.org, request.membership
    managed = managed_cases(org, membership)
    if not may_triage(membership):
        raise PermissionDenied
    new = with_people(managed.filter(status=CaseStatus.REPORTED), org).order_by(*ALLOCATION_ORDER)
    closing = with_people(managed.filter(status=CaseStatus.CLOSURE_REQUESTED), org).order_by("closure_requested_at")
    return render(request, "cases/triage.html", {
        "new_cases": new[:100], "closing": closing[:100], "today": timezone.localdate(),
    })


@member_required
def viewing_log(request: OrgRequest) -> HttpResponse:
    """Every opening of a case in the organisation, newest first, for the Safeguarding Manager
    (allegations against colleagues are left out: their log is on the case, for the director)."""
    from django.contrib.contenttypes.models import ContentType

    from safeguard.tenancy.models import AuditEvent

    org, membership = request.org, request.membership
    if not may_see_viewing_log(membership):
        raise PermissionDenied
    hidden = Case.objects.for_org(org).filter(is_colleague_allegation=True).values("pk")
    events = (
        AuditEvent.objects.for_org(org)
        .filter(content_type=ContentType.objects.get_for_model(Case), action__startswith="case.")
        .exclude(object_id__in=hidden).select_related("actor").order_by("-at")
    )
    page = _page(request, events)
    refs = dict(Case.objects.for_org(org).filter(pk__in=[e.object_id for e in page]).values_list("pk", "reference"))
    for event in page:
        event.case_reference = refs.get(event.object_id, "")
    return render(request, "cases/viewing_log.html", {"page": page, "query_string": ""})
