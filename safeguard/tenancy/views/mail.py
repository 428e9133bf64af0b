"""Mail that could not be sent: the organisation administrator sees it and can send it again."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..access import OrgRequest, role_required
from ..models import Notification
from ..notifications import enqueue_pending_emails
from ..roles import Role


def _failed(request: OrgRequest) -> QuerySet[Notification]:
    return Notification.objects.for_org(request.org).filter(
        email_status=Notification.EmailStatus.FAILED)


@role_required(Role.ORG_ADMIN)
def undelivered_mail(request: OrgRequest) -> HttpResponse:
    rows = _failed(request).select_related("recipient").order_by("-created_at")
    return render(request, "tenancy/undelivered_mail.html",
                  {"page": Paginator(rows, 50).get_page(request.GET.get("page"))})


@role_required(Role.ORG_ADMIN)
@require_POST
def send_again(request: OrgRequest) -> HttpResponse:
    count = _failed(request).update(email_status=Notification.EmailStatus.PENDING, email_attempts=0,
                                    next_attempt_at=None)
    enqueue_pending_emails()
    messages.success(request, f"{count} e-mail{'s' if count != 1 else ''} will be sent again.")
    return redirect("undelivered-mail")
