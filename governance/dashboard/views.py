"""The board dashboard: the RAG rating with its facts, indicators, charts with their tables, the
Safeguarding Manager's commentary and the RAG thresholds. Only figures: no name, reference or case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from registers.policy.review import month_start
from safeguard.tenancy.access import OrgRequest, member_required, role_required
from safeguard.tenancy.models import Area
from safeguard.tenancy.roles import Role

from . import actions, indicators, page
from .forms import CommentaryForm, RagSettingsForm, ReportRequestForm
from .models import BoardReport, Commentary, RagSettings

VIEWERS = (Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL)
SETTINGS = (Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)


@role_required(*VIEWERS)
def dashboard(request: OrgRequest) -> HttpResponse:
    org, membership = request.org, request.membership
    today = timezone.localdate()
    area_ids = page.allowed_area_ids(membership)
    areas = dict(Area.objects.for_org(org).filter(is_active=True).order_by("name").values_list("pk", "name"))
    allowed = areas if area_ids is None else {a: n for a, n in areas.items() if a in area_ids}
    filters = page.parse_filters(request.GET, allowed, today)
    data = page.build(org, filters=filters, area_ids=area_ids, today=today, areas=areas)
    data["ratings"] = page.resolve_links(data["ratings"], request=request)
    data["may_write"] = membership.has_role(Role.SAFEGUARDING_MANAGER)
    data["area_choices"] = allowed
    data["month_choices"] = _months(today)
    data["period_choices"] = list(indicators.PERIOD_LABELS.items())
    return render(request, "governance/dashboard/dashboard.html", data)


def _months(today):
    from registers.policy.review import add_months

    current = month_start(today)
    return [add_months(current, -n) for n in range(0, 25)]


@role_required(Role.SAFEGUARDING_MANAGER)
@require_http_methods(["GET", "POST"])
def commentary(request: OrgRequest) -> HttpResponse:
    org = request.org
    month = month_start(timezone.localdate())
    current = Commentary.objects.for_org(org).filter(month=month).first()
    initial = {"text": current.text, "version": current.version} if current else {}
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_commentary(org, month, form.cleaned_data["text"], version=form.cleaned_data["version"],
                                       acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Commentary for {month:%B %Y} saved.")
            return redirect("board:dashboard")
    return render(request, "governance/dashboard/commentary.html", {"form": form, "month": month})


@role_required(*SETTINGS)
@require_http_methods(["GET", "POST"])
def rag_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    instance = RagSettings.objects.for_org(org).first() or RagSettings(organisation=org)
    form = RagSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        actions.do_save_rag_settings(org, values, acting_user=request.user)
        messages.success(request, "RAG thresholds saved.")
        return redirect("board:dashboard")
    return render(request, "governance/dashboard/rag_settings.html", {"form": form})


# --- reports --------------------------------------------------------------------------------------

REPORT_READERS = (Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL, Role.CASE_MANAGER)


def _readable(request: OrgRequest):
    """The reports this member is an audience of (a case manager: the weekly report of their areas)."""
    from django.db.models import Q

    from governance.reports.make import AUDIENCE

    membership = request.membership
    q = Q(pk__in=[])
    for kind, roles in AUDIENCE.items():
        held = [r for r in roles if membership.has_role(r)]
        if not held:
            continue
        if kind == "weekly" and held == [Role.CASE_MANAGER]:
            area_ids = membership.grants[Role.CASE_MANAGER].area_ids
            q |= Q(kind=kind) if area_ids is None else Q(kind=kind, area_id__in=area_ids)
        else:
            q |= Q(kind=kind)
    return BoardReport.objects.for_org(request.org).filter(q).select_related("area")


@role_required(*REPORT_READERS)
@require_http_methods(["GET", "POST"])
def reports(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = ReportRequestForm(request.POST or None, org=org) if request.membership.has_role(
        Role.SAFEGUARDING_MANAGER) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            job = actions.do_request_report(org, form.cleaned_data["kind"], form.cleaned_data["ending"],
                                            area=form.cleaned_data.get("area"), acting_user=request.user)
            return redirect("background:job", job.pk)
    items = list(_readable(request)[:100])
    return render(request, "governance/dashboard/reports.html", {"reports": items, "form": form})


@member_required  # a report is its audience's only: for anyone else it does not exist (404)
def report(request: OrgRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_readable(request), pk=pk)
    return render(request, "governance/dashboard/report.html", {"report": item})


@member_required
def report_download(request: OrgRequest, pk: int, fmt: str) -> HttpResponseBase:
    from django.http import FileResponse, Http404

    from safeguard.tenancy import audit

    item = get_object_or_404(_readable(request), pk=pk)
    file = item.pdf if fmt == "pdf" else item.xlsx
    if not file:
        raise Http404
    audit.record(org=request.org, actor=request.user, action="board.report_downloaded", obj=item,
                 format=fmt)
    name = f"{item.title}.{fmt}".replace(",", "")
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)


# --- equality monitoring --------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def equality_person(request: OrgRequest, case_pk: int, person_pk: int) -> HttpResponse:
    from cases.access import access_case

    from .equality import EqualityProfile
    from .forms import EqualityForm

    try:
        case = access_case(request, case_pk, write=True)
    except PermissionDenied:
        raise Http404 from None  # who may not write a case is not told what it holds
    person = get_object_or_404(case.people.all(), pk=person_pk)
    profile = EqualityProfile.objects.for_org(request.org).filter(person=person).first()
    form = EqualityForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.do_save_equality(person, values, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Equality monitoring saved.")
            return redirect("cases:detail", case.pk)
    return render(request, "governance/dashboard/equality_person.html", {"form": form, "case": case,
                                                                         "person": person})


@role_required(Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER, Role.PEOPLE_DIRECTOR)
def equality(request: OrgRequest) -> HttpResponse:
    from registers.policy.review import add_months

    from .equality_report import equality_report

    today = timezone.localdate()
    start = add_months(month_start(today), -11)
    return render(request, "governance/dashboard/equality.html", {
        "groups": equality_report(request.org, start, today), "start": start, "end": today})
