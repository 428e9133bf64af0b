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
        # Row-level security: each connection starts with no organisation; policies after migrate.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import rls

        connection_created.connect(rls.on_connection_created, dispatch_uid="safeguard_rls_connection")
        post_migrate.connect(rls.apply_policies, dispatch_uid="safeguard_rls_policies")
        # The idle time-out starts at sign-in (the session is saved then), not at the first page after it.
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_seen_at_sign_in

        user_logged_in.connect(session_seen_at_sign_in, dispatch_uid="safeguard_session_seen")
        # Each app's ui.py registers its navigation and home panels; jobs.py its daily flag jobs.
        autodiscover_modules("ui")
        autodiscover_modules("jobs")
