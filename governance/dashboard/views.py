"""The board dashboard: the RAG rating with its facts, indicators, charts with their tables, the
Safeguarding Manager's commentary and the RAG thresholds. Only figures: no name, reference or case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from registers.models import month_start
from safeguard.tenancy.access import role_required
from safeguard.tenancy.models import Area
from safeguard.tenancy.roles import Role

from . import actions, indicators, page
from .forms import CommentaryForm, RagSettingsForm
from .models import Commentary, RagSettings

VIEWERS = (Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL)
SETTINGS = (Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)


@role_required(*VIEWERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    org, membership = request.org, request.membership  # type: ignore[attr-defined]
    today = timezone.localdate()
    area_ids = page.allowed_area_ids(membership)
    areas = dict(Area.objects.for_org(org).filter(is_active=True).order_by("name").values_list("pk", "name"))
    allowed = areas if area_ids is None else {a: n for a, n in areas.items() if a in area_ids}
    filters = page.parse_filters(request.GET, allowed, today)
    data = page.build(org, filters=filters, area_ids=area_ids, today=today, areas=areas)
    data["ratings"] = page.resolve_links(data["ratings"], membership=membership, user=request.user, org=org)
    data["may_write"] = membership.has_role(Role.SAFEGUARDING_MANAGER)
    data["area_choices"] = allowed
    data["month_choices"] = _months(today)
    data["period_choices"] = list(indicators.PERIOD_LABELS.items())
    return render(request, "governance/dashboard/dashboard.html", data)


def _months(today):  # type: ignore[no-untyped-def]
    from registers.models import add_months

    current = month_start(today)
    return [add_months(current, -n) for n in range(0, 25)]


@role_required(Role.SAFEGUARDING_MANAGER)
@require_http_methods(["GET", "POST"])
def commentary(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    month = month_start(timezone.localdate())
    current = Commentary.objects.for_org(org).filter(month=month).first()
    initial = {"text": current.text, "version": current.version} if current else {}
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_commentary(org, month, form.cleaned_data["text"], version=form.cleaned_data["version"],
                                       acting_user=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Commentary for {month:%B %Y} saved.")
            return redirect("board:dashboard")
    return render(request, "governance/dashboard/commentary.html", {"form": form, "month": month})


@role_required(*SETTINGS)
@require_http_methods(["GET", "POST"])
def rag_settings(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    instance = RagSettings.objects.for_org(org).first() or RagSettings(organisation=org)
    form = RagSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        actions.do_save_rag_settings(org, values, acting_user=request.user)  # type: ignore[arg-type]
        messages.success(request, "RAG thresholds saved.")
        return redirect("board:dashboard")
    return render(request, "governance/dashboard/rag_settings.html", {"form": form})
