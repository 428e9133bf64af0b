"""Fictional governance records for the demo organisations, shaped so the board's rating comes out
Green for Northvale (everything in date; last month's audit found one case wrong), Amber for Riverbend
(its hoarding policy is out of date) and Red for Kestrel Vale (a domestic homicide review found our
failure to follow procedure contributed, and two audited cases this month were not correctly recorded)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import Case
from safeguard.tenancy.demo import DemoOrg, seeder
from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role

from .actions.audits import do_record_audit, do_start_round, ensure_default_questions
from .actions.policies import do_publish_version, do_save_policy
from .models import (
    ActionSource,
    Attendance,
    AuditQuestion,
    CaseReview,
    Complaint,
    FollowUpAction,
    Group,
    GroupMember,
    Lesson,
    Meeting,
    NearMiss,
    Outcome,
    PlanAction,
    Policy,
    PolicyKind,
    ProgressNote,
    ReviewRecommendation,
    Supplier,
)

PDF = b"%PDF-1.4\n% Fictional demo policy document\n"
RATING = {"northvale": "green", "riverbend": "amber", "kestrelvale": "red"}

POLICIES = [
    ("Safeguarding adults policy", PolicyKind.ADULTS, 300),
    ("Safeguarding children policy", PolicyKind.CHILDREN, 240),
    ("Domestic abuse policy", PolicyKind.DOMESTIC_ABUSE, 45),
    ("Whistleblowing policy", PolicyKind.WHISTLEBLOWING, 400),
    ("Hoarding policy", PolicyKind.HOARDING, 150),
    ("Safer recruitment policy", PolicyKind.SAFER_RECRUITMENT, 200),
]


def _policies(demo: DemoOrg, today: date, rating: str) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    for title, kind, days in POLICIES:
        review_on = today + timedelta(days=days)
        if rating == "amber" and kind == PolicyKind.HOARDING:
            review_on = today - timedelta(days=20)  # out of date: the day after its review date has passed
        policy = do_save_policy(demo.org, {
            "title": title, "kind": kind, "owner": sm if kind != PolicyKind.SAFER_RECRUITMENT
            else demo.people.get(Role.PEOPLE_DIRECTOR, sm),
            "approving_body": "The Board", "approved_on": review_on - relativedelta(years=2),
            "effective_on": review_on - relativedelta(years=2) + timedelta(days=14), "review_on": review_on,
        }, acting_user=sm)
        do_publish_version(policy, label="2024.1", document=ContentFile(PDF, name=f"{kind}-policy.pdf"),
                           review_on=review_on, published_on=review_on - relativedelta(years=2),
                           changes="Approved by the Board.", acting_user=sm)


def _audit(demo: DemoOrg, today: date, rating: str) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    membership = Membership.objects.for_org(demo.org).get(user=sm)
    ensure_default_questions(demo.org)
    start = today - timedelta(days=365)
    try:
        rnd = do_start_round(demo.org, membership, areas=demo.areas, period_start=start, period_end=today,
                             sample_size=6, sample_is_percent=False, seed=2026, title="Quarterly register audit",
                             acting_user=sm)
    except Exception:  # noqa: BLE001 -- no case the manager may audit: no round
        return
    # Green: the one failure was last month; Amber: none this month; Red: two this month.
    audited_on = today - relativedelta(months=1) if rating == "green" else today
    failures = {"green": 1, "amber": 0, "red": 2}[rating]
    questions = list(AuditQuestion.objects.for_org(demo.org).filter(is_active=True))
    owner = demo.people[Role.CASE_MANAGER]
    for i, audited in enumerate(list(rnd.audited_cases.select_related("case"))[:3]):
        failed = i < failures
        answers = {q.pk: ("no" if failed and j == 0 else "yes", "Not on the register." if failed and j == 0 else "")
                   for j, q in enumerate(questions)}
        do_record_audit(audited, membership, answers=answers, correctly_recorded=not failed, audited_on=audited_on,
                        findings="The household should be on the area register." if failed else "Well recorded.",
                        follow_up={"title": f"Add case {audited.case.reference} to the register", "owner": owner,
                                   "due_on": audited_on + timedelta(days=14)} if failed else None,
                        expected_version=None, acting_user=sm)


def _reviews(demo: DemoOrg, today: date, rating: str) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    if rating == "red":
        review = CaseReview.objects.create(
            organisation=demo.org, kind=CaseReview.Kind.DHR, title="Adult K", local_authority="Kestrel Vale",
            notified_on=today - timedelta(days=120), started_on=today - timedelta(days=100), failure_contributed=True,
            summary="The review found that our repairs team saw injuries and did not report them.", lead=sm,
            created_by=sm)
    else:
        review = CaseReview.objects.create(
            organisation=demo.org, kind=CaseReview.Kind.SAR, title="Adult M", local_authority="Ashworth County",
            notified_on=today - timedelta(days=300), started_on=today - timedelta(days=280),
            published_on=today - timedelta(days=60), status=CaseReview.Status.PUBLISHED, lead=sm, created_by=sm,
            summary="Agencies did not share information about self-neglect in time.")
    case = Case.objects.for_org(demo.org).order_by("pk").first()
    if case:
        review.cases.add(case)
    rec = ReviewRecommendation.objects.create(organisation=demo.org, review=review, owner=sm,
                                              text="Train repairs operatives to recognise and report concerns.",
                                              due_on=today + timedelta(days=45))
    FollowUpAction.objects.create(organisation=demo.org, source=ActionSource.CASE_REVIEW, case_review=review,
                                  recommendation=rec, title="Add safeguarding to the repairs induction", owner=sm,
                                  due_on=today + timedelta(days=30), created_by=sm)
    Lesson.objects.create(organisation=demo.org, lesson="Ask a second time when a resident says all is well.",
                          source="case_review", case_review=review, theme="Professional curiosity",
                          action="Briefing for housing officers.", owner=sm, recorded_on=today - timedelta(days=50))


def _learning(demo: DemoOrg, today: date) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    Lesson.objects.create(organisation=demo.org, lesson="Check the register before closing a repairs job.",
                          source="other_org", source_detail="A published review in another housing provider",
                          theme="Information sharing", owner=sm, recorded_on=today - timedelta(days=20))
    near = NearMiss.objects.create(
        organisation=demo.org, received_on=today - timedelta(days=10), owner=sm,
        summary="A referral was drafted but not sent for two days.", response_due_on=today + timedelta(days=5),
        learning="Referrals are sent the same day, checked at the daily huddle.", created_by=sm)
    Lesson.objects.create(organisation=demo.org, lesson="Send referrals the same day.", source="near_miss",
                          near_miss=near, theme="Timeliness", owner=sm, recorded_on=today - timedelta(days=8))
    Complaint.objects.create(
        organisation=demo.org, received_on=today - timedelta(days=25), complainant_kind="family", owner=sm,
        summary="A family member says their concern was not acted on.", response_due_on=today + timedelta(days=3),
        created_by=sm)
    Complaint.objects.create(
        organisation=demo.org, received_on=today - timedelta(days=80), complainant_kind="resident", owner=sm,
        summary="A resident was unhappy that a referral was made without telling them.", upheld=False,
        response_due_on=today - timedelta(days=60), responded_on=today - timedelta(days=62), status="closed",
        outcome="Explained why; consent was recorded.", created_by=sm)


def _meetings(demo: DemoOrg, today: date) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    group = Group.objects.create(
        organisation=demo.org, name="Safeguarding Panel", quorum=3, frequency_months=3, created_by=sm,
        created_at=timezone.now() - timedelta(days=400),
        terms_of_reference="Oversees safeguarding practice, receives audit results and case reviews, and "
                           "reports to the Board each quarter.")
    members = [(sm, "Chair"), (demo.people[Role.NSO], "Member"), (demo.people[Role.CASE_MANAGER], "Member"),
               (demo.people[Role.DSL], "Member"), (demo.people[Role.PEOPLE_DIRECTOR], "Member")]
    for user, role in members:
        GroupMember.objects.create(organisation=demo.org, group=group, user=user, role=role)
    meeting = Meeting.objects.create(
        organisation=demo.org, group=group, held_on=today - timedelta(days=40), status="held",
        agenda="1. Audit results\n2. Case reviews\n3. Work plan", created_by=sm,
        minutes="The panel reviewed the quarter's audit and agreed two actions.",
        decisions="Repairs staff to complete level 1 training.\nAudit every quarter.")
    for i, (user, _) in enumerate(members):
        Attendance.objects.create(organisation=demo.org, meeting=meeting, user=user,
                                  status="apologies" if i == 4 else "present")
    FollowUpAction.objects.create(organisation=demo.org, source=ActionSource.MEETING, meeting=meeting,
                                  title="Report training completion to the next panel", owner=sm,
                                  due_on=today + timedelta(days=20), created_by=sm)
    FollowUpAction.objects.create(organisation=demo.org, source=ActionSource.MEETING, meeting=meeting,
                                  title="Circulate the revised referral form", owner=demo.people[Role.CASE_MANAGER],
                                  due_on=today - timedelta(days=5), created_by=sm)
    Meeting.objects.create(organisation=demo.org, group=group, held_on=today + timedelta(days=50), created_by=sm,
                           agenda="1. Actions from last time\n2. Annual report")


def _work_plan(demo: DemoOrg, today: date) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    plan: list[tuple[str, list[tuple[str, Any, int, str]]]] = [
        ("Everyone knows how to recognise and report a concern", [
            ("Level 1 training for all repairs staff", demo.people[Role.HR_LD], 60, PlanAction.Status.ON_TRACK),
            ("Posters and intranet page on reporting", sm, -10, PlanAction.Status.AT_RISK),
        ]),
        ("Records are accurate and reviewed", [
            ("Quarterly register audits", sm, 90, PlanAction.Status.ON_TRACK),
            ("Monthly DSL review of each register", demo.people[Role.DSL], 30, PlanAction.Status.DONE),
        ]),
    ]
    for position, (title, actions) in enumerate(plan, start=1):
        outcome = Outcome.objects.create(organisation=demo.org, title=title, position=position, created_by=sm)
        for text, lead, days, status in actions:
            action = PlanAction.objects.create(organisation=demo.org, outcome=outcome, title=text, status=status,
                                               target_on=today + timedelta(days=days), created_by=sm,
                                               completed_on=today if status == PlanAction.Status.DONE else None)
            action.leads.add(lead)
            ProgressNote.objects.create(organisation=demo.org, action=action, noted_on=today - timedelta(days=14),
                                        text="Started; on the panel's agenda.", written_by=sm)


def _suppliers(demo: DemoOrg, today: date) -> None:
    sm = demo.people[Role.SAFEGUARDING_MANAGER]
    for name, services, clause, basis, confirmed, review in [
        ("Brightside Repairs Ltd", "Responsive repairs", True, "own", -200, 165),
        ("Hearthstone Gas Services", "Gas servicing", True, "ours", -330, 20),
        ("Meadow Grounds Care", "Grounds maintenance", False, "unknown", None, None),
    ]:
        Supplier.objects.create(
            organisation=demo.org, name=name, services=services, contract_has_clause=clause, policy_basis=basis,
            confirmed_on=today + timedelta(days=confirmed) if confirmed is not None else None,
            review_on=today + timedelta(days=review) if review is not None else None, owner=sm, created_by=sm,
            document=ContentFile(PDF, name="confirmation.pdf") if basis != "unknown" else "",
            document_name="confirmation.pdf" if basis != "unknown" else "")


@seeder(80)
def seed_governance(demo: DemoOrg) -> None:
    rating = RATING.get(demo.org.slug, "green")
    if Policy.objects.for_org(demo.org).filter(title=POLICIES[0][0]).exists():
        return
    today = timezone.localdate()
    _policies(demo, today, rating)
    _audit(demo, today, rating)
    _reviews(demo, today, rating)
    _learning(demo, today)
    _meetings(demo, today)
    _work_plan(demo, today)
    _suppliers(demo, today)
