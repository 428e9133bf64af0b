"""The current organisation: switching, having none, and the "my work" home page."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import OrgRequest, SignedInRequest, member_required
from ..middleware import SESSION_ORG_KEY
from ..needs import needs_for
from ..ui import panels_for
from .accounts import _safe_next

logger = logging.getLogger(__name__)


@login_required
@require_POST
def switch_organisation(request: SignedInRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError:
        wanted = -1
    if any(m.organisation_id == wanted for m in request.memberships):
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
def home(request: OrgRequest) -> HttpResponse:
    return render(request, "tenancy/home.html", {"needs": needs_for(request), "panels": panels_for(request)})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: 200 only when the app can serve a page.

    Serving a page needs the database and the static files' manifest (``{% static %}`` raises in
    production when ``collectstatic`` was not run or missed a file), so both are tried; any failure
    answers 503 with what failed, in plain words and without detail an attacker could use.
    """
    from django.db import connection
    from django.template import engines

    problems = []
    try:
        with connection.cursor() as cursor:  # scoping: a constant query, no tenant data
            cursor.execute("SELECT 1")
    except Exception:  # any failure means the app cannot serve
        logger.exception("health: the database cannot be reached")
        problems.append("database unreachable")
    try:
        engines["django"].from_string(
            "{% load static %}{% static 'govuk/govuk-frontend.min.css' %}{% static 'safeguard/app.css' %}"
            "{% static 'safeguard/init.js' %}"
        ).render({})
    except Exception:
        logger.exception("health: static files are missing (run collectstatic)")
        problems.append("static files missing")
    if problems:
        return HttpResponse("unhealthy: " + ", ".join(problems), content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")
