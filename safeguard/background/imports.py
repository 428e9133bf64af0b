"""The spreadsheet import machinery every app shares (training, governance).

An import is one ``BackgroundJob`` in two steps: "check" reads every row and writes each problem in plain
words (row, column, what is wrong) without changing anything; "import" writes the rows in one transaction,
skipping bad ones only when the person said so. An app plugs in an ``ImportSpec``: its columns, how to load
what rows are matched against (``load(org)``, always scoped to the job's organisation, so another
organisation's records are never matched), a row checker and a row writer (which matches existing records so a
re-import never duplicates anything). Reading (CSV or XLSX, with limits on size, rows and columns), the
preview, skipping bad rows and progress live here once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect

from safeguard.tenancy.access import OrgRequest

from .models import BackgroundJob
from .runner import JobFailed, Progress, enqueue_job, restart_step, run_now

PROGRESS_EVERY = 100
INLINE_MAX_BYTES = 20 * 1024  # smaller files (a few hundred rows) are checked and imported during the request
MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024  # the upload itself
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # an XLSX is a zip: what it unpacks to, checked before it is opened
MAX_COLUMNS = 50
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}

Row = tuple[int, dict[str, Any]]
Problem = dict[str, Any]


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong columns, not a spreadsheet)."""


def norm(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(data: bytes, name: str, *, max_unpacked: int | None = None) -> tuple[list[str], Iterator[Row]]:
    """Headers and (spreadsheet row number, values by column) for each non-empty row."""
    if PurePath(name).suffix.lower() == ".xlsx":
        return _read_xlsx(data, MAX_UNPACKED_BYTES if max_unpacked is None else max_unpacked)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'.") from exc
    reader = csv.reader(io.StringIO(text))
    headers = [norm(h) for h in next(reader, [])]

    def rows() -> Iterator[Row]:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, dict(zip(headers, values, strict=False))

    return headers, rows()


def _read_xlsx(data: bytes, max_unpacked: int) -> tuple[list[str], Iterator[Row]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileProblem("The file could not be opened as an XLSX workbook.") from exc
    if unpacked > max_unpacked:
        raise FileProblem(f"The file holds more than {MAX_ROWS} rows or is too large to read: split it into smaller files.")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any reason it is not a workbook
        raise FileProblem("The file could not be opened as an XLSX workbook.") from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # read_only: rows stream, one at a time
    headers = [norm(h) for h in next(it, ())]

    def rows() -> Iterator[Row]:
        for number, values in enumerate(it, start=2):
            if any(v not in (None, "") for v in values):
                yield number, dict(zip(headers, values, strict=False))

    return headers, rows()


def limited_rows(rows: Iterator[Row], max_rows: int | None = None) -> list[Row]:
    """The rows, counted as they are read: refused at the first row over the limit."""
    limit = MAX_ROWS if max_rows is None else max_rows
    kept: list[Row] = []
    for row in rows:
        if len(kept) >= limit:
            raise FileProblem(f"The file has more than {limit} rows: split it into smaller files.")
        kept.append(row)
    return kept


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text_value = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text_value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def text(row: dict[str, Any], column: str) -> str:
    value = row.get(column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def problem(row: int, column: str, message: str) -> Problem:
    return {"row": row, "column": column, "message": message}


def date_cell(n: int, row: dict[str, Any], column: str, problems: list[Problem], *, required: bool) -> date | None:
    """A date column: None (and a problem when required) if empty, a problem if it is not a date."""
    raw = row.get(column)
    if raw in (None, ""):
        if required:
            problems.append(problem(n, column, "The date is missing"))
        return None
    value = parse_date(raw)
    if value is None:
        problems.append(problem(n, column, f"'{text(row, column)}' is not a date: write it like 31/12/2025"))
    return value


def yes_no(n: int, row: dict[str, Any], column: str, problems: list[Problem], default: bool = False) -> bool:
    value = text(row, column).lower()
    if value == "":
        return default
    if value not in YES | NO:
        problems.append(problem(n, column, f"'{text(row, column)}' should be yes or no"))
    return value in YES


@dataclass
class ImportSpec:
    """What one kind of import plugs into the shared machinery.

    * ``load(org)``: everything rows are matched against, loaded once per step (scoped to ``org``).
    * ``check(n, row, look, seen)`` -> (values, problems): one row, changing nothing. ``seen`` is shared by the
      rows of one file (to refuse the same record twice).
    * ``write(job, values, look)`` -> "created" | "updated" | "unchanged": one good row.
    * ``prepare(look, rows)`` before checking (e.g. references given further down the file), ``finish(look,
      counts)`` after writing.
    """

    columns: list[str]
    required: list[str]
    examples: list[str]
    load: Callable[[Any], Any]
    check: Callable[[int, dict[str, Any], Any, set[str]], tuple[dict[str, Any], list[Problem]]]
    write: Callable[[BackgroundJob, dict[str, Any], Any], str]
    missing: Callable[[list[str]], list[str]] = field(default=lambda headers: [])
    prepare: Callable[[Any, list[Row]], None] = field(default=lambda look, rows: None)
    finish: Callable[[Any, dict[str, int]], None] = field(default=lambda look, counts: None)
    read: Callable[[bytes, str], tuple[list[str], Iterator[Row]]] = read_rows
    max_rows: Callable[[], int] = field(default=lambda: MAX_ROWS)

    def template_rows(self) -> list[list[str]]:
        return [self.columns, self.examples]


def _rows(job: BackgroundJob, spec: ImportSpec) -> Iterator[Row]:
    if job.upload.size > MAX_BYTES:
        raise FileProblem("The file is larger than 5 MB: split it into smaller files.")
    with job.upload.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    headers, rows = spec.read(data, job.file_name)
    missing = spec.missing(headers) + [c for c in spec.required if c not in headers]
    if missing:
        raise FileProblem(f"The file has no column called {', '.join(missing)}. Start from the template.")
    return rows


def checked_rows(job: BackgroundJob, spec: ImportSpec, look: Any,
                 progress: Progress) -> Iterator[tuple[int, dict[str, Any], list[Problem]]]:
    all_rows = limited_rows(_rows(job, spec), spec.max_rows())
    spec.prepare(look, all_rows)
    progress(0, len(all_rows))
    seen: set[str] = set()
    for n, row in all_rows:
        values, problems = spec.check(n, row, look, seen)
        yield n, values, problems


def run_step(job: BackgroundJob, progress: Progress, spec: ImportSpec) -> None:
    """An import job: step "check" (find every problem), then step "import"."""
    try:
        (check_import if job.step == "check" else run_import)(job, progress, spec)
    except FileProblem as exc:
        raise JobFailed(str(exc)) from exc


def check_import(job: BackgroundJob, progress: Progress, spec: ImportSpec) -> None:
    """Step one: find every problem; change nothing else."""
    problems: list[Problem] = []
    bad: set[int] = set()
    for i, (n, _, found) in enumerate(checked_rows(job, spec, spec.load(job.organisation), progress), start=1):
        problems += found
        bad |= {n} if found else set()
        if i % PROGRESS_EVERY == 0:
            progress(i)
    job.result = {"problems": problems, "bad_rows": len(bad)}


def run_import(job: BackgroundJob, progress: Progress, spec: ImportSpec) -> None:
    """Step two: write the good rows in one transaction (none at all if a row is bad and not skipped)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with transaction.atomic():
        look = spec.load(job.organisation)
        rows = list(checked_rows(job, spec, look, progress))
        bad = [n for n, _, found in rows if found]
        if bad and not job.params.get("skip_bad_rows"):
            raise JobFailed(f"{len(bad)} row{'s have' if len(bad) > 1 else ' has'} problems, so nothing was imported.")
        for i, (_, values, found) in enumerate(rows, start=1):
            if found:
                counts["skipped"] += 1
                continue
            counts[spec.write(job, values, look)] += 1
            if i % PROGRESS_EVERY == 0:
                progress(i)
        spec.finish(look, counts)
    job.result = {**job.result, **counts}


MAX_PROBLEMS_SHOWN = 500


def preview_context(job: BackgroundJob) -> dict[str, Any]:
    """What the shared preview (``background/_import_result.html``) shows of a checked or finished import."""
    problems = job.result.get("problems", [])
    bad = job.result.get("bad_rows", 0)
    return {"problems": problems[:MAX_PROBLEMS_SHOWN], "more": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
            "bad_rows": bad, "good_rows": job.total - bad}


def start(job: BackgroundJob, inline_max_bytes: int | None = None) -> None:
    """Small files are done now; large ones by the worker while the progress page refreshes."""
    if job.upload.size <= (INLINE_MAX_BYTES if inline_max_bytes is None else inline_max_bytes):
        run_now(job)
    else:
        enqueue_job(job)


def confirm(request: OrgRequest, jobs: QuerySet[BackgroundJob], pk: int,
            inline_max_bytes: int | None = None) -> HttpResponse:
    """The person's "import" after the check: refused if a row is bad and they did not choose to skip it."""
    with transaction.atomic():
        job = get_object_or_404(jobs.select_for_update(), pk=pk)
        if job.step != "check" or job.status != BackgroundJob.Status.DONE:
            messages.error(request, "This import has already been started.")
            return redirect("background:job", pk=job.pk)
        skip = request.POST.get("skip_bad_rows") == "yes"
        if job.result.get("bad_rows") and not skip:
            messages.error(request, "Some rows have problems. Fix them and upload the file again, or choose to skip them.")
            return redirect("background:job", pk=job.pk)
        restart_step(job, "import", params={**job.params, "skip_bad_rows": skip})
    start(job, inline_max_bytes)
    return redirect("background:job", pk=job.pk)
