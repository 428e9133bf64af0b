"""The case chronology's entries for referrals, consent, DASH, MARAC prompts and privacy decisions."""

from __future__ import annotations

from django.utils.text import capfirst

from cases.chronology import ChronologyEntry, register
from cases.models import Case

from .models import Outcome


def _referral_entries(case: Case) -> list[ChronologyEntry]:
    entries: list[ChronologyEntry] = []
    referrals = case.referrals.select_related("person", "recorded_by", "made_by", "outcome_recorded_by",
                                              "privacy_review__decided_by")
    for r in referrals:
        to = r.get_agency_display() + (f" ({r.agency_name})" if r.agency_name else "")
        consent = (f"Without consent. Lawful basis: {r.get_override_basis_display()}. Reason: {r.override_reason}"
                   if r.without_consent else "Consent given")
        entries.append(ChronologyEntry(r.decided_on, "Decision to refer", f"To {to}: {r.reason}", r.recorded_by,
                                       detail=f"To be made by {r.due_by:%-d %B %Y}. {consent}"))
        if r.made_on:
            ref = f" Their reference: {r.agency_reference}." if r.agency_reference else ""
            entries.append(ChronologyEntry(r.made_on, "Referral made", f"To {to}.{ref}", r.made_by))
        if r.outcome != Outcome.AWAITING:
            n = r.response_days
            days = f" after {n} day{'' if n == 1 else 's'}" if n is not None else ""
            entries.append(ChronologyEntry(r.response_on or r.made_on or r.decided_on, "Referral outcome",
                                           f"{to}: {r.get_outcome_display()}{days}. {r.outcome_notes}".strip(),
                                           r.outcome_recorded_by))
        review = getattr(r, "privacy_review", None)
        if review is not None and review.decided_at:
            entries.append(ChronologyEntry(review.decided_at, "Data Privacy Manager's decision",
                                           f"Referral to {to} without consent: {review.get_decision_display()}. "
                                           f"{review.notes}".strip(), review.decided_by))
    return entries


@register
def referral_chronology(case: Case) -> list[ChronologyEntry]:
    entries = _referral_entries(case)
    for c in case.consents.select_related("person", "recorded_by"):
        told = {"yes": " Parents or carers told.", "no": f" Parents or carers not told: {c.parents_not_told_reason}"}
        entries.append(ChronologyEntry(
            c.decided_on, "Consent and capacity",
            f"{c.person.full_name}: consent {c.get_status_display().lower()}; {c.get_capacity_display().lower()}."
            f"{told.get(c.parents_told, '')}", c.recorded_by,
            detail=" ".join(x for x in (c.capacity_notes, c.notes) if x)))
    for d in case.dash_assessments.select_related("person", "recorded_by"):
        who = f" for {d.person.full_name}" if d.person else ""
        high = " (high risk)" if d.is_high_risk else ""
        entries.append(ChronologyEntry(d.assessed_on, "DASH risk assessment", f"Score {d.score} of 24{high}{who}.",
                                       d.recorded_by, detail=d.notes))
    for p in case.marac_prompts.all():
        entries.append(ChronologyEntry(p.raised_at, "MARAC referral prompted", capfirst(p.get_reason_display()), None,
                                       detail=p.detail))
    return entries
