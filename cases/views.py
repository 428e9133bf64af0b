"""Cases. The report form is built out by the cases work (issue 3)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.tenancy.access import member_required


@member_required
def report_concern(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/report.html")
