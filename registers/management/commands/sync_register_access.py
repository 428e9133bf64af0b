"""Make missing registers and bring every register permission in line with roles and overrides."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registers.signals import ensure_registers
from safeguard.tenancy import rls
from safeguard.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Make missing registers and sync register access for every organisation (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for org in Organisation.objects.all():
            with rls.org_scope(org):
                made = ensure_registers(org.pk)
            self.stdout.write(f"{org.slug}: {made} register(s) made, access synced")
