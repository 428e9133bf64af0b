"""Demo facts for the board dashboard: each demo organisation shows a different rating.

Northvale stays Green (its registers are updated and reviewed, its policies in date); Riverbend is Amber
(a case audit this month found one case not correctly recorded on a register); Kestrel Vale
is Red (a safeguarding adult review found that a failure to follow procedure contributed). A commentary
is written for each; the rating of the 11 months before is stored (as the nightly job would have), so the
history shows how it moved, and the finished months' figures are stored too. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import Case
from registers.policy.review import add_months, month_start
from safeguard.tenancy.demo import DemoOrg, seeder
from safeguard.tenancy.roles import Role

from .models import Commentary, RatingSnapshot

COMMENTARY = {
    "northvale": "Concerns are steady across the four areas. Every register was reviewed and signed on time, and "
                 "training compliance is close to target; the repairs team's refresher is booked for next month.",
    "riverbend": "One case found by this month's audit was not on the Alderwick register; it has been added and "
                 "the team briefed. Referral responses from children's services remain slow.",
    "kestrelvale": "The safeguarding adult review notified this quarter found that our procedure was not followed. "
                   "The action plan is in the work plan and reported to the panel each month.",
}


@seeder(95)
def seed_board(demo: DemoOrg) -> None:
    from governance.models import AuditedCase, AuditRound, CaseReview

    org, today = demo.org, timezone.localdate()
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    if demo.org.slug == "riverbend" and not AuditedCase.objects.for_org(org).exists():
        case = Case.objects.for_org(org).select_related("area").order_by("pk").first()
        if case is not None:
            area = case.area
            audit = AuditRound.objects.create(organisation=org, title="Monthly case audit",
                                              period_start=month_start(today) - timedelta(days=60),
                                              period_end=today, sample_size=5, seed=11, started_by=sm)
            audit.areas.set([area])
            AuditedCase.objects.create(organisation=org, round=audit, case=case, area=area, auditor=sm,
                                       findings="Safeguarding case not on the register.",
                                       correctly_recorded_on_register=False, audited_on=month_start(today))
    if demo.org.slug == "kestrelvale" and not CaseReview.objects.for_org(org).exists():
        CaseReview.objects.create(organisation=org, kind="sar", title="Adult K", local_authority=demo.areas[0].name,
                                  notified_on=month_start(today) - timedelta(days=20), failure_contributed=True,
                                  summary="Procedure for escalating a missed visit was not followed.")
    text = COMMENTARY.get(demo.org.slug)
    if text and not Commentary.objects.for_org(org).filter(month=month_start(today)).exists():
        Commentary.objects.create(organisation=org, month=month_start(today), text=text, written_by=sm)
    _past_ratings(org, today)
    from .jobs import store_month_figures

    store_month_figures(today)


def _past_ratings(org, today):
    """Each of the 11 months before this one rated as on its last day, where nothing is stored yet."""
    from governance.rag import rate

    for n in range(1, 12):
        month = add_months(month_start(today), -n)
        if RatingSnapshot.objects.for_org(org).filter(month=month).exists():
            continue
        areas = rate([org.pk], today=add_months(month, 1) - timedelta(days=1))[org.pk]
        RatingSnapshot.objects.bulk_create([
            RatingSnapshot(organisation=org, area_id=area_id, month=month, rating=r.rating,
                           facts=[f.as_json() for f in r.facts]) for area_id, r in areas.items()])
