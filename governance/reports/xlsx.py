"""A report as a spreadsheet: a cover sheet (organisation, title, period, marking) and one sheet per section."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from safeguard.tenancy.spreadsheets import append_row

from .content import Section
from .pdf import MARK


def render(*, org_name: str, title: str, period: str, made_on: str, sections: list[Section]) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "Cover"  # type: ignore[union-attr]
    for row in ([MARK], [org_name], [title], [period], [f"Made on {made_on}"],
                ["Figures only. Numbers below 5 read 'fewer than 5'; 'not shown' hides a number a total would give "
                 "away; no percentage over fewer than 5."]):
        append_row(cover, row)
    cover["A1"].font = Font(bold=True, color="D4351C")  # type: ignore[index]
    cover["A3"].font = Font(bold=True, size=14)  # type: ignore[index]
    used: set[str] = {"Cover"}
    for index, section in enumerate(sections, start=1):
        name = re.sub(r"[\[\]\*\?/\\:]", " ", f"{index} {section.title}")[:31]
        while name in used:
            name = name[:29] + str(index)
        used.add(name)
        sheet = book.create_sheet(name)
        append_row(sheet, [MARK, org_name])
        append_row(sheet, [section.title])
        sheet["A2"].font = Font(bold=True, size=13)
        for text in section.paragraphs:
            append_row(sheet, [text])
        for t in section.tables:
            sheet.append([])
            append_row(sheet, [t.caption])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            append_row(sheet, t.header)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in t.rows:
                append_row(sheet, [_number(v) for v in row])
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: object) -> object:
    text = str(value).replace(",", "")
    return int(text) if text.isdigit() else value
