"""Organisation-level register pages: access management, the child protection view log, board counts."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role

from . import actions
from .forms import AccessForm
from .models import PERMISSION_LABELS, AccessOverride, Register
from .models import RegisterUserObjectPermission as Perm
from .policy.access import ACCESS_ADMIN_ROLES
from .status import board_counts

ACCESS_ACTIONS = ("register.access_granted", "register.access_revoked")
CP_ACTIONS = ("register.cp_viewed", "register.cp_entry_viewed")


def _holders(registers: list[Register]) -> list[dict[str, object]]:
    rows: dict[tuple[int, int], dict[str, object]] = {}
    names = {r.pk: str(r) for r in registers}
    qs = Perm.objects.filter(content_object__in=[r.pk for r in registers]).values_list(
        "content_object_id", "user_id", "user__full_name", "permission__codename").order_by(
        "content_object__area__name", "user__full_name")
    for reg_id, user_id, name, code in qs:
        row = rows.setdefault((reg_id, user_id), {"register": names[reg_id], "person": name, "perms": []})
        row["perms"].append(PERMISSION_LABELS[code])  # type: ignore[attr-defined]
    return list(rows.values())


@role_required(*ACCESS_ADMIN_ROLES)
def access(request: OrgRequest) -> HttpResponse:
    org = request.org
    registers = list(Register.objects.for_org(org).select_related("area"))
    form = AccessForm(request.POST or None, org=org, registers=registers)
    if request.method == "POST" and form.is_valid():
        register = next(r for r in registers if str(r.pk) == form.cleaned_data["register"])
        member = form.cleaned_data["member"]
        actions.do_set_access(register, user=member.user, permission=form.cleaned_data["permission"],
                              allowed=form.cleaned_data["allowed"], reason=form.cleaned_data["reason"],
                              acting_user=request.user)
        verb = "given" if form.cleaned_data["allowed"] else "taken away"
        messages.success(request, f"Permission {verb} for {member.user.full_name} on the {register}.")
        return redirect("registers:access")
    changes = AuditEvent.objects.for_org(org).filter(action__in=ACCESS_ACTIONS).select_related("actor")[:50]
    overrides = AccessOverride.objects.for_org(org).select_related("register__area", "user", "set_by")
    return render(request, "registers/access.html", {
        "form": form, "holders": _holders(registers), "changes": list(changes), "overrides": list(overrides),
        "labels": PERMISSION_LABELS, "register_names": {r.pk: str(r) for r in registers},
    })


@role_required(Role.SAFEGUARDING_MANAGER)
def cp_log(request: OrgRequest) -> HttpResponse:
    org = request.org
    names = {r.pk: str(r) for r in Register.objects.for_org(org).select_related("area")}
    events = AuditEvent.objects.for_org(org).filter(action__in=CP_ACTIONS).select_related("actor").order_by("-at")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [{"event": e, "register": names.get(e.object_id or 0, ""), "entries": e.detail.get("entries", [])}
            for e in page.object_list]
    return render(request, "registers/cp_log.html", {"page_obj": page, "rows": rows})


@role_required(Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER)
def counts(request: OrgRequest) -> HttpResponse:
    return render(request, "registers/counts.html", board_counts(request.org))

