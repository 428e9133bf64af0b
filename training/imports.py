"""Spreadsheet imports of people, DBS checks and training completions.

Two phases, each callable directly (tests) or from the Celery task (large files):
``check_import`` reads every row and writes each problem in plain words (row,
column, what is wrong) without changing anything; ``run_import`` writes the
rows, skipping bad ones only when the user said so. People are matched on
their reference, else their e-mail, so a re-import never duplicates anyone,
and importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import JobFailed, Progress
from safeguard.tenancy.models import Department, Organisation, User

from . import actions
from .models import Course, DBSLevel, ImportKind, JobRole, Person

log = logging.getLogger("safeguard.training")
PROGRESS_EVERY = 100
INLINE_MAX_BYTES = 20 * 1024  # smaller files (a few hundred rows) are checked and imported during the request
MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024  # the upload itself
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # an XLSX is a zip: what it unpacks to, checked before it is opened
MAX_COLUMNS = 50

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
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong columns, not a spreadsheet)."""


def _norm(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """Headers and (spreadsheet row number, values by column) for each non-empty row."""
    if PurePath(name).suffix.lower() == ".xlsx":
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'.") from exc
    reader = csv.reader(io.StringIO(text))
    headers = [_norm(h) for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, dict(zip(headers, values, strict=False))

    return headers, rows()


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileProblem("The file could not be opened as an XLSX workbook.") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(f"The file holds more than {MAX_ROWS} rows or is too large to read: split it into smaller files.")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reason it is not a workbook
        raise FileProblem("The file could not be opened as an XLSX workbook.") from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # read_only: rows stream, one at a time
    headers = [_norm(h) for h in next(it, ())]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(it, start=2):
            if any(v not in (None, "") for v in values):
                yield number, dict(zip(headers, values, strict=False))

    return headers, rows()


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


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


Problem = dict[str, Any]


def _problem(row: int, column: str, message: str) -> Problem:
    return {"row": row, "column": column, "message": message}


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
    raw = row.get(column)
    if raw in (None, ""):
        if required:
            problems.append(_problem(n, column, "The date is missing"))
        return None
    value = parse_date(raw)
    if value is None:
        problems.append(_problem(n, column, f"'{_text(row, column)}' is not a date: write it like 31/12/2025"))
    elif value > timezone.localdate() and column != "expires_on":
        problems.append(_problem(n, column, f"{value:%d/%m/%Y} is in the future"))
    return value


CHECKERS = {ImportKind.PEOPLE: _check_people_row, ImportKind.DBS: _check_dbs_row,
            ImportKind.TRAINING: _check_training_row}


def import_kind(job: BackgroundJob) -> str:
    return str(job.params["kind"])


def _rows(job: BackgroundJob) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    if job.upload.size > MAX_BYTES:
        raise FileProblem("The file is larger than 5 MB: split it into smaller files.")
    with job.upload.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    headers, rows = read_rows(data, job.file_name)
    kind = import_kind(job)
    missing = [c for c in REQUIRED[kind] if c not in headers]
    if kind != ImportKind.PEOPLE and "person_reference" not in headers and "email" not in headers:
        missing.insert(0, "person_reference or email")
    if missing:
        raise FileProblem(f"The file has no column called {', '.join(missing)}. Start from the template.")
    return headers, rows


def limited_rows(rows: Iterator[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """The rows, counted as they are read: refused at the first row over ``MAX_ROWS``."""
    kept: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        if len(kept) >= MAX_ROWS:
            raise FileProblem(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
        kept.append(row)
    return kept


def checked_rows(job: BackgroundJob, look: Lookups,
                 progress: Progress) -> Iterator[tuple[int, dict[str, Any], list[Problem]]]:
    _, rows = _rows(job)
    all_rows = limited_rows(rows)
    kind = import_kind(job)
    if kind == ImportKind.PEOPLE:
        look.file_references = {_text(r, "reference").lower() for _, r in all_rows if _text(r, "reference")}
    progress(0, len(all_rows))
    seen: set[str] = set()
    for n, row in all_rows:
        values, problems = CHECKERS[kind](n, row, look, seen)
        yield n, values, problems


def run_step(job: BackgroundJob, progress: Progress) -> None:
    """The ``training.import`` job: step "check" (find every problem), then step "import"."""
    try:
        (check_import if job.step == "check" else run_import)(job, progress)
    except FileProblem as exc:
        raise JobFailed(str(exc)) from exc


def check_import(job: BackgroundJob, progress: Progress) -> None:
    """Phase one: find every problem; change nothing else."""
    problems: list[Problem] = []
    bad: set[int] = set()
    for i, (n, _, found) in enumerate(checked_rows(job, Lookups.load(job.organisation), progress), start=1):
        problems += found
        bad |= {n} if found else set()
        if i % PROGRESS_EVERY == 0:
            progress(i)
    job.result = {"problems": problems, "bad_rows": len(bad)}


def run_import(job: BackgroundJob, progress: Progress) -> None:
    """Phase two: write the good rows in one transaction (none at all if a row is bad and not skipped)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        _write_all(job, counts, progress)
    job.result = {**job.result, **counts}


def _write_all(job: BackgroundJob, counts: dict[str, int], progress: Progress) -> None:
    look = Lookups.load(job.organisation)
    rows = list(checked_rows(job, look, progress))
    bad = [n for n, _, found in rows if found]
    if bad and not job.params.get("skip_bad_rows"):
        raise JobFailed(f"{len(bad)} row{'s have' if len(bad) > 1 else ' has'} problems, so nothing was imported.")
    managers: list[tuple[Person, str, str]] = []
    for i, (_, values, found) in enumerate(rows, start=1):
        if found:
            counts["skipped"] += 1
            continue
        outcome = _write_row(job, values, look, managers)
        counts[outcome] += 1
        if i % PROGRESS_EVERY == 0:
            progress(i)
    _set_managers(managers, look, counts)


def _existing_person(values: dict[str, Any], look: Lookups) -> Person | None:
    """Match on the reference, else on the e-mail of someone with no other reference."""
    ref = values["reference"].lower()
    if ref and ref in look.by_reference:
        return look.by_reference[ref]
    match = look.by_email.get(values["email"]) if values["email"] else None
    if match is not None and (not match.reference or not ref):
        return match
    return None


def _write_row(job: BackgroundJob, values: dict[str, Any], look: Lookups,
               managers: list[tuple[Person, str, str]]) -> str:
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
        managers.append((person, manager_ref, outcome))
        return outcome
    if import_kind(job) == ImportKind.DBS:
        person = values.pop("person")
        return actions.do_record_dbs(person, acting_user=user, **values)[1]
    person = values.pop("person")
    return actions.do_record_training(person, acting_user=user, **values)[1]


def _set_managers(managers: list[tuple[Person, str, str]], look: Lookups, counts: dict[str, int]) -> None:
    """Line managers last, so a manager may appear lower down the file than their team."""
    for person, ref, outcome in managers:
        manager = look.by_reference.get(ref.lower()) if ref else None
        if manager is None or manager.pk == person.pk or person.line_manager_id == manager.pk:
            continue
        person.line_manager = manager
        person.save(update_fields=["line_manager"])
        if outcome == actions.UNCHANGED:
            counts[actions.UNCHANGED] -= 1
            counts[actions.UPDATED] += 1


def template_rows(kind: str) -> list[list[str]]:
    return [COLUMNS[kind], EXAMPLES[kind]]
