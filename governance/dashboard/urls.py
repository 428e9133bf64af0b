from __future__ import annotations

from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("commentary/", views.commentary, name="commentary"),
    path("rag-settings/", views.rag_settings, name="rag-settings"),
]
