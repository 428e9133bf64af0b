from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeguard.api"
    label = "api"
    verbose_name = "REST API: tokens and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
