"""Small inline SVG charts for the report and the dashboard: no script, no font or file fetched, so a page
opens the same from a mail attachment, a file share or the bot's own HTTP server.

Each function returns one ``<svg>`` element sized by its ``viewBox`` (it scales with the page). Every
label is escaped. Data marks carry ``class="mark"`` so a test (or a reader of the DOM) can count them.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
PALETTE = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#dc2626", "#ca8a04", "#4b5563")
EMPTY = {"zh": "暂无数据", "en": "no data yet"}


def _axis(x1: float, x2: float, y: float) -> str:
    return f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#9ca3af"/>'


def _svg(height: int, body: list[str], label: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def empty(label: str, language: str = "zh") -> str:
    text = EMPTY.get(language, EMPTY["en"])
    return _svg(
        60, [f'<text x="{WIDTH // 2}" y="35" text-anchor="middle" fill="#6b7280">{text}</text>'], label
    )


def _pct(value: float) -> str:
    return f"{value:.0%}"


def line_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    label: str,
    goal: float | None = None,
    goal_label: str = "",
    percent: bool = True,
) -> str:
    """One series over days (gaps where a value is None), with an optional dashed goal line."""
    known = [v for v in values if v is not None]
    if not known:
        return empty(label)
    height, left, right, top, bottom = 240, 48, 16, 16, 36
    top_value = max([*known, goal or 0.0]) or 1.0
    top_value *= 1.1
    inner_w, inner_h = WIDTH - left - right, height - top - bottom
    step = inner_w / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return top + inner_h - v / top_value * inner_h

    body = [
        f'<line x1="{left}" y1="{top + inner_h}" x2="{WIDTH - right}" y2="{top + inner_h}" stroke="#9ca3af"/>'
    ]
    for tick in (0.0, top_value / 2, top_value / 1.1):
        text = _pct(tick) if percent else f"{tick:.0f}"
        body.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#6b7280">{text}</text>'
        )
    if goal is not None:
        body.append(
            f'<line class="goal" x1="{left}" y1="{y(goal):.1f}" x2="{WIDTH - right}" y2="{y(goal):.1f}" '
            f'stroke="#dc2626" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - right}" y="{y(goal) - 5:.1f}" text-anchor="end" fill="#dc2626">'
            f"{escape(goal_label)}</text>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{left + i * step:.1f},{y(v):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        body.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
    for i, v in enumerate(values):
        if v is not None:
            shown = _pct(v) if percent else f"{v:g}"
            body.append(
                f'<circle class="mark" cx="{left + i * step:.1f}" cy="{y(v):.1f}" r="3.5" '
                f'fill="{PALETTE[0]}">'
                f"<title>{escape(labels[i])}: {shown}</title></circle>"
            )
    every = max(1, len(labels) // 8)
    for i, text in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(
                f'<text x="{left + i * step:.1f}" y="{height - 12}" text-anchor="middle" fill="#374151">'
                f"{escape(text)}</text>"
            )
    return _svg(height, body, label)


def column_chart(labels: Sequence[str], values: Sequence[int], label: str) -> str:
    """Vertical bars (messages by hour of day)."""
    if not any(values):
        return empty(label)
    height, left, right, top, bottom = 220, 36, 8, 16, 32
    inner_w, inner_h = WIDTH - left - right, height - top - bottom
    peak = max(values)
    slot = inner_w / len(values)
    body = [
        f'<line x1="{left}" y1="{top + inner_h}" x2="{WIDTH - right}" y2="{top + inner_h}" stroke="#9ca3af"/>'
    ]
    body.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="#6b7280">{peak}</text>')
    for i, (text, v) in enumerate(zip(labels, values, strict=True)):
        h = v / peak * inner_h
        x = left + i * slot + slot * 0.15
        body.append(
            f'<rect class="mark" x="{x:.1f}" y="{top + inner_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(text)}: {v}</title></rect>'
        )
        if i % 3 == 0:
            body.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - 12}" text-anchor="middle" '
                f'fill="#374151">{escape(text)}</text>'
            )
    return _svg(height, body, label)


def bar_chart(labels: Sequence[str], values: Sequence[float], label: str, suffix: Sequence[str] = ()) -> str:
    """Horizontal bars with their value at the end (funnel, top members, strikes by category)."""
    if not values or not any(values):
        return empty(label)
    row, left, right, top = 26, 150, 90, 8
    height = top * 2 + row * len(values)
    peak = max(values)
    inner_w = WIDTH - left - right
    body = []
    for i, (text, v) in enumerate(zip(labels, values, strict=True)):
        w = v / peak * inner_w if peak else 0
        y = top + i * row
        note = suffix[i] if i < len(suffix) else f"{v:g}"
        baseline = y + row / 2 + 4
        body.append(
            f'<text x="{left - 8}" y="{baseline:.1f}" text-anchor="end" fill="#374151">{escape(text)}</text>'
            f'<rect class="mark" x="{left}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{PALETTE[i % len(PALETTE)] if len(values) <= 8 else PALETTE[0]}">'
            f"<title>{escape(text)}: {escape(note)}</title></rect>"
            f'<text x="{left + max(w, 1) + 6:.1f}" y="{baseline:.1f}" fill="#111827">{escape(note)}</text>'
        )
    return _svg(height, body, label)


def curves(
    xs: Sequence[int], series: Sequence[tuple[str, Sequence[float | None]]], label: str, x_suffix: str = ""
) -> str:
    """Several lines over the same x values (retention of each join cohort at 1 / 7 / 30 / 90 days);
    x positions are evenly spaced, the axis names the real values."""
    drawn = [(name, ys) for name, ys in series if any(v is not None for v in ys)]
    if not drawn:
        return empty(label)
    height, left, right, top, bottom = 260, 48, 150, 16, 36
    inner_w, inner_h = WIDTH - left - right, height - top - bottom
    step = inner_w / max(len(xs) - 1, 1)

    def y(v: float) -> float:
        return top + inner_h - v * inner_h

    body = [_axis(left, left + inner_w, top + inner_h)]
    for tick in (0.0, 0.5, 1.0):
        body.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#6b7280">{_pct(tick)}</text>'
        )
    for i, x in enumerate(xs):
        body.append(
            f'<text x="{left + i * step:.1f}" y="{height - 12}" text-anchor="middle" fill="#374151">'
            f"{x}{escape(x_suffix)}</text>"
        )
    for n, (name, ys) in enumerate(drawn):
        colour = PALETTE[n % len(PALETTE)]
        points = [(left + i * step, y(v)) for i, v in enumerate(ys) if v is not None]
        body.append(
            f'<polyline points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        for (px, py), v in zip(points, [v for v in ys if v is not None], strict=True):
            body.append(
                f'<circle class="mark" cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {_pct(v)}</title></circle>"
            )
        body.append(
            f'<rect x="{left + inner_w + 16}" y="{top + n * 18}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + inner_w + 32}" y="{top + n * 18 + 9}" fill="#374151">{escape(name)}</text>'
        )
    return _svg(height, body, label)
