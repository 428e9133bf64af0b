"""Finding the same person across an organisation's cases.

Two people match when their names agree once normalised (lower case, letters
only, so "O'Neil-Smith" equals "oneil smith") and their dates of birth agree,
or when their tenancy references agree (ignoring case, spaces and punctuation). Each lookup
is a fixed number of queries whatever the number of cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Func, Prefetch, Q, QuerySet

from cases.models import Case, CasePerson, sql_normalised_name, sql_normalised_reference
from cases.policy.visibility import visible_cases
from safeguard.tenancy.models import Area, Membership

from .policy.marac import REPEAT_WINDOW

_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def normalise_name(name: str) -> str:
    return _NOT_LETTER.sub("", (name or "").lower())


def normalise_reference(ref: str) -> str:
    return _NOT_ALNUM.sub("", (ref or "").upper())


def _sql_name() -> Func:
    return sql_normalised_name()


def _sql_reference() -> Func:
    return sql_normalised_reference()  # indexed (``cases_person_org_norm_ref``)


def match_q(people: list[CasePerson]) -> Q | None:
    """A filter on annotated ``CasePerson`` rows matching any of ``people``; None when nothing to match on."""
    q = Q()
    for person in people:
        name = normalise_name(person.full_name)
        if name and person.date_of_birth:
            q |= Q(norm_name=name, date_of_birth=person.date_of_birth)
        ref = normalise_reference(person.tenancy_reference)
        if ref:
            q |= Q(norm_ref=ref)
    return q or None


def matching_people(case: Case, people: list[CasePerson]) -> QuerySet[CasePerson]:
    """People on the organisation's other cases who match any of ``people``."""
    q = match_q(people)
    qs = CasePerson.objects.for_org(case.organisation_id)
    if q is None:
        return qs.none()
    ids = dangerously_matching_ids(case.organisation_id, q, case.pk)
    return qs.filter(pk__in=ids).select_related("case")


def dangerously_matching_ids(org_id: int, q: Q, case_id: int) -> list[int]:
    """Ids of the organisation's case people matching ``q`` (not on case ``case_id``), from the indexes.

    Read as the jobs role, filtered by ``org_id`` by hand: under the app role, row-level security keeps
    the normalised comparisons (``regexp_replace`` is not leakproof) out of the indexes
    ``cases_person_org_dob`` and ``cases_person_org_norm_ref``, so every person of the organisation
    would be read. Only ids leave here; ``matching_people`` reads the rows in the organisation's scope.
    """
    from safeguard.tenancy import rls

    with rls.dangerously_all_orgs():
        return list(CasePerson.all_orgs.filter(organisation_id=org_id)
                    .annotate(norm_name=_sql_name(), norm_ref=_sql_reference()).filter(q)
                    .exclude(case_id=case_id).values_list("pk", flat=True))


def _matched(person: CasePerson, other: CasePerson) -> bool:
    ref = normalise_reference(person.tenancy_reference)
    if ref and ref == normalise_reference(other.tenancy_reference):
        return True
    return bool(person.date_of_birth and person.date_of_birth == other.date_of_birth
                and normalise_name(person.full_name) == normalise_name(other.full_name))


@dataclass
class OtherCase:
    """Another case about someone on this case, as the viewer may see it."""

    case: Case
    visible: bool
    people: list[str] = field(default_factory=list)  # names on this case that matched
    request_pending: bool = False
    restricted_number: int = 0  # 1, 2... among the restricted ones, so each can be told apart


def other_cases(case: Case, people: list[CasePerson], membership: Membership) -> list[OtherCase]:
    """The other cases about this case's people: visible ones in full, restricted ones
    as bare existence; allegations against a colleague the viewer cannot see are left out."""
    from .models import AccessRequest

    # Areas prefetched, not joined (docs/ENGINEERING.md, "Pages at a million cases").
    areas = Area.objects.for_org(case.organisation_id)
    matches = list(matching_people(case, people).prefetch_related(Prefetch("case__area", queryset=areas)))
    if not matches:
        return []
    ids = {m.case_id for m in matches}
    visible = set(visible_cases(case.organisation, membership).filter(pk__in=ids).values_list("pk", flat=True))
    pending = set(AccessRequest.objects.for_org(case.organisation_id).filter(
        case_id__in=ids, requested_by_id=membership.user_id, status=AccessRequest.Status.PENDING,
    ).values_list("case_id", flat=True))
    found: dict[int, OtherCase] = {}
    for other in matches:
        if other.case_id not in visible and other.case.is_colleague_allegation:
            continue
        entry = found.setdefault(other.case_id, OtherCase(other.case, other.case_id in visible,
                                                          request_pending=other.case_id in pending))
        for person in people:
            if _matched(person, other) and person.full_name not in entry.people:
                entry.people.append(person.full_name)
    result = sorted(found.values(), key=lambda o: o.case.reported_at, reverse=True)
    for number, entry in enumerate((o for o in result if not o.visible), start=1):
        entry.restricted_number = number
    return result


def repeat_concern_count(case: Case, person: CasePerson, at: datetime | None = None) -> int:
    """Concerns about ``person`` (this case included) reported in the 12 months up to this case."""
    at = at or case.reported_at
    others = matching_people(case, [person]).filter(
        case__reported_at__gt=at - REPEAT_WINDOW, case__reported_at__lte=at
    ).order_by().values("case_id").distinct().count()
    return others + 1
