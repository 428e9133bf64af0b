"""Correcting DBS checks and training records, and marking them entered in error (HR and L&D only).

Every change is refused when someone else saved the record since the form was opened; the typed values stay.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.tenancy.access import OrgRequest, role_required

from . import actions
from .access import MANAGE
from .forms import DBSForm, EnteredInErrorForm, TrainingForm
from .models import LIVE, DBSCheck, TrainingRecord

KINDS: dict[str, type[models.Model]] = {"dbs": DBSCheck, "training": TrainingRecord}


def _live(request: OrgRequest, model: Any, pk: int) -> Any:
    """A record of this organisation not entered in error (404 otherwise)."""
    obj = (model.objects.for_org(request.org).filter(LIVE, pk=pk)
           .select_related("person__job_role").first())
    if obj is None:
        raise Http404
    return obj


def _refused(form: Any, request: OrgRequest, model: Any, obj: Any, exc: ValidationError, **kwargs: Any) -> Any:
    """The form again with what was typed, the stored version (so saving again works) and the reason."""
    stored = model.objects.for_org(request.org).filter(pk=obj.pk).values_list("version", flat=True).first()
    again = type(form)({**request.POST.dict(), "version": stored}, request.FILES or None, **kwargs)
    again.is_valid()
    again.add_error(None, exc)
    return again


def _page(request: OrgRequest, form: Any, obj: Any, title: str, multipart: bool) -> HttpResponse:
    return render(request, "training/record_form.html", {"form": form, "person": obj.person, "title": title,
                                                         "multipart": multipart, "record": obj})


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def dbs_edit(request: OrgRequest, pk: int) -> HttpResponse:
    check = _live(request, DBSCheck, pk)
    initial = {f: getattr(check, f) for f in ("level", "certificate_number", "issued_on", "update_service", "version")}
    form = DBSForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.do_edit_dbs(check, expected_version=data.pop("version"), acting_user=request.user,
                                        **data)
        except ValidationError as exc:
            form = _refused(form, request, DBSCheck, check, exc)
        else:
            messages.success(request, f"DBS check changed. The next renewal is due on {saved.renews_on:%-d %B %Y}.")
            return redirect("training:person", pk=check.person_id)
    return _page(request, form, check, "Change a DBS check", multipart=False)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def training_edit(request: OrgRequest, pk: int) -> HttpResponse:
    record = _live(request, TrainingRecord, pk)
    org = request.org
    initial = {f: getattr(record, f) for f in ("course", "level", "provider", "completed_on", "expires_on", "version")}
    form = TrainingForm(request.POST or None, request.FILES or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.do_edit_training(record, expected_version=data.pop("version"),
                                             acting_user=request.user, **data)
        except ValidationError as exc:
            form = _refused(form, request, TrainingRecord, record, exc, org=org)
        else:
            messages.success(request, f"Training record changed. It runs out on {saved.expires_on:%-d %B %Y}.")
            return redirect("training:person", pk=record.person_id)
    return _page(request, form, record, "Change a training record", multipart=True)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def entered_in_error(request: OrgRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    obj = _live(request, KINDS[kind], pk)
    form = EnteredInErrorForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_mark_in_error(obj, reason=form.cleaned_data["reason"], acting_user=request.user,
                                     expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            form = _refused(form, request, KINDS[kind], obj, exc)
        else:
            messages.success(request, f"{obj} marked as entered in error. It no longer counts towards compliance.")
            return redirect("training:person", pk=obj.person_id)
    return render(request, "training/entered_in_error.html", {"form": form, "person": obj.person, "record": obj})
