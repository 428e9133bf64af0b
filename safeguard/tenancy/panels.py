"""The foundation's navigation and home panels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeguard.tenancy.access import OrgRequest

from .models import Invitation, Membership, Notification
from .needs import LIMIT, NEW, Need, covered_kinds, register_needs
from .roles import Role
from .ui import register_nav, register_panel


def _notifications(request: OrgRequest) -> list[Need]:
    """Unread notifications, as "new" items of the needs list (dropped where the list already has the page)."""
    qs = (Notification.objects.for_org(request.org).filter(recipient=request.user, read_at__isnull=True)
          .exclude(kind__in=covered_kinds(request)))
    return [Need(NEW, n.shown_title, n.url or reverse("notifications"), at=n.created_at,
                 post_url=reverse("notification-open", args=[n.pk]))
            for n in qs.order_by("-created_at")[:LIMIT]]


def _admin(request: OrgRequest) -> dict[str, Any]:
    org = request.org
    return {
        "active_members": Membership.objects.for_org(org).filter(is_active=True).count(),
        "pending_invitations": Invitation.objects.for_org(org).filter(accepted_at__isnull=True, revoked_at__isnull=True).count(),
        "mail_not_sent": Notification.objects.for_org(org).filter(email_status=Notification.EmailStatus.FAILED).count(),
    }


def register() -> None:
    register_nav("Your work", "home", order=0)
    register_nav("People", "people", roles={Role.ORG_ADMIN}, order=90)
    register_nav("Settings", "organisation-settings", roles={Role.ORG_ADMIN}, order=95)
    register_needs(_notifications, order=90)
    register_panel("organisation-admin", "Your organisation", "tenancy/_panel_admin.html", _admin,
                   roles={Role.ORG_ADMIN}, order=90)
