from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cases.referrals"
    label = "referrals"
    verbose_name = "Referrals, consent and risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the MARAC repeat-concern check)
