from __future__ import annotations

from django.urls import path

from .views import audits, home, imports, records, workplan

app_name = "governance"

urlpatterns = [
    path("", home.home, name="home"),
    path("audits/", audits.round_list, name="audits"),
    path("audits/start/", audits.round_start, name="audit-start"),
    path("audits/checklist/", audits.checklist, name="audit-checklist"),
    path("audits/checklist/add/", audits.question_add, name="audit-question-add"),
    path("audits/checklist/<int:pk>/", audits.question_edit, name="audit-question"),
    path("audits/<int:pk>/", audits.round_detail, name="audit-round"),
    path("audits/<int:pk>/finish/", audits.round_close, name="audit-round-close"),
    path("audited-cases/<int:pk>/", audits.audited_case, name="audited-case"),
    path("work-plan/print/", workplan.workplan_print, name="workplan-print"),
    # Imports of policies, the work plan and suppliers (issue 9, item 10).
    path("import/<slug:slug>/", imports.import_start, name="import"),
    path("import/<slug:slug>/template/", imports.import_template, name="import-template"),
    path("import/job/<int:pk>/confirm/", imports.import_confirm, name="import-confirm"),
    *records.kind_urls(),
]
