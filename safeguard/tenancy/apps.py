from __future__ import annotations

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "safeguard.tenancy"
    label = "tenancy"
    verbose_name = "Organisations and people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import panels

        panels.register()
        # Each app's ui.py registers its navigation and home panels; jobs.py its daily flag jobs.
        autodiscover_modules("ui")
        autodiscover_modules("jobs")
