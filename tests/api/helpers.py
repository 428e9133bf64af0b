"""API tokens for tests, made through the app's own action."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safeguard.api.models import Scope
from safeguard.api.tokens import do_create_token
from safeguard.tenancy.roles import Role
from tests.factories import World

ALL_SCOPES = list(Scope.values)


def token(world: World, *, scopes: list[str] | None = None, role: str = Role.SAFEGUARDING_MANAGER,  # sees every case and the dashboard
          org: Any = None, days: int = 30, name: str = "") -> tuple[Any, str]:
    org = org or world.org
    admin = world.members[Role.ORG_ADMIN] if org == world.org else world.outsider
    made = do_create_token(org, name=name or f"Housing system {timezone.now().timestamp()}",
                           scopes=ALL_SCOPES if scopes is None else scopes,
                           expires_at=timezone.now() + timedelta(days=days), role=role,
                           account_name="Housing system", acting_user=admin)
    return made.token, made.secret


def auth(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def concern_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "immediate_risk": False, "concern_type": "safeguarding", "area_id": world.area.pk,
        "department_id": world.department.pk, "source": "colleague",
        "happened_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "what_happened": "Rent arrears and a neighbour heard shouting at night.",
        "people": [{"full_name": "Robin Testwell", "tenancy_reference": "T-1001"}],
    }
    body.update(overrides)
    return body
