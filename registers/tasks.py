"""Register exports: a ``registers.export`` background job (``registers/background_jobs.py``).

Entries of children on a child protection plan are never exported: they stay
on the protected page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.utils import timezone

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import JobFailed, Progress
from safeguard.tenancy.spreadsheets import append_row

from .models import Entry, ExportFormat, Register

HEADERS = ["Reference", "Status", "Household", "Address", "People", "Level of risk", "The risk", "Categories",
           "Department", "Case", "Local authority involvement", "Actions", "Escalations", "Opened",
           "Closed", "Reason for closing"]
CHUNK = 500


def export_entries(register: Register) -> list[Entry]:
    return list(
        Entry.objects.for_org(register.organisation_id).filter(register_id=register.pk, cp_plan=False)
        .select_related("department", "case")
        .prefetch_related("categories", "people")
        .order_by("status", "reference")
    )


def entry_row(entry: Entry) -> list[str]:
    people = "; ".join(f"{p.full_name} ({p.get_person_type_display()})" for p in entry.people.all())
    return [
        entry.reference, entry.get_status_display(), entry.household, entry.address, people,
        entry.get_risk_level_display(), entry.risk, ", ".join(c.name for c in entry.categories.all()),
        entry.department.name, entry.case.reference if entry.case else "", ", ".join(entry.la_involvement()),
        entry.actions, entry.escalations, f"{entry.opened_on:%d/%m/%Y}",
        f"{entry.closed_on:%d/%m/%Y}" if entry.closed_on else "", entry.closed_reason,
    ]


def _rows_with_progress(progress: Progress, entries: list[Entry]) -> Iterator[list[str]]:
    progress(0, len(entries))
    for index, entry in enumerate(entries, start=1):
        if index % CHUNK == 0:
            progress(index)
        yield entry_row(entry)


def build_xlsx(register: Register, entries: list[Entry], progress: Progress) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Register"[:31]  # type: ignore[union-attr]
    append_row(sheet, [f"{register} – exported {timezone.localtime():%d/%m/%Y %H:%M}. OFFICIAL-SENSITIVE."])
    append_row(sheet, HEADERS)
    for cell in sheet[2]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for row in _rows_with_progress(progress, entries):
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_pdf(register: Register, entries: list[Entry], progress: Progress) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=str(register), author="Safeguard")
    story = [Paragraph(f"{register} (OFFICIAL-SENSITIVE)", styles["Title"]),
             Paragraph(f"Exported {timezone.localtime():%d %B %Y %H:%M}. Entries of children on a child "
                       "protection plan are not included.", styles["Normal"]), Spacer(1, 12)]
    for row in _rows_with_progress(progress, entries):
        story.append(Paragraph(f"<b>{_esc(row[0])}</b> – {_esc(row[1])} – {_esc(row[2])}", styles["Heading3"]))
        for label, value in zip(HEADERS[3:], row[3:], strict=True):
            if value:
                story.append(Paragraph(f"<b>{label}:</b> {_esc(value)}", styles["Normal"]))
        story.append(Spacer(1, 8))
    doc.build(story)
    return out.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def make_export(job: BackgroundJob, progress: Progress) -> None:
    """Make the file of one export (the runner never runs a finished job twice)."""
    register = Register.objects.for_org(job.organisation_id).select_related("area").filter(
        pk=job.params["register_id"]).first()
    if register is None:
        raise JobFailed("The register no longer exists.")
    entries = export_entries(register)
    fmt = job.params["format"]
    builder = build_pdf if fmt == ExportFormat.PDF else build_xlsx
    content = builder(register, entries, progress)
    name = f"register-{register.pk}-{timezone.localtime():%Y%m%d-%H%M}-{job.pk}.{fmt}"
    job.file.save(name, ContentFile(content), save=False)
