from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("organisation/single-sign-on/", views.sso_settings, name="sso-settings"),
    path("organisation/single-sign-on/test/", views.sso_test, name="sso-test"),
    path("sso/find/", views.sso_find, name="sso-find"),
    path("sso/callback/", views.sso_callback, name="sso-callback"),
    path("sso/<slug:slug>/start/", views.sso_start, name="sso-start"),
]
