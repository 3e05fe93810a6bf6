"""Charts drawn as SVG on the server, from the very rows a page's table and JSON show.

Why server-side SVG rather than a vendored JavaScript library: the three chart
kinds we need (diverging bars with intervals, 100% stacked shares, grouped
bars) are a few dozen shapes each; drawing them here costs no download (a
Vega + Vega-Lite bundle is about 800 KB, Chart.js about 200 KB and draws to a
canvas that screen readers and tests cannot read), no licence to track, works
without JavaScript, prints, and keeps every label inside one escaping
function.  Each mark is an SVG element with a ``<title>`` (hover tooltip), is
keyboard-focusable through its link to the sentences behind it, and carries
``data-series``/``data-group`` attributes that the browser tests read.

Colours: Okabe & Ito's colour-blind-safe palette for series and categories;
sentiment uses the orange-to-blue diverging pair from the same palette.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from markupsafe import Markup

#: Okabe-Ito, reordered so that the first colours contrast best on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
NEGATIVE = "#D55E00"
NEUTRAL = "#BBBBBB"
POSITIVE = "#0072B2"
#: At most this many series on one chart; the rest are left off with a notice.
MAX_SERIES = len(PALETTE)
#: At most this many groups (rows of bars) on one chart.
MAX_GROUPS = 12

WIDTH = 560
LABEL_W = 150
RIGHT_PAD = 56
BAR_H = 14
BAR_GAP = 3
GROUP_GAP = 12
LEGEND_ROW = 20
AXIS_H = 28


def _escape(text: str) -> str:
    """``markupsafe.escape`` of a plain str, as a plain str: the same five replacements
    (``&`` first), without the Markup object escape() builds and el() would turn back into
    a str; a chart has about a thousand labels and tooltips to escape."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace('"', "&#34;")


def _attr(key: str, value: Any) -> str:
    """One attribute as ``key="text"`` with its leading space, or "" for None and False.

    Numbers need no escaping (a chart has thousands of coordinates): floats are written
    to two decimals, ints and bools as they are; everything else is escaped.  The hot
    marks below call this once per variable attribute and write their constant
    attributes as literal text, instead of building a dict per element for _attrs."""
    if value is None or value is False:
        return ""
    kind = type(value)
    if kind is float:
        return f' {key}="{value:.2f}"'
    if kind is int or kind is bool:
        return f' {key}="{value}"'
    return f' {key}="{_escape(str(value))}"'


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join([_attr(key, value) for key, value in attrs.items()])


def el(tag: str, attrs: dict[str, Any] | None = None, *children: Any) -> Markup:
    """An element with escaped attributes; string children are escaped, Markup kept."""
    inner = "".join(c if isinstance(c, Markup) else _escape(str(c)) for c in children if c is not None)
    return Markup(f"<{tag}{_attrs(attrs) if attrs else ''}>{inner}</{tag}>")


def _text(value: Any) -> str:
    """A child as el() writes it: escaped text, nothing for None (Markup is not expected here)."""
    return "" if value is None else _escape(str(value))


#: Constant attribute runs of the hot marks, written once by _attr so they cannot drift from it.
_OPAQUE = _attr("fill-opacity", 1)
_PALE = _attr("fill-opacity", 0.35)
_DASHED = _attr("stroke-dasharray", "3 2")
_WHISKER = _attr("stroke", "#333") + _attr("stroke-width", 1.2) + _attr("fill", "none")
_WHISKER_PALE = _attr("stroke", "#bbb") + _attr("stroke-width", 1) + _attr("fill", "none")
_SEGMENT_EDGE = _attr("stroke", "#fff") + _attr("stroke-width", 0.5)


