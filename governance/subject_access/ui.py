"""Navigation and the Data Privacy Manager's home panel (counts of open requests by deadline)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.needs import OVERDUE, TODAY, Need, register_needs
from safeguard.tenancy.ui import register_nav, register_panel

from . import policy
from .models import Request, Status


def _handles(request: OrgRequest) -> bool:
    return policy.may_handle_requests(getattr(request, "membership", None))


def counts(request: OrgRequest) -> dict[str, int]:
    """One query: open requests, near their deadline, overdue, and closed this month."""
    today = timezone.localdate()
    near = today + timedelta(days=policy.NEAR_DEADLINE_DAYS)
    return Request.objects.for_org(request.org).aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        near=Count("pk", filter=Q(status=Status.OPEN, due_on__gte=today, due_on__lte=near)),
        overdue=Count("pk", filter=Q(status=Status.OPEN, due_on__lt=today)),
        closed_this_month=Count("pk", filter=Q(status=Status.CLOSED, closed_on__gte=today.replace(day=1))),
    )


def _panel(request: OrgRequest) -> dict[str, Any]:
    return {"counts": counts(request)}


def _needs(request: OrgRequest) -> list[Need]:
    """Requests due today or overdue; the week's warning arrives as the near-deadline notification."""
    if not _handles(request):
        return []
    today = timezone.localdate()
    rows = (
        Request.objects.for_org(request.org)
        .filter(status=Status.OPEN, due_on__lte=today)
        .values_list("pk", "reference", "due_on")[:20]
    )
    return [
        Need(
            OVERDUE if due < today else TODAY,
            f"{ref}: {'the response was due' if due < today else 'respond by'} {due:%-d %B %Y}",
            reverse("subject_access:detail", args=[pk]),
        )
        for pk, ref, due in rows
    ]


# In the menu for the role (no query on every member's every page); delegates the Data Privacy Manager names
# reach the pages through the link in the notification that names them (``governance.privacy``).
register_nav("Subject access requests", "subject_access:list", roles=set(policy.HANDLER_ROLES), order=71)
# The panel and needs registries filter by role: they are given the roles of ``policy.may_handle_requests``.
register_panel(
    "subject-access",
    "Subject access and other requests",
    "subject_access/_panel.html",
    _panel,
    roles=set(policy.HANDLER_ROLES),
    order=35,
)
register_needs(
    _needs,
    roles=set(policy.HANDLER_ROLES),
    covers=("subject_access.overdue",),
    order=45,
)
