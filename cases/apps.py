from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from safeguard.tenancy.models import Organisation

        from .setup import on_organisation_saved

        post_save.connect(on_organisation_saved, sender=Organisation, dispatch_uid="cases_org_defaults")
