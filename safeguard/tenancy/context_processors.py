from __future__ import annotations

from typing import Any

from safeguard.tenancy.access import TenantRequest

from .ui import nav_for


def tenancy(request: TenantRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    if membership is None or user is None or not user.is_authenticated:
        return {"current_org": None, "current_membership": None, "nav_items": [], "unread_count": 0}
    return {
        "current_org": request.org,
        "current_membership": membership,
        "user_memberships": request.memberships,
        "nav_items": nav_for(request),
        "unread_count": request.unread_count,
    }
