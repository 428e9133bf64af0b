"""Pages for referrals, consent, DASH, the Data Privacy Manager's queue, the
referral outcomes report and requests to see a restricted case.

Case pages start from ``cases.access.access_case`` (another organisation's or
an invisible case is a 404; a visible case the person may not change is a 403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access import access_case
from cases.policy.visibility import can_write
from safeguard.tenancy import audit
from safeguard.tenancy.access import OrgRequest, member_required, role_required
from safeguard.tenancy.models import Area
from safeguard.tenancy.paging import capped_page
from safeguard.tenancy.roles import Role

from . import actions, selectors
from .forms import (
    AccessDecisionForm,
    AccessRequestForm,
    ConsentForm,
    DashForm,
    MadeForm,
    OutcomeForm,
    PeriodForm,
    PrivacyDecisionForm,
    ReferralForm,
)
from .matching import other_cases
from .models import AccessRequest, PrivacyReview, Referral

PRIVACY_ROLES = (Role.DATA_PRIVACY_MANAGER, Role.SAFEGUARDING_MANAGER)
REPORT_ROLES = (Role.SAFEGUARDING_MANAGER, Role.CASE_MANAGER, Role.DATA_PRIVACY_MANAGER)
PER_PAGE = 25

STALE = "Someone else changed this referral while you were working on it. Check it below and try again."


@member_required
def case_page(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = access_case(request, case_pk)
    audit.record(org=request.org, actor=request.user, action="case.viewed", obj=case, page="referrals")
    return render(request, "referrals/case.html", selectors.case_context(case, request.membership))


@member_required
def consent_new(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = access_case(request, case_pk, write=True)
    form = ConsentForm(request.POST or None, case=case, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_record_consent(case, data["person"], actions.ConsentData(
            status=data["status"], decided_on=data["decided_on"], capacity=data["capacity"],
            capacity_notes=data["capacity_notes"], parents_told=data["parents_told"],
            parents_not_told_reason=data["parents_not_told_reason"], notes=data["notes"],
        ), acting_user=request.user)
        messages.success(request, "Consent recorded")
        return redirect("referrals:case", case.pk)
    return render(request, "referrals/form.html", {"case": case, "form": form, "title": "Record consent and capacity"})


@member_required
def referral_new(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = access_case(request, case_pk, write=True)
    missing = actions.consent_gaps(case, None)
    form = ReferralForm(request.POST or None, case=case, consent_missing_for=missing,
                        initial={"agency": request.GET.get("agency", ""), "decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = actions.do_record_referral(case, actions.ReferralData(
            agency=data["agency"], reason=data["reason"], decided_on=data["decided_on"], person=data["person"],
            agency_name=data["agency_name"], made_on=data["made_on"], agency_reference=data["agency_reference"],
            override_basis=data["override_basis"], override_reason=data["override_reason"],
        ), acting_user=request.user)
        note = " It has gone to the Data Privacy Manager to review." if referral.without_consent else ""
        messages.success(request, f"Referral recorded. It is due by {referral.due_by:%-d %B %Y}.{note}")
        return redirect("referrals:referral", referral.pk)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form, "missing": missing})


@member_required
def dash_new(request: OrgRequest, case_pk: int) -> HttpResponse:
    case = access_case(request, case_pk, write=True)
    form = DashForm(request.POST or None, case=case, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dash = actions.do_record_dash(case, assessed_on=data["assessed_on"], person=data["person"],
                                      answers=form.answers(), total=data["total"], notes=data["notes"],
                                      acting_user=request.user)
        extra = " This is high risk: consider a MARAC referral." if dash.is_high_risk else ""
        messages.success(request, f"DASH assessment recorded with a score of {dash.score}.{extra}")
        return redirect("referrals:case", case.pk)
    return render(request, "referrals/form.html", {"case": case, "form": form, "title": "Record a DASH risk assessment"})


def _referral(request: OrgRequest, pk: int) -> Referral:
    qs = selectors.visible_referrals(request.org, request.membership).select_related(
        "case__organisation", "case__area", "person", "recorded_by", "made_by", "privacy_review__decided_by")
    return get_object_or_404(qs, pk=pk)


def _referral_page(request: OrgRequest, referral: Referral, **forms: Any) -> HttpResponse:
    writable = can_write(referral.case, request.membership)
    context = {
        "referral": referral, "case": referral.case, "can_write": writable,
        "changes": list(referral.history.select_related("history_user").order_by("-history_date", "-history_id")),
        "made_form": forms.get("made_form") or MadeForm(initial={"version": referral.version},
                                                        decided_on=referral.decided_on),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(initial={"version": referral.version},
                                                                 made_on=referral.made_on),
    }
    context["made_form"].helper.form_action = reverse("referrals:referral-made", args=[referral.pk])  # type: ignore[union-attr]
    context["outcome_form"].helper.form_action = reverse("referrals:referral-outcome", args=[referral.pk])  # type: ignore[union-attr]
    return render(request, "referrals/referral.html", context)


@member_required
def referral_detail(request: OrgRequest, pk: int) -> HttpResponse:
    return _referral_page(request, _referral(request, pk))


@require_POST
@member_required
def referral_made(request: OrgRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    access_case(request, referral.case_id, write=True)
    form = MadeForm(request.POST, decided_on=referral.decided_on)
    if not form.is_valid():
        return _referral_page(request, referral, made_form=form)
    try:
        actions.do_mark_made(referral, made_on=form.cleaned_data["made_on"],
                             agency_reference=form.cleaned_data["agency_reference"],
                             version=form.cleaned_data["version"], acting_user=request.user)
    except actions.StaleEdit:
        messages.error(request, STALE)
        return redirect("referrals:referral", referral.pk)
    messages.success(request, "Recorded that the referral was made")
    return redirect("referrals:referral", referral.pk)


@require_POST
@member_required
def referral_outcome(request: OrgRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    access_case(request, referral.case_id, write=True)
    form = OutcomeForm(request.POST, made_on=referral.made_on)
    if referral.made_on is None:
        form.add_error(None, "Record that the referral was made before its outcome")
    if not form.is_valid():
        return _referral_page(request, referral, outcome_form=form)
    try:
        actions.do_record_outcome(referral, outcome=form.cleaned_data["outcome"],
                                  response_on=form.cleaned_data["response_on"], notes=form.cleaned_data["notes"],
                                  version=form.cleaned_data["version"], acting_user=request.user)
    except actions.StaleEdit:
        messages.error(request, STALE)
        return redirect("referrals:referral", referral.pk)
    messages.success(request, "Outcome recorded")
    return redirect("referrals:referral", referral.pk)


@role_required(*REPORT_ROLES)
def report(request: OrgRequest) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    # Areas prefetched, not joined (docs/ENGINEERING.md, "Pages at a million cases"); a capped count.
    referrals = period.filter(selectors.visible_referrals(request.org, request.membership)).select_related(
        "case").prefetch_related(Prefetch("case__area", queryset=Area.objects.for_org(request.org))
                                 ).order_by("-decided_on", "-pk")
    page = capped_page(referrals, PER_PAGE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "referrals/report.html", {
        "rows": selectors.outcomes_by_authority(request.org, period), "page_obj": page, "form": period,
        "query_string": query.urlencode(),
    })


@role_required(*PRIVACY_ROLES)
def privacy_queue(request: OrgRequest) -> HttpResponse:
    qs = selectors.privacy_queue(request.org, request.membership).filter(decision=PrivacyReview.Decision.PENDING)
    page = Paginator(qs.order_by("created_at", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "referrals/privacy_queue.html", {"page_obj": page})


@role_required(*PRIVACY_ROLES)
def privacy_decisions(request: OrgRequest) -> HttpResponse:
    decision = request.GET.get("decision", "")
    period = PeriodForm(request.GET or None)
    qs = selectors.privacy_queue(request.org, request.membership).exclude(decision=PrivacyReview.Decision.PENDING)
    if decision in (PrivacyReview.Decision.APPROPRIATE, PrivacyReview.Decision.NOT_APPROPRIATE):
        qs = qs.filter(decision=decision)
    qs = period.filter(qs, field="decided_at__date")
    page = Paginator(qs.order_by("-decided_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "referrals/privacy_decisions.html", {
        "page_obj": page, "decision": decision, "form": period, "query_string": query.urlencode(),
        "counts": selectors.privacy_decision_counts(request.org, request.membership, period),
    })


@role_required(*PRIVACY_ROLES)
def privacy_review(request: OrgRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(selectors.privacy_queue(request.org, request.membership), pk=pk)
    audit.record(org=request.org, actor=request.user, action="referral.privacy_review_viewed", obj=review)
    form = PrivacyDecisionForm(request.POST or None)
    if request.method == "POST" and review.decision != PrivacyReview.Decision.PENDING:
        messages.error(request, "This referral has already been reviewed.")
        return redirect("referrals:privacy-review", review.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_review_privacy(review, decision=form.cleaned_data["decision"],
                                      notes=form.cleaned_data["notes"], acting_user=request.user)
        except actions.StaleEdit:
            messages.error(request, "Someone else reviewed this referral while you were working on it.")
            return redirect("referrals:privacy-review", review.pk)
        messages.success(request, f"Decision recorded for the referral on case {review.referral.case.reference}")
        return redirect("referrals:privacy-queue")
    return render(request, "referrals/privacy_review.html", {"review": review, "form": form})


@member_required
def request_access(request: OrgRequest, case_pk: int, other_pk: int) -> HttpResponse:
    case = access_case(request, case_pk)
    match = next((o for o in other_cases(case, list(case.people.all()), request.membership)
                  if o.case.pk == other_pk and not o.visible), None)
    if match is None:
        raise Http404("No restricted case about the same person")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_request_access(match.case, from_case=case, reason=form.cleaned_data["reason"],
                                  acting_user=request.user)
        messages.success(request, "Your request has been sent to the Safeguarding Manager")
        return redirect("referrals:case", case.pk)
    return render(request, "referrals/request_access.html", {"case": case, "form": form, "match": match})


def _access_requests(request: OrgRequest) -> Any:
    return AccessRequest.objects.for_org(request.org).filter(case__is_colleague_allegation=False).select_related(
        "case", "from_case", "requested_by", "decided_by")


@role_required(Role.SAFEGUARDING_MANAGER)
def access_requests(request: OrgRequest) -> HttpResponse:
    qs = _access_requests(request)
    pending = list(qs.filter(status=AccessRequest.Status.PENDING).order_by("requested_at", "pk"))
    decided = Paginator(qs.exclude(status=AccessRequest.Status.PENDING).order_by("-decided_at", "-pk"),
                        PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "referrals/access_requests.html", {"pending": pending, "page_obj": decided})


@role_required(Role.SAFEGUARDING_MANAGER)
def access_request(request: OrgRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(_access_requests(request), pk=pk)
    form = AccessDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_decide_access(access, grant=form.cleaned_data["decision"] == "grant",
                                     notes=form.cleaned_data["notes"], acting_user=request.user)
        except actions.StaleEdit:
            messages.error(request, "This request has already been decided.")
            return redirect("referrals:access-request", access.pk)
        messages.success(request, "Decision recorded")
        return redirect("referrals:access-requests")
    return render(request, "referrals/access_request.html", {"access": access, "form": form})
