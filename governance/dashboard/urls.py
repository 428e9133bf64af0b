from __future__ import annotations

from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("commentary/", views.commentary, name="commentary"),
    path("rag-settings/", views.rag_settings, name="rag-settings"),
    path("reports/", views.reports, name="reports"),
    path("equality/", views.equality, name="equality"),
    path("equality/case/<int:case_pk>/person/<int:person_pk>/", views.equality_person, name="equality-person"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report-download"),
]
