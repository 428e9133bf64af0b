from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from safeguard.api import views as api_views
from safeguard.api.endpoints import api

admin.site.site_header = "Safeguard platform administration"
admin.site.site_title = "Safeguard admin"

urlpatterns = [
    path("platform-admin/", admin.site.urls),
    path("referrals/", include("cases.referrals.urls")),
    path("cases/", include("cases.urls")),
    path("registers/", include("registers.urls")),
    path("training/", include("training.urls")),
    path("governance/", include("governance.urls")),
    path("board/", include("governance.dashboard.urls")),  # issue 10: board dashboard
    path("subject-access/", include("governance.subject_access.urls")),  # issue 14: requests of data subjects
    path("privacy/", include("governance.privacy.urls")),  # issue 14: retention and legal holds
    path("jobs/", include("safeguard.background.urls")),
    path("organisation/api/", include("safeguard.api.urls")),  # issue 13: API tokens and webhooks
    path("api/v1/docs/", api_views.docs, name="api-docs"),
    path("api/v1/", api.urls),
    path("", include("safeguard.sso.urls")),  # issue 13: single sign-on
    path("", include("safeguard.tenancy.urls")),
]

handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
