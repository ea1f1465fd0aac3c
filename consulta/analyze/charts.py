"""Server-side SVG charts: no script, no CDN, readable when printed and by screen readers.

Each chart is one inline ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page puts
the same numbers in a table next to it. Hidden cells (small-cell rule) are drawn as a hatched
stub labelled like the tables, never as their value.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .breakdowns import Cell

STRATEGIC = "#5a2a82"
TRANSVERSAL = "#1b6f73"
HIDDEN_FILL = "url(#hatch)"
FONT = 'font-family="system-ui, sans-serif"'
_ids = itertools.count(1)


def number(value: int | None) -> str:
    """Spanish (Colombia) thousands separator."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}".replace(".", ",") + " %"


def cell_text(cell: Cell, k: int) -> str:
    if cell.shown:
        return number(cell.value)
    return f"<{k}" if cell.small else "•"


def line_color(line: str) -> str:
    return STRATEGIC if line.startswith("E") else TRANSVERSAL


@dataclass
class Bar:
    label: str
    cell: Cell
    href: str | None = None
    color: str = STRATEGIC
    note: str = ""  # e.g. a share shown after the count
    measure: float | None = None  # bar length (e.g. a share) instead of the count


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f"{FONT}>"
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
        f'<defs><pattern id="hatch{n}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ece8f1"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9b8fab" stroke-width="2"/></pattern></defs>'
    )
    content = "".join(body).replace(HIDDEN_FILL, f"url(#hatch{n})")
    return Markup(head + content + "</svg>")


