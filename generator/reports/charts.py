"""Static SVG charts rendered at build time: no scripts, readable without colour (values printed),
with a <title>/<desc> and a data table next to each chart on the page for screen readers."""

from __future__ import annotations

from fractions import Fraction
from html import escape

BAR = "#1f5fa8"
ALT = "#b35900"
TEXT = "#1a1a1a"


def _fmt(value, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{float(Fraction(value) * 100):.1f}%"
    return str(value)


def bar_chart(values: dict, title: str, unit: str, percent: bool = False) -> str:
    """Horizontal bars, one per label, in the given order."""
    rows = list(values.items())
    label_w, bar_w, row_h = 120, 360, 28
    height = max(1, len(rows)) * row_h + 40
    top = max([float(v) for _, v in rows if v is not None] + [1.0 if percent else 0.0]) or 1.0
    if percent:
        top = 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {label_w + bar_w + 80} {height}" '
        f'class="chart"><title>{escape(title)}</title>'
        f"<desc>{escape('；'.join(f'{k}：{_fmt(v, percent)}' for k, v in rows) or '无数据')}</desc>"
    ]
    if not rows:
        parts.append(f'<text x="10" y="24" fill="{TEXT}" font-size="14">暂无数据</text>')
    for i, (label, value) in enumerate(rows):
        y = 10 + i * row_h
        w = 0 if value is None else round(float(value) / top * bar_w, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end" fill="{TEXT}" font-size="14">{escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 10}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 18}" fill="{TEXT}" font-size="14">{escape(_fmt(value, percent))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def share_bar(values: dict, title: str) -> str:
    """One stacked bar showing the parts of a whole, with a legend."""
    total = sum(values.values())
    width = 480
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width + 20} 90" class="chart">'
        f"<title>{escape(title)}</title>"
        f"<desc>{escape('；'.join(f'{k}：{v} 项' for k, v in values.items()))}</desc>"
    ]
    x = 10.0
    colours = [BAR, ALT, "#2e7d32", "#6a1b9a"]
    for i, (label, value) in enumerate(values.items()):
        w = round(value / total * width, 1) if total else 0
        colour = colours[i % len(colours)]
        parts.append(f'<rect x="{x}" y="10" width="{w}" height="30" fill="{colour}"/>')
        share = f"{value / total * 100:.1f}%" if total else "—"
        parts.append(
            f'<rect x="{10 + i * 240}" y="56" width="14" height="14" fill="{colour}"/>'
            f'<text x="{30 + i * 240}" y="68" fill="{TEXT}" font-size="14">{escape(label)} {value} 项（{share}）</text>'
        )
        x += w
    parts.append("</svg>")
    return "".join(parts)
