"""Training pages: my training, people and their records, the policy, settings and figures.

The matrix and its export are in ``views_matrix``, imports in ``views_import``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required, role_required

from . import actions
from .access import (
    FIGURES,
    MANAGE,
    PUBLISH,
    SETTINGS,
    access_person,
    can_manage,
    is_line_manager,
    my_person,
    sees_all,
)
from .compliance import build_rows, columns_for, current_policy, staff_versions, today
from .figures import compliance
from .forms import CourseForm, DBSForm, JobRoleForm, PersonForm, PolicyForm, TrainingForm
from .models import LIVE, Course, JobRole, PolicyAcknowledgement, Requirement, TrainingRecord


def _person_summary(request: OrgRequest, person: Any) -> dict[str, Any]:
    """The person's requirement cells, DBS checks and training records (fixed queries)."""
    org = request.org
    policy = current_policy(org)
    requirements = list(Requirement.objects.for_org(org).filter(job_role_id=person.job_role_id).select_related("course"))
    columns = columns_for(org, requirements, policy)
    row = build_rows([person], columns, requirements, policy, today())[0]
    return {
        "person": person, "row": row, "policy": policy,
        "checks": list(person.dbs_checks.filter(LIVE).select_related("checked_by").order_by("-issued_on", "-pk")),
        "records": list(person.training_records.filter(LIVE).select_related("course")
                        .order_by("-completed_on", "-pk")),
        "show_numbers": can_manage(request),
        "can_correct": can_manage(request),
        "policy_missing": any(c["key"] == "policy" and c["status"] == "missing" for c in row.cells),
    }


@member_required
def mine(request: OrgRequest) -> HttpResponse:
    person = my_person(request)
    context: dict[str, Any] = {"person": person, "manages": is_line_manager(request) if person else False}
    if person is not None:
        context.update(_person_summary(request, person))
    return render(request, "training/mine.html", context)


