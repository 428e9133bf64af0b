"""Register exports, made in a Celery task with progress the status page shows.

Entries of children on a child protection plan are never exported: they stay
on the protected page.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Entry, ExportFormat, ExportStatus, RegisterExport

log = logging.getLogger("safeguard.registers")

HEADERS = ["Reference", "Status", "Household", "Address", "People", "Level of risk", "The risk", "Categories",
           "Department", "Case", "Local authority involvement", "Actions", "Escalations", "Opened",
           "Closed", "Reason for closing"]
CHUNK = 500


def export_entries(export: RegisterExport) -> list[Entry]:
    return list(
        Entry.objects.for_org(export.organisation_id).filter(register_id=export.register_id, cp_plan=False)
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


def _rows_with_progress(export: RegisterExport, entries: list[Entry]) -> Iterator[list[str]]:
    total = max(len(entries), 1)
    for index, entry in enumerate(entries, start=1):
        if index % CHUNK == 0:
            RegisterExport.all_orgs.filter(pk=export.pk).update(progress=min(95, 10 + 85 * index // total))
        yield entry_row(entry)


def build_xlsx(export: RegisterExport, entries: list[Entry]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Register"[:31]
    sheet.append([f"{export.register} – exported {timezone.localtime():%d/%m/%Y %H:%M}. OFFICIAL-SENSITIVE."])
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows_with_progress(export, entries):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_pdf(export: RegisterExport, entries: list[Entry]) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=str(export.register), author="Safeguard")
    story = [Paragraph(f"{export.register} (OFFICIAL-SENSITIVE)", styles["Title"]),
             Paragraph(f"Exported {timezone.localtime():%d %B %Y %H:%M}. Entries of children on a child "
                       "protection plan are not included.", styles["Normal"]), Spacer(1, 12)]
    for row in _rows_with_progress(export, entries):
        story.append(Paragraph(f"<b>{_esc(row[0])}</b> – {_esc(row[1])} – {_esc(row[2])}", styles["Heading3"]))
        for label, value in zip(HEADERS[3:], row[3:], strict=True):
            if value:
                story.append(Paragraph(f"<b>{label}:</b> {_esc(value)}", styles["Normal"]))
        story.append(Spacer(1, 8))
    doc.build(story)
    return out.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


@shared_task(name="registers.tasks.make_export", ignore_result=True)
def make_export(export_id: int) -> str:
    """Make the file of one export; safe to run twice (a finished export is left alone)."""
    from safeguard.tenancy import rls

    with rls.org_scope(rls.org_of(RegisterExport, export_id)):
        return _make_export(export_id)


def _make_export(export_id: int) -> str:
    updated = RegisterExport.all_orgs.filter(pk=export_id, status=ExportStatus.WAITING).update(
        status=ExportStatus.RUNNING, progress=5)
    if not updated:
        return "skipped"
    export = RegisterExport.all_orgs.select_related("register__area").get(pk=export_id)
    try:
        entries = export_entries(export)
        builder = build_pdf if export.format == ExportFormat.PDF else build_xlsx
        content = builder(export, entries)
        name = f"register-{export.register_id}-{timezone.localtime():%Y%m%d-%H%M}-{export.pk}.{export.format}"
        export.file.save(name, ContentFile(content), save=False)
        export.status, export.progress, export.finished_at = ExportStatus.DONE, 100, timezone.now()
        export.save()
    except Exception:
        log.exception("register export %s failed", export_id)
        RegisterExport.all_orgs.filter(pk=export_id).update(status=ExportStatus.FAILED,
                                                            error="The file could not be made.")
        return "failed"
    return "done"

