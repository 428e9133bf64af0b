"""The retention rules, written once (issue 14): who handles privacy, the default schedule and its reasons,
which triggers each kind of record may run from, the period arithmetic, which records are due (one set query
across organisations) and which are held by a legal hold.

Views, forms, actions, the daily job, the destruction job and the templates (through their views) call this
module and never restate it. It imports models and the core only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q

from cases.models import CasePerson
from safeguard.tenancy.models import Membership, Organisation
from safeguard.tenancy.roles import Role

from .models import Delegate, LegalHold, RecordKind, RetentionRule, ReviewItem, Trigger

OWNER_ROLE = Role.DATA_PRIVACY_MANAGER


# --- who ------------------------------------------------------------------------------------------------------


def is_owner(membership: Membership | None) -> bool:
    """The Data Privacy Manager: names and removes delegates."""
    return membership is not None and membership.is_active and membership.has_role(OWNER_ROLE)


def may_handle_privacy(membership: Membership | None) -> bool:
    """The Data Privacy Manager, and the members they named: the schedule, the queue and the holds.

    One query at most per request (remembered on the membership)."""
    if membership is None or not membership.is_active:
        return False
    if is_owner(membership):
        return True
    cached = getattr(membership, "_may_handle_privacy", None)
    if cached is None:
        cached = (
            Delegate.objects.for_org(membership.organisation_id).filter(user_id=membership.user_id).exists()
        )
        membership._may_handle_privacy = cached  # type: ignore[attr-defined]
    return cached


# --- the default schedule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Default:
    trigger: str
    months: int
    also_trigger: str
    also_months: int | None
    reason: str


YEARS = 12
DEFAULTS: dict[str, Default] = {
    RecordKind.CASE_CHILD: Default(
        Trigger.DATE_OF_BIRTH,
        25 * YEARS,
        Trigger.CLOSED,
        6 * YEARS,
        "Child protection records are kept until the child's 25th birthday, or 6 years after the case closed if "
        "that is later (Working Together to Safeguard Children 2023 and the IRMS retention guidelines; the "
        "Independent Inquiry into Child Sexual Abuse asked that such records are not destroyed early). The "
        "youngest child on the case counts; without a date of birth, their age when the concern was reported, "
        "and without either, the date it was reported.",
    ),
    RecordKind.CASE_ADULT: Default(
        Trigger.CLOSED,
        6 * YEARS,
        "",
        None,
        "Adult safeguarding records are kept 6 years after the case closed: the period in which a claim can be "
        "brought (Limitation Act 1980), as the IRMS and Local Government Association guidance advise.",
    ),
    RecordKind.ALLEGATION: Default(
        Trigger.CREATED,
        10 * YEARS,
        Trigger.DATE_OF_BIRTH,
        67 * YEARS,
        "Allegations against a colleague are kept until their normal retirement age (taken as 67, the State "
        "Pension age) or for 10 years from the allegation, whichever is longer (Keeping Children Safe in "
        "Education 2024 part 4; Working Together 2023). The colleague's date of birth is not held on the case, "
        "so 10 years applies unless you change the rule.",
    ),
    RecordKind.REGISTER_ENTRY: Default(
        Trigger.CLOSED,
        6 * YEARS,
        "",
        None,
        "A register entry is kept 6 years after it closed (the risk was removed), the Limitation Act 1980 "
        "period; the case it came from follows its own rule.",
    ),
    RecordKind.DBS_CERTIFICATE: Default(
        Trigger.CREATED,
        6,
        "",
        None,
        "The DBS Code of Practice: certificate information is kept no longer than 6 months after the "
        "recruitment decision. The certificate number goes; the record that a check of that level was made, "
        "and when, stays with the person's vetting record.",
    ),
    RecordKind.TRAINING_RECORD: Default(
        Trigger.LEFT,
        6 * YEARS,
        "",
        None,
        "Training and vetting records are kept 6 years after the person left (Limitation Act 1980; CIPD "
        "guidance on employment records), to show they were trained while they worked here.",
    ),
    RecordKind.CASE_AUDIT: Default(
        Trigger.CREATED,
        6 * YEARS,
        "",
        None,
        "Case audits are quality-assurance records: 6 years, so findings can be followed up and evidenced to "
        "regulators (Regulator of Social Housing consumer standards).",
    ),
    RecordKind.NOTIFICATION: Default(
        Trigger.CREATED,
        2 * YEARS,
        "",
        None,
        "Notifications are copies of events already on the record: 2 years is enough to show who was told.",
    ),
    RecordKind.ACCESS_LOG: Default(
        Trigger.CREATED,
        6 * YEARS,
        "",
        None,
        "The log of who viewed a record is kept 6 years, so access to a case can be accounted for as long as a "
        "claim about it can be brought (UK GDPR article 5(2), accountability).",
    ),
    RecordKind.GOVERNANCE: Default(
        Trigger.CREATED,
        6 * YEARS,
        "",
        None,
        "Minutes, case reviews and lessons learnt are kept 6 years from the year they cover (good practice for "
        "a registered provider's board records); reviews that change practice are kept permanently by hand.",
    ),
}

# The triggers that mean something for each kind (the form offers only these).
TRIGGERS: dict[str, tuple[str, ...]] = {
    RecordKind.CASE_CHILD: (Trigger.CLOSED, Trigger.DATE_OF_BIRTH, Trigger.CREATED),
    RecordKind.CASE_ADULT: (Trigger.CLOSED, Trigger.DATE_OF_BIRTH, Trigger.CREATED),
    RecordKind.ALLEGATION: (Trigger.CLOSED, Trigger.DATE_OF_BIRTH, Trigger.CREATED),
    RecordKind.REGISTER_ENTRY: (Trigger.CLOSED, Trigger.CREATED),
    RecordKind.DBS_CERTIFICATE: (Trigger.CREATED,),
    RecordKind.TRAINING_RECORD: (Trigger.LEFT, Trigger.CREATED),
    RecordKind.CASE_AUDIT: (Trigger.CREATED,),
    RecordKind.NOTIFICATION: (Trigger.CREATED,),
    RecordKind.ACCESS_LOG: (Trigger.CREATED,),
    RecordKind.GOVERNANCE: (Trigger.CREATED,),
}

# The kinds the daily job lists for review and the destruction job can destroy today. The others have their
# rule on the schedule (shown, editable) and are reviewed by hand until they are listed too.
CASE_KINDS = (RecordKind.CASE_CHILD, RecordKind.CASE_ADULT, RecordKind.ALLEGATION)
LISTED_KINDS = CASE_KINDS


def rule_values(kind: str) -> dict[str, Any]:
    d = DEFAULTS[kind]
    return {
        "kind": kind,
        "trigger": d.trigger,
        "period_months": d.months,
        "also_trigger": d.also_trigger,
        "also_period_months": d.also_months,
        "reason": d.reason,
    }


def missing_rules(org_ids: list[int], existing: set[tuple[int, str]]) -> list[RetentionRule]:
    """The default rules organisations do not have yet (a new kind, a new organisation)."""
    return [
        RetentionRule(organisation_id=org_id, **rule_values(kind))
        for org_id in org_ids
        for kind in DEFAULTS
        if (org_id, kind) not in existing
    ]


# --- period arithmetic ----------------------------------------------------------------------------------------


def period_text(months: int | None) -> str:
    if not months:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)


FROM_TEXT: dict[str, str] = {
    Trigger.CLOSED: "after it closed",
    Trigger.CREATED: "after it was made",
    Trigger.DATE_OF_BIRTH: "after the date of birth",
    Trigger.LEFT: "after the person left",
}


def rule_text(rule: RetentionRule) -> str:
    """The rule in words: "25 years after the date of birth, or 6 years after it closed, whichever is later"."""
    if rule.trigger == Trigger.DATE_OF_BIRTH and rule.period_months % 12 == 0:
        text = f"until the {_ordinal(rule.period_months // 12)} birthday"
    else:
        text = f"{period_text(rule.period_months)} {FROM_TEXT[rule.trigger]}"
    if rule.also_trigger and rule.also_period_months:
        if rule.also_trigger == Trigger.DATE_OF_BIRTH and rule.also_period_months % 12 == 0:
            also = f"the {_ordinal(rule.also_period_months // 12)} birthday"
        else:
            also = f"{period_text(rule.also_period_months)} {FROM_TEXT[rule.also_trigger]}"
        text += f", or {also}, whichever is later"
    return text[0].upper() + text[1:]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def due_on(rule: RetentionRule, dates: dict[str, date | None]) -> tuple[str, date | None, date | None]:
    """(the trigger that counted, its date, the end of the period): the later of the rule's triggers. A trigger
    with no date does not apply; with no date for any, the record is never due (it is kept). The same arithmetic
    as ``due_cases_sql`` (calendar months, as PostgreSQL intervals count them)."""
    best: tuple[str, date | None, date | None] = ("", None, None)
    for trigger, months in ((rule.trigger, rule.period_months), (rule.also_trigger, rule.also_period_months)):
        start = dates.get(trigger) if trigger and months else None
        if start is None or not months:
            continue
        end = start + relativedelta(months=months)
        if best[2] is None or end > best[2]:
            best = (trigger, start, end)
    return best


def case_dates(
    *, reported_on: date, closed_on: date | None, people: list[CasePerson], allegation: bool
) -> tuple[str, dict[str, date | None]]:
    """The kind of a case and its triggers' dates (what ``due_cases_sql`` computes for every case)."""
    children = [p for p in people if p.person_type in ("child", "unborn")]
    if allegation:
        kind, dob = RecordKind.ALLEGATION, None
    elif children:
        kind = RecordKind.CASE_CHILD
        dob = max(p.date_of_birth or (reported_on - relativedelta(years=p.age or 0)) for p in children)
    else:
        kind = RecordKind.CASE_ADULT
        dob = max(
            (p.date_of_birth for p in people if p.person_type == "adult" and p.date_of_birth), default=None
        )
    return kind, {
        Trigger.CLOSED: closed_on,
        Trigger.CREATED: reported_on,
        Trigger.DATE_OF_BIRTH: dob,
        Trigger.LEFT: closed_on,
    }


