"""Server-rendered inline SVG charts: no JavaScript, each with a caption and its data table beside it.

A hidden (suppressed) figure draws no bar of its own height: it is marked "<5" (or "c" where it was
hidden so that a total cannot give a small one away), exactly as its table cell says "fewer than 5"
or "not shown". Colours are the GOV.UK palette; text is at least 4.5:1 on white.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from safeguard.tenancy.suppression import Figure, is_small

BLUE, GREEN, ORANGE, BLACK, GREY = "#1d70b8", "#00703c", "#f47738", "#0b0c0c", "#505a5f"
_ids = itertools.count(1)


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    svg: SafeString


def _marker(fig: Figure) -> str:
    return "<5" if is_small(fig.value) else "c"


def columns(title: str, caption: str, labels: list[str], series: list[tuple[str, list[Figure], str]],
            *, height: int = 220) -> Chart:
    """Stacked columns, one per label (e.g. months), one colour per series (e.g. safeguarding, WoW)."""
    cid = f"chart-{next(_ids)}"
    width = max(360, 46 * len(labels) + 60)
    top, bottom, left = 20, 40, 40
    plot = height - top - bottom
    totals = [sum(s[1][i].sortable for s in series) for i in range(len(labels))]
    peak = max(totals + [1])
    step = (width - left - 10) / max(len(labels), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sg-chart" role="img" focusable="false" '
             f'aria-labelledby="{cid}-t" viewBox="0 0 {width} {height}" width="100%" '
             f'data-width="{width}"><title id="{cid}-t">{escape(title)}</title>']
    parts.append(f'<line x1="{left}" y1="{top + plot}" x2="{width - 5}" y2="{top + plot}" stroke="{GREY}"/>')
    parts.append(f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="{BLACK}">{peak}</text>')
    parts.append(f'<text x="{left - 4}" y="{top + plot}" text-anchor="end" font-size="11" fill="{BLACK}">0</text>')
    for i, label in enumerate(labels):
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = top + plot
        hidden_marks = []
        for _name, figures, colour in series:
            fig = figures[i]
            if fig.hidden:
                hidden_marks.append(_marker(fig))
                continue
            h = plot * fig.value / peak
            y -= h  # type: ignore[assignment]
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        if hidden_marks:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10" '
                         f'fill="{BLACK}">{escape(" ".join(hidden_marks))}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{top + plot + 14}" text-anchor="middle" font-size="11" '
                     f'fill="{BLACK}">{escape(label)}</text>')
    lx = left
    for name, _f, colour in series:
        parts.append(f'<rect x="{lx}" y="{height - 16}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14}" y="{height - 7}" font-size="11" fill="{BLACK}">{escape(name)}</text>')
        lx += 14 + 7 * len(name) + 16
    parts.append("</svg>")
    return Chart(cid, title, caption, mark_safe("".join(parts)))  # noqa: S308 - every text is escaped above


def bars(title: str, caption: str, labels: list[str], values: list[float | None], *, suffix: str = "",
         maximum: float | None = None, colour: str = BLUE, target: float | None = None,
         shown: list[str] | None = None) -> Chart:
    """Horizontal bars (areas, categories, agencies, departments). ``None`` is a figure not shown."""
    cid = f"chart-{next(_ids)}"
    label_w, bar_w, row_h = 190, 300, 24
    width = label_w + bar_w + 110
    height = row_h * len(labels) + 24
    peak = maximum or max([v for v in values if v is not None] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sg-chart" role="img" focusable="false" '
             f'aria-labelledby="{cid}-t" viewBox="0 0 {width} {height}" width="100%" '
             f'data-width="{width}"><title id="{cid}-t">{escape(title)}</title>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * row_h
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12" '
                     f'fill="{BLACK}">{escape(short)}</text>')
        text = shown[i] if shown else ("not shown" if value is None else f"{value:.0f}{suffix}")
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" font-size="12" fill="{BLACK}">{escape(text)}</text>')
            continue
        w = bar_w * value / peak
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="12" fill="{BLACK}">'
                     f'{escape(text)}</text>')
    if target is not None:
        tx = label_w + bar_w * target / peak
        parts.append(f'<line x1="{tx:.1f}" y1="2" x2="{tx:.1f}" y2="{height - 14}" stroke="{BLACK}" '
                     f'stroke-dasharray="4 3"/><text x="{tx:.1f}" y="{height - 2}" text-anchor="middle" '
                     f'font-size="10" fill="{BLACK}">target {target:.0f}{suffix}</text>')
    parts.append("</svg>")
    return Chart(cid, title, caption, mark_safe("".join(parts)))  # noqa: S308 - every text is escaped above
