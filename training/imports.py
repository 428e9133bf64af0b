from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.validators import validate_email
from django.utils import timezone

from safeguard.background import imports as shared
from safeguard.background.imports import NO, YES, FileProblem, ImportSpec, Problem, limited_rows, parse_date
from safeguard.background.models import BackgroundJob
from safeguard.background.runner import Progress
from safeguard.tenancy.models import Department, Organisation, User

from . import actions
from .models import Course, DBSLevel, ImportKind, JobRole, Person

__all__ = ["FileProblem", "limited_rows", "parse_date", "NO", "YES"]

log = logging.getLogger("safeguard.training")
PROGRESS_EVERY = shared.PROGRESS_EVERY
INLINE_MAX_BYTES = shared.INLINE_MAX_BYTES
MAX_ROWS = shared.MAX_ROWS
MAX_BYTES = shared.MAX_BYTES
MAX_UNPACKED_BYTES = shared.MAX_UNPACKED_BYTES

COLUMNS: dict[str, list[str]] = {
    ImportKind.PEOPLE: ["reference", "full_name", "email", "kind", "job_role", "department", "team",
                            "line_manager_reference"],
    ImportKind.DBS: ["person_reference", "email", "level", "certificate_number", "issue_date", "update_service"],
    ImportKind.TRAINING: ["person_reference", "email", "course", "level", "provider", "completed_on",
                              "expires_on"],
}
REQUIRED: dict[str, list[str]] = {
    ImportKind.PEOPLE: ["full_name"],
    ImportKind.DBS: ["level", "certificate_number", "issue_date"],
    ImportKind.TRAINING: ["course", "completed_on"],
}
EXAMPLES: dict[str, list[str]] = {
    ImportKind.PEOPLE: ["E1001", "Robin Example", "robin.example@example.org", "colleague", "Housing Officer",
                            "Housing", "North team", "E1000"],
    ImportKind.DBS: ["E1001", "", "enhanced", "001234567890", "14/03/2025", "yes"],
    ImportKind.TRAINING: ["E1001", "", "Safeguarding", "2", "Example Training Ltd", "02/06/2025", ""],
}
DBS_WORDS = {**{lvl.lower(): lvl for lvl in DBSLevel.values}, **{lbl.lower(): v for v, lbl in DBSLevel.choices},
             "enhanced with barred list": DBSLevel.ENHANCED_BARRED, "enhanced barred": DBSLevel.ENHANCED_BARRED}
KIND_WORDS = {**{k: k for k in Person.Kind.values}, **{lbl.lower(): v for v, lbl in Person.Kind.choices}}


