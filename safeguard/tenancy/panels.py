"""The foundation's navigation and home panels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Invitation, Membership, Notification
from .roles import Role
from .ui import register_nav, register_panel


def _notifications(request: HttpRequest) -> dict[str, Any]:
    qs = Notification.objects.for_org(request.org).filter(recipient=request.user, read_at__isnull=True)  # type: ignore[attr-defined]
    return {"notifications": list(qs.order_by("-created_at")[:5])}


def _admin(request: HttpRequest) -> dict[str, Any]:
    org = request.org  # type: ignore[attr-defined]
    return {
        "active_members": Membership.objects.for_org(org).filter(is_active=True).count(),
        "pending_invitations": Invitation.objects.for_org(org).filter(accepted_at__isnull=True, revoked_at__isnull=True).count(),
        "mail_not_sent": Notification.objects.for_org(org).filter(email_status=Notification.EmailStatus.FAILED).count(),
    }


def register() -> None:
    register_nav("Your work", "home", order=0)
    register_nav("People", "people", roles={Role.ORG_ADMIN}, order=90)
    register_nav("Settings", "organisation-settings", roles={Role.ORG_ADMIN}, order=95)
    register_panel("notifications", "New for you", "tenancy/_panel_notifications.html", _notifications, order=0)
    register_panel("organisation-admin", "Your organisation", "tenancy/_panel_admin.html", _admin,
                   roles={Role.ORG_ADMIN}, order=90)
