"""The case chronology: one dated list of everything that happened on a case.

Other apps contribute entries by registering a function::

    from cases.chronology import ChronologyEntry, register

    @register
    def referral_entries(case) -> list[ChronologyEntry]:
        return [ChronologyEntry(when=r.decided_at, kind="Referral", summary=..., by=r.made_by) for r in ...]

Each function receives a case the viewer may already see, and should use a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from .models import Case


@dataclass
class ChronologyEntry:
    """One dated thing that happened. ``when`` may be a date (shown without a time) or a datetime.

    ``recorded`` (when it was written down) orders same-day entries that have only a date.
    """

    when: date | datetime
    kind: str
    summary: str
    by: Any = None
    detail: str = ""
    extra: list[str] = field(default_factory=list)
    recorded: datetime | None = None

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return timezone.localtime(self.when) if timezone.is_aware(self.when) else timezone.make_aware(self.when)
        if self.recorded is not None and timezone.localtime(self.recorded).date() == self.when:
            return timezone.localtime(self.recorded)
        return timezone.make_aware(datetime.combine(self.when, time.min))

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


Contributor = Callable[[Case], list[ChronologyEntry]]
CONTRIBUTORS: list[Contributor] = []


def register(func: Contributor) -> Contributor:
    if func not in CONTRIBUTORS:
        CONTRIBUTORS.append(func)
    return func


@register
def _core_entries(case: Case) -> list[ChronologyEntry]:
    entries = [ChronologyEntry(e.at, e.get_kind_display(), e.note, e.by) for e in case.events.select_related("by")]
    addenda: dict[int | None, list[str]] = {}
    for a in case.addenda.select_related("written_by"):
        addenda.setdefault(a.action_id, []).append(
            f"Addendum by {a.written_by} on {timezone.localtime(a.written_at):%-d %B %Y %H:%M}: {a.text}"
        )
    entries.append(ChronologyEntry(case.happened_on, "What happened (as reported)", case.what_happened,
                                   case.reported_by, extra=addenda.get(None, []), recorded=case.reported_at))
    for action in case.actions.select_related("recorded_by"):
        entries.append(ChronologyEntry(
            action.taken_on, action.get_action_type_display(), action.note, action.recorded_by,
            detail=f"Next action due {action.next_due:%-d %B %Y}", extra=addenda.get(action.pk, []),
            recorded=action.recorded_at,
        ))
    for f in case.attachments.select_related("uploaded_by"):
        entries.append(ChronologyEntry(f.uploaded_at, "File attached", f.description or f.original_name, f.uploaded_by))
    return entries


def entries_for(case: Case) -> list[ChronologyEntry]:
    """Every contributor's entries, oldest first."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("chronology")
    entries: list[ChronologyEntry] = []
    for contributor in CONTRIBUTORS:
        entries.extend(contributor(case))
    return sorted(entries, key=lambda e: e.sort_key)
