"""Finding every record about a request's data subject: one query per source (cases, register entries,
training), each scoped to the organisation, so another organisation's records are never found.

A record matches by the person's name and date of birth (a record with no date of birth matches by name, and
says so), by tenancy reference, or by the person record the request was linked to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from cases.models import CasePerson
from registers.models import Entry, EntryPerson
from safeguard.tenancy.models import Organisation
from training.models import Person

from .models import Request, Source


@dataclass(frozen=True)
class Match:
    source: Source
    pk: int
    matched_by: str


def _norm(text: str) -> str:
    return " ".join(text.split())


def _people_q(request: Request, prefix: str = "") -> Q:
    """Name (whatever its case and spacing) and date of birth; a record holding no date of birth matches by name."""
    name = _norm(request.subject_name)
    if not name:
        return Q(pk__in=[])
    by_name = Q(**{f"{prefix}full_name__iexact": name})
    if request.subject_date_of_birth:
        return by_name & (
            Q(**{f"{prefix}date_of_birth": request.subject_date_of_birth})
            | Q(**{f"{prefix}date_of_birth__isnull": True})
        )
    return by_name


def _why(row_name: str, row_dob: object, row_ref: str, request: Request, linked: bool) -> str:
    reasons = []
    if linked:
        reasons.append("the linked person record")
    if _norm(row_name).casefold() == _norm(request.subject_name).casefold() and request.subject_name.strip():
        if request.subject_date_of_birth and row_dob == request.subject_date_of_birth:
            reasons.append("name and date of birth")
        elif request.subject_date_of_birth and row_dob is None:
            reasons.append("name (no date of birth on the record: check it is the same person)")
        elif not request.subject_date_of_birth:
            reasons.append("name")
    ref = request.subject_tenancy_reference.strip()
    if ref and row_ref.strip().casefold() == ref.casefold():
        reasons.append("tenancy reference")
    return ", ".join(reasons) or "name"


def cases(org: Organisation, request: Request) -> list[Match]:
    """One query: the people on the organisation's cases who match, with their case."""
    ref = request.subject_tenancy_reference.strip()
    q = _people_q(request)
    if ref:
        q |= Q(tenancy_reference__iexact=ref)
    if request.subject_case_person_id:
        q |= Q(pk=request.subject_case_person_id)
    rows = (
        CasePerson.objects.for_org(org)
        .filter(q)
        .values_list("pk", "case_id", "full_name", "date_of_birth", "tenancy_reference")
        .order_by("case_id", "pk")
    )
    found: dict[int, list[str]] = {}
    for pk, case_id, name, dob, row_ref in rows:
        why = _why(name, dob, row_ref, request, pk == request.subject_case_person_id)
        found.setdefault(case_id, [])
        if why not in found[case_id]:
            found[case_id].append(why)
    return [Match(Source.CASE, case_id, "; ".join(whys)) for case_id, whys in found.items()]


def entries(org: Organisation, request: Request) -> list[Match]:
    """One query: register entries whose people match, or whose tenancy reference does."""
    ref = request.subject_tenancy_reference.strip()
    people = EntryPerson.objects.for_org(org).filter(_people_q(request))
    q = Q(pk__in=people.values("entry_id"))
    if ref:
        q |= Q(tenancy_reference__iexact=ref)
    rows = Entry.objects.for_org(org).filter(q).values_list("pk", "tenancy_reference").order_by("pk")
    out = []
    for pk, row_ref in rows:
        by_ref = bool(ref) and row_ref.strip().casefold() == ref.casefold()
        out.append(
            Match(
                Source.ENTRY,
                pk,
                "tenancy reference"
                if by_ref
                else "a person on the entry: name"
                + (" and date of birth" if request.subject_date_of_birth else ""),
            )
        )
    return out


def training(org: Organisation, request: Request) -> list[Match]:
    """One query: people in the training records by name (they hold no date of birth) or the linked record."""
    name = _norm(request.subject_name)
    q = Q(full_name__iexact=name) if name else Q(pk__in=[])
    if request.subject_training_person_id:
        q |= Q(pk=request.subject_training_person_id)
    rows = Person.objects.for_org(org).filter(q).values_list("pk", "full_name").order_by("pk")
    return [
        Match(
            Source.TRAINING,
            pk,
            "the linked person record"
            if pk == request.subject_training_person_id
            else "name (training records hold no date of birth: check it is the same person)",
        )
        for pk, _ in rows
    ]


SOURCES = (cases, entries, training)


def find(org: Organisation, request: Request) -> list[Match]:
    """Every match in the organisation, one query per source."""
    return [m for source in SOURCES for m in source(org, request)]
