"""Small server-rendered SVG charts: editors would rather look than read a table.

Pure functions returning SVG markup built only from numbers and escaped month labels, so the
chart needs no JavaScript and carries nothing from the forum into the page.
"""

from __future__ import annotations

import datetime as dt
from html import escape


def month_range(end: str, count: int) -> list[str]:
    """``count`` consecutive months (YYYY-MM) ending with ``end``."""
    year, month = int(end[:4]), int(end[5:7])
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def month_bars_svg(counts: dict[str, int], *, months: int = 24, end: str | None = None, width: int = 240, height: int = 48) -> str:
    """Bars of questions per month for the last ``months`` months (ending at ``end``, default now)."""
    end = end or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m")
    window = month_range(end, months)
    known = [m for m in counts if m and len(m) >= 7]
    if known and max(known) < window[0]:  # an entry nobody asked about lately: show its own last months
        window = month_range(max(known)[:7], months)
    values = [int(counts.get(m, 0) or 0) for m in window]
    peak = max(values) or 1
    bar = width / months
    bars = []
    for i, (month, value) in enumerate(zip(window, values)):
        h = 0 if value == 0 else max(1.0, (height - 12) * value / peak)
        bars.append(
            f'<rect x="{i * bar + 1:.1f}" y="{height - 12 - h:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}">'
            f"<title>{escape(month)}: {value}</title></rect>"
        )
    total = sum(values)
    label = f"{escape(window[0])} – {escape(window[-1])}: {total} questions, peak {max(values)} per month"
    return (
        f'<svg class="miner-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        + "".join(bars)
        + f'<text x="0" y="{height - 1}" font-size="9">{escape(window[0])}</text>'
        f'<text x="{width}" y="{height - 1}" font-size="9" text-anchor="end">{escape(window[-1])}</text>'
        "</svg>"
    )


def month_chart_svg(counts: dict[str, int], *, months: int = 36, end: str | None = None, width: int = 720,
                    height: int = 220, axis_label: str = "Fragen") -> str:
    """A bigger bar chart with axes: questions per month on the y axis (0, half, peak), months on the x
    axis (every sixth labelled)."""
    end = end or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m")
    window = month_range(end, months)
    known = [m for m in counts if m and len(m) >= 7]
    if known and max(known) < window[0]:
        window = month_range(max(known)[:7], months)
    values = [int(counts.get(m, 0) or 0) for m in window]
    peak = max(values) or 1
    left, bottom, top = 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    bar = plot_w / months
    parts = [f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>']
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
                     f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="10" text-anchor="end">{tick}</text>')
    for i, (month, value) in enumerate(zip(window, values)):
        h = plot_h * value / peak
        x = left + i * bar
        parts.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}">'
                     f"<title>{escape(month)}: {value}</title></rect>")
        if i % 6 == 0:
            label = f"{month[5:7]}/{month[:4]}"
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<text x="4" y="{top + 4}" font-size="10" transform="rotate(90 4 {top + 4})">{escape(axis_label)}</text>')
    label = f"{escape(window[0])} – {escape(window[-1])}: {sum(values)} {escape(axis_label)}"
    return (f'<svg class="miner-chart miner-chart-large" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">' + "".join(parts) + "</svg>")
