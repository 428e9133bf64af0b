"""One set of pages for every kind of governance record in ``governance.kinds``: list, add, view (with the
history of changes), change (optimistic locking), close and the private document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Model, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cases.policy.visibility import visible_cases
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required
from safeguard.tenancy.concurrency import StaleEditError
from safeguard.tenancy.models import User

from .. import kinds as k
from ..access import is_keeper, require_governance_member, require_record_reader
from ..actions.records import do_close_record, do_save_record
from ..display import label_of, value_of
from ..forms import form_for
from ..visibility import can_edit, visible

PAGE_SIZE = 50


def _kind(slug: str) -> k.Kind:
    try:
        return k.KINDS[slug]
    except KeyError as exc:
        raise Http404 from exc


def _user_fields(kind: k.Kind) -> list[str]:
    names = []
    for f in kind.model._meta.get_fields():
        if getattr(f, "many_to_one", False) and f.related_model is User and f.name in kind.fields + list(kind.named):
            names.append(f.name)
    return names


def _m2m_fields(kind: k.Kind) -> list[str]:
    return [c for _, c in kind.columns if any(f.name == c and f.many_to_many for f in kind.model._meta.get_fields())]


def _rows(kind: k.Kind, qs: Any) -> list[dict[str, Any]]:
    return [{"obj": obj, "cells": [value_of(obj, attr) for _, attr in kind.columns]} for obj in qs]


def _annotate(kind: k.Kind, qs: Any) -> Any:
    if kind.slug == "groups":
        qs = qs.annotate(last_met=Max("meetings__held_on", filter=Q(meetings__status="held")))
    return qs


def access_record(request: OrgRequest, kind: k.Kind, pk: int, *, write: bool = False) -> Model:
    """The record if the member may see it, and change it when ``write``; else 404, as for another
    organisation's id (a record's existence is not given away)."""
    qs = visible(kind, request.org, getattr(request, "membership", None))
    qs = qs.select_related(*_user_fields(kind), *( [kind.parent] if kind.parent else []))
    obj = get_object_or_404(qs, pk=pk)
    if write and not can_edit(kind, obj, request.membership):
        raise Http404
    return obj


@member_required
def record_list(request: OrgRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    if kind.parent:
        raise Http404
    membership = require_governance_member(request)
    qs = visible(kind, request.org, membership)
    qs = _annotate(kind, qs.select_related(*_user_fields(kind)).prefetch_related(*_m2m_fields(kind)))
    show = request.GET.get("show", "open")
    if kind.closed is not None:
        qs = qs.exclude(kind.closed) if show == "open" else qs.filter(kind.closed) if show == "closed" else qs
    filters = []
    for name in kind.filters:
        field = kind.model._meta.get_field(name)
        chosen = request.GET.get(name, "")
        if field.choices:  # type: ignore[union-attr]
            options = [(str(v), str(lbl)) for v, lbl in field.choices]  # type: ignore[union-attr]
        else:
            options = [(v, v) for v in kind.model.objects.for_org(request.org)
                       .order_by(name).values_list(name, flat=True).distinct()[:100] if v]
        if chosen:
            qs = qs.filter(**{name: chosen})
        filters.append({"name": name, "label": label_of(kind.model, name), "options": options, "chosen": chosen})
    q = request.GET.get("q", "").strip()
    if q and kind.search:
        cond = Q()
        for name in kind.search:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    if kind.slug == "policies" and request.GET.get("out_of_date"):
        qs = qs.out_of_date()
    total = qs.count()
    raw_page = request.GET.get("page", "1")
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(int(raw_page), last_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
    rows = _rows(kind, qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    return render(request, "governance/record_list.html", {
        "kind": kind, "rows": rows, "total": total, "show": show, "filters": filters, "q": q, "page": page,
        "has_next": page * PAGE_SIZE < total, "has_prev": page > 1,
        "can_add": is_keeper(membership), "headings": [h for h, _ in kind.columns],
    })


def _parent(request: OrgRequest, kind: k.Kind, parent_pk: int | None) -> Model | None:
    if not kind.parent:
        return None
    parent_kind = kind.parent_kind
    if parent_kind == "audited-cases":
        from .audits import access_audited_case

        return access_audited_case(request, parent_pk, write=True)  # type: ignore[arg-type]
    return access_record(request, k.KINDS[parent_kind], parent_pk, write=True)  # type: ignore[index, arg-type]


def _visible_cases(request: OrgRequest) -> Any:
    return visible_cases(request.org, request.membership)


def _back(kind: k.Kind, obj: Model) -> str:
    if kind.parent and kind.slug not in ("meetings", "plan-actions"):
        parent = getattr(obj, kind.parent)
        if kind.parent_kind == "audited-cases":
            return reverse("governance:audited-case", args=[parent.pk])
        return reverse(f"governance:{kind.parent_kind}-detail", args=[parent.pk])
    return reverse(f"governance:{kind.slug}-detail", args=[obj.pk])


@member_required
@require_http_methods(["GET", "POST"])
def record_add(request: OrgRequest, slug: str, parent_pk: int | None = None) -> HttpResponse:
    kind = _kind(slug)
    membership = require_record_reader(request) if kind.parent else require_governance_member(request)
    parent = _parent(request, kind, parent_pk)
    if parent is None and not is_keeper(membership):
        raise PermissionDenied
    instance = kind.model(organisation=request.org, **kind.extra_defaults(parent))
    if parent is not None:
        setattr(instance, kind.parent, parent)  # type: ignore[arg-type]
    form_class = form_for(kind)
    form = form_class(request.POST or None, request.FILES or None, instance=instance, org=request.org,
                      kind=kind, visible_cases=_visible_cases(request))
    if request.method == "POST" and form.is_valid():
        obj = do_save_record(kind, request.org, form, acting_user=request.user)
        messages.success(request, f"The {kind.singular} has been added.")
        return redirect(_back(kind, obj))
    return render(request, "governance/record_form.html", {
        "kind": kind, "form": form, "parent": parent, "title": f"Add a {kind.singular}",
        "back": _back(k.KINDS[kind.parent_kind], parent) if parent is not None and kind.parent_kind in k.KINDS
        else reverse("governance:audited-case", args=[parent.pk]) if parent is not None
        else reverse(f"governance:{kind.slug}"),
    })


@member_required
def record_detail(request: OrgRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(slug)
    require_record_reader(request)
    obj = access_record(request, kind, pk)
    if kind.restricted:
        audit.record(org=request.org, actor=request.user, action=f"governance.{kind.slug}.viewed", obj=obj)
    fields = [(label_of(obj, name), value_of(obj, name)) for name in kind.fields]
    cases: list[Any] = []
    if kind.has_cases:
        cases = list(_visible_cases(request).filter(pk__in=obj.cases.values("pk")).only("pk", "reference"))  # type: ignore[attr-defined]
        hidden = obj.cases.count() - len(cases)  # type: ignore[attr-defined]
    else:
        hidden = 0
    linked_case = None
    if kind.has_case and obj.case_id:  # type: ignore[attr-defined]
        linked_case = _visible_cases(request).filter(pk=obj.case_id).only("pk", "reference").first()  # type: ignore[attr-defined]
    children = []
    editable = can_edit(kind, obj, request.membership)
    for child in k.children_of(kind.slug):
        rel = child.model.objects.for_org(request.org).filter(**{child.parent: obj})  # type: ignore[arg-type]
        rel = rel.select_related(*_user_fields(child)).prefetch_related(*_m2m_fields(child))
        children.append({"kind": child, "rows": _rows(child, rel), "headings": [h for h, _ in child.columns],
                         "can_add": editable, "linkable": True})
    history = list(obj.history.select_related("history_user").order_by("-history_date")[:30])  # type: ignore[attr-defined]
    return render(request, "governance/record_detail.html", {
        "kind": kind, "obj": obj, "fields": fields, "children": children, "can_edit": editable,
        "cases": cases, "hidden_cases": hidden, "linked_case": linked_case, "history": history,
        "is_closed": kind.closed is not None and kind.model.objects.for_org(request.org)
        .filter(kind.closed, pk=obj.pk).exists(),
        "back": _back(k.KINDS[kind.parent_kind], getattr(obj, kind.parent)) if kind.parent and kind.parent_kind in k.KINDS
        else reverse("governance:audited-case", args=[getattr(obj, kind.parent).pk]) if kind.parent
        else reverse(f"governance:{kind.slug}"),
    })


@member_required
@require_http_methods(["GET", "POST"])
def record_edit(request: OrgRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(slug)
    require_record_reader(request)
    obj = access_record(request, kind, pk, write=True)
    form = form_for(kind)(request.POST or None, request.FILES or None, instance=obj, org=request.org,
                          kind=kind, visible_cases=_visible_cases(request))
    if request.method == "POST" and form.is_valid():
        try:
            do_save_record(kind, request.org, form, acting_user=request.user,
                           expected_version=form.cleaned_data.get("version"))
        except StaleEditError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"The {kind.singular} has been changed.")
            return redirect(_back(kind, obj))
    return render(request, "governance/record_form.html", {
        "kind": kind, "form": form, "obj": obj, "title": f"Change the {kind.singular}", "back": _back(kind, obj)})


@member_required
@require_POST
def record_close(request: OrgRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(slug)
    require_record_reader(request)
    if kind.close is None:
        raise Http404
    obj = access_record(request, kind, pk, write=True)
    version = request.POST.get("version")
    try:
        do_close_record(kind, obj, acting_user=request.user,
                        expected_version=int(version) if version and version.isdigit() else None)
    except StaleEditError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Done: {kind.close_label.lower()}.")
    return redirect(_back(kind, obj))


@member_required
def record_document(request: OrgRequest, slug: str, pk: int) -> HttpResponseBase:
    kind = _kind(slug)
    require_record_reader(request)
    obj = access_record(request, kind, pk)
    if not obj.document:  # type: ignore[attr-defined]
        raise Http404
    audit.record(org=request.org, actor=request.user, action=f"governance.{kind.slug}.document_downloaded", obj=obj)
    return FileResponse(obj.document.open("rb"), as_attachment=True,  # type: ignore[attr-defined]
                        filename=obj.document_name or "document")  # type: ignore[attr-defined]


def kind_urls() -> list[Any]:
    from django.urls import path

    patterns = []
    for kind in k.KINDS.values():
        s = kind.slug
        kw = {"slug": s}
        if kind.parent:
            parent_prefix = "audited-cases" if kind.parent_kind == "audited-cases" else kind.parent_kind
            patterns.append(path(f"{parent_prefix}/<int:parent_pk>/{s}/add/", record_add, kw, name=f"{s}-add"))
        else:
            patterns.append(path(f"{s}/", record_list, kw, name=s))
            patterns.append(path(f"{s}/add/", record_add, kw, name=f"{s}-add"))
        patterns.append(path(f"{s}/<int:pk>/", record_detail, kw, name=f"{s}-detail"))
        patterns.append(path(f"{s}/<int:pk>/change/", record_edit, kw, name=f"{s}-edit"))
        if kind.close is not None:
            patterns.append(path(f"{s}/<int:pk>/close/", record_close, kw, name=f"{s}-close"))
        if kind.has_document:
            patterns.append(path(f"{s}/<int:pk>/document/", record_document, kw, name=f"{s}-document"))
    return patterns
