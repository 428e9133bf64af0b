from __future__ import annotations

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "safeguard.background"
    label = "background"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's background_jobs.py registers its kinds of job (register_kind).
        autodiscover_modules("background_jobs")
