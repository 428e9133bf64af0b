"""Hooks on the cases app's records, so the cases code need not know about MARAC.

* A person added to a case: check for a third concern about them within 12 months.
* A case allocated: tell the officer about a MARAC prompt raised before allocation.

Each check runs in a savepoint; a failure is logged and never stops the report
or the allocation it follows.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from cases.models import Case, CasePerson

log = logging.getLogger("safeguard.referrals")


@receiver(post_save, sender=CasePerson, dispatch_uid="referrals.person_added")
def person_added(sender: Any, instance: CasePerson, created: bool, raw: bool = False, **kw: Any) -> None:
    if not created or raw:
        return
    from .actions import check_repeat_concerns

    try:
        with transaction.atomic():
            check_repeat_concerns(Case.all_orgs.select_related("organisation").get(pk=instance.case_id))
    except Exception:
        log.exception("repeat-concern check failed for case %s", instance.case_id)


@receiver(post_save, sender=Case, dispatch_uid="referrals.case_saved")
def case_saved(sender: Any, instance: Case, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or instance.allocated_to_id is None:
        return
    from .actions import notify_marac_prompt

    try:
        with transaction.atomic():
            notify_marac_prompt(instance)
    except Exception:
        log.exception("MARAC prompt notification failed for case %s", instance.pk)
