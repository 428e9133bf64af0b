from __future__ import annotations

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.find_cases, name="list"),
    path("mine/", views.my_cases, name="mine"),
    path("to-allocate/", views.triage, name="triage"),
    path("report/", views.report_concern, name="report"),
    path("viewing-log/", views.viewing_log, name="viewing-log"),
    path("lists/", views.org_lists, name="lists"),
    path("lists/<str:kind>/<int:item_pk>/toggle/", views.toggle_list_item, name="toggle-list-item"),
    path("<int:pk>/received/", views.received, name="received"),
    path("<int:pk>/received/addendum/", views.report_addendum, name="report-addendum"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/chronology/", views.chronology, name="chronology"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/viewed-by/", views.viewers, name="viewers"),
    path("<int:pk>/people/new/", views.add_person, name="add-person"),
    path("<int:pk>/actions/new/", views.add_action, name="add-action"),
    path("<int:pk>/actions/<int:action_pk>/addendum/", views.action_addendum, name="action-addendum"),
    path("<int:pk>/files/new/", views.add_attachment, name="add-attachment"),
    path("<int:pk>/files/<int:file_pk>/", views.download_attachment, name="attachment"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/details/", views.edit_details, name="edit-details"),
    path("<int:pk>/close/", views.request_closure, name="request-closure"),
    path("<int:pk>/closure/", views.closure_decision, name="closure"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/access/", views.access_grants, name="access"),
    path("<int:pk>/access/<int:grant_pk>/remove/", views.revoke_grant, name="revoke-access"),
]
