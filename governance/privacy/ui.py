"""Navigation and the home panel of the Data Privacy Manager: records due for review, active legal holds.

Delegates reach the pages from the notification naming them (a nav item for them would cost every member a
query on every page)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav, register_panel


def _panel(request: OrgRequest) -> dict[str, Any]:
    from .models import LegalHold, ReviewItem

    org = request.org
    items = ReviewItem.objects.for_org(org).aggregate(
        due=Count("pk", filter=Q(status=ReviewItem.Status.PENDING))
    )
    holds = LegalHold.objects.for_org(org).filter(lifted_at__isnull=True).count()
    return {"due": items["due"], "holds": holds}


register_nav("Data privacy", "privacy:home", roles={Role.DATA_PRIVACY_MANAGER}, order=70)
register_panel(
    "privacy-retention",
    "Records due for destruction review",
    "privacy/_panel.html",
    _panel,
    roles={Role.DATA_PRIVACY_MANAGER},
    order=33,
)
