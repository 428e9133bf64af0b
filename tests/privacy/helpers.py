"""Cases for the retention tests, made through the app's own actions."""

from __future__ import annotations

from typing import Any

from django.test import Client

from cases import actions
from cases.models import Case
from safeguard.tenancy.roles import Role
from tests.cases.helpers import closed
from tests.factories import World


def adult_case(world: World, **overrides: Any) -> Case:
    people = overrides.pop(
        "people", [actions.PersonData(full_name="Dana Fictional", tenancy_reference="T-77")]
    )
    return closed(world, people=people, **overrides)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dpm(world: World) -> Any:
    return world.members[Role.DATA_PRIVACY_MANAGER]
