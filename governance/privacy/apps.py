from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data protection over a record's life: the retention schedule, the destruction review queue, legal holds."""

    name = "governance.privacy"
    label = "privacy"
    verbose_name = "Data privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import jobs, ui  # noqa: F401 - daily job and navigation
