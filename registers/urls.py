from __future__ import annotations

from django.urls import path

from . import views, views_org

app_name = "registers"

urlpatterns = [
    path("", views.index, name="index"),
    path("access/", views_org.access, name="access"),
    path("child-protection-log/", views_org.cp_log, name="cp-log"),
    path("counts/", views_org.counts, name="counts"),
    path("<int:pk>/", views.register_detail, name="register"),
    path("<int:pk>/entries/add/", views.entry_add, name="entry-add"),
    path("from-case/<int:case_pk>/", views.entry_add_from_case, name="entry-add-from-case"),
    path("<int:pk>/child-protection/", views.child_protection, name="child-protection"),
    path("<int:pk>/reviews/", views.review_list, name="reviews"),
    path("<int:pk>/reviews/<int:year>/<int:month>/", views.review, name="review"),
    path("<int:pk>/reviews/<int:year>/<int:month>/entries/<int:entry_pk>/mark/", views.review_mark,
         name="review-mark"),
    path("<int:pk>/reviews/<int:year>/<int:month>/sign/", views.review_sign, name="review-sign"),
    path("<int:pk>/export/", views.export_start, name="export-start"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/people/add/", views.person_add, name="person-add"),
    path("entries/<int:pk>/people/<int:person_pk>/edit/", views.person_edit, name="person-edit"),
    path("entries/<int:pk>/people/<int:person_pk>/remove/", views.person_remove, name="person-remove"),
    path("entries/<int:pk>/close/", views.entry_close, name="entry-close"),
    path("entries/<int:pk>/reopen/", views.entry_reopen, name="entry-reopen"),
    path("entries/<int:pk>/updates/add/", views.update_add, name="update-add"),
]
