from __future__ import annotations

from django.urls import path

from . import views

app_name = "subject_access"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_add, name="add"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/change/", views.request_edit, name="edit"),
    path("<int:pk>/find/", views.find_records, name="find"),
    path("<int:pk>/found/<int:found_pk>/", views.found_record, name="found"),
    path(
        "<int:pk>/found/<int:found_pk>/redactions/<int:redaction_pk>/remove/",
        views.remove_redaction,
        name="remove-redaction",
    ),
    path("<int:pk>/pack/", views.make_pack, name="pack"),
    path("<int:pk>/pack/<int:job_pk>/download/", views.download_pack, name="download"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/rectify/", views.rectify, name="rectify"),
]
