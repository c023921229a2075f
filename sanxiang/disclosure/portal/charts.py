"""Bar charts as inline SVG, drawn on the server: no script, no CDN. Each chart has a title and
a description for screen readers; the page also prints the same numbers as a table."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_H, LABEL_W, BAR_W, VALUE_W = 26, 190, 360, 60


def horizontal_bars(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """One bar per (label, count), longest first as given; labels longer than 14 characters are
    cut (the table below the chart has them whole)."""
    peak = max((count for _, count in rows), default=0) or 1
    height = max(len(rows), 1) * ROW_H + 10
    width = LABEL_W + BAR_W + VALUE_W
    desc = "；".join(f"{label}：{count}" for label, count in rows) or "暂无数据"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart" role="img">',
             f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"]
    for i, (label, count) in enumerate(rows):
        y = 5 + i * ROW_H
        length = round(BAR_W * count / peak)
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end" class="chart-label">{escape(short)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{length}" height="{ROW_H - 8}" class="chart-bar"/>'
            f'<text x="{LABEL_W + length + 6}" y="{y + 17}" class="chart-value">{count}</text>')
    if not rows:
        parts.append(f'<text x="{width // 2}" y="22" text-anchor="middle" class="chart-label">暂无数据</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label is escaped above


def columns(title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Vertical bars (months of a year): label under each column, count above it."""
    peak = max((count for _, count in rows), default=0) or 1
    col_w, plot_h = 46, 180
    width = max(len(rows), 1) * col_w + 20
    height = plot_h + 50
    desc = "；".join(f"{label}：{count}" for label, count in rows) or "暂无数据"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart" role="img">',
             f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
             f'<line x1="10" y1="{plot_h + 20}" x2="{width - 10}" y2="{plot_h + 20}" class="chart-axis"/>']
    for i, (label, count) in enumerate(rows):
        x = 10 + i * col_w
        length = round(plot_h * count / peak)
        top = plot_h + 20 - length
        parts.append(
            f'<rect x="{x + 8}" y="{top}" width="{col_w - 16}" height="{length}" class="chart-bar"/>'
            f'<text x="{x + col_w / 2:.0f}" y="{top - 4}" text-anchor="middle" class="chart-value">{count}</text>'
            f'<text x="{x + col_w / 2:.0f}" y="{plot_h + 38}" text-anchor="middle" class="chart-label">'
            f"{escape(label)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
