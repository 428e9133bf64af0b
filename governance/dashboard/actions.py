"""Changes of the board dashboard: the commentary and the thresholds, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.tenancy import audit
from safeguard.tenancy.concurrency import lock_for_edit
from safeguard.tenancy.models import Organisation, User

from .models import Commentary, RagSettings


@transaction.atomic
def do_save_commentary(org: Organisation, month: date, text: str, *, version: int | None,
                       acting_user: User) -> Commentary:
    existing = Commentary.objects.for_org(org).filter(month=month).first()
    if existing is None:
        commentary = Commentary.objects.create(organisation=org, month=month, text=text.strip(),
                                               written_by=acting_user)
    else:
        commentary = lock_for_edit(Commentary.objects.for_org(org), existing.pk, version,
                                   message="Someone else saved the commentary while you were writing.")
        commentary.text, commentary.written_by, commentary.written_at = text.strip(), acting_user, timezone.now()
        commentary.version += 1
        commentary.save()
    audit.record(org=org, actor=acting_user, action="board.commentary_saved", obj=commentary)
    return commentary


@transaction.atomic
def do_save_rag_settings(org: Organisation, values: dict[str, Any], *, acting_user: User) -> RagSettings:
    settings, _ = RagSettings.objects.for_org(org).get_or_create(organisation=org)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.version += 1
    settings.save()
    audit.record(org=org, actor=acting_user, action="board.rag_settings_saved", obj=settings, **{
        k: str(v) for k, v in values.items()})
    return settings