def _bar(name: str, group: str, value: str, x: float, y: float, width: float, fill: str, too_few: bool, tip: str) -> str:
    """One bar of a diverging or grouped chart with its tooltip: what el() writes for the
    same attributes, as one string (a top actor's charts draw a few hundred of them)."""
    return (
        f'<rect class="framing-mark{" framing-too-few" if too_few else ""}"'
        f'{_attr("data-series", name)}{_attr("data-group", group)}{_attr("data-value", value)}'
        f'{_attr("x", x)}{_attr("y", y)}{_attr("width", width)}{_attr("height", BAR_H)}{_attr("fill", fill)}'
        f'{(_PALE + _attr("stroke", fill) + _DASHED) if too_few else _OPAQUE}><title>{_text(tip)}</title></rect>'
    )


def _link(href: Any, tip: str, body: str, cls: str | None = None) -> str:
    """``body`` inside a link to the sentences behind it (el("a", ...) as one string)."""
    return f'<a{_attr("href", href)}{_attr("class", cls)}{_attr("aria-label", tip)}>{body}</a>'


def _group_label(group: str, y: float) -> str:
    """A group's name left of its bars, shortened, with the full name as its tooltip."""
    return (
        f'<text class="framing-group-label"{_attr("x", LABEL_W - 8)}{_attr("y", y)} text-anchor="end">'
        f"{_text(_short(group))}<title>{_text(group)}</title></text>"
    )


def _value_label(x: float, y: float, text: str, anchor: str | None = None) -> str:
    """The number written beside a bar."""
    return f'<text class="framing-value"{_attr("x", x)}{_attr("y", y)}{_attr("text-anchor", anchor)}>{_text(text)}</text>'


def _short(label: str, limit: int = 24) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _fmt(value: float | None, signed: bool = True) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _legend(series: Sequence[tuple[str, str]], y: int) -> tuple[str, int]:
    """Legend items laid out left to right, wrapping; returns the markup and its height."""
    items = []
    x, row = LABEL_W, 0
    for label, colour in series:
        text = _short(label.replace("_", " "), 28)
        width = 22 + 7 * len(text)
        if x + width > WIDTH and x > LABEL_W:
            x, row = LABEL_W, row + 1
        yy = y + row * LEGEND_ROW
        items.append(
            f'<g class="framing-legend-item"{_attr("data-series", label)}>'
            f'<rect{_attr("x", x)}{_attr("y", yy)} width="12" height="12" rx="2"{_attr("fill", colour)}></rect>'
            f'<text{_attr("x", x + 17)}{_attr("y", yy + 10.5)}>{_text(text)}</text><title>{_text(label)}</title></g>'
        )
        x += width
    return "".join(items), (row + 1) * LEGEND_ROW if series else 0


def _figure(title: str, svg_body: Markup, height: int, notes: Iterable[str], kind: str, desc: str) -> Markup:
    svg = el(
        "svg",
        {
            "class": "framing-chart",
            "data-chart": kind,
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": WIDTH,
            "height": height,
            "role": "img",
            "aria-label": f"{title}. {desc}",
            "xmlns": "http://www.w3.org/2000/svg",
        },
        el("title", {}, title),
        svg_body,
    )
    note_html = Markup("").join(el("p", {"class": "framing-chart-note"}, n) for n in notes)
    return el("figure", {"class": "framing-figure", "data-chart": kind}, el("figcaption", {}, title), svg, note_html)


def _empty(title: str, kind: str, message: str) -> Markup:
    return el(
        "figure",
        {"class": "framing-figure framing-figure-empty", "data-chart": kind},
        el("figcaption", {}, title),
        el("p", {"class": "framing-chart-note"}, message),
    )


def _cap(items: list[str], limit: int, what: str, notes: list[str]) -> list[str]:
    if len(items) > limit:
        notes.append(f"Truncated: the first {limit} of {len(items)} {what} are shown.")
        return items[:limit]
    return items


def _nice_extent(values: Iterable[float | None], floor: float, ceiling: float) -> float:
    biggest = max((abs(v) for v in values if v is not None), default=0.0)
    step = 0.25 if ceiling <= 1 else 10 ** math.floor(math.log10(max(ceiling, 1e-9)))
    extent = max(floor, math.ceil(biggest / step - 1e-9) * step)
    return min(ceiling, extent) if ceiling else extent


