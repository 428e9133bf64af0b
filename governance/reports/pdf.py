"""A report as a readable PDF: title page, contents, sections with charts and tables, page numbers,
the organisation's name and the OFFICIAL-SENSITIVE marking on every page."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents

from .content import BarSeries, Section

MARK = "OFFICIAL-SENSITIVE"
BLUE = colors.HexColor("#1d70b8")


class _Doc(BaseDocTemplate):
    def __init__(self, out: io.BytesIO, *, org_name: str, title: str) -> None:
        super().__init__(out, pagesize=A4, title=title, author=org_name, leftMargin=18 * mm, rightMargin=18 * mm,
                         topMargin=22 * mm, bottomMargin=20 * mm)
        self.org_name, self.report_title = org_name, title
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont("Helvetica-Bold", 10)
        canvas.setFillColor(colors.HexColor("#d4351c"))
        canvas.drawCentredString(width / 2, height - 12 * mm, MARK)
        canvas.drawCentredString(width / 2, 8 * mm, MARK)
        canvas.setFillColor(colors.black)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 13 * mm, f"{self.org_name} – {self.report_title}")
        canvas.drawRightString(width - 18 * mm, 13 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, Paragraph) and getattr(flowable, "toc_level", None) is not None:
            self.notify("TOCEntry", (flowable.toc_level, flowable.getPlainText(), self.page))  # type: ignore[attr-defined]


def _chart(series: BarSeries, width: float) -> Drawing:
    drawing = Drawing(width, 170)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.height, chart.width = 35, 35, 115, width - 50  # type: ignore[assignment]
    chart.data = [series.values or [0]]
    chart.categoryAxis.categoryNames = [label[:12] for label in series.labels] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(series.labels) > 6 else 0
    chart.categoryAxis.labels.dy = -6
    chart.valueAxis.valueMin = 0
    if not any(series.values):
        chart.valueAxis.valueMax = 5  # nothing to draw: every figure is hidden or none (see the table)
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BLUE
    drawing.add(chart)
    return drawing


def _table(t: Any, styles: Any, width: float) -> list[Any]:
    wide = len(t.header) > 8  # the 12 months of ratings: smaller type and narrower cell padding, no word broken
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=7 if wide else 8, leading=9 if wide else 10)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    rows: list[list[Any]] = [[Paragraph(escape(h), head) for h in t.header]]
    rows += [[Paragraph(escape(str(v)), cell) for v in row] for row in t.rows] or [
        [Paragraph("None.", cell)] + [""] * (len(t.header) - 1)]
    first = width * 0.16 if wide else (max(width * 0.22, width / len(t.header)) if len(t.header) > 2
                                       else width / len(t.header))
    rest = (width - first) / max(len(t.header) - 1, 1)
    table = Table(rows, repeatRows=1, colWidths=[first] + [rest] * (len(t.header) - 1))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *([("LEFTPADDING", (1, 0), (-1, -1), 2), ("RIGHTPADDING", (1, 0), (-1, -1), 2)] if wide else []),
    ]))
    return [Paragraph(f"<b>{escape(t.caption)}</b>", styles["BodyText"]), table, Spacer(1, 8)]


def render(*, org_name: str, title: str, period: str, made_on: str, sections: list[Section],
           progress: Any = None) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = _Doc(out, org_name=org_name, title=title)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], textColor=colors.black)
    story: list[Any] = [
        Spacer(1, 60 * mm), Paragraph(escape(org_name), styles["Heading2"]), Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(period), styles["Heading3"]), Spacer(1, 10 * mm),
        Paragraph(f"Made on {escape(made_on)}. {MARK}: for the report's audience only. Figures only; small numbers "
                  "are suppressed and no person or case is named.", styles["BodyText"]),
        PageBreak(), Paragraph("Contents", h1),
    ]
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc", parent=styles["BodyText"], fontSize=11, leading=16)]
    story += [toc, PageBreak()]
    for index, section in enumerate(sections, start=1):
        heading = Paragraph(escape(f"{index}. {section.title}"), h1)
        heading.toc_level = 0  # type: ignore[attr-defined]
        story.append(heading)
        for text in section.paragraphs:
            story.append(Paragraph(escape(text), styles["BodyText"]))
        story.append(Spacer(1, 6))
        for chart in section.charts:
            story.append(KeepTogether([Paragraph(f"<b>{escape(chart.caption)}</b>", styles["BodyText"]),
                                       _chart(chart, doc.width), Spacer(1, 6)]))
        for t in section.tables:
            story += _table(t, styles, doc.width)
        if progress:
            progress(index, len(sections))
    doc.multiBuild(story)
    return out.getvalue()