def read_rows(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """Headers and numbered rows (the shared reader, with training's limit on what an XLSX unpacks to)."""
    return shared.read_rows(data, name, max_unpacked=MAX_UNPACKED_BYTES)


_text = shared.text


@dataclass
class Lookups:
    """Everything rows are matched against, loaded once per phase (a few queries)."""

    org: Organisation
    job_roles: dict[str, JobRole] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    by_reference: dict[str, Person] = field(default_factory=dict)
    by_email: dict[str, Person] = field(default_factory=dict)
    file_references: set[str] = field(default_factory=set)
    managers: list[tuple[Person, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, org: Organisation) -> Lookups:
        found = cls(org)
        found.job_roles = {j.name.lower(): j for j in JobRole.objects.for_org(org)}
        found.departments = {d.name.lower(): d for d in Department.objects.for_org(org)}
        found.courses = {c.name.lower(): c for c in Course.objects.for_org(org)}
        for p in Person.objects.for_org(org).select_related("job_role", "organisation"):
            if p.reference:
                found.by_reference[p.reference.lower()] = p
            if p.email:
                found.by_email.setdefault(p.email.lower(), p)
        return found

    def person(self, row: dict[str, Any], ref_col: str) -> Person | None:
        ref, email = _text(row, ref_col).lower(), _text(row, "email").lower()
        return self.by_reference.get(ref) if ref else self.by_email.get(email) if email else None


_problem = shared.problem


def _check_people_row(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {"full_name": _text(row, "full_name"), "reference": _text(row, "reference"),
                              "email": _text(row, "email").lower(), "team": _text(row, "team")}
    if not values["full_name"]:
        problems.append(_problem(n, "full_name", "The full name is missing"))
    key = values["reference"].lower() or values["email"]
    if key and key in seen:
        problems.append(_problem(n, "reference", f"{values['reference'] or values['email']} appears more than once "
                                                 "in the file"))
    seen.add(key)
    if values["email"]:
        try:
            validate_email(values["email"])
        except Exception:  # noqa: BLE001 - Django's ValidationError
            problems.append(_problem(n, "email", f"'{values['email']}' is not an e-mail address"))
    kind = _text(row, "kind").lower() or Person.Kind.COLLEAGUE
    values["kind"] = KIND_WORDS.get(kind)
    if values["kind"] is None:
        problems.append(_problem(n, "kind", f"'{kind}' is not a type of person: use colleague, volunteer, "
                                            "board member or contractor"))
    for column, table, what in (("job_role", look.job_roles, "job role"),
                                ("department", look.departments, "department")):
        name = _text(row, column)
        values[column] = table.get(name.lower()) if name else None
        if name and values[column] is None:
            problems.append(_problem(n, column, f"There is no {what} called '{name}' (check the spelling or add it "
                                                "first)"))
    manager = _text(row, "line_manager_reference")
    values["line_manager_reference"] = manager
    if manager and manager.lower() not in look.by_reference and manager.lower() not in look.file_references:
        problems.append(_problem(n, "line_manager_reference", f"No one has the reference '{manager}'"))
    return values, problems


def _check_dbs_row(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    person = look.person(row, "person_reference")
    if person is None:
        problems.append(_problem(n, "person_reference", _no_person(row)))
    level = DBS_WORDS.get(_text(row, "level").lower())
    if level is None or level == DBSLevel.NONE:
        problems.append(_problem(n, "level", f"'{_text(row, 'level')}' is not a DBS level: use basic, standard, "
                                             "enhanced or enhanced with barred lists"))
    raw = row.get("certificate_number")
    # A spreadsheet that stored the number as a number has lost its leading zeros.
    number = str(int(raw)).zfill(12) if isinstance(raw, int | float) else _text(row, "certificate_number").replace(" ", "")
    if not (number.isdigit() and len(number) == 12):
        problems.append(_problem(n, "certificate_number", "The certificate number must be 12 digits"))
    issued = _date_problem(n, row, "issue_date", problems, required=True)
    update = _text(row, "update_service").lower()
    if update not in YES | NO:
        problems.append(_problem(n, "update_service", f"'{update}' should be yes or no"))
    return {"person": person, "level": level, "certificate_number": number, "issued_on": issued,
            "update_service": update in YES}, problems


def _check_training_row(n: int, row: dict[str, Any], look: Lookups, seen: set[str]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    person = look.person(row, "person_reference")
    if person is None:
        problems.append(_problem(n, "person_reference", _no_person(row)))
    name = _text(row, "course")
    course = look.courses.get(name.lower())
    if course is None:
        problems.append(_problem(n, "course", f"There is no course called '{name}'" if name else "The course is missing"))
    level_text = _text(row, "level") or "1"
    level = int(level_text) if level_text.isdigit() else 0
    if level < 1 or (course and level > course.levels):
        problems.append(_problem(n, "level", f"'{level_text}' is not a level of this course"
                                             + (f" (it has levels 1 to {course.levels})" if course else "")))
    done = _date_problem(n, row, "completed_on", problems, required=True)
    expires = _date_problem(n, row, "expires_on", problems, required=False)
    if done and expires and expires <= done:
        problems.append(_problem(n, "expires_on", "The expiry date is not after the completion date"))
    return {"person": person, "course": course, "level": level, "completed_on": done, "expires_on": expires,
            "provider": _text(row, "provider")[:200]}, problems


def _no_person(row: dict[str, Any]) -> str:
    ref, email = _text(row, "person_reference"), _text(row, "email")
    if not ref and not email:
        return "Give the person's reference or e-mail address"
    return f"No one has the {'reference' if ref else 'e-mail address'} '{ref or email}' (import them as people first)"


def _date_problem(n: int, row: dict[str, Any], column: str, problems: list[Problem], *, required: bool) -> date | None:
    value = shared.date_cell(n, row, column, problems, required=required)
    if value is not None and value > timezone.localdate() and column != "expires_on":
        problems.append(_problem(n, column, f"{value:%d/%m/%Y} is in the future"))
    return value


CHECKERS = {ImportKind.PEOPLE: _check_people_row, ImportKind.DBS: _check_dbs_row,
            ImportKind.TRAINING: _check_training_row}


def import_kind(job: BackgroundJob) -> str:
    return str(job.params["kind"])


def _missing(kind: str) -> Any:
    def missing(headers: list[str]) -> list[str]:
        if kind != ImportKind.PEOPLE and "person_reference" not in headers and "email" not in headers:
            return ["person_reference or email"]
        return []
    return missing


def _file_references(look: Lookups, rows: list[tuple[int, dict[str, Any]]]) -> None:
    look.file_references = {_text(r, "reference").lower() for _, r in rows if _text(r, "reference")}


def _spec(kind: str) -> ImportSpec:
    people = kind == ImportKind.PEOPLE
    return ImportSpec(
        columns=COLUMNS[kind], required=REQUIRED[kind], examples=EXAMPLES[kind], load=Lookups.load,
        check=CHECKERS[kind], write=_write_row, missing=_missing(kind),  # type: ignore[index]
        prepare=_file_references if people else (lambda look, rows: None),
        finish=_set_managers if people else (lambda look, counts: None),
        read=lambda data, name: read_rows(data, name),  # looked up when called (tests replace it)
        max_rows=lambda: MAX_ROWS,
    )


def spec_for(job: BackgroundJob) -> ImportSpec:
    return _spec(import_kind(job))


def run_step(job: BackgroundJob, progress: Progress) -> None:
    """The ``training.import`` job: step "check" (find every problem), then step "import"."""
    shared.run_step(job, progress, spec_for(job))


def check_import(job: BackgroundJob, progress: Progress) -> None:
    shared.check_import(job, progress, spec_for(job))


def run_import(job: BackgroundJob, progress: Progress) -> None:
    shared.run_import(job, progress, spec_for(job))


def _existing_person(values: dict[str, Any], look: Lookups) -> Person | None:
    """Match on the reference, else on the e-mail of someone with no other reference."""
    ref = values["reference"].lower()
    if ref and ref in look.by_reference:
        return look.by_reference[ref]
    match = look.by_email.get(values["email"]) if values["email"] else None
    if match is not None and (not match.reference or not ref):
        return match
    return None


def _write_row(job: BackgroundJob, values: dict[str, Any], look: Lookups) -> str:
    user: User = job.requested_by
    if import_kind(job) == ImportKind.PEOPLE:
        manager_ref = values.pop("line_manager_reference")
        existing = _existing_person(values, look)
        if existing is not None and not values["reference"]:
            values["reference"] = existing.reference
        person, outcome = actions.do_save_person(job.organisation, values, person=existing, acting_user=user)
        if person.reference:
            look.by_reference[person.reference.lower()] = person
        if person.email:
            look.by_email.setdefault(person.email, person)
        look.managers.append((person, manager_ref, outcome))
        return outcome
    if import_kind(job) == ImportKind.DBS:
        person = values.pop("person")
        return actions.do_record_dbs(person, acting_user=user, **values)[1]
    person = values.pop("person")
    return actions.do_record_training(person, acting_user=user, **values)[1]


def _set_managers(look: Lookups, counts: dict[str, int]) -> None:
    """Line managers last, so a manager may appear lower down the file than their team."""
    for person, ref, outcome in look.managers:
        manager = look.by_reference.get(ref.lower()) if ref else None
        if manager is None or manager.pk == person.pk or person.line_manager_id == manager.pk:
            continue
        person.line_manager = manager
        person.save(update_fields=["line_manager"])
        if outcome == actions.UNCHANGED:
            counts[actions.UNCHANGED] -= 1
            counts[actions.UPDATED] += 1


def template_rows(kind: str) -> list[list[str]]:
    return _spec(kind).template_rows()
