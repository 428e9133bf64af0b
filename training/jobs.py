"""Daily flags: DBS checks and training due in 60 and 30 days or expired, and the
policy not signed 30 days after it was published.

Each threshold is its own flag kind, so a person, their line manager and HR/L&D
are told once per threshold; every query works on the whole set in SQL and a
second run on the same day changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.models import RoleAssignment
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import register_daily_job

from .models import (
    LIVE,
    DBSCheck,
    DBSLevel,
    PolicyAcknowledgement,
    PolicyVersion,
    Requirement,
    TrainingRecord,
)

POLICY_GRACE_DAYS = 30


def recipients_via(model: type[models.Model]) -> Callable[[list[int]], Iterable[tuple[int, int, int]]]:
    """The person (if they sign in), their line manager and every HR/L&D member: two queries."""

    def find(ids: list[int]) -> Iterable[tuple[int, int, int]]:
        rows = list(model.all_orgs.filter(pk__in=ids).values_list(  # type: ignore[attr-defined]
            "pk", "organisation_id", "person__membership__user_id", "person__line_manager__membership__user_id"))
        hr: dict[int, set[int]] = defaultdict(set)
        for org_id, user_id in RoleAssignment.all_orgs.filter(
            role=Role.HR_LD, membership__is_active=True, organisation_id__in={r[1] for r in rows}
        ).values_list("organisation_id", "membership__user_id"):
            hr[org_id].add(user_id)
        for pk, org_id, own, manager in rows:
            for user_id in {own, manager, *hr[org_id]} - {None}:
                yield pk, org_id, user_id

    return find


def _ref(row: dict[str, Any], by: str = "of") -> str:
    """The person's reference (never their name: titles are e-mailed; ``app_title`` names them)."""
    return f" {by} staff member {row['person__reference']}" if row.get("person__reference") else ""


def _person_url(row: dict[str, Any]) -> str:
    return reverse("training:person", kwargs={"pk": row["person_id"]})


def current_dbs() -> models.QuerySet[DBSCheck]:
    """Each active person's latest-running check, where their role needs one."""
    later = DBSCheck.all_orgs.filter(LIVE, person=OuterRef("person"), renews_on__gt=OuterRef("renews_on"))
    return (DBSCheck.all_orgs.filter(LIVE, person__is_active=True, person__job_role__isnull=False)
            .exclude(person__job_role__dbs_level=DBSLevel.NONE).exclude(Exists(later)))


def current_training() -> models.QuerySet[TrainingRecord]:
    """Each active person's latest-running record of each course their role requires."""
    later = TrainingRecord.all_orgs.filter(LIVE, person=OuterRef("person"), course=OuterRef("course"),
                                           expires_on__gt=OuterRef("expires_on"))
    required = Requirement.all_orgs.filter(job_role=OuterRef("person__job_role"), course=OuterRef("course"))
    return TrainingRecord.all_orgs.filter(LIVE, Exists(required), person__is_active=True).exclude(Exists(later))


def _window(field: str, on: date, days: int | None, after: int = -1) -> Q:
    """Expired (``days`` None), else due within ``days`` days but not within ``after`` (the next threshold's)."""
    if days is None:
        return Q(**{f"{field}__lt": on})
    return Q(**{f"{field}__gt": on + timedelta(days=after), f"{field}__lte": on + timedelta(days=days)})


# Windows do not overlap, so one record crossing into "due within 30 days" is one event for each person
# told (it leaves the 60-day flag), never two notifications on one day.
THRESHOLDS = ((60, 30, "due_60", "is due for renewal within 60 days"),
              (30, -1, "due_30", "is due for renewal within 30 days"),
              (None, -1, "expired", "has expired"))
TO_DO = {"dbs": "arrange the renewal", "course": "book the refresher"}


def _what(what: str, row: dict[str, Any]) -> str:
    """'safeguarding training' names its course, so two courses due are two different titles."""
    return f"{what} ({row['course__name']})" if row.get("course__name") else what


def _app_title(what: str, words: str, todo: str) -> Callable[[dict[str, Any], int], str]:
    """In the app the colleague is named (the person themselves reads "Your ...")."""

    def title(row: dict[str, Any], user_id: int) -> str:
        if row.get("person__membership__user_id") == user_id:
            return f"Your {_what(what, row)} {words}: {todo}"
        return f"{row.get('person__full_name') or 'A colleague'}'s {_what(what, row)} {words}: {todo}"

    return title


