"""Who is told of a daily flag on a case: its officer and the managers ``told_of_flags``
(``management.MANAGERS``). Every daily job about a case (no action in time, referral deadlines)
uses this one query, so a flag never reaches someone who cannot open the case.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Case
from .management import dangerously_managers_of


def dangerously_told_of_flags(case_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """(case id, organisation id, user id) for every case, in two queries.

    Crosses organisations on purpose: the daily jobs work in sets over every organisation.
    """
    ids = list(case_ids)
    officers = Case.all_orgs.filter(pk__in=ids, allocated_to__isnull=False).values_list(
        "pk", "organisation_id", "allocated_to_id")
    return sorted(set(officers) | set(dangerously_managers_of(ids)))
