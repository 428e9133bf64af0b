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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .models import Flag, Notification
from .notifications import enqueue_pending_emails

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
        cleared = open_flags.exclude(object_id__in=needing.values("pk")).update(cleared_at=now)
        current = open_flags.filter(period=period) if period else open_flags
        new_rows = list(
            needing.exclude(pk__in=current.values("object_id")).values("pk", "organisation_id", *label_fields)
        )
        Flag.all_orgs.bulk_create(
            [Flag(organisation_id=r["organisation_id"], kind=kind, content_type=ct, object_id=r["pk"],
                  period=period, raised_at=now) for r in new_rows],
            ignore_conflicts=True,
        )
        by_id = {r["pk"]: r for r in new_rows}
        notes = [
            Notification(
                organisation_id=org_id, recipient_id=user_id, kind=kind,
                title=title(by_id[subject_id])[:200], url=url(by_id[subject_id]),
                app_title=app_title(by_id[subject_id], user_id)[:200] if app_title else "",
                dedupe_key=f"flag:{kind}:{subject_id}:{period}",
            )
            for subject_id, org_id, user_id in (recipients(list(by_id)) if by_id else [])
            if subject_id in by_id
        ]
        Notification.all_orgs.bulk_create(notes, ignore_conflicts=True)
        from safeguard.api.webhooks import dangerously_emit_many

        dangerously_emit_many(
            (r["organisation_id"], "flag.raised", f"flag.raised:{kind}:{ct.app_label}.{ct.model}:{r['pk']}:{period}",
             {"kind": kind, "subject_type": f"{ct.app_label}.{ct.model}", "subject_id": r["pk"], "period": period})
            for r in new_rows)
        if notes:
            transaction.on_commit(enqueue_pending_emails)
    return FlagResult(raised=len(new_rows), cleared=cleared, notified=len(notes))


def open_flags_for(org_id: int, kind: str, model: type[models.Model]) -> models.QuerySet[Flag]:
    ct = ContentType.objects.get_for_model(model)
    return Flag.objects.for_org(org_id).filter(kind=kind, content_type=ct, cleared_at__isnull=True)
