from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

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
    path("privacy/", include("governance.privacy.urls")),  # issue 14: retention and legal holds
    path("jobs/", include("safeguard.background.urls")),
    path("", include("safeguard.tenancy.urls")),
]

handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
