"""Make the register of every area that already exists (access is synced by seed_demo / sync_register_access)."""

from __future__ import annotations

from django.db import migrations


def make_registers(apps, schema_editor):
    Area = apps.get_model("tenancy", "Area")
    Register = apps.get_model("registers", "Register")
    have = set(Register._base_manager.values_list("area_id", flat=True))
    Register._base_manager.bulk_create(
        [Register(organisation_id=a.organisation_id, area_id=a.pk)
         for a in Area._base_manager.all() if a.pk not in have]
    )


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]
    operations = [migrations.RunPython(make_registers, migrations.RunPython.noop)]
