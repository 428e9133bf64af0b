"""Mounted at /referrals/: a case's referrals, consent and risk under case/<id>/, and the
organisation-wide pages (outcomes report, privacy queue, access requests)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("case/<int:case_pk>/", views.case_page, name="case"),
    path("case/<int:case_pk>/new/", views.referral_new, name="referral-new"),
    path("case/<int:case_pk>/consent/new/", views.consent_new, name="consent-new"),
    path("case/<int:case_pk>/dash/new/", views.dash_new, name="dash-new"),
    path("case/<int:case_pk>/other-cases/<int:other_pk>/request-access/", views.request_access,
         name="request-access"),
    path("<int:pk>/", views.referral_detail, name="referral"),
    path("<int:pk>/made/", views.referral_made, name="referral-made"),
    path("<int:pk>/outcome/", views.referral_outcome, name="referral-outcome"),
    path("report/", views.report, name="report"),
    path("privacy/", views.privacy_queue, name="privacy-queue"),
    path("privacy/decisions/", views.privacy_decisions, name="privacy-decisions"),
    path("privacy/<int:pk>/", views.privacy_review, name="privacy-review"),
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/<int:pk>/", views.access_request, name="access-request"),
]
