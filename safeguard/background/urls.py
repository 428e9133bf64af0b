from __future__ import annotations

from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
]