def diverging_bars(
    title: str,
    groups: list[str],
    series: list[str],
    values: dict[tuple[str, str], dict[str, Any]],
    *,
    min_count: int,
    group_word: str = "groups",
    series_word: str = "series",
    level: float = 0.95,
) -> Markup:
    """Mean sentiment per group and series, bars left (negative) or right (positive) of zero.

    ``values[(group, series)]`` holds ``mean``, ``low``, ``high``, ``n`` and optionally
    ``href`` (the sentences behind the number).  Bars on fewer than ``min_count``
    scored mentions are drawn pale and outlined, and a note says so.
    """
    notes: list[str] = []
    if not values:
        return _empty(title, "diverging", "No scored mentions to chart.")
    groups = _cap(groups, MAX_GROUPS, group_word, notes)
    series = _cap(series, MAX_SERIES, series_word, notes)
    one_series = len(series) == 1
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    extent = _nice_extent(
        [v.get(k) for v in values.values() for k in ("mean", "low", "high")], floor=0.25, ceiling=1.0
    )
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    zero_x = LABEL_W + plot_w / 2

    def x_of(v: float) -> float:
        return zero_x + (v / extent) * (plot_w / 2)

    parts: list[str] = []
    legend, legend_h = ("", 0) if one_series else _legend([(s, colours[s]) for s in series], 4)
    top = legend_h + 8
    group_h = len(series) * (BAR_H + BAR_GAP) - BAR_GAP
    plot_h = len(groups) * (group_h + GROUP_GAP)
    # Shaded halves say which side is which even without colour.
    parts.append(el("rect", {"class": "framing-half-neg", "x": LABEL_W, "y": top, "width": plot_w / 2, "height": plot_h, "fill": "#FBEFE6"}))
    parts.append(el("rect", {"class": "framing-half-pos", "x": zero_x, "y": top, "width": plot_w / 2, "height": plot_h, "fill": "#E8F1F8"}))
    few = 0
    for gi, group in enumerate(groups):
        gy = top + gi * (group_h + GROUP_GAP) + GROUP_GAP / 2
        parts.append(_group_label(group, gy + group_h / 2 + 4))
        for si, name in enumerate(series):
            v = values.get((group, name))
            if not v or v.get("mean") is None:
                continue
            y = gy + si * (BAR_H + BAR_GAP)
            mean = v["mean"]
            x0, x1 = sorted((zero_x, x_of(mean)))
            fill = (NEGATIVE if mean < 0 else POSITIVE) if one_series else colours[name]
            too_few = v.get("n", 0) < min_count
            few += too_few
            label = f"{group} · {name}" if not one_series else group
            tip = (
                f"{label}: mean sentiment {_fmt(mean)}"
                + (f" ({level:.0%} interval {_fmt(v.get('low'))} to {_fmt(v.get('high'))})" if v.get("low") is not None else "")
                + f", {v.get('n', 0)} scored mention{'s' if v.get('n', 0) != 1 else ''}"
                + (" — too few to compare" if too_few else "")
            )
            mark = [_bar(name, group, f"{mean:.4f}", x0, y, max(1.5, x1 - x0), fill, too_few, tip)]
            if v.get("low") is not None and v.get("high") is not None:
                lx, hx, cy = x_of(v["low"]), x_of(v["high"]), y + BAR_H / 2
                d = f"M{lx:.1f},{cy - 4:.1f}v8M{lx:.1f},{cy:.1f}H{hx:.1f}M{hx:.1f},{cy - 4:.1f}v8"
                mark.append(f'<path class="framing-interval"{_attr("d", d)}{_WHISKER_PALE if too_few else _WHISKER}></path>')
            # The value sits beyond the bar and its whisker, so neither covers it.
            if mean >= 0:
                value_x = max(x_of(mean), x_of(v["high"]) if v.get("high") is not None else 0) + 5
            else:
                value_x = min(x_of(mean), x_of(v["low"]) if v.get("low") is not None else WIDTH) - 5
            mark.append(_value_label(value_x, y + BAR_H - 3, _fmt(mean) + ("*" if too_few else ""), "start" if mean >= 0 else "end"))
            body = "".join(mark)  # every mark is written escaped above
            if v.get("href"):
                body = _link(v["href"], tip, body, "framing-mark-link")
            parts.append(body)
    # Axis: zero line and ticks.
    axis_y = top + plot_h
    parts.append(el("line", {"x1": zero_x, "x2": zero_x, "y1": top, "y2": axis_y, "stroke": "#555", "stroke-width": 1}))
    ticks = [extent * k / 4 for k in range(-4, 5)] if extent == 1.0 else [extent * k / 2 for k in range(-2, 3)]
    for t in ticks:
        tx = x_of(t)
        parts.append(el("line", {"x1": tx, "x2": tx, "y1": axis_y, "y2": axis_y + 4, "stroke": "#555"}))
        parts.append(el("text", {"class": "framing-tick", "x": tx, "y": axis_y + 15, "text-anchor": "middle"}, f"{t:+.2f}" if t else "0"))
    parts.append(el("text", {"class": "framing-axis-label", "x": LABEL_W, "y": axis_y + AXIS_H - 2}, "← more negative"))
    parts.append(el("text", {"class": "framing-axis-label", "x": WIDTH - RIGHT_PAD, "y": axis_y + AXIS_H - 2, "text-anchor": "end"}, "more positive →"))
    if few:
        notes.append(f"Pale, dashed bars (marked *) rest on fewer than {min_count} scored mentions: too few to compare.")
    notes.append(f"Whiskers: {level:.0%} interval of the mean mention sentiment.")
    height = int(axis_y + AXIS_H + 4)
    desc = f"Mean sentiment toward each of {len(groups)} {group_word}, one bar per {series_word[:-1] if series_word.endswith('s') else series_word}."
    return _figure(title, Markup(legend + "".join(parts)), height, notes, "diverging", desc)


