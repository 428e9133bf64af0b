from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("review/", views.queue, name="queue"),
    path("kept/", views.kept, name="kept"),
    path("destroyed/", views.destroyed, name="destroyed"),
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.hold_add, name="hold-add"),
    path("holds/<int:pk>/", views.hold_detail, name="hold"),
    path("delegates/", views.delegates, name="delegates"),
    path("delegates/<int:pk>/remove/", views.delegate_remove, name="delegate-remove"),
]
