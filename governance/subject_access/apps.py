from __future__ import annotations

from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    """Subject access, rectification and erasure requests (issue 14 items 4 and 5), for the Data Privacy Manager."""

    name = "governance.subject_access"
    label = "subject_access"
    verbose_name = "Subject access requests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import jobs, ui  # noqa: F401 - daily flags, navigation and the home panel