def _clip(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    k: int,
    width: int = 900,
    label_width: int = 390,
) -> Markup:
    """Horizontal bars, one per row; labels link to the explorer when ``href`` is given."""
    label_w, row_h, value_w = label_width, 30, 130
    plot_w = width - label_w - value_w
    height = row_h * len(bars) + 10
    by_measure = any(b.measure is not None for b in bars)
    if by_measure:
        top = max((b.measure or 0 for b in bars), default=0) or 1
    else:
        top = max((b.cell.value or 0 for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = 5 + i * row_h
        label = escape(_clip(bar.label, int(label_w / 8.4)))
        text = (
            f'<text x="{label_w - 10}" y="{y + 19}" text-anchor="end" font-size="14" '
            f'fill="#1d2330">{label}</text>'
        )
        if bar.href:
            # Keyboard and screen-reader users follow the same link in the data table.
            text = f'<a href="{escape(bar.href)}" tabindex="-1">{text}</a>'
        length = bar.measure if by_measure else bar.cell.value
        if bar.cell.shown and length is not None:
            w = max(2.0, plot_w * length / top)
            fill = bar.color
        else:
            w, fill = 18.0, HIDDEN_FILL
        value = escape(cell_text(bar.cell, k) + (f" · {bar.note}" if bar.note else ""))
        body.append(
            f"<g><title>{escape(bar.label)}: {value}</title>{text}"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" rx="3" '
            f'fill="{fill}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" font-size="13" fill="#1d2330">'
            f"{value}</text></g>"
        )
    return _svg(width, height, title, desc, body)


def _shade(intensity: float, color: str = "90,42,130") -> str:
    alpha = 0.08 + 0.87 * max(0.0, min(1.0, intensity))
    return f"rgba({color},{alpha:.2f})"


def heatmap(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    cells: dict,
    *,
    title: str,
    desc: str,
    k: int,
    row_totals: dict | None = None,
    label_width: int = 230,
) -> Markup:
    """A grid of counts, shaded by the share of the row's total when it is shown (so groups of
    different size compare), else by the largest count. ``rows``/``columns`` are (key, label)."""
    cell_w, cell_h, head_h = 62, 34, 40
    width = label_width + cell_w * len(columns) + 10
    height = head_h + cell_h * len(rows) + 6
    top = max((c.value or 0 for r in cells.values() for c in r.values()), default=0) or 1
    body = []
    for j, (key, label) in enumerate(columns):
        x = label_width + j * cell_w + cell_w / 2
        body.append(
            f'<text x="{x:.0f}" y="{head_h - 12}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="#1d2330"><title>{escape(label)}</title>{escape(key)}</text>'
        )
    for i, (row_key, row_label) in enumerate(rows):
        y = head_h + i * cell_h
        body.append(
            f'<text x="{label_width - 8}" y="{y + 22}" text-anchor="end" font-size="13" '
            f'fill="#1d2330"><title>{escape(row_label)}</title>'
            f"{escape(_clip(row_label, 32))}</text>"
        )
        total = row_totals.get(row_key) if row_totals else None
        for j, (col_key, col_label) in enumerate(columns):
            cell = cells[row_key][col_key]
            x = label_width + j * cell_w
            text = cell_text(cell, k)
            if cell.shown:
                share = cell.share_of(total) if total is not None else None
                intensity = share if share is not None else cell.value / top
                fill = _shade(intensity)
                ink = "#ffffff" if intensity > 0.45 else "#1d2330"
                tip = f"{row_label} · {col_label}: {text}" + (
                    f" ({percent(share)})" if share is not None else ""
                )
            else:
                fill, ink, tip = HIDDEN_FILL, "#1d2330", f"{row_label} · {col_label}: {text}"
            body.append(
                f"<g><title>{escape(tip)}</title>"
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'rx="3" fill="{fill}"/><text x="{x + cell_w / 2:.0f}" y="{y + 22}" '
                f'text-anchor="middle" font-size="13" fill="{ink}">{escape(text)}</text></g>'
            )
    return _svg(width, height, title, desc, body)


def trend_chart(
    points: Sequence[tuple[str, Cell]], *, title: str, desc: str, k: int, width: int = 720
) -> Markup:
    """Texts per session date as a line; a hidden point breaks the line and is marked."""
    left, right, top_pad, bottom = 60, 20, 20, 60
    height = 260
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((c.value or 0 for _, c in points), default=0) or 1
    n = len(points)
    step = plot_w / max(n - 1, 1)

    def xy(i, value):
        x = left + (i * step if n > 1 else plot_w / 2)
        return x, top_pad + plot_h - plot_h * value / top

    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" '
        'stroke="#9aa1ab"/>',
        f'<text x="{left - 8}" y="{top_pad + 5}" text-anchor="end" font-size="12" '
        f'fill="#5b6472">{number(top)}</text>',
        f'<text x="{left - 8}" y="{top_pad + plot_h}" text-anchor="end" font-size="12" '
        'fill="#5b6472">0</text>',
    ]
    segment: list[str] = []
    segments = []
    every = max(1, n // 12)
    for i, (label, cell) in enumerate(points):
        if cell.shown:
            x, y = xy(i, cell.value)
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                f"<g><title>{escape(label)}: {number(cell.value)}</title>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{STRATEGIC}"/></g>'
            )
        else:
            if segment:
                segments.append(segment)
            segment = []
            x, _ = xy(i, 0)
            body.append(
                f"<g><title>{escape(label)}: {cell_text(cell, k)}</title>"
                f'<rect x="{x - 5:.1f}" y="{top_pad + plot_h - 14}" width="10" height="14" '
                f'fill="{HIDDEN_FILL}"/></g>'
            )
        if i % every == 0 or i == n - 1:
            x, _ = xy(i, 0)
            body.append(
                f'<text x="{x:.1f}" y="{top_pad + plot_h + 16}" font-size="11" fill="#5b6472" '
                f'text-anchor="end" transform="rotate(-35 {x:.1f} {top_pad + plot_h + 16})">'
                f"{escape(label)}</text>"
            )
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            body.insert(
                3,
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{STRATEGIC}" '
                'stroke-width="2.5"/>',
            )
    return _svg(width, height, title, desc, body)