def stacked_shares(
    title: str,
    groups: list[str],
    categories: list[str],
    counts: dict[str, dict[str, int]],
    *,
    colours: dict[str, str] | None = None,
    hrefs: dict[tuple[str, str], str] | None = None,
    min_count: int = 0,
    group_word: str = "groups",
    unit: str = "sentences",
) -> Markup:
    """One 100% bar per group split by category (frame mix, polarity mix)."""
    notes: list[str] = []
    groups = [g for g in groups if sum(counts.get(g, {}).values()) > 0]
    if not groups:
        return _empty(title, "stacked", f"No {unit} to chart.")
    groups = _cap(groups, MAX_GROUPS, group_word, notes)
    if colours is None:
        colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    legend, legend_h = _legend([(c, colours[c]) for c in categories], 4)
    top = legend_h + 8
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    parts: list[str] = []
    few = 0
    for gi, group in enumerate(groups):
        y = top + gi * (BAR_H + 2 * BAR_GAP + 6)
        row = counts.get(group, {})
        total = sum(row.values())
        parts.append(_group_label(group, y + BAR_H - 3))
        x = float(LABEL_W)
        too_few = total < min_count
        few += too_few
        for cat in categories:
            n = row.get(cat, 0)
            if not n:
                continue
            w = plot_w * n / total
            tip = f"{group} · {cat}: {n} of {total} {unit} ({n / total:.0%})"
            rect = (
                f'<rect class="framing-mark{" framing-too-few" if too_few else ""}"'
                f'{_attr("data-series", cat)}{_attr("data-group", group)}{_attr("data-value", n)}{_attr("x", x)}'
                f'{_attr("y", y)}{_attr("width", max(0.5, w))}{_attr("height", BAR_H)}{_attr("fill", colours[cat])}'
                f"{_PALE if too_few else _OPAQUE}{_SEGMENT_EDGE}><title>{_text(tip)}</title></rect>"
            )
            href = (hrefs or {}).get((group, cat))
            parts.append(_link(href, tip, rect) if href else rect)
            x += w
        parts.append(el("text", {"class": "framing-value", "x": LABEL_W + plot_w + 6, "y": y + BAR_H - 3}, f"n={total}"))
    height = int(top + len(groups) * (BAR_H + 2 * BAR_GAP + 6) + 8)
    if few:
        notes.append(f"Pale bars rest on fewer than {min_count} {unit}: too few to compare.")
    desc = f"Share of {unit} by category for {len(groups)} {group_word}."
    return _figure(title, Markup(legend + "".join(parts)), height, notes, "stacked", desc)


