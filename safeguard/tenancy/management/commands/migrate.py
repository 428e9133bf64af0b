"""``migrate`` as the login role (owner of the tables), never under row-level security."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from safeguard.tenancy import rls


class Command(MigrateCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        with rls.as_owner():
            return super().execute(*args, **options)
