"""Who may see and work on which register.

Defaults from roles (a role limited to areas covers only those areas' registers):

* Safeguarding Manager: see every register and its child protection page.
* Register administrator and Named Senior Officer: see and add/update entries.
* Designated Safeguarding Lead: see, review and sign off, and the child protection page.

An ``AccessOverride`` (set by the Safeguarding Manager or the organisation administrator,
``ACCESS_ADMIN_ROLES``) gives or takes away one permission on one register for one person over
those defaults; a given permission needs an active member. ``registers.permissions.sync_access``
stores the result as guardian object permissions.
"""

from __future__ import annotations

from collections.abc import Iterable

from safeguard.tenancy.roles import Grant, Role

from ..models import MANAGE, REVIEW, VIEW, VIEW_CP

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.SAFEGUARDING_MANAGER: (VIEW, VIEW_CP),
    Role.REGISTER_ADMIN: (VIEW, MANAGE),
    Role.NSO: (VIEW, MANAGE),
    Role.DSL: (VIEW, REVIEW, VIEW_CP),
}
ACCESS_ADMIN_ROLES = (Role.SAFEGUARDING_MANAGER, Role.ORG_ADMIN)

Key = tuple[int, int, str]  # (register id, user id, codename)


def role_defaults(user_id: int, grants: dict[str, Grant], registers: dict[int, int]) -> set[Key]:
    """What one member's roles give; ``registers`` maps register id -> area id."""
    wanted: set[Key] = set()
    for role, grant in grants.items():
        for codename in ROLE_PERMISSIONS.get(role, ()):
            wanted |= {(reg_id, user_id, codename) for reg_id, area_id in registers.items()
                       if grant.area_ids is None or area_id in grant.area_ids}
    return wanted


def apply_overrides(wanted: set[Key], overrides: Iterable[tuple[int, int, str, bool]], active: set[int]) -> set[Key]:
    """The defaults changed by (register, user, permission, allowed) overrides."""
    result = set(wanted)
    for reg_id, user_id, codename, allowed in overrides:
        key = (reg_id, user_id, codename)
        if allowed and user_id in active:
            result.add(key)
        else:
            result.discard(key)
    return result
