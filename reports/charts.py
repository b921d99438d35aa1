"""Charts drawn here as SVG (no chart service, no JavaScript): WeasyPrint and browsers both draw them."""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    colour: str


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above `value` (so the axis reads in round steps)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart_svg(
    *,
    categories: list[str],
    series: list[Series],
    title: str,
    width: int = 680,
    height: int = 240,
) -> str:
    """A grouped bar chart with a value axis, gridlines, bar labels and a legend."""
    left, right, top, bottom = 48, 12, 30, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_ceiling(max((v for s in series for v in s.values), default=0))
    ticks = 4
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    font = 'font-family="Noto Sans CJK SC, Noto Sans CJK, WenQuanYi Zen Hei, sans-serif"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
        f'<g {font} font-size="10" fill="#333">',
    ]
    for i in range(ticks + 1):
        value = peak * i / ticks
        y = top + plot_h - plot_h * i / ticks
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.5"/>'
        )
        label = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{label}</text>')
    for c, category in enumerate(categories):
        x0 = left + c * group_w + group_w * 0.1
        for s, serie in enumerate(series):
            value = serie.values[c]
            h = plot_h * value / peak
            x = x0 + s * bar_w
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.92:.1f}" height="{h:.1f}" fill="{serie.colour}">'
                f"<title>{escape(serie.label)} {escape(category)}: {value}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w * 0.46:.1f}" y="{y - 2:.1f}" text-anchor="middle" font-size="8">{value}</text>'
            )
        parts.append(
            f'<text x="{left + c * group_w + group_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#333" stroke-width="0.8"/>'
    )
    legend_x = left
    for serie in series:
        parts.append(f'<rect x="{legend_x}" y="{height - 12}" width="10" height="10" fill="{serie.colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{height - 3}">{escape(serie.label)}</text>')
        legend_x += 14 + 12 * max(len(serie.label), 4) + 16
    parts.append(f'<text x="{left}" y="{top - 12}" font-size="11" font-weight="bold">{escape(title)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)
