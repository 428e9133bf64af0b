"""``flush`` (used by transactional tests) as the login role: TRUNCATE is the owner's, not the app's."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from safeguard.tenancy import rls


class Command(FlushCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        with rls.as_owner():
            return super().execute(*args, **options)
