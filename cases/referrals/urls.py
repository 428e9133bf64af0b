"""Mounted under /cases/ before the cases app's own URLs."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("<int:case_pk>/referrals/", views.case_page, name="case"),
    path("<int:case_pk>/referrals/new/", views.referral_new, name="referral-new"),
    path("<int:case_pk>/consent/new/", views.consent_new, name="consent-new"),
    path("<int:case_pk>/dash/new/", views.dash_new, name="dash-new"),
    path("<int:case_pk>/other-cases/<int:other_pk>/request-access/", views.request_access, name="request-access"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/made/", views.referral_made, name="referral-made"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral-outcome"),
    path("referrals/report/", views.report, name="report"),
    path("referrals/privacy/", views.privacy_queue, name="privacy-queue"),
    path("referrals/privacy/decisions/", views.privacy_decisions, name="privacy-decisions"),
    path("referrals/privacy/<int:pk>/", views.privacy_review, name="privacy-review"),
    path("referrals/access-requests/", views.access_requests, name="access-requests"),
    path("referrals/access-requests/<int:pk>/", views.access_request, name="access-request"),
]