def grouped_bars(
    title: str,
    groups: list[str],
    series: list[str],
    values: dict[tuple[str, str], dict[str, Any]],
    *,
    min_count: int,
    percent: bool = True,
    group_word: str = "groups",
    series_word: str = "series",
    measure: str = "voice share",
) -> Markup:
    """Bars from zero for a non-negative measure (voice share) per group and series.

    ``values[(group, series)]`` holds ``value``, ``n`` (the denominator) and optional ``href``.
    """
    notes: list[str] = []
    if not any(v.get("value") is not None for v in values.values()):
        return _empty(title, "bars", "Nothing to chart.")
    groups = _cap(groups, MAX_GROUPS, group_word, notes)
    series = _cap(series, MAX_SERIES, series_word, notes)
    one_series = len(series) == 1
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    biggest = max((v.get("value") or 0 for v in values.values()), default=0) or 1
    if percent:
        step = 0.25 if biggest <= 1 else 0.5
    else:
        step = 10 ** math.floor(math.log10(biggest)) if biggest >= 1 else 0.25
    top_value = max(step, math.ceil(biggest / step - 1e-9) * step)
    tick_values = [i * step for i in range(int(round(top_value / step)) + 1)]
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    legend, legend_h = ("", 0) if one_series else _legend([(s, colours[s]) for s in series], 4)
    top = legend_h + 8
    group_h = len(series) * (BAR_H + BAR_GAP) - BAR_GAP
    parts: list[str] = []
    few = 0
    for gi, group in enumerate(groups):
        gy = top + gi * (group_h + GROUP_GAP) + GROUP_GAP / 2
        parts.append(_group_label(group, gy + group_h / 2 + 4))
        for si, name in enumerate(series):
            v = values.get((group, name))
            if not v or v.get("value") is None:
                continue
            y = gy + si * (BAR_H + BAR_GAP)
            w = plot_w * min(v["value"], top_value) / top_value
            too_few = v.get("n", 0) < min_count
            few += too_few
            shown = _pct(v["value"]) if percent else f"{v['value']:g}"
            label = f"{group} · {name}" if not one_series else group
            tip = f"{label}: {measure} {shown} (of {v.get('n', 0)})" + (" — too few to compare" if too_few else "")
            fill = colours[name] if not one_series else PALETTE[0]
            body = _bar(name, group, f"{v['value']:.4f}", LABEL_W, y, max(1.5, w), fill, too_few, tip) + _value_label(
                LABEL_W + w + 5, y + BAR_H - 3, shown + ("*" if too_few else "")
            )
            if v.get("href"):
                body = _link(v["href"], tip, body)
            parts.append(body)
    axis_y = top + len(groups) * (group_h + GROUP_GAP)
    parts.append(el("line", {"x1": LABEL_W, "x2": LABEL_W, "y1": top, "y2": axis_y, "stroke": "#555"}))
    for t in tick_values:
        tx = LABEL_W + plot_w * t / top_value
        parts.append(el("line", {"x1": tx, "x2": tx, "y1": axis_y, "y2": axis_y + 4, "stroke": "#555"}))
        parts.append(el("text", {"class": "framing-tick", "x": tx, "y": axis_y + 15, "text-anchor": "middle"}, _pct(t) if percent else f"{t:g}"))
    if few:
        notes.append(f"Pale, dashed bars (marked *) rest on fewer than {min_count} mentions: too few to compare.")
    height = int(axis_y + AXIS_H)
    desc = f"{measure.capitalize()} for {len(groups)} {group_word}."
    return _figure(title, Markup(legend + "".join(parts)), height, notes, "bars", desc)
