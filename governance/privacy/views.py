"""Pages of the Data Privacy Manager (and their delegates): the retention schedule, the destruction review
queue, destroyed records' tombstones, legal holds and the delegates. Thin: rules in ``policy``, changes in
``actions``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, deny, role_required
from safeguard.tenancy.concurrency import StaleEditError
from safeguard.tenancy.notifications import notify

from . import actions, policy
from .forms import DelegateForm, HoldForm, LiftForm, ReviewForm, RuleForm
from .models import Delegate, LegalHold, RetentionRule, ReviewItem, Tombstone

PER_PAGE = 50


def privacy_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The Data Privacy Manager and their delegates; anyone else is refused (the 403 names the role)."""

    @wraps(view)
    def wrapper(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from safeguard.tenancy.access import _entry_response

        early = _entry_response(request)
        if early is not None:
            return early
        if not policy.may_handle_privacy(request.membership):
            raise deny(request, (policy.OWNER_ROLE,))
        return view(request, *args, **kwargs)

    return wrapper


@privacy_required
def home(request: OrgRequest) -> HttpResponse:
    org = request.org
    counts = ReviewItem.objects.for_org(org).filter(status=ReviewItem.Status.PENDING).count()
    holds = LegalHold.objects.for_org(org).filter(lifted_at__isnull=True).count()
    return render(
        request,
        "privacy/home.html",
        {"pending": counts, "holds": holds, "is_owner": policy.is_owner(request.membership)},
    )


@privacy_required
def schedule(request: OrgRequest) -> HttpResponse:
    rules = actions.ensure_schedule(request.org)
    for rule in rules:
        rule.text = policy.rule_text(rule)  # type: ignore[attr-defined]  # for the template
        rule.listed = rule.kind in policy.LISTED_KINDS  # type: ignore[attr-defined]  # for the template
    return render(request, "privacy/schedule.html", {"rules": rules})


@privacy_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    rule = get_object_or_404(RetentionRule.objects.for_org(org), pk=pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        values["reason"] = values["reason"].strip()
        values["also_trigger"] = values["also_trigger"] or ""
        if not values["also_trigger"]:
            values["also_period_months"] = None
        try:
            actions.do_save_rule(
                org, rule.pk, values, version=form.cleaned_data["version"], acting_user=request.user
            )
        except StaleEditError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The rule for {rule.get_kind_display().lower()} was saved.")
            return redirect("privacy:schedule")
    return render(request, "privacy/rule_form.html", {"form": form, "rule": rule})


@privacy_required
@require_http_methods(["GET", "POST"])
def queue(request: OrgRequest) -> HttpResponse:
    org = request.org
    today = timezone.localdate()
    pending = ReviewItem.objects.for_org(org).filter(status=ReviewItem.Status.PENDING)
    pending_ids = list(pending.values_list("pk", flat=True))
    form = ReviewForm(request.POST or None, item_ids=pending_ids, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "keep":
                n = actions.do_keep(
                    org,
                    form.item_ids,
                    reason=form.cleaned_data["keep_reason"],
                    until=form.cleaned_data["keep_until"],
                    acting_user=request.user,
                )
                messages.success(
                    request,
                    f"{n} record{'s' if n != 1 else ''} kept until "
                    f"{form.cleaned_data['keep_until']:%-d %B %Y}.",
                )
                return redirect("privacy:queue")
            job = actions.do_destroy(org, form.item_ids, acting_user=request.user)
            return redirect("background:job", pk=job.pk)
        except ValidationError as error:
            form.add_error(None, error)
    page = Paginator(pending.select_related("rule").order_by("due_on", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    held = policy.held_items(org, items)
    chosen = set(request.POST.getlist("items")) if request.method == "POST" else set()
    for item in items:
        item.hold = held.get(item.pk)  # type: ignore[attr-defined]  # for the template
        item.chosen = str(item.pk) in chosen  # type: ignore[attr-defined]  # for the template
    kept = ReviewItem.objects.for_org(org).filter(status=ReviewItem.Status.KEPT).count()
    return render(
        request,
        "privacy/queue.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "kept": kept,
            "destroying": ReviewItem.objects.for_org(org).filter(status=ReviewItem.Status.DESTROYING).count(),
        },
    )


@privacy_required
def kept(request: OrgRequest) -> HttpResponse:
    org = request.org
    qs = (
        ReviewItem.objects.for_org(org)
        .filter(status=ReviewItem.Status.KEPT)
        .select_related("decided_by")
        .order_by("kept_until", "pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "privacy/kept.html", {"page": page})


@privacy_required
def destroyed(request: OrgRequest) -> HttpResponse:
    org = request.org
    qs = Tombstone.objects.for_org(org).select_related("decided_by").order_by("-destroyed_at", "pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "privacy/destroyed.html", {"page": page})


@privacy_required
def holds(request: OrgRequest) -> HttpResponse:
    org = request.org
    qs = (
        LegalHold.objects.for_org(org)
        .select_related("case", "person", "placed_by")
        .order_by("lifted_at", "-placed_at", "pk")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "privacy/holds.html", {"page": page})


@privacy_required
@require_http_methods(["GET", "POST"])
def hold_add(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = HoldForm(request.POST or None, org=org, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data["scope"]
        hold = actions.do_place_hold(
            org,
            scope=scope,
            reason=form.cleaned_data["reason"],
            starts_on=form.cleaned_data["starts_on"],
            case=form.case if scope in (LegalHold.Scope.CASE, LegalHold.Scope.PERSON) else None,
            person=form.person if scope == LegalHold.Scope.PERSON else None,
            acting_user=request.user,
        )
        messages.success(
            request, "The legal hold was placed: nothing it covers can be destroyed until it is lifted."
        )
        return redirect("privacy:hold", pk=hold.pk)
    return render(request, "privacy/hold_form.html", {"form": form})


@privacy_required
@require_http_methods(["GET", "POST"])
def hold_detail(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    hold = get_object_or_404(
        LegalHold.objects.for_org(org).select_related("case", "person", "placed_by", "lifted_by"), pk=pk
    )
    form = LiftForm(request.POST or None, initial={"version": hold.version})
    if request.method == "POST" and hold.is_active and form.is_valid():
        try:
            actions.do_lift_hold(
                org,
                hold.pk,
                form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The legal hold was lifted.")
            return redirect("privacy:hold", pk=hold.pk)
    if request.method == "GET":
        audit.record(org=org, actor=request.user, action="privacy.hold_viewed", obj=hold)
    return render(request, "privacy/hold_detail.html", {"hold": hold, "form": form})


@role_required(policy.OWNER_ROLE)
@require_http_methods(["GET", "POST"])
def delegates(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = DelegateForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["membership"].user
        actions.do_name_delegate(org, user, acting_user=request.user)
        if user.pk != request.user.pk:
            notify(
                org=org,
                recipients=[user],
                kind="privacy.delegate",
                url=reverse("privacy:home"),
                title="You can now handle retention, legal holds and the destruction review",
                dedupe_key=f"privacy-delegate-{user.pk}",
            )
        messages.success(request, f"{user.full_name} can now handle data privacy with you.")
        return redirect("privacy:delegates")
    rows = Delegate.objects.for_org(org).select_related("user", "named_by")
    return render(request, "privacy/delegates.html", {"form": form, "delegates": rows})


@role_required(policy.OWNER_ROLE)
@require_POST
def delegate_remove(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    delegate = get_object_or_404(Delegate.objects.for_org(org).select_related("user"), pk=pk)
    actions.do_remove_delegate(org, delegate, acting_user=request.user)
    messages.success(request, f"{delegate.user.full_name} is no longer a delegate.")
    return redirect("privacy:delegates")