@member_required
def person_detail(request: OrgRequest, pk: int) -> HttpResponse:
    person = access_person(request, pk)
    if can_manage(request) and person != my_person(request):
        audit.record(org=request.org, actor=request.user, action="training.person_viewed", obj=person)
    context = _person_summary(request, person)
    context["can_manage"] = can_manage(request)
    context["history"] = person.history.select_related("history_user").order_by("-history_date")[:10]
    if context["can_manage"]:
        context["in_error"] = [*person.dbs_checks.exclude(LIVE).select_related("entered_in_error_by"),
                               *person.training_records.exclude(LIVE).select_related("course", "entered_in_error_by")]
    return render(request, "training/person_detail.html", context)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def person_edit(request: OrgRequest, pk: int | None = None) -> HttpResponse:
    org = request.org
    person = access_person(request, pk, write=True) if pk else None
    form = PersonForm(request.POST or None, org=org, instance=person)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "version"}
        stored = access_person(request, pk, write=True) if pk else None  # the form has changed ``person``
        try:
            saved, _ = actions.do_save_person(org, values, person=stored, acting_user=request.user,
                                              expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form = PersonForm({**request.POST.dict(), "version": stored.version if stored else 0}, org=org,
                              instance=stored)
            form.is_valid()
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.full_name} saved.")
            return redirect("training:person", pk=saved.pk)
    return render(request, "training/person_form.html", {"form": form, "person": person})


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def dbs_add(request: OrgRequest, pk: int) -> HttpResponse:
    person = access_person(request, pk, write=True)
    form = DBSForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        check, outcome = actions.do_record_dbs(person, acting_user=request.user, **values)
        messages.success(request, f"DBS check saved. Renewal is due on {check.renews_on:%-d %B %Y}.")
        return redirect("training:person", pk=person.pk)
    return render(request, "training/record_form.html", {"form": form, "person": person,
                                                         "title": "Add a DBS check", "multipart": False})


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def training_add(request: OrgRequest, pk: int) -> HttpResponse:
    person = access_person(request, pk, write=True)
    form = TrainingForm(request.POST or None, request.FILES or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, _ = actions.do_record_training(
                person, course=data["course"], level=data["level"], completed_on=data["completed_on"],
                expires_on=data["expires_on"], provider=data["provider"], evidence=data["evidence"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Training saved. It runs out on {record.expires_on:%-d %B %Y}.")
            return redirect("training:person", pk=person.pk)
    return render(request, "training/record_form.html", {"form": form, "person": person,
                                                         "title": "Add a training record", "multipart": True})


@member_required
def evidence(request: OrgRequest, pk: int) -> HttpResponseBase:
    """Stream a certificate after the same check as its person's record."""
    record = get_object_or_404(TrainingRecord.objects.for_org(request.org), pk=pk)
    access_person(request, record.person_id)
    if not record.evidence:
        raise Http404
    audit.record(org=request.org, actor=request.user, action="training.evidence_viewed", obj=record)
    return FileResponse(record.evidence.open("rb"), as_attachment=True,
                        filename=record.evidence_name or "certificate")


@member_required
def policy(request: OrgRequest) -> HttpResponse:
    version = current_policy(request.org)
    person = my_person(request)
    ack = None
    if version is not None and person is not None:
        ack = PolicyAcknowledgement.objects.for_org(request.org).filter(version=version, person=person).first()
    return render(request, "training/policy.html", {"version": version, "person": person, "ack": ack,
                                                    "can_publish": request.membership.has_role(*PUBLISH)})


@member_required
@require_POST
def policy_sign(request: OrgRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(staff_versions(request.org), pk=pk)
    person = my_person(request)
    if person is None:
        raise PermissionDenied
    current = current_policy(request.org)
    if current is None or current.pk != version.pk:
        messages.error(request, "A newer version of the policy has been published. Please read that one.")
        return redirect("training:policy")
    actions.do_sign_policy(person, version, acting_user=request.user)
    messages.success(request, f"Thank you. You have confirmed you have read the safeguarding policy {version.label}.")
    return redirect("training:mine")


@member_required
def policy_document(request: OrgRequest, pk: int) -> HttpResponseBase:
    version = get_object_or_404(staff_versions(request.org), pk=pk)
    return FileResponse(version.document.open("rb"), as_attachment=True,
                        filename=version.document_name or f"safeguarding-policy-{version.label}")


@role_required(*PUBLISH)
@require_http_methods(["GET", "POST"])
def policy_publish(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = PolicyForm(request.POST or None, request.FILES or None, org=org)
    if request.method == "POST" and form.is_valid():
        version = actions.do_publish_policy(org, acting_user=request.user, **form.cleaned_data)
        messages.success(request, f"Version {version.label} published. Everyone with a login has been asked to read it.")
        return redirect("training:policy-publish")
    from django.db.models import Count, Q

    versions = staff_versions(org).annotate(
        asked=Count("acknowledgements"), signed=Count("acknowledgements", filter=Q(acknowledgements__signed_at__isnull=False))
    )[:20]
    return render(request, "training/policy_publish.html", {"form": form, "versions": versions})


@role_required(*SETTINGS)
def settings_page(request: OrgRequest) -> HttpResponse:
    org = request.org
    roles = JobRole.objects.for_org(org).prefetch_related("requirements__course")
    courses = Course.objects.for_org(org)
    return render(request, "training/settings.html", {"roles": roles, "courses": courses, "org": org,
                                                      "course_form": CourseForm()})


@role_required(*SETTINGS)
@require_POST
def course_add(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = CourseForm(request.POST)
    if form.is_valid():
        if Course.objects.for_org(org).filter(name__iexact=form.cleaned_data["name"].strip()).exists():
            form.add_error("name", "There is already a course with that name")
        else:
            actions.do_save_course(org, acting_user=request.user, **form.cleaned_data)
            messages.success(request, f"Course {form.cleaned_data['name']} added.")
            return redirect("training:settings")
    roles = JobRole.objects.for_org(org).prefetch_related("requirements__course")
    return render(request, "training/settings.html", {"roles": roles, "courses": Course.objects.for_org(org),
                                                      "org": org, "course_form": form})


@role_required(*SETTINGS)
@require_http_methods(["GET", "POST"])
def job_role_edit(request: OrgRequest, pk: int | None = None) -> HttpResponse:
    org = request.org
    job_role = get_object_or_404(JobRole.objects.for_org(org), pk=pk) if pk else None
    form = JobRoleForm(request.POST or None, org=org, instance=job_role)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        actions.do_save_job_role(org, values, form.requirements(), job_role=job_role, acting_user=request.user)
        messages.success(request, f"Job role {values['name']} saved.")
        return redirect("training:settings")
    return render(request, "training/job_role_form.html", {"form": form, "job_role": job_role, "org": org})


@role_required(*FIGURES)
def figures(request: OrgRequest) -> HttpResponse:
    data = compliance(request.org)
    return render(request, "training/figures.html", {"figures": data, "sees_all": sees_all(request)})
