"""The SQL that reads a page's scope out of the summary tables: all time, whole months, days.

Every function returns a CTE (``name AS (...)``) and its bound parameters.  The CTE yields
rows with a ``sign`` column: the caller sums ``sign * column``, which is exact because the
summary tables hold counts and sums only (see :mod:`periods` for why some parts are taken
away).  Which table each part reads:

========================  =====================  ==========================  =======================
scope                     actor totals           actor x outlet              frames / cues
========================  =====================  ==========================  =======================
no dates, no outlets      actor_stats            actor_outlet_stats          actor_frames / actor_cue_verbs
no dates, outlets         actor_outlet_stats     actor_outlet_stats          actor_frames / actor_cue_verbs
whole months              actor_month_stats      actor_outlet_month_stats    actor_month_frames / _cues
days (range edges)        actor_day_stats        actor_outlet_day_stats      actor_outlet_day_frames / _cues
========================  =====================  ==========================  =======================

(With outlets chosen, actor totals over months read actor_outlet_month_stats and over days
actor_outlet_day_stats; without, the actor totals' frames and cues over months read
actor_month_frame_totals / actor_month_cue_classes and at the days actor_day_frames /
actor_day_cues.  Labels read actor_outlet_labels, actor_month_labels and actor_outlet_day_labels;
speakers outlet_speakers, outlet_month_speakers and outlet_speaker_days.)  Table and
column names come from :mod:`schema`; request values are only ever bound parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from . import periods, schema

NO_OUTLET = "(no outlet)"

#: Rolled-up columns every core source yields (schema.ROLLUP_COLUMNS).
COLUMNS = schema.ROLLUP_COLUMNS


def shown_outlet(alias: str) -> str:
    """An outlet as the pages show it: '(no outlet)' for none."""
    return f"coalesce(nullif({alias}.outlet, ''), '{NO_OUTLET}')"


def outlet_condition(alias: str, outlets: tuple[str, ...]) -> str:
    """Restrict ``alias``.outlet to the chosen outlets (bound as :outlets), index-friendly."""
    if not outlets:
        return "1"
    cond = f"{alias}.outlet IN (SELECT value FROM json_each(:outlets))"
    if NO_OUTLET in outlets:
        cond = f"({cond} OR coalesce({alias}.outlet, '') = '')"
    return cond


def actor_condition(alias: str, column: str, actor_ids: tuple[str, ...] | None) -> str:
    if actor_ids is None:
        return "1"
    return f"{alias}.{column} IN (SELECT value FROM json_each(:actors))"


@dataclass
class Source:
    """A CTE and its parameters.  ``outlets`` says how the scope's outlet count is known:
    'stored' (a column of the rows), 'rows' (count the outlets of the rows) or 'unknown'."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    outlets: str = "rows"


def base_params(outlets: tuple[str, ...], actor_ids: tuple[str, ...] | None) -> dict[str, Any]:
    return {
        "outlets": json.dumps(list(outlets)) if outlets else None,
        "actors": json.dumps(list(actor_ids)) if actor_ids is not None else None,
    }


def bounds(part: periods.Part, i: int, column: str, params: dict[str, Any]) -> str:
    """The condition putting ``column`` in the part's months or days; binds ``:lo{i}``/``:hi{i}``."""
    conds = []
    if part.grain == "month":
        conds.append(f"{column} <> ''")
        if part.lo is not None:
            params[f"lo{i}"] = part.lo
            conds.append(f"{column} >= :lo{i}")
        if part.hi is not None:
            params[f"hi{i}"] = part.hi
            conds.append(f"{column} <= :hi{i}")
    else:
        params[f"lo{i}"], params[f"hi{i}"] = part.lo, part.hi
        conds.append(f"{column} >= :lo{i} AND {column} <= :hi{i} || 'z'")
    return " AND ".join(conds)