def _start_sql(trigger: str) -> str:
    return (
        f"CASE r.{trigger} WHEN 'closed' THEN f.closed_on WHEN 'left' THEN f.closed_on "
        "WHEN 'created' THEN f.created_on WHEN 'date_of_birth' THEN f.dob END"
    )


def due_cases_sql() -> str:
    """Every closed, not destroyed case of every organisation with its kind, rule and dates: one set query.

    Parameters: ``tz`` (the organisation's time zone for dates). Columns: organisation_id, kind, object_id,
    reference, rule_id, started_from (the trigger whose end counted), started_on (its date, but NULL for a date of
    birth: that is personal data and would outlive the record on its tombstone), due_on, created_on, closed_on.
    ``due_on`` is NULL when no trigger has a date.
    Only closed cases are ever due: an open case is never destroyed."""
    return f"""
    WITH facts AS (
        SELECT c.id, c.organisation_id, c.reference,
               CASE WHEN c.is_colleague_allegation THEN 'allegation'
                    WHEN kids.dob IS NOT NULL THEN 'case_child' ELSE 'case_adult' END AS kind,
               (c.reported_at AT TIME ZONE %(tz)s)::date AS created_on,
               (c.closed_at AT TIME ZONE %(tz)s)::date AS closed_on,
               CASE WHEN c.is_colleague_allegation THEN NULL
                    WHEN kids.dob IS NOT NULL THEN kids.dob ELSE adults.dob END AS dob
        FROM cases_case c
        LEFT JOIN LATERAL (
            SELECT max(coalesce(p.date_of_birth,
                                ((c.reported_at AT TIME ZONE %(tz)s)::date
                                 - make_interval(years => coalesce(p.age, 0)::int))::date)) AS dob
            FROM cases_caseperson p WHERE p.case_id = c.id AND p.person_type IN ('child', 'unborn')) kids ON true
        LEFT JOIN LATERAL (
            SELECT max(p.date_of_birth) AS dob
            FROM cases_caseperson p WHERE p.case_id = c.id AND p.person_type = 'adult') adults ON true
        WHERE c.status = 'closed' AND c.closed_at IS NOT NULL AND c.destroyed_at IS NULL
    ), ends AS (
        SELECT f.*, r.id AS rule_id, r.trigger AS trigger1, r.also_trigger AS trigger2,
               {_start_sql("trigger")} AS start1,
               ({_start_sql("trigger")} + make_interval(months => r.period_months))::date AS end1,
               CASE WHEN r.also_period_months IS NULL THEN NULL ELSE {_start_sql("also_trigger")} END AS start2,
               CASE WHEN r.also_period_months IS NULL THEN NULL ELSE
                   ({_start_sql("also_trigger")} + make_interval(months => r.also_period_months))::date END AS end2
        FROM facts f JOIN privacy_retentionrule r ON r.organisation_id = f.organisation_id AND r.kind = f.kind
    ), winner AS (
        SELECT e.*, CASE WHEN end1 IS NOT NULL AND (end2 IS NULL OR end1 >= end2) THEN trigger1
                         WHEN end2 IS NOT NULL THEN trigger2 ELSE '' END AS started_from,
                    CASE WHEN end1 IS NOT NULL AND (end2 IS NULL OR end1 >= end2) THEN start1 ELSE start2 END AS start_date
        FROM ends e
    )
    SELECT organisation_id, kind, id AS object_id, reference, rule_id, started_from,
           CASE WHEN started_from = 'date_of_birth' THEN NULL ELSE start_date END AS started_on,
           GREATEST(end1, end2) AS due_on, created_on, closed_on
    FROM winner
    """  # noqa: S608 - constant SQL; the values are parameters


