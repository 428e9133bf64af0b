"""Navigation for the board dashboard."""

from __future__ import annotations

from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav

register_nav("Board dashboard", "board:dashboard",
             roles={Role.BOARD_MEMBER, Role.PEOPLE_DIRECTOR, Role.SAFEGUARDING_MANAGER, Role.DSL}, order=15)
