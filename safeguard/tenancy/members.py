"""Who holds a role in an organisation: the people to tell about something."""

from __future__ import annotations

from .models import Membership, Organisation


def role_holders(org: Organisation | int, *roles: str) -> list[int]:
    """User ids of the organisation's active members holding any of ``roles``."""
    return list(
        Membership.objects.for_org(org)
        .filter(is_active=True, role_assignments__role__in=roles)
        .values_list("user_id", flat=True)
        .distinct()
    )
