"""The platform admin, production settings, error pages and demo data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.test import Client

from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.models import Area, Membership, Organisation, User
from safeguard.tenancy.roles import ALL_ROLES, Role
from tests.factories import World

ROOT = Path(__file__).resolve().parents[2]


def _operator(member_of: Organisation | None = None) -> Client:
    operator = User.objects.create_superuser("operator@platform.test", "Op-erator-pass-99", full_name="Op")
    if member_of is not None:
        do_add_member(member_of, operator, [RoleSpec(Role.ORG_ADMIN)])
    client = Client()
    client.force_login(operator)
    return client


def test_it_shows_an_operator_no_organisation_data_unless_a_member(world: World) -> None:
    client = _operator()
    page = client.get("/platform-admin/tenancy/membership/").content.decode()
    assert world.members[Role.DSL].full_name not in page
    assert client.get("/platform-admin/tenancy/area/").content.decode().count("Elmstead") == 0
    area = Area.objects.for_org(world.org).first()
    assert client.get(f"/platform-admin/tenancy/area/{area.pk}/change/").status_code in (302, 404)


def test_it_shows_an_operator_only_the_organisations_they_belong_to(world: World) -> None:
    client = _operator(member_of=world.org)
    page = client.get("/platform-admin/tenancy/area/").content.decode()
    assert "Elmstead" in page and "Quayside" not in page


def test_it_keeps_non_staff_out_of_the_platform_admin(world: World) -> None:
    client = Client()
    client.force_login(world.members[Role.ORG_ADMIN])
    response = client.get("/platform-admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_passes_the_deployment_checks_in_production_mode() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_DEBUG", "SAFEGUARD_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(SECRET_KEY="k" * 30 + "-production-secret-for-the-check-0123456789", ALLOWED_HOSTS="safeguard.example",
               DJANGO_SETTINGS_MODULE="safeguard.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY", "SAFEGUARD_TESTING"}}
    env["DJANGO_SETTINGS_MODULE"] = "safeguard.settings"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_it_shows_plain_error_pages_that_reveal_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.members[Role.FRONTLINE])
    not_found = client.get("/organisation/people/424242/")
    assert not_found.status_code == 403  # frontline officers may not manage people at all
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "Page not found" in body and "Traceback" not in body and "urlpatterns" not in body


def test_it_builds_the_demo_organisations_idempotently(db) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (Organisation.objects.count(), User.objects.count(), Membership.all_orgs.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Organisation.objects.count(), User.objects.count(), Membership.all_orgs.count()) == counts
    group = Organisation.objects.get(slug="northvale")
    assert Area.objects.for_org(group).count() == 4
    assert Area.objects.for_org(Organisation.objects.get(slug="riverbend")).count() == 9
    roles = {ra.role for m in Membership.objects.for_org(group) for ra in m.role_assignments.all()}
    assert roles == set(ALL_ROLES)
    both = User.objects.get(email="jordan.ellery@example.org")
    assert Membership.all_orgs.filter(user=both).count() == 2
