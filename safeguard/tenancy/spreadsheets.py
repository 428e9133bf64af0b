"""Writing CSV and XLSX files that a spreadsheet cannot run.

Every spreadsheet the app writes goes through here. A cell whose text starts with
``= + - @``, a tab or a carriage return would be read by Excel or LibreOffice as a
formula (``=HYPERLINK(...)`` sends the reader's data to someone else's site), so such
text is written as text: in a CSV behind a leading apostrophe, in an XLSX as a cell of
string type (never a formula). Characters an XLSX cannot hold are dropped rather than
failing the whole export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet would treat this value as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """The value to write to a CSV cell: formula-like text behind an apostrophe."""
    return "'" + value if formula_like(value) else value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text, every cell escaped."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def xlsx_cells(sheet: Any, row: Sequence[Any]) -> list[Any]:
    """Cells for ``sheet.append``: text is always a string cell, so it is never a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    cells = []
    for value in row:
        if isinstance(value, str):
            cell = Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
        else:
            cell = Cell(sheet, row=1, column=1, value=value)
        cells.append(cell)
    return cells


def append_row(sheet: Any, row: Sequence[Any]) -> None:
    """Append one row of values to an openpyxl worksheet (normal or write-only), escaped."""
    sheet.append(xlsx_cells(sheet, row))


def xlsx_bytes(rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """A one-sheet workbook of the rows, every cell escaped."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
