"""Navigation of the governance app: for the roles that keep governance records."""

from __future__ import annotations

from safeguard.tenancy.roles import Role
from safeguard.tenancy.ui import register_nav

register_nav("Governance", "governance:home", roles={Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DSL},
             order=60)
