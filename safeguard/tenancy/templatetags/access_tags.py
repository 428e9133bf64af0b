"""Template side of the access rules: show a link only to people its URL lets in, and a 403 that helps.

``{% may "training:import" as can_import %}`` evaluates the role rule of the view behind the URL
(``safeguard.tenancy.access.may_open``), so what a page shows and what its links allow cannot drift apart.
``{% who_can as who %}`` (on the 403 page) names the roles that would have been let in and the colleagues
who hold them, never the viewer's own role, and who can give the role.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..access import may_open
from ..models import Membership
from ..roles import Role

register = template.Library()

MAX_NAMES = 5


@register.simple_tag(takes_context=True)
def may(context: template.Context, url_name: str, *args: Any) -> bool:
    request = context.get("request")
    return request is not None and may_open(request, url_name, *args)


def _holders(org: Any, roles: tuple[str, ...], exclude_user_id: int) -> dict[str, list[str]]:
    """Names of the active members holding each role (one query)."""
    names: dict[str, list[str]] = {r: [] for r in roles}
    rows = (Membership.objects.for_org(org).filter(is_active=True, role_assignments__role__in=roles)
            .exclude(user_id=exclude_user_id).values_list("role_assignments__role", "user__full_name")
            .order_by("user__full_name").distinct())
    for role, name in rows:
        names[role].append(name)
    return names


@register.simple_tag(takes_context=True)
def who_can(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or request is None:
        return {}
    held = set(membership.grants)
    denied = tuple(getattr(request, "denied_roles", ()) or ())
    others = tuple(r for r in denied if r not in held)
    giver = Role.ORG_ADMIN
    names = _holders(request.org, (*others, giver), request.user.pk)
    roles = [{"label": Role(r).label, "names": names[r][:MAX_NAMES], "more": max(0, len(names[r]) - MAX_NAMES)}
             for r in others]
    return {
        "roles": roles,
        "own_roles_suffice": bool(denied) and not others,
        "is_admin": giver in held,
        "admins": names[giver][:MAX_NAMES],
    }