def _sync_all(prefix: str, what: str, needing: models.QuerySet[Any], field: str, on: date) -> dict[str, FlagResult]:
    results = {}
    todo = TO_DO[prefix]
    extra = ("course__name",) if prefix == "course" else ()
    for days, after, suffix, words in THRESHOLDS:
        kind = f"training.{prefix}_{suffix}"
        results[kind] = sync(
            kind=kind, needing=needing.filter(_window(field, on, days, after)),
            recipients=recipients_via(needing.model),
            title=lambda row, w=words: f"{what[:1].upper()}{_what(what, row)[1:]}{_ref(row)} {w}: {todo}",  # type: ignore[misc]
            url=_person_url, app_title=_app_title(what, words, todo),
            label_fields=("person_id", "person__reference", "person__full_name", "person__membership__user_id",
                          *extra),
        )
    return results


def link_new_members() -> int:
    """One update: a person whose e-mail matches a member of their organisation (who joined
    after the person was recorded) is linked to that member, so they see their own record."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE training_person p SET membership_id = x.membership_id
            FROM (
                SELECT DISTINCT ON (m.id) m.id AS membership_id, q.id AS person_id
                FROM training_person q
                JOIN tenancy_membership m ON m.organisation_id = q.organisation_id AND m.is_active
                JOIN tenancy_user u ON u.id = m.user_id AND lower(u.email) = lower(q.email)
                WHERE q.membership_id IS NULL AND q.email <> ''
                  AND NOT EXISTS (SELECT 1 FROM training_person t WHERE t.membership_id = m.id)
                ORDER BY m.id, q.id
            ) x
            WHERE p.id = x.person_id
            """
        )
        return cursor.rowcount


def ask_everyone_to_sign() -> None:
    """One insert: a pending acknowledgement for each active person with a login and their current policy."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO training_policyacknowledgement (organisation_id, version_id, person_id, signed_at)
            SELECT p.organisation_id, v.id, p.id, NULL
            FROM training_person p
            JOIN governance_policyversion v ON v.id = (
                SELECT v2.id FROM governance_policyversion v2
                JOIN governance_policy pol ON pol.id = v2.policy_id AND pol.staff_sign_off
                WHERE v2.organisation_id = p.organisation_id
                ORDER BY v2.published_at DESC, v2.id DESC LIMIT 1)
            WHERE p.is_active AND p.membership_id IS NOT NULL
            ON CONFLICT (version_id, person_id) DO NOTHING
            """
        )


def unsigned_policies(now: Any) -> models.QuerySet[PolicyAcknowledgement]:
    newer = PolicyVersion.all_orgs.filter(organisation=OuterRef("organisation"), policy__staff_sign_off=True,
                                          published_at__gt=OuterRef("version__published_at"))
    return PolicyAcknowledgement.all_orgs.filter(
        signed_at__isnull=True, person__is_active=True, person__membership__isnull=False,
        version__published_at__lte=now - timedelta(days=POLICY_GRACE_DAYS),
    ).exclude(Exists(newer))


@register_daily_job("training")
def flag_training(on: date | None = None) -> dict[str, FlagResult]:
    on = on or timezone.localdate()
    link_new_members()
    results = _sync_all("dbs", "DBS check", current_dbs(), "renews_on", on)
    results |= _sync_all("course", "safeguarding training", current_training(), "expires_on", on)
    ask_everyone_to_sign()
    results["training.policy_unsigned"] = sync(
        kind="training.policy_unsigned", needing=unsigned_policies(timezone.now()),
        recipients=recipients_via(PolicyAcknowledgement),
        label_fields=("person_id", "person__reference", "person__full_name", "person__membership__user_id"),
        url=_person_url, title=lambda row: f"Safeguarding policy not signed{_ref(row, 'by')} 30 days after publication: "
                                           "read and sign it",
        app_title=lambda row, uid: ("You have not signed the safeguarding policy 30 days after publication: read and sign it"
                                    if row.get("person__membership__user_id") == uid else
                                    f"{row.get('person__full_name') or 'A colleague'} has not signed the safeguarding "
                                    "policy 30 days after publication: remind them"),
    )
    return results
