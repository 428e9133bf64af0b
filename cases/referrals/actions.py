"""Every change to referrals, consent, DASH, privacy reviews and access requests.

Each ``do_<verb>`` is atomic and writes history (simple-history), the audit log
where access changes, and notifications in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.actions import do_grant_access
from cases.models import Case, CasePerson, PersonType
from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import StaleEditError, lock_for_edit
from safeguard.tenancy.members import role_holders
from safeguard.tenancy.models import User
from safeguard.tenancy.notifications import notify
from safeguard.tenancy.roles import Role

from .models import (
    DASH_QUESTIONS,
    AccessRequest,
    Consent,
    ConsentStatus,
    DashAssessment,
    MaracPrompt,
    Outcome,
    PrivacyReview,
    Referral,
)
from .policy.deadlines import alert_due_by, response_due_by
from .policy.marac import REPEAT_THRESHOLD, marac_prompt_due

if TYPE_CHECKING:
    pass


# Someone else changed the record since the form was opened.
StaleEdit = StaleEditError


class ConsentOverrideMissing(Exception):
    """A referral without consent needs a lawful basis and a reason."""


def case_url(case: Case) -> str:
    return reverse("referrals:case", args=[case.pk])


DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


def _recent_duplicate(case: Case, related: Any, user: User, **fields: Any) -> Any:
    """The same record by the same person moments ago (a double submit), or None.

    The case row is locked first, so two identical submissions one after the other
    see each other and make one record.
    """
    Case.objects.for_org(case.organisation_id).select_for_update().filter(pk=case.pk).first()
    since = timezone.now() - DOUBLE_SUBMIT_WINDOW
    return related.filter(recorded_by=user, recorded_at__gte=since, **fields).order_by("-pk").first()


# --- consent -----------------------------------------------------------------------------------


@dataclass
class ConsentData:
    status: str
    decided_on: date
    capacity: str
    capacity_notes: str = ""
    parents_told: str = ""
    parents_not_told_reason: str = ""
    notes: str = ""


@transaction.atomic
def do_record_consent(case: Case, person: CasePerson, data: ConsentData, *, acting_user: User) -> Consent:
    if person.case_id != case.pk:
        raise ValueError("the person is not on this case")
    is_child = person.person_type in (PersonType.CHILD, PersonType.UNBORN)
    duplicate = _recent_duplicate(case, case.consents, acting_user, person=person, status=data.status,
                                  decided_on=data.decided_on, capacity=data.capacity, notes=data.notes)
    if duplicate is not None:
        return duplicate
    return Consent.objects.create(
        organisation_id=case.organisation_id, case=case, person=person, status=data.status,
        decided_on=data.decided_on, capacity=data.capacity, capacity_notes=data.capacity_notes,
        parents_told=data.parents_told if is_child else "",
        parents_not_told_reason=data.parents_not_told_reason if is_child else "",
        notes=data.notes, recorded_by=acting_user,
    )


def latest_consents(case: Case) -> dict[int, Consent]:
    """Person id -> the latest consent recorded for them on this case (one query)."""
    latest: dict[int, Consent] = {}
    for consent in case.consents.order_by("person_id", "-recorded_at", "-pk").distinct("person_id"):
        latest[consent.person_id] = consent
    return latest


def consent_gaps(case: Case, person: CasePerson | None) -> list[CasePerson]:
    """The people a referral would be about whose latest consent is not "given"."""
    people = [person] if person is not None else list(case.people.all())
    latest = latest_consents(case)
    return [p for p in people if latest.get(p.pk) is None or latest[p.pk].status != ConsentStatus.GIVEN]


# --- referrals ---------------------------------------------------------------------------------


@dataclass
class ReferralData:
    agency: str
    reason: str
    decided_on: date
    person: CasePerson | None = None
    agency_name: str = ""
    made_on: date | None = None
    agency_reference: str = ""
    override_basis: str = ""
    override_reason: str = ""


@transaction.atomic
def do_record_referral(case: Case, data: ReferralData, *, acting_user: User) -> Referral:
    """Record the decision to refer (and, if already done, that it was made).

    Without consent from everyone it is about, the officer must give the lawful
    basis and reason; the referral then goes to the Data Privacy Manager's queue.
    """
    if data.person is not None and data.person.case_id != case.pk:
        raise ValueError("the person is not on this case")
    org = case.organisation
    gaps = consent_gaps(case, data.person)
    if gaps and not (data.override_basis and data.override_reason.strip()):
        raise ConsentOverrideMissing
    duplicate = _recent_duplicate(case, case.referrals, acting_user, agency=data.agency, person=data.person,
                                  reason=data.reason, decided_on=data.decided_on)
    if duplicate is not None:
        return duplicate
    latest = latest_consents(case)
    referral = Referral(
        organisation=org, case=case, person=data.person, agency=data.agency, agency_name=data.agency_name,
        reason=data.reason, decided_on=data.decided_on,
        due_by=alert_due_by(org, data.decided_on),
        consent=latest.get(data.person.pk) if data.person else None, without_consent=bool(gaps),
        override_basis=data.override_basis if gaps else "", override_reason=data.override_reason if gaps else "",
        recorded_by=acting_user,
    )
    if data.made_on is not None:
        _set_made(referral, data.made_on, data.agency_reference, acting_user)
    referral.save()
    if gaps:
        _open_privacy_review(referral)
    return referral


def _set_made(referral: Referral, made_on: date, agency_reference: str, user: User) -> None:
    referral.made_on = made_on
    referral.made_by = user
    referral.agency_reference = agency_reference
    referral.response_due_by = response_due_by(referral.case.organisation, made_on)


def _open_privacy_review(referral: Referral) -> PrivacyReview:
    review = PrivacyReview.objects.create(organisation_id=referral.organisation_id, referral=referral)
    case = referral.case
    notify(org=case.organisation, recipients=role_holders(case.organisation, Role.DATA_PRIVACY_MANAGER),
           kind="referral.privacy_review",
           title=f"Referral to {referral.agency_name or referral.get_agency_display()} without consent on case "
                 f"{case.reference}: review whether sharing was justified",
           url=reverse("referrals:privacy-review", args=[review.pk]), dedupe_key=f"privacy-review:{review.pk}")
    return review


def _locked(referral: Referral, version: int) -> Referral:
    fresh = lock_for_edit(Referral.objects.for_org(referral.organisation_id).select_related("case__organisation"),
                          referral.pk, version)
    fresh.version += 1
    return fresh


@transaction.atomic
def do_mark_made(referral: Referral, *, made_on: date, agency_reference: str, version: int,
                 acting_user: User) -> Referral:
    fresh = _locked(referral, version)
    if fresh.made_on is not None:
        raise StaleEdit
    _set_made(fresh, made_on, agency_reference, acting_user)
    fresh.save()
    return fresh


@transaction.atomic
def do_record_outcome(referral: Referral, *, outcome: str, response_on: date | None, notes: str, version: int,
                      acting_user: User) -> Referral:
    fresh = _locked(referral, version)
    if fresh.made_on is None:
        raise ValueError("record that the referral was made first")
    fresh.outcome = outcome
    fresh.response_on = response_on if outcome != Outcome.NO_RESPONSE else None
    fresh.outcome_notes = notes
    fresh.outcome_recorded_by = acting_user
    fresh.save()
    return fresh


@transaction.atomic
def do_review_privacy(review: PrivacyReview, *, decision: str, notes: str, acting_user: User) -> PrivacyReview:
    fresh = PrivacyReview.objects.for_org(review.organisation_id).select_for_update(of=("self",)).select_related(
        "referral__case__organisation").get(pk=review.pk)
    if fresh.decision != PrivacyReview.Decision.PENDING:
        raise StaleEdit
    fresh.decision, fresh.notes = decision, notes
    fresh.decided_by, fresh.decided_at = acting_user, timezone.now()
    fresh.save()
    case = fresh.referral.case
    notify(org=case.organisation, recipients=[fresh.referral.recorded_by_id], kind="referral.privacy_decision",
           title=f"The Data Privacy Manager decided on the referral for case {case.reference}: read the decision",
           app_title=f"{acting_user.full_name} (Data Privacy Manager) decided on the referral for case "
                     f"{case.reference}: read the decision",
           url=reverse("referrals:referral", args=[fresh.referral_id]))
    return fresh


# --- DASH and MARAC ----------------------------------------------------------------------------


@transaction.atomic
def do_record_dash(case: Case, *, assessed_on: date, person: CasePerson | None = None,
                   answers: list[bool] | None = None, total: int | None = None, notes: str = "",
                   acting_user: User) -> DashAssessment:
    """Score from the 24 answers, or take a total from an assessment done elsewhere."""
    if answers is not None and len(answers) != DASH_QUESTIONS:
        raise ValueError("a DASH assessment has 24 questions")
    score = sum(bool(a) for a in answers) if answers is not None else total
    if score is None or not 0 <= score <= DASH_QUESTIONS:
        raise ValueError("a DASH score is between 0 and 24")
    duplicate = _recent_duplicate(case, case.dash_assessments, acting_user, person=person, assessed_on=assessed_on,
                                  score=score, notes=notes)
    if duplicate is not None:
        return duplicate
    dash = DashAssessment.objects.create(
        organisation_id=case.organisation_id, case=case, person=person, assessed_on=assessed_on,
        answers=[bool(a) for a in answers] if answers is not None else [], score=score, notes=notes,
        recorded_by=acting_user,
    )
    if dash.is_high_risk:
        raise_marac_prompt(case, MaracPrompt.Reason.HIGH_DASH, f"DASH score {score} on {assessed_on:%d %b %Y}")
    return dash


def raise_marac_prompt(case: Case, reason: str, detail: str = "") -> MaracPrompt:
    """Record the prompt (once per case and reason) and tell the officer (once)."""
    prompt, _ = MaracPrompt.objects.for_org(case.organisation_id).get_or_create(
        case=case, reason=reason, defaults={"organisation_id": case.organisation_id, "detail": detail})
    notify_marac_prompt(case)
    return prompt


def notify_marac_prompt(case: Case) -> None:
    if case.allocated_to_id is None or not marac_prompt_due(case):
        return
    notify(org=case.organisation, recipients=[case.allocated_to_id], kind="referral.marac_prompt",
           title=f"Case {case.reference}: consider a MARAC referral", url=case_url(case),
           dedupe_key=f"marac-prompt:{case.pk}")


def check_repeat_concerns(case: Case) -> MaracPrompt | None:
    """Prompt a MARAC referral when someone on the case has a third concern within 12 months."""
    from .matching import repeat_concern_count

    for person in case.people.all():
        count = repeat_concern_count(case, person)
        if count >= REPEAT_THRESHOLD:
            return raise_marac_prompt(case, MaracPrompt.Reason.REPEAT, f"{count} concerns in 12 months")
    return None


# --- access to restricted cases ----------------------------------------------------------------


@transaction.atomic
def do_request_access(target: Case, *, from_case: Case, reason: str, acting_user: User) -> AccessRequest:
    existing = AccessRequest.objects.for_org(target.organisation_id).filter(
        case=target, requested_by=acting_user, status=AccessRequest.Status.PENDING).first()
    if existing is not None:
        return existing
    request = AccessRequest.objects.create(organisation_id=target.organisation_id, case=target,
                                           from_case=from_case, requested_by=acting_user, reason=reason)
    notify(org=target.organisation,
           recipients=[u for u in role_holders(target.organisation, Role.SAFEGUARDING_MANAGER) if u != acting_user.pk],
           kind="referral.access_request",
           title=f"Request to see restricted case {target.reference}: grant or refuse it",
           app_title=f"{acting_user.full_name} asks to see restricted case {target.reference}: grant or refuse it",
           url=reverse("referrals:access-request", args=[request.pk]), dedupe_key=f"access-request:{request.pk}")
    audit.record(org=target.organisation, actor=acting_user, action="case.access_requested", obj=target)
    return request


@transaction.atomic
def do_decide_access(request: AccessRequest, *, grant: bool, notes: str, acting_user: User) -> AccessRequest:
    fresh = AccessRequest.objects.for_org(request.organisation_id).select_for_update(of=("self",)).select_related(
        "case__organisation", "requested_by").get(pk=request.pk)
    if fresh.status != AccessRequest.Status.PENDING:
        raise StaleEdit
    fresh.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    fresh.decision_notes, fresh.decided_by, fresh.decided_at = notes, acting_user, timezone.now()
    fresh.save()
    case = fresh.case
    audit.record(org=case.organisation, actor=acting_user, action="case.access_decided", obj=case,
                 request=fresh.pk, granted=grant)
    if grant:  # the cases app records the grant, audits it and tells the person
        do_grant_access(case, user=fresh.requested_by, reason=f"Access request: {fresh.reason}", can_edit=False,
                        acting_user=acting_user)
    else:
        notify(org=case.organisation, recipients=[fresh.requested_by_id], kind="referral.access_decision",
               title=f"Your request to see case {case.reference} was refused: read the reason",
               url=reverse("referrals:case", args=[fresh.from_case_id]))
    return fresh
