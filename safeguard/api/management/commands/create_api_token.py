"""Make an API token from the command line (CI's schemathesis run, operators): prints the secret once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.api.models import Scope
from safeguard.api.tokens import do_create_token
from safeguard.tenancy import rls
from safeguard.tenancy.models import Membership, Organisation


class Command(BaseCommand):
    help = "Create an API token for an organisation and print it (shown once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--name", default="Command-line token")
        parser.add_argument("--role", default="safeguarding_manager", help="the service account's role")
        parser.add_argument("--scopes", default="all", help="comma-separated scopes, or 'all'")
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **opts: Any) -> None:
        scopes = list(Scope.values) if opts["scopes"] == "all" else opts["scopes"].split(",")
        org = Organisation.objects.filter(slug=opts["org"]).first()
        if org is None:
            raise CommandError(f"No organisation {opts['org']!r}")
        with rls.org_scope(org):
            admin = (Membership.objects.for_org(org).filter(role_assignments__role="org_admin", is_active=True)
                     .select_related("user").first())
            if admin is None:
                raise CommandError("The organisation has no administrator to create the token as")
            made = do_create_token(org, name=f"{opts['name']} {timezone.now():%Y%m%d%H%M%S}", scopes=scopes,
                                   expires_at=timezone.now() + timedelta(days=opts["days"]), role=opts["role"],
                                   account_name=opts["name"], acting_user=admin.user)
        self.stdout.write(made.secret)
