"""Article metadata values shared by ingest and clean: the header block and dates.

A plain-text article may open with a header block, one ``key: value`` line per
field and a blank line after it::

    title: Telephone conversation with President of Finland Sauli Niinistö
    outlet: President of Russia (Kremlin)
    date: 2022-01-21

    The presidents had a detailed exchange of opinions ...

Ingest reads it from ``.txt`` files (it is part of that file format), and
clean reads it from raw text handed to ``analyze()``, which never went
through ingest.  Both call :func:`parse_header` here, so the flow stays one
way (neither stage imports the other) and the rule lives in one place.
"""

from __future__ import annotations

import re
from datetime import date

#: Metadata keys every stage understands, in the order they are shown.
METADATA_KEYS = ("title", "standfirst", "outlet", "published", "url", "author", "licence")

#: Header keys and the metadata key each fills.
HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "standfirst": "standfirst",
    "summary": "standfirst",
    "outlet": "outlet",
    "publisher": "outlet",
    "date": "published",
    "published": "published",
    "url": "url",
    "link": "url",
    "author": "author",
    "byline": "author",
    "licence": "licence",
    "license": "licence",
}

_HEADER_LINE = re.compile(r"[ \t]*([A-Za-z]+)[ \t]*:[ \t]*(.*?)[ \t\r]*")
#: At least one of these must be in a header block.
_KEY_FIELDS = {"title", "outlet", "published", "url"}
#: A header block is short; stop looking after this many lines.
_MAX_HEADER_LINES = 20


def parse_header(text: str) -> tuple[dict[str, str], int]:
    """Metadata from a leading header block, and the offset where the body starts.

    Returns ``({}, 0)`` when the text does not open with a header block: every
    line up to the first blank line must be a known ``key: value`` line (at
    least one of them ``title``, ``outlet``, ``date`` or ``url``), so a body
    that merely starts with "Note: ..." is left alone.
    """
    meta: dict[str, str] = {}
    pos = 1 if text.startswith("\ufeff") else 0
    for _ in range(_MAX_HEADER_LINES + 1):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        after = len(text) if nl < 0 else nl + 1
        if not line.strip():
            return (meta, after) if _KEY_FIELDS & meta.keys() else ({}, 0)
        m = _HEADER_LINE.fullmatch(line)
        if not m or m.group(1).lower() not in HEADER_KEYS:
            return {}, 0
        key = HEADER_KEYS[m.group(1).lower()]
        value = " ".join(m.group(2).split())
        if value and key not in meta:
            meta[key] = normalize_date(value) if key == "published" else value
        if nl < 0:
            # A header and no body.
            return (meta, after) if _KEY_FIELDS & meta.keys() else ({}, 0)
        pos = after
    return {}, 0


_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"

#: Date forms news pages and exports use; the first that matches wins.
DATE_PATTERNS = (
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?![\d])"),
    re.compile(r"(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?![\d])"),
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)", re.I),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)", re.I),
)


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date written in ``text`` as ISO ``YYYY-MM-DD``, with its span."""
    best: tuple[str, int, int] | None = None
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m)
            if iso:
                if best is None or m.start() < best[1]:
                    best = (iso, m.start(), m.end())
                break
    return best


def _iso(m: re.Match[str]) -> str | None:
    month = m.group("month")
    month_no = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    try:
        return date(int(m.group("year")), month_no or 0, int(m.group("day"))).isoformat()
    except (TypeError, ValueError):
        return None


def normalize_date(value: str) -> str:
    """``value`` as ``YYYY-MM-DD`` when it holds a recognisable date, else unchanged.

    Handles ISO dates and timestamps (``2022-01-20T10:00:00Z``), ``2022/01/20``,
    ``20 Jan 2022``, ``Thursday, 20 January 2022``, ``January 20, 2022``,
    ``Jan. 20, 2022`` and RFC 2822 (``Thu, 20 Jan 2022 10:00:00 GMT``).  Numeric
    day/month orders such as ``01/02/2022`` are ambiguous and kept as written.
    """
    value = value.strip()
    found = find_date(value)
    return found[0] if found else value