def case_still_destroyable(org: Organisation | int, case_id: int) -> bool:
    """The per-record form of ``due_cases_sql``'s condition, checked again just before destruction: the case is
    still closed (not reopened since it was listed) and not already destroyed."""
    from cases.models import Case, CaseStatus

    return (
        Case.objects.for_org(org)
        .filter(pk=case_id, status=CaseStatus.CLOSED, closed_at__isnull=False, destroyed_at__isnull=True)
        .exists()
    )


def time_zone() -> str:
    return settings.TIME_ZONE


# --- legal holds ----------------------------------------------------------------------------------------------


def active_holds(org: Organisation | int) -> list[LegalHold]:
    return list(LegalHold.objects.for_org(org).filter(lifted_at__isnull=True).select_related("person"))


def _same_person_q(person: CasePerson) -> Q:
    q = Q(full_name__iexact=person.full_name.strip())
    if person.date_of_birth is not None:
        q &= Q(date_of_birth=person.date_of_birth) | Q(date_of_birth__isnull=True)
    return q


def held_case_ids(
    org: Organisation | int, case_ids: list[int], holds: list[LegalHold] | None = None
) -> dict[int, LegalHold]:
    """Which of ``case_ids`` a legal hold covers (two queries at most), each with one hold covering it.

    A hold on the organisation covers every case; on a case, that case; on a person, every case with a person of
    the same name (and date of birth, where both are known)."""
    holds = active_holds(org) if holds is None else holds
    held: dict[int, LegalHold] = {}
    if not case_ids or not holds:
        return held
    org_hold = next((h for h in holds if h.scope == LegalHold.Scope.ORGANISATION), None)
    if org_hold is not None:
        return dict.fromkeys(case_ids, org_hold)
    ids = set(case_ids)
    for h in holds:
        if h.scope == LegalHold.Scope.CASE and h.case_id in ids:
            held.setdefault(h.case_id, h)
    person_holds = [
        (h, h.person) for h in holds if h.scope == LegalHold.Scope.PERSON and h.person is not None
    ]
    if person_holds:
        q = Q()
        for _h, person in person_holds:
            q |= _same_person_q(person)
        rows = (
            CasePerson.objects.for_org(org)
            .filter(q, case_id__in=ids)
            .values_list("case_id", "full_name", "date_of_birth")
        )
        for case_id, name, dob in rows:
            for h, person in person_holds:
                same = name.strip().lower() == person.full_name.strip().lower()
                if same and (dob is None or person.date_of_birth is None or dob == person.date_of_birth):
                    held.setdefault(case_id, h)
    return held


def held_items(org: Organisation | int, items: list[ReviewItem]) -> dict[int, LegalHold]:
    """Review item id -> the hold stopping its destruction, for a page or a batch of the queue."""
    case_items = [i for i in items if i.kind in CASE_KINDS]
    holds = active_holds(org)
    by_case = held_case_ids(org, [i.object_id for i in case_items], holds)
    result = {i.pk: by_case[i.object_id] for i in case_items if i.object_id in by_case}
    org_hold = next((h for h in holds if h.scope == LegalHold.Scope.ORGANISATION), None)
    if org_hold is not None:
        result.update({i.pk: org_hold for i in items})
    return result


def keep_until_ok(new_date: date, today: date) -> str:
    """A date to keep a record until: after today, within 100 years. '' when fine, else the problem."""
    if new_date <= today:
        return "The new date must be in the future"
    if new_date > today + relativedelta(years=100):
        return "The new date must be within 100 years"
    return ""
