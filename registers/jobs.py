"""Daily register flags, in sets across every organisation (run by ``run_daily_flags``).

* ``registers.entry_not_updated``: an open entry has no update this calendar month; its NSOs are told.
* ``registers.review_missed``: last month's review of a register was not signed off by the month's end;
  the area's DSL and the Safeguarding Manager are told.
* ``registers.review_missed_two_months``: neither of the last two months was signed off.

Each flag carries its month as the period ("YYYY-MM"), so the RAG rating can count them. A flag clears
itself when the update is recorded or the review signed (even late).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.flags import FlagResult, sync
from safeguard.tenancy.models import Membership
from safeguard.tenancy.roles import Role
from safeguard.tenancy.tasks import register_daily_job

from .models import (
    MANAGE,
    REVIEW,
    Entry,
    EntryStatus,
    EntryUpdate,
    Register,
    Review,
    ReviewStatus,
)
from .models import RegisterUserObjectPermission as Perm
from .policy.review import add_months
from .policy.review import this_month as current_month

ENTRY_NOT_UPDATED = "registers.entry_not_updated"
REVIEW_MISSED = "registers.review_missed"
REVIEW_MISSED_TWO = "registers.review_missed_two_months"


def _period(month: date) -> str:
    return f"{month:%Y-%m}"


def _start(month: date) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, 1))


def entries_needing_update(month: date) -> QuerySet[Entry]:
    return Entry.all_orgs.filter(status=EntryStatus.OPEN).exclude(
        Exists(EntryUpdate.all_orgs.filter(entry=OuterRef("pk"), month=month)))


def _nso_recipients(ids: list[int]) -> Iterable[tuple[int, int, int]]:
    """NSOs holding ``manage_register`` on each entry's register, in one query."""
    return Entry.all_orgs.filter(
        pk__in=ids,
        register__user_permissions__permission__codename=MANAGE,
        register__user_permissions__user__memberships__organisation_id=F("organisation_id"),
        register__user_permissions__user__memberships__is_active=True,
        register__user_permissions__user__memberships__role_assignments__role=Role.NSO,
    ).values_list("pk", "organisation_id", "register__user_permissions__user_id").distinct()


@register_daily_job("registers.entries_not_updated")
def flag_entries_not_updated(today: date | None = None) -> FlagResult:
    month = current_month(today)
    return sync(
        kind=ENTRY_NOT_UPDATED, needing=entries_needing_update(month), recipients=_nso_recipients,
        title=lambda r: f"Register entry {r['reference']} needs its update for {month:%B %Y}",
        url=lambda r: reverse("registers:update-add", args=[r["pk"]]),
        label_fields=("reference",), period=_period(month),
    )


def _signed(month: date) -> Exists:
    return Exists(Review.all_orgs.filter(register=OuterRef("pk"), month=month, status=ReviewStatus.SIGNED))


def registers_missing_review(month: date, months: int = 1) -> QuerySet[Register]:
    """Registers that existed before ``month - (months - 1)`` began with none of those months signed."""
    earliest = add_months(month, -(months - 1))
    qs = Register.all_orgs.filter(created_at__lt=_start(earliest))
    for n in range(months):
        qs = qs.exclude(_signed(add_months(month, -n)))
    return qs


def _review_recipients(ids: list[int]) -> list[tuple[int, int, int]]:
    """The DSLs (``review_register`` holders) and the Safeguarding Managers of each register's organisation."""
    dsls = Perm.objects.filter(content_object_id__in=ids, permission__codename=REVIEW).values_list(
        "content_object_id", "content_object__organisation_id", "user_id")
    sms = Membership.all_orgs.filter(
        organisation__in=Register.all_orgs.filter(pk__in=ids).values("organisation_id"), is_active=True,
        role_assignments__role=Role.SAFEGUARDING_MANAGER).values_list("organisation_id", "user_id")
    by_org: dict[int, list[int]] = {}
    for org_id, user_id in sms:
        by_org.setdefault(org_id, []).append(user_id)
    rows = set(dsls)
    for reg_id, org_id in Register.all_orgs.filter(pk__in=ids).values_list("pk", "organisation_id"):
        rows |= {(reg_id, org_id, uid) for uid in by_org.get(org_id, [])}
    return sorted(rows)


def _review_flag(kind: str, months: int, today: date | None) -> FlagResult:
    last = add_months(current_month(today), -1)
    words = f"{last:%B %Y}" if months == 1 else f"{add_months(last, -1):%B} and {last:%B %Y}"
    return sync(
        kind=kind, needing=registers_missing_review(last, months), recipients=_review_recipients,
        title=lambda r: f"The {r['area__name']} register was not reviewed for {words}: review and sign it off",
        url=lambda r: reverse("registers:review", args=[r["pk"], last.year, last.month]),
        label_fields=("area__name",), period=_period(last),
    )


@register_daily_job("registers.review_missed")
def flag_reviews_missed(today: date | None = None) -> FlagResult:
    return _review_flag(REVIEW_MISSED, 1, today)


@register_daily_job("registers.review_missed_two_months")
def flag_reviews_missed_two_months(today: date | None = None) -> FlagResult:
    return _review_flag(REVIEW_MISSED_TWO, 2, today)

