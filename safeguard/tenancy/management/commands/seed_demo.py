from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.tenancy import rls
from safeguard.tenancy.demo import DEMO_PASSWORD, ROLE_PEOPLE, seed_all
from safeguard.tenancy.roles import Role


class Command(BaseCommand):
    help = "Create (or bring up to date) three fictional demo organisations with people in every role."

    def handle(self, *args: Any, **options: Any) -> None:
        with rls.dangerously_all_orgs():  # demo data for several organisations
            demos, both = seed_all()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo login uses the password: " + DEMO_PASSWORD))
        for demo in demos:
            self.stdout.write(f"\n{demo.org.name}")
            for role in ROLE_PEOPLE:
                self.stdout.write(f"  {Role(role).label:<32} {demo.people[role].email}")
        self.stdout.write(f"\nIn two organisations (switch in the header): {both.email}")
