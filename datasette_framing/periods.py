"""A date range as whole months plus a few days: how the pages read the monthly summaries.

The summary tables keep one row per actor x outlet x *month* (schema.ACTOR_OUTLET_MONTH_STATS
and friends), so a range of whole months is a sum over a few thousand rows.  A range that
starts or ends inside a month needs that month's days too: they come from the per-article
rows (actor_article_stats, raw mentions), which hold the publication date.  Reading up to a
month of per-article rows at each end would cost more than the months themselves, so a
partial month that covers more than half its days is read as the whole month *minus* the
days outside the range: every part carries a sign, and because the summaries hold counts
and sums only, ``sum(sign * column)`` is exact.  No end ever needs more than half a
month of per-article rows.

A plan is plain data; :mod:`page_queries` turns it into SQL with the bounds as bound
parameters.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One piece of a date range: whole months or days, added (+1) or taken away (-1).

    ``lo``/``hi`` are inclusive: ``YYYY-MM`` for months, ``YYYY-MM-DD`` for days.  A months
    part may be open at either end (``None``), for a range open at that end.
    """

    grain: str  # "month" or "day"
    lo: str | None
    hi: str | None
    sign: int = 1


def first_day(value: str) -> datetime.date:
    """The first day a ``since`` value (YYYY, YYYY-MM or YYYY-MM-DD) admits."""
    parts = [int(p) for p in value.split("-")]
    return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(value: str) -> datetime.date:
    """The last day an ``until`` value admits (``published <= until || 'z'``)."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


def _month(d: datetime.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _month_end(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _days(lo: datetime.date, hi: datetime.date, sign: int = 1) -> Part:
    # From the 1st, the bound is the month itself, so a date known only to the month
    # ("2022-03") falls on the same side as it does for the raw filter.
    return Part("day", _month(lo) if lo.day == 1 else lo.isoformat(), hi.isoformat(), sign)


def _partial_month(lo: datetime.date, hi: datetime.date) -> list[Part]:
    """Days ``lo``..``hi`` of one month: as days, or as the month minus the days outside."""
    start, end = lo.replace(day=1), _month_end(lo)
    inside = (hi - lo).days + 1
    outside = (end - start).days + 1 - inside
    if outside == 0:
        return [Part("month", _month(lo), _month(lo))]
    if inside <= outside:
        return [_days(lo, hi)]
    parts = [Part("month", _month(lo), _month(lo))]
    if lo > start:
        parts.append(_days(start, lo - datetime.timedelta(days=1), -1))
    if hi < end:
        parts.append(_days(hi + datetime.timedelta(days=1), end, -1))
    return parts


def plan(since: str | None, until: str | None) -> list[Part]:
    """The parts that add up to the dates ``since``..``until`` (either may be None: open).

    With neither bound the plan is one open months part (every dated article; the pages do
    not call this then, they read the all-time tables).
    """
    lo = first_day(since) if since else None
    hi = last_day(until) if until else None
    if lo and hi and lo > hi:
        return []
    if lo and hi and (lo.year, lo.month) == (hi.year, hi.month):
        return _merge(_partial_month(lo, hi))
    parts: list[Part] = []
    whole_lo: str | None = None
    whole_hi: str | None = None
    if lo:
        parts += _partial_month(lo, _month_end(lo))
        nxt = _month_end(lo) + datetime.timedelta(days=1)
        whole_lo = _month(nxt)
    if hi:
        parts += _partial_month(hi.replace(day=1), hi)
        prev = hi.replace(day=1) - datetime.timedelta(days=1)
        whole_hi = _month(prev)
    if whole_lo is None or whole_hi is None or whole_lo <= whole_hi:
        parts.append(Part("month", whole_lo, whole_hi))
    return _merge(parts)


def _merge(parts: list[Part]) -> list[Part]:
    """Join added month parts that touch, so whole months are read by one range condition."""
    months = sorted(
        (p for p in parts if p.grain == "month" and p.sign == 1),
        key=lambda p: (p.lo is not None, p.lo or ""),
    )
    others = [p for p in parts if not (p.grain == "month" and p.sign == 1)]
    merged: list[Part] = []
    for p in months:
        if merged and merged[-1].hi is not None and p.lo is not None and _next_month(merged[-1].hi) >= p.lo:
            last = merged[-1]
            hi = None if p.hi is None else max(last.hi, p.hi)
            merged[-1] = Part("month", last.lo, hi)
        else:
            merged.append(p)
    return merged + sorted(others, key=lambda p: (p.lo or "", p.sign))


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"
