"""What a found record holds, as named parts the Data Privacy Manager can redact, and the redactions applied.

One place for both the review page and the PDF pack, so what is previewed is what is disclosed. A redacted
part or phrase is replaced by a ``Redacted(reason)`` segment: the text itself never leaves this module."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from cases.models import Action, Addendum, Case, CasePerson
from cases.referrals.models import Consent, Referral
from registers.models import Entry, EntryPerson, EntryUpdate
from training.models import DBSCheck, Person, TrainingRecord

from .models import FoundRecord, Redaction

EVERYWHERE = "*"  # a phrase redacted in every part of the record


@dataclass(frozen=True)
class Redacted:
    reason: str

    @property
    def label(self) -> str:
        return f"[redacted: {self.reason}]"


Segment = str | Redacted


@dataclass
class Part:
    key: str
    label: str
    text: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def redacted(self) -> bool:
        return any(isinstance(s, Redacted) for s in self.segments)


@dataclass
class RecordContent:
    title: str
    facts: list[tuple[str, str]]  # not redactable: reference, dates, kind
    parts: list[Part]


def _d(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else "not recorded"


def _person_line(p: CasePerson | EntryPerson) -> str:
    bits = [p.full_name, p.get_person_type_display()]
    if p.date_of_birth:
        bits.append(f"born {_d(p.date_of_birth)}")
    if isinstance(p, CasePerson) and p.age:
        bits.append(f"age {p.age}")
    if isinstance(p, CasePerson) and p.address:
        bits.append(p.address.replace("\n", ", "))
    if isinstance(p, CasePerson) and p.tenancy_reference:
        bits.append(f"tenancy {p.tenancy_reference}")
    return "; ".join(bits)


def _case(case: Case) -> RecordContent:
    parts = [
        Part("reported_by", "Reported by", case.reported_by.full_name),
        Part("what_happened", "What was seen or heard", case.what_happened),
    ]
    parts += [Part(f"person:{p.pk}", "Person on the case", _person_line(p)) for p in case.people.all()]
    for a in case.actions.all():
        parts.append(
            Part(
                f"action:{a.pk}",
                f"Action, {a.get_action_type_display().lower()}, {_d(a.taken_on)}, "
                f"by {a.recorded_by.full_name}",
                a.note,
            )
        )
    for add in case.addenda.all():
        parts.append(
            Part(
                f"addendum:{add.pk}",
                f"Addendum, {_d(add.written_at)}, by {add.written_by.full_name}",
                add.text,
            )
        )
    for c in case.consents.all():
        text = "; ".join(
            t
            for t in (
                f"{c.get_status_display()}",
                f"capacity: {c.get_capacity_display()}" if c.capacity else "",
                c.capacity_notes,
                c.notes,
            )
            if t
        )
        parts.append(Part(f"consent:{c.pk}", f"Consent, {_d(c.decided_on)}", text))
    for r in case.referrals.all():
        text = f"To {r.get_agency_display()} {r.agency_name}: {r.reason}".strip()
        if r.outcome_notes:
            text += f" Outcome: {r.get_outcome_display()}. {r.outcome_notes}"
        parts.append(Part(f"referral:{r.pk}", f"Referral, decided {_d(r.decided_on)}", text))
    if case.outcome:
        parts.append(Part("outcome", "Outcome and reason to close", case.outcome))
    facts = [
        ("Reference", case.reference),
        ("Kind", case.get_concern_type_display()),
        ("Status", case.get_status_display()),
        ("Reported", _d(case.reported_at)),
        ("When it happened", _d(case.happened_on)),
        ("Area", case.area.name),
        ("Source", case.get_source_display()),
    ]
    return RecordContent(f"Case {case.reference}", facts, parts)


def _entry(entry: Entry) -> RecordContent:
    parts = [Part("household", "Household", entry.household)]
    if entry.address:
        parts.append(Part("address", "Address", entry.address))
    parts += [Part(f"person:{p.pk}", "Person on the entry", _person_line(p)) for p in entry.people.all()]
    parts.append(Part("risk", "The risk", entry.risk))
    for key, label in (
        ("actions", "Actions"),
        ("escalations", "Escalations"),
        ("closed_reason", "Reason for closing"),
    ):
        if getattr(entry, key):
            parts.append(Part(key, label, getattr(entry, key)))
    for u in entry.updates.all():
        text = f"Liaised with {u.with_whom}. {u.what_changed}" + (
            f" Actions: {u.actions}" if u.actions else ""
        )
        parts.append(Part(f"update:{u.pk}", f"Monthly update, {_d(u.liaised_on)}", text))
    facts = [
        ("Reference", entry.reference),
        ("Register", entry.register.area.name),
        ("Level of risk", entry.get_risk_level_display()),
        ("Status", entry.get_status_display()),
        ("Opened", _d(entry.opened_on)),
    ]
    return RecordContent(f"Register entry {entry.reference}", facts, parts)


def _training(person: Person) -> RecordContent:
    parts = [Part("full_name", "Name", person.full_name)]
    if person.email:
        parts.append(Part("email", "E-mail address", person.email))
    for d in person.dbs_checks.all():
        parts.append(
            Part(
                f"dbs:{d.pk}",
                f"DBS check, issued {_d(d.issued_on)}",
                f"{d.get_level_display()}; certificate {d.certificate_number}; renews {_d(d.renews_on)}"
                + ("; entered in error" if d.entered_in_error_at else ""),
            )
        )
    for t in person.training_records.all():
        parts.append(
            Part(
                f"training:{t.pk}",
                f"Training, completed {_d(t.completed_on)}",
                f"{t.course.name} level {t.level}; expires {_d(t.expires_on)}"
                + (f"; provider {t.provider}" if t.provider else "")
                + ("; entered in error" if t.entered_in_error_at else ""),
            )
        )
    facts = [
        ("Kind", person.get_kind_display()),
        ("Reference", person.reference or "none"),
        ("Job role", person.job_role.name if person.job_role else "none"),
        ("Team", person.team or "none"),
    ]
    return RecordContent(f"Training and DBS record of {person.full_name}", facts, parts)


def load(org: Any, found: Iterable[FoundRecord]) -> list[FoundRecord]:
    """The found records with everything their content needs, in a fixed number of queries."""
    found = list(found)
    cases = (
        Case.objects.for_org(org)
        .filter(pk__in=[f.case_id for f in found if f.case_id])
        .select_related("reported_by", "area")
        # One Prefetch (one queryset type) per call: the stubs give a call's lookups a single type.
        .prefetch_related(
            "people",
            Prefetch(
                "actions",
                Action.objects.for_org(org).select_related("recorded_by").order_by("taken_on", "pk"),
            ),
        )
        .prefetch_related(Prefetch("addenda", Addendum.objects.for_org(org).select_related("written_by")))
        .prefetch_related(Prefetch("consents", Consent.objects.for_org(org).order_by("decided_on", "pk")))
        .prefetch_related(Prefetch("referrals", Referral.objects.for_org(org).order_by("decided_on", "pk")))
    )
    entries = (
        Entry.objects.for_org(org)
        .filter(pk__in=[f.entry_id for f in found if f.entry_id])
        .select_related("register__area")
        .prefetch_related("people", Prefetch("updates", EntryUpdate.objects.for_org(org).order_by("month")))
    )
    people = (
        Person.objects.for_org(org)
        .filter(pk__in=[f.training_person_id for f in found if f.training_person_id])
        .select_related("job_role")
        .prefetch_related(Prefetch("dbs_checks", DBSCheck.objects.for_org(org).order_by("issued_on")))
        .prefetch_related(
            Prefetch(
                "training_records",
                TrainingRecord.objects.for_org(org).select_related("course").order_by("completed_on"),
            ),
        )
    )
    by: dict[str, dict[int, Any]] = {
        "case": {c.pk: c for c in cases},
        "entry": {e.pk: e for e in entries},
        "person": {p.pk: p for p in people},
    }
    redactions: dict[int, list[Redaction]] = {}
    for r in Redaction.objects.for_org(org).filter(found__in=[f.pk for f in found]).select_related("made_by"):
        redactions.setdefault(r.found_id, []).append(r)
    for f in found:
        if f.case_id:
            f.case = by["case"].get(f.case_id)
        if f.entry_id:
            f.entry = by["entry"].get(f.entry_id)
        if f.training_person_id:
            f.training_person = by["person"].get(f.training_person_id)
        f.loaded_redactions = redactions.get(f.pk, [])  # type: ignore[attr-defined]
    return found


def content(found: FoundRecord) -> RecordContent:
    """The record's parts with the redactions applied (``load`` the found records first)."""
    if found.case_id:
        record = _case(found.case)  # type: ignore[arg-type]
    elif found.entry_id:
        record = _entry(found.entry)  # type: ignore[arg-type]
    else:
        record = _training(found.training_person)  # type: ignore[arg-type]
    redactions = getattr(found, "loaded_redactions", None)
    if redactions is None:
        redactions = list(found.redactions.all())  # one record: the review page
    for part in record.parts:
        part.segments = apply(part.text, [r for r in redactions if r.part in (part.key, EVERYWHERE)])
    return record


def apply(text: str, redactions: list[Redaction]) -> list[Segment]:
    """``text`` as segments: a whole-part redaction replaces all of it; a phrase is replaced wherever it occurs
    (whatever its case). Adjacent redactions merge into one box."""
    whole = [r for r in redactions if not r.phrase.strip()]
    if whole:
        return [Redacted(whole[0].reason)]
    segments: list[Segment] = [text]
    for r in sorted(redactions, key=lambda r: -len(r.phrase)):
        pattern = re.compile(re.escape(r.phrase.strip()), re.IGNORECASE)
        out: list[Segment] = []
        for seg in segments:
            if isinstance(seg, Redacted):
                out.append(seg)
                continue
            pieces = pattern.split(seg)
            for i, piece in enumerate(pieces):
                if i:
                    out.append(Redacted(r.reason))
                if piece:
                    out.append(piece)
        segments = out
    return segments


def part_choices(found: FoundRecord) -> list[tuple[str, str]]:
    """The parts of a record one may redact, for the redaction form."""
    record = content(found)
    return [(EVERYWHERE, "Everywhere in this record (give the text)")] + [
        (p.key, f"{p.label}: {p.text[:60]}{'…' if len(p.text) > 60 else ''}") for p in record.parts
    ]