def _all_columns(alias: str, articles: str | None = None, only: tuple[str, ...] | None = None) -> str:
    return ", ".join(
        f"{articles} AS articles" if (c == "articles" and articles) else f"{alias}.{c}"
        for c in (only or COLUMNS)
    )


def core(
    outlets: tuple[str, ...],
    since: str | None,
    until: str | None,
    actor_ids: tuple[str, ...] | None,
    per_outlet: bool,
    only: tuple[str, ...] | None = None,
) -> Source:
    """``s``: actor (x outlet) rows with ``sign`` and the rollup columns (``only`` those
    named, for a ranking that needs two of them), for the scope."""
    params = base_params(outlets, actor_ids)

    def _columns(alias: str, articles: str | None = None) -> str:
        return _all_columns(alias, articles, only)

    where_o = outlet_condition("st", outlets)
    where_a = actor_condition("st", "actor_id", actor_ids)
    split = per_outlet or bool(outlets)
    if not (since or until):
        if split:
            sql = (
                f"SELECT st.actor_id, {shown_outlet('st')} AS outlet, 1 AS sign, {_columns('st')}, NULL AS outlets "
                f"FROM actor_outlet_stats st WHERE {where_o} AND {where_a}"
            )
            return Source(f"s AS ({sql})", params, "rows")
        sql = (
            f"SELECT st.actor_id, NULL AS outlet, 1 AS sign, {_columns('st')}, st.outlets AS outlets "
            f"FROM actor_stats st WHERE {where_a}"
        )
        return Source(f"s AS ({sql})", params, "stored")
    selects = []
    for i, part in enumerate(periods.plan(since, until)):
        if part.grain == "month" and split:
            selects.append(
                f"SELECT st.actor_id, {shown_outlet('st')} AS outlet, {part.sign} AS sign, {_columns('st')}, NULL AS outlets "
                f"FROM actor_outlet_month_stats st WHERE {where_o} AND {where_a} AND {bounds(part, i, 'st.month', params)}"
            )
        elif part.grain == "month":
            selects.append(
                f"SELECT st.actor_id, NULL AS outlet, {part.sign} AS sign, {_columns('st')}, NULL AS outlets "
                f"FROM actor_month_stats st WHERE {where_a} AND {bounds(part, i, 'st.month', params)}"
            )
        elif split:
            selects.append(
                f"SELECT st.actor_id, {shown_outlet('st')} AS outlet, {part.sign} AS sign, {_columns('st')}, NULL AS outlets "
                f"FROM actor_outlet_day_stats st WHERE {where_o} AND {where_a} AND {bounds(part, i, 'st.day', params)}"
            )
        else:
            selects.append(
                f"SELECT st.actor_id, NULL AS outlet, {part.sign} AS sign, {_columns('st')}, NULL AS outlets "
                f"FROM actor_day_stats st WHERE {where_a} AND {bounds(part, i, 'st.day', params)}"
            )
    if not selects:  # an empty range
        selects.append(f"SELECT st.actor_id, NULL, 1, {_columns('st')}, NULL FROM actor_stats st WHERE 0")
    return Source("s AS (\n" + "\nUNION ALL\n".join(selects) + "\n)", params, "rows" if split else "unknown")


def _by_period(
    cte: str,
    since: str | None,
    until: str | None,
    params: dict[str, Any],
    all_time: str,
    month: Callable[[periods.Part, int], str],
    day: Callable[[periods.Part, int], str],
    empty: str,
) -> Source:
    """``cte``: the all-time SELECT without dates, else one SELECT per part of the date plan
    (``month`` or ``day`` builds it; ``empty`` stands in for a range with no day in it)."""
    if not (since or until):
        return Source(f"{cte} AS ({all_time})", params)
    selects = [(month if part.grain == "month" else day)(part, i) for i, part in enumerate(periods.plan(since, until))]
    return Source(f"{cte} AS (\n" + "\nUNION ALL\n".join(selects or [empty]) + "\n)", params)


