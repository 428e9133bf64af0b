"""The subject access pack as a PDF (reportlab): a covering letter, what was disclosed and what was withheld
and why, then each disclosed record with its redactions as black boxes labelled "[redacted: reason]".

The redacted text is never handed to reportlab: ``content.content`` replaces it before the PDF is drawn, so it
is not in the file at all (no hidden text, no text under a box)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import JobFailed, Progress

from . import content
from .models import FoundRecord, Mark, Request

MARK = "OFFICIAL-SENSITIVE: PERSONAL"
BLACK = "#0b0c0c"


class _Doc(BaseDocTemplate):
    def __init__(self, out: io.BytesIO, *, org_name: str, title: str) -> None:
        super().__init__(
            out,
            pagesize=A4,
            title=title,
            author=org_name,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=22 * mm,
            bottomMargin=22 * mm,
        )
        self.org_name, self.pack_title = org_name, title
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawCentredString(width / 2, height - 12 * mm, MARK)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 12 * mm, f"{self.org_name} - {self.pack_title}")
        canvas.drawRightString(width - 20 * mm, 12 * mm, f"Page {doc.page}")
        canvas.restoreState()


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10.5, leading=15)
    return {
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontName="Helvetica-Bold", fontSize=18, leading=22
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10
        ),
        "label": ParagraphStyle(
            "label", parent=body, fontName="Helvetica-Bold", fontSize=10, spaceBefore=6, spaceAfter=1
        ),
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#505a5f")
        ),
    }


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _segments(part: content.Part) -> str:
    """The part as Paragraph markup: kept text escaped; each redaction a black box with its white label."""
    return "".join(
        f'<font backColor="{BLACK}" color="white"><b>&nbsp;{escape(s.label)}&nbsp;</b></font>'
        if isinstance(s, content.Redacted)
        else _text(s)
        for s in part.segments
    )


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold" if header else "Helvetica"),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _d(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def build(
    req: Request, found: list[FoundRecord], progress: Progress | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The PDF's bytes and what it holds (pages, records disclosed and withheld, redactions)."""
    s = _styles()
    out = io.BytesIO()
    org_name = req.organisation.name
    doc = _Doc(out, org_name=org_name, title=f"Subject access request {req.reference}")
    disclosed = [f for f in found if f.mark == Mark.INCLUDE]
    withheld = [f for f in found if f.mark == Mark.WITHHOLD]
    contents = {f.pk: content.content(f) for f in disclosed}
    reasons = sorted(
        {
            seg.reason
            for rec in contents.values()
            for p in rec.parts
            for seg in p.segments
            if isinstance(seg, content.Redacted)
        }
    )
    redaction_count = sum(1 for rec in contents.values() for p in rec.parts if p.redacted)
    w = doc.width
    story: list[Any] = [
        Paragraph(_text(org_name), s["small"]),
        Spacer(1, 4 * mm),
        Paragraph(f"Your subject access request, reference {escape(req.reference)}", s["h1"]),
        Paragraph(f"Date: {_d(timezone.localdate())}", s["body"]),
        Spacer(1, 3 * mm),
        Paragraph(f"Dear {_text(req.requester_name)},", s["body"]),
        Paragraph(
            f"We received your request on {_d(req.received_on)} for a copy of the personal information we hold "
            f"about {_text(req.subject_name)}, under article 15 of the UK General Data Protection Regulation. "
            f"This pack contains that information.",
            s["body"],
        ),
        Paragraph(
            f"We searched our safeguarding case records, our safeguarding registers and our training and vetting "
            f"records. We found {len(found)} record{'s' if len(found) != 1 else ''}; "
            f"{len(disclosed)} {'is' if len(disclosed) == 1 else 'are'} disclosed below and "
            f"{len(withheld)} {'is' if len(withheld) == 1 else 'are'} withheld, with the reason for each.",
            s["body"],
        ),
        Paragraph(
            "Where a record also holds information about other people (for example, who reported a concern) we "
            "have removed it, as the law requires us to protect it. Each removal is shown as a black box with the "
            "reason, like this: "
            f'<font backColor="{BLACK}" color="white"><b>&nbsp;[redacted: third party]&nbsp;</b></font>.',
            s["body"],
        ),
        Paragraph(
            "We hold this information to safeguard children and adults at risk, to meet our legal duties and to "
            "work with local authorities, the police and health services. We keep it for the periods in our "
            "retention schedule. You may ask us to correct anything inaccurate. If you are unhappy with our "
            "response you may complain to us and to the Information Commissioner's Office (ico.org.uk, "
            "0303 123 1113).",
            s["body"],
        ),
        Spacer(1, 3 * mm),
        Paragraph("Yours sincerely,", s["body"]),
        Paragraph(f"Data Privacy Manager, {_text(org_name)}", s["body"]),
        PageBreak(),
        Paragraph("What we disclosed", s["h2"]),
    ]
    if disclosed:
        story.append(
            _table(
                [["Record", "Found by", "Parts redacted"]]
                + [
                    [
                        Paragraph(_text(contents[f.pk].title), s["body"]),
                        Paragraph(_text(f.matched_by), s["small"]),
                        str(sum(1 for p in contents[f.pk].parts if p.redacted)),
                    ]
                    for f in disclosed
                ],
                [w * 0.45, w * 0.35, w * 0.2],
            )
        )
    else:
        story.append(Paragraph("No records are disclosed.", s["body"]))
    story.append(Paragraph("What we withheld, and why", s["h2"]))
    if withheld:
        story.append(
            _table(
                [["Record", "Why it is withheld"]]
                + [
                    [
                        Paragraph(_text(f"{f.get_source_display()} {f.label}"), s["body"]),
                        Paragraph(_text(f.exemption_reason), s["body"]),
                    ]
                    for f in withheld
                ],
                [w * 0.4, w * 0.6],
            )
        )
    else:
        story.append(Paragraph("No whole record is withheld.", s["body"]))
    if reasons:
        story.append(Paragraph("Why parts of records are redacted", s["h2"]))
        story += [Paragraph(f"&bull; {_text(r)}", s["body"]) for r in reasons]
    total = len(disclosed)
    for i, f in enumerate(disclosed, 1):
        rec = contents[f.pk]
        story += [
            PageBreak(),
            Paragraph(_text(rec.title), s["h2"]),
            _table(
                [
                    [Paragraph(f"<b>{_text(k)}</b>", s["body"]), Paragraph(_text(v), s["body"])]
                    for k, v in rec.facts
                ],
                [w * 0.3, w * 0.7],
                header=False,
            ),
            Spacer(1, 3 * mm),
        ]
        for part in rec.parts:
            story.append(
                KeepTogether(
                    [
                        Paragraph(_text(part.label), s["label"]),
                        Paragraph(_segments(part) or "&nbsp;", s["body"]),
                    ]
                )
            )
        if progress is not None:
            progress(i, total)
    doc.build(story)
    return out.getvalue(), {
        "pages": doc.page,
        "disclosed": len(disclosed),
        "withheld": len(withheld),
        "redactions": redaction_count,
    }


def run_pack(job: BackgroundJob, progress: Progress) -> None:
    req = (
        Request.objects.for_org(job.organisation_id)
        .select_related("organisation")
        .filter(pk=job.params.get("request_id"))
        .first()
    )
    if req is None:
        raise JobFailed("The request no longer exists.")
    found = content.load(
        req.organisation,
        FoundRecord.objects.for_org(req.organisation).filter(request=req).exclude(mark=Mark.NOT_SUBJECT),
    )
    for f in found:
        f.request = req
    progress(0, sum(1 for f in found if f.mark == Mark.INCLUDE))
    data, result = build(req, found, progress)
    job.file.save(f"{req.reference}-pack.pdf", ContentFile(data), save=False)
    job.result = result
