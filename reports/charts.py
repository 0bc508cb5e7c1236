"""Charts drawn on the server as inline SVG: no CDN, no JavaScript, printable. Every chart is
shown beside its table (the table is the accessible version; the SVG is ``aria-hidden``)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

PALETTE = ["#1f5f99", "#c2571a", "#2e7d32", "#6a1b9a", "#8d6e00", "#00838f"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def bar_chart(bars: list[Bar], *, width: int = 420, bar_height: int = 22, label_width: int = 170,
              unit: str = "") -> str:
    """A horizontal bar chart; values are printed at the end of each bar."""
    gap = 6
    height = max(1, len(bars)) * (bar_height + gap) + gap
    top = max([b.value for b in bars] + [0]) or 1
    room = width - label_width - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">']
    for i, bar in enumerate(bars):
        y = gap + i * (bar_height + gap)
        length = round(room * bar.value / top) if bar.value else 0
        label = escape(bar.label if len(bar.label) <= 26 else bar.label[:25] + "…")
        value = f"{bar.value:g}{unit}"
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.0f}" text-anchor="end" '
                     f'font-size="12">{label}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"><title>{label}: {escape(value)}</title></rect>')
        parts.append(f'<text x="{label_width + length + 4}" y="{y + bar_height * 0.7:.0f}" font-size="12">'
                     f'{escape(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
