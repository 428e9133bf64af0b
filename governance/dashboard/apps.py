from __future__ import annotations

from django.apps import AppConfig


class BoardConfig(AppConfig):
    """The board dashboard: the RAG rating, indicators, charts and the reports of issue 10."""

    name = "governance.dashboard"
    label = "board"
    verbose_name = "Board dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import jobs, ui  # noqa: F401 - daily job and navigation