def cues(
    outlets: tuple[str, ...],
    since: str | None,
    until: str | None,
    actor_ids: tuple[str, ...],
    per_outlet: bool = True,
) -> Source:
    """``c``: (actor_id, outlet, cue_class, cue, sign, quotes) statement counts for the actors.

    With ``per_outlet`` False only the classes are needed (``cue`` is NULL): all time they
    come from actor_cues, and with no outlets chosen the months of a range from
    actor_month_cue_classes and the days at its ends from actor_day_cues (``outlet`` NULL too)."""
    params = base_params(outlets, actor_ids)
    where = f"{outlet_condition('st', outlets)} AND {actor_condition('st', 'actor_id', actor_ids)}"
    cols = f"st.actor_id, {shown_outlet('st')} AS outlet, st.cue_class, st.cue"

    # Each grain's table over every outlet, and its per-outlet (verb-level) table.
    tables = {"day": ("actor_day_cues", "actor_outlet_day_cues"), "month": ("actor_month_cue_classes", "actor_month_cues")}

    def part_sql(part: periods.Part, i: int) -> str:
        over_all, per = tables[part.grain]
        column = f"st.{part.grain}"
        if not (per_outlet or outlets):
            return (
                f"SELECT st.actor_id, NULL AS outlet, st.cue_class, NULL AS cue, {part.sign} AS sign, st.quotes "
                f"FROM {over_all} st WHERE {actor_condition('st', 'actor_id', actor_ids)} "
                f"AND {bounds(part, i, column, params)}"
            )
        return (
            f"SELECT {cols}, {part.sign} AS sign, st.quotes FROM {per} st "
            f"WHERE {where} AND {bounds(part, i, column, params)}"
        )

    # Classes only: the all-time class table (actor_cues) has fewer rows than the verbs.
    all_time = (
        f"SELECT {cols}, 1 AS sign, st.quotes FROM actor_cue_verbs st WHERE {where}"
        if per_outlet
        else f"SELECT st.actor_id, {shown_outlet('st')} AS outlet, st.cue_class, NULL AS cue, 1 AS sign, st.quotes "
        f"FROM actor_cues st WHERE {where}"
    )
    return _by_period(
        "c", since, until, params,
        all_time=all_time,
        month=part_sql,
        day=part_sql,
        empty="SELECT NULL, NULL, NULL, NULL, 1, 0 WHERE 0",
    )


def frames(
    outlets: tuple[str, ...],
    since: str | None,
    until: str | None,
    actor_ids: tuple[str, ...],
    per_outlet: bool = True,
) -> Source:
    """``fr``: (actor_id, outlet, frame, sign, sentences): frames of the sentences mentioning the actors.

    With ``per_outlet`` False and no outlets chosen, the months of a range come from
    actor_month_frame_totals and the days at its ends from actor_day_frames (``outlet`` is NULL)."""
    params = base_params(outlets, actor_ids)
    where = f"{outlet_condition('st', outlets)} AND {actor_condition('st', 'actor_id', actor_ids)}"
    cols = f"st.actor_id, {shown_outlet('st')} AS outlet, st.frame"

    # Each grain's table over every outlet, and its per-outlet table.
    tables = {"day": ("actor_day_frames", "actor_outlet_day_frames"), "month": ("actor_month_frame_totals", "actor_month_frames")}

    def part_sql(part: periods.Part, i: int) -> str:
        over_all, per = tables[part.grain]
        column = f"st.{part.grain}"
        if not (per_outlet or outlets):
            return (
                f"SELECT st.actor_id, NULL AS outlet, st.frame, {part.sign} AS sign, st.sentences "
                f"FROM {over_all} st WHERE {actor_condition('st', 'actor_id', actor_ids)} "
                f"AND {bounds(part, i, column, params)}"
            )
        return (
            f"SELECT {cols}, {part.sign} AS sign, st.sentences FROM {per} st "
            f"WHERE {where} AND {bounds(part, i, column, params)}"
        )

    return _by_period(
        "fr", since, until, params,
        all_time=f"SELECT {cols}, 1 AS sign, st.sentences FROM actor_frames st WHERE {where}",
        month=part_sql,
        day=part_sql,
        empty="SELECT NULL, NULL, NULL, 1, 0 WHERE 0",
    )


