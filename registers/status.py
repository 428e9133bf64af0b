"""Read-only figures about registers: what the board sees, what the RAG rating needs, and
which safeguarding cases are not yet on a register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus, ConcernType, PersonType
from cases.policy.visibility import visible_cases
from safeguard.tenancy import suppression
from safeguard.tenancy.access import OrgRequest
from safeguard.tenancy.models import Organisation

from .models import (
    Entry,
    EntryPerson,
    EntryStatus,
    EntryUpdate,
    Register,
    Review,
    ReviewStatus,
    RiskLevel,
)
from .policy.review import months_missed, this_month

SMALL = suppression.THRESHOLD
SMALL_LABEL = suppression.LABEL


def not_on_register(request: OrgRequest) -> QuerySet[Case]:
    """Open safeguarding cases the viewer (an NSO) sees that have no register entry yet."""
    return (visible_cases(request.org, request.membership)
            .filter(concern_type=ConcernType.SAFEGUARDING, register_entries__isnull=True)
            .exclude(status=CaseStatus.CLOSED).select_related("area", "department").order_by("reported_at"))


def suppress(number: int) -> str:
    """A count for the board: numbers below 5 are never shown exactly."""
    return suppression.suppress(number)


COLUMNS = ("families", "children", "adults")


@dataclass
class CountRow:
    """Families, children (with unborn) and adults for one area or one level of risk."""

    label: str
    families: int = 0
    children: int = 0
    adults: int = 0


def _shown(rows: list[CountRow]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The rows and their total with small numbers hidden, and secondary suppression in each column
    so that the total cannot give a hidden cell away."""
    if not rows:
        return [], {"label": "Total", **{c: suppression.suppress(0) for c in COLUMNS}}
    result = suppression.table([[getattr(r, c) for c in COLUMNS] for r in rows], row_totals=False)
    shown = [{"label": r.label, **{c: result["cells"][i][j].shown for j, c in enumerate(COLUMNS)}}
             for i, r in enumerate(rows)]
    return shown, {"label": "Total", **{c: result["column_totals"][j].shown for j, c in enumerate(COLUMNS)}}


def _fill(rows: dict[Any, CountRow], org: Organisation, key: str) -> None:
    open_entries = Entry.objects.for_org(org).filter(status=EntryStatus.OPEN)
    for row in open_entries.values(key).annotate(n=Count("pk")):
        rows[row[key]].families = row["n"]
    people = EntryPerson.objects.for_org(org).filter(entry__status=EntryStatus.OPEN)
    for row in people.values(f"entry__{key}", "person_type").annotate(n=Count("pk")):
        target = rows[row[f"entry__{key}"]]
        if row["person_type"] == PersonType.ADULT:
            target.adults += row["n"]
        else:
            target.children += row["n"]


def board_counts(org: Organisation) -> dict[str, Any]:
    """Open entries' families, children and adults per area and per level of risk, small numbers hidden."""
    by_area = {r.pk: CountRow(r.area.name) for r in Register.objects.for_org(org).select_related("area")}
    _fill(by_area, org, "register_id")
    by_risk = {value: CountRow(label) for value, label in RiskLevel.choices}
    _fill(by_risk, org, "risk_level")
    areas, total = _shown(list(by_area.values()))
    risks, _same_total = _shown(list(by_risk.values()))
    return {"areas": areas, "risks": risks, "total": total}


def register_rag_inputs(org: Organisation, today: date | None = None) -> list[dict[str, Any]]:
    """Per register: last signed review month, months missed in a row, open entries not updated this month."""
    current = this_month(today)
    registers = list(Register.objects.for_org(org).select_related("area"))
    signed: dict[int, set[date]] = {r.pk: set() for r in registers}
    for reg_id, month in Review.objects.for_org(org).filter(status=ReviewStatus.SIGNED).values_list(
            "register_id", "month"):
        signed[reg_id].add(month)
    not_updated = dict(
        Entry.objects.for_org(org).filter(status=EntryStatus.OPEN)
        .exclude(Exists(EntryUpdate.objects.filter(entry=OuterRef("pk"), month=current)))
        .values("register_id").annotate(n=Count("pk")).values_list("register_id", "n")
    )
    return [{
        "register_id": r.pk, "area": r.area.name,
        "last_signed_month": max(signed[r.pk], default=None),
        "months_missed": months_missed(signed[r.pk], timezone.localdate(r.created_at), current),
        "entries_not_updated": not_updated.get(r.pk, 0),
    } for r in registers]
