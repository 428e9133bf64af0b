"""The current organisation: switching, having none, and the "my work" home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import member_required
from ..middleware import SESSION_ORG_KEY
from ..needs import needs_for
from ..ui import panels_for
from .accounts import _safe_next


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError:
        wanted = -1
    if any(m.organisation_id == wanted for m in request.memberships):  # type: ignore[attr-defined]
        request.session[SESSION_ORG_KEY] = wanted
        # Pages of one organisation mean nothing in another: start at home.
        return redirect("home")
    return redirect(_safe_next(request, "/"))


@login_required
def no_organisation(request: HttpRequest) -> HttpResponse:
    if getattr(request, "org", None) is not None:
        return redirect("home")
    return render(request, "tenancy/no_organisation.html", status=403)


@member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenancy/home.html", {"needs": needs_for(request), "panels": panels_for(request)})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: the app answers and reaches its database."""
    from django.db import connection

    with connection.cursor() as cursor:  # scoping: a constant query, no tenant data
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
