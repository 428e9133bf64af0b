from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import OrgRequest, member_required
from ..models import Notification
from ..notifications import mark_read


@member_required
def notification_list(request: OrgRequest) -> HttpResponse:
    qs = Notification.objects.for_org(request.org).filter(recipient=request.user)
    page = Paginator(qs.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(request, "tenancy/notifications.html", {"page": page})


@member_required
@require_POST
def notification_open(request: OrgRequest, pk: int) -> HttpResponse:
    """Mark one read and go to what it is about."""
    note = Notification.objects.for_org(request.org).filter(recipient=request.user, pk=pk).first()
    if note is None:
        from django.http import Http404

        raise Http404
    mark_read(org=request.org, user=request.user, ids=[note.pk])
    return redirect(note.url or "notifications")


@member_required
@require_POST
def notification_mark_all(request: OrgRequest) -> HttpResponse:
    mark_read(org=request.org, user=request.user)
    return redirect("notifications")
