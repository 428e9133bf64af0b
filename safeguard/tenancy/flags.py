"""Raising and clearing flags in sets, for the daily jobs.

A job describes a flag kind with a queryset of the things that need it now
(across every organisation, on purpose) and a query for who to tell. ``sync``
then runs a fixed handful of SQL statements whatever the numbers:

1. clear the open flags of that kind whose subject no longer needs one;
2. insert a flag for each subject that needs one and has none open;
3. insert one notification per new flag and recipient (deduplicated, so a
   rerun on the same day tells nobody twice), e-mailed after commit.

Running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Flag, Notification
from .notifications import enqueue_pending_emails

CHUNK = 2000

# (subject id, organisation id, user id) for every person to tell about a new flag
Recipients = Callable[[list[int]], Iterable[tuple[int, int, int]]]


@dataclass
class FlagResult:
    raised: int
    cleared: int
    notified: int


def sync(
    *,
    kind: str,
    needing: models.QuerySet[Any],
    recipients: Recipients,
    title: Callable[[dict[str, Any]], str],
    url: Callable[[dict[str, Any]], str],
    label_fields: tuple[str, ...] = (),
    period: str = "",
    app_title: Callable[[dict[str, Any], int], str] | None = None,
) -> FlagResult:
    model = needing.model
    ct = ContentType.objects.get_for_model(model)
    now = timezone.now()
    with transaction.atomic():
        open_flags = Flag.all_orgs.filter(kind=kind, content_type=ct, cleared_at__isnull=True)
        # NOT EXISTS rather than NOT IN: an anti-join, whatever the size of either side.
        cleared = open_flags.exclude(Exists(needing.filter(pk=OuterRef("object_id")))).update(cleared_at=now)
        current = open_flags.filter(period=period) if period else open_flags
        new_rows = list(
            needing.exclude(Exists(current.filter(object_id=OuterRef("pk"))))
            .values_list("pk", "organisation_id", *label_fields).order_by()
        )
        fields = ("pk", "organisation_id", *label_fields)
        by_id = {r[0]: r for r in new_rows}
        for chunk in _chunks(new_rows):
            Flag.all_orgs.bulk_create(
                [Flag(organisation_id=r[1], kind=kind, content_type=ct, object_id=r[0], period=period, raised_at=now)
                 for r in chunk],
                ignore_conflicts=True,
            )
        notified = 0
        told = recipients(list(by_id)) if by_id else []
        for chunk in _chunks([t for t in told if t[0] in by_id]):
            notes = []
            for subject_id, org_id, user_id in chunk:
                row = dict(zip(fields, by_id[subject_id], strict=True))
                notes.append(Notification(
                    organisation_id=org_id, recipient_id=user_id, kind=kind,
                    title=title(row)[:200], url=url(row),
                    app_title=app_title(row, user_id)[:200] if app_title else "",
                    dedupe_key=f"flag:{kind}:{subject_id}:{period}",
                ))
            Notification.all_orgs.bulk_create(notes, ignore_conflicts=True)
            notified += len(notes)
        from safeguard.api.webhooks import dangerously_emit_many

        dangerously_emit_many(
            (r[1], "flag.raised", f"flag.raised:{kind}:{ct.app_label}.{ct.model}:{r[0]}:{period}",
             {"kind": kind, "subject_type": f"{ct.app_label}.{ct.model}", "subject_id": r[0], "period": period})
            for r in new_rows)
        if notified:
            transaction.on_commit(enqueue_pending_emails)
    return FlagResult(raised=len(new_rows), cleared=cleared, notified=notified)


def _chunks(rows: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Rows a few thousand at a time, so the objects of one insert are all that is held (memory flat)."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def open_flags_for(org_id: int, kind: str, model: type[models.Model]) -> models.QuerySet[Flag]:
    ct = ContentType.objects.get_for_model(model)
    return Flag.objects.for_org(org_id).filter(kind=kind, content_type=ct, cleared_at__isnull=True)
