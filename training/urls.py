from __future__ import annotations

from django.urls import path

from . import views, views_import, views_matrix, views_records

app_name = "training"

urlpatterns = [
    path("matrix/", views_matrix.matrix, name="matrix"),
    path("matrix/export/", views_matrix.matrix_export, name="matrix-export"),
    path("matrix/exports/<int:pk>/download/", views_matrix.export_download, name="export-download"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("people/add/", views.person_edit, name="person-add"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/dbs/add/", views.dbs_add, name="dbs-add"),
    path("people/<int:pk>/training/add/", views.training_add, name="training-add"),
    path("records/<int:pk>/certificate/", views.evidence, name="evidence"),
    path("dbs/<int:pk>/edit/", views_records.dbs_edit, name="dbs-edit"),
    path("records/<int:pk>/edit/", views_records.training_edit, name="training-edit"),
    path("dbs/<int:pk>/entered-in-error/", views_records.entered_in_error, {"kind": "dbs"}, name="dbs-error"),
    path("records/<int:pk>/entered-in-error/", views_records.entered_in_error, {"kind": "training"},
         name="training-error"),
    path("policy/", views.policy, name="policy"),
    path("policy/publish/", views.policy_publish, name="policy-publish"),
    path("policy/<int:pk>/document/", views.policy_document, name="policy-document"),
    path("policy/<int:pk>/sign/", views.policy_sign, name="policy-sign"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/courses/add/", views.course_add, name="course-add"),
    path("settings/job-roles/add/", views.job_role_edit, name="job-role-add"),
    path("settings/job-roles/<int:pk>/", views.job_role_edit, name="job-role-edit"),
    path("import/", views_import.import_start, name="import"),
    path("import/templates/<slug:kind>/", views_import.import_template, name="import-template"),
    path("import/<int:pk>/confirm/", views_import.import_confirm, name="import-confirm"),
]