def labels(outlets: tuple[str, ...], since: str | None, until: str | None, actor_ids: tuple[str, ...]) -> Source:
    """``lb``: (actor_id, outlet, label, sign, mentions) label uses for the actors."""
    params = base_params(outlets, actor_ids)
    where = f"{outlet_condition('st', outlets)} AND {actor_condition('st', 'actor_id', actor_ids)}"
    cols = f"st.actor_id, {shown_outlet('st')} AS outlet, st.label"
    return _by_period(
        "lb", since, until, params,
        all_time=f"SELECT {cols}, 1 AS sign, st.mentions FROM actor_outlet_labels st WHERE {where}",
        month=lambda part, i: (
            f"SELECT {cols}, {part.sign} AS sign, st.mentions FROM actor_month_labels st "
            f"WHERE {where} AND {bounds(part, i, 'st.month', params)}"
        ),
        day=lambda part, i: (
            f"SELECT {cols}, {part.sign} AS sign, st.mentions FROM actor_outlet_day_labels st "
            f"WHERE {where} AND {bounds(part, i, 'st.day', params)}"
        ),
        empty="SELECT NULL, NULL, NULL, 1, 0 WHERE 0",
    )


def speaker_quotes(outlets: tuple[str, ...], since: str | None, until: str | None) -> Source:
    """``sq``: (actor_id, outlet, sign, quotes) statement counts of every speaker, over dates:
    outlet_month_speakers (speakers with statements only) for whole months, the per-article
    summary for the days at the ends."""
    params = base_params(outlets, None)
    where_o = outlet_condition("st", outlets)
    return _by_period(
        "sq", since, until, params,
        all_time=f"SELECT st.speaker_id AS actor_id, {shown_outlet('st')} AS outlet, 1 AS sign, st.statements AS quotes "
        f"FROM outlet_speakers st WHERE st.statements > 0 AND st.speaker_id <> '' AND {where_o}",
        month=lambda part, i: (
            f"SELECT st.speaker_id AS actor_id, {shown_outlet('st')} AS outlet, {part.sign} AS sign, "
            f"st.statements AS quotes FROM outlet_month_speakers st WHERE {where_o} AND {bounds(part, i, 'st.month', params)}"
        ),
        day=lambda part, i: (
            f"SELECT st.speaker_id AS actor_id, {shown_outlet('st')} AS outlet, {part.sign} AS sign, st.statements AS quotes "
            f"FROM outlet_speaker_days st WHERE st.statements > 0 AND st.speaker_id <> '' AND {where_o} "
            f"AND {bounds(part, i, 'st.day', params)}"
        ),
        empty="SELECT NULL, NULL, 1, 0 WHERE 0",
    )


#: The names the pages use for the polarity counts.
RENAMED = {"neg": "negative", "neu": "neutral", "pos": "positive"}
NAMES = tuple(RENAMED.get(c, c) for c in COLUMNS)


def sums(alias: str = "s") -> str:
    """``sum(sign * column) AS name`` for every rollup column, under the pages' names."""
    return ",\n  ".join(f"sum({alias}.sign * {alias}.{c}) AS {RENAMED.get(c, c)}" for c in COLUMNS)


def resum(alias: str = "g") -> str:
    """Sums of rows produced by :func:`sums`, plus the mean they imply."""
    out = [f"sum({alias}.{n}) AS {n}" for n in NAMES]
    out.append(f"sum({alias}.sentiment_sum) / nullif(sum({alias}.scored), 0) AS sentiment_mean")
    return ",\n  ".join(out)
