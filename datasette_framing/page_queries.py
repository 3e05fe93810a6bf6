"""The read-only SQL behind every framing page, one function per table a page shows.

Each function takes a Datasette ``Database`` and plain Python values, binds every
value as a parameter, and returns plain dicts.  The same rows feed the HTML
table, the JSON form, the CSV export and the chart of a page, so a number on a
chart is always the number in the table beside it.

Table and column names are the ones declared in :mod:`datasette_framing.schema`
(``tests/test_views.py`` runs every query against a database created from it);
nothing from a request is ever formatted into the SQL text.  Multi-valued
filters (several outlets, several actors) are bound as one JSON array and
expanded with ``json_each``.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable

from datasette.database import QueryInterrupted
from datasette.views.base import DatasetteError

from . import periods, rollups, schema
from .statements import is_statement

#: Rows per chunk when a CSV export streams a drill-down.
STREAM_CHUNK = 1_000


@dataclass(frozen=True)
class Filters:
    """Which articles a page covers: outlets (empty = all), a date range, an actor kind."""

    outlets: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    kind: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "outlets": json.dumps(list(self.outlets)) if self.outlets else None,
            "since": self.since,
            "until": self.until,
            "kind": self.kind,
        }

    @property
    def active(self) -> bool:
        return bool(self.outlets or self.since or self.until or self.kind)


#: The articles a page covers; every aggregate joins through it.
ARTICLE_SCOPE = """
arts AS (
  SELECT id, coalesce(nullif(outlet, ''), '(no outlet)') AS outlet, published
  FROM articles
  WHERE (coalesce(:outlets, '') = '' OR coalesce(nullif(outlet, ''), '(no outlet)') IN (SELECT value FROM json_each(:outlets)))
    AND (coalesce(:since, '') = '' OR published >= :since)
    AND (coalesce(:until, '') = '' OR published <= :until || 'z')
)"""


NO_OUTLET = "(no outlet)"


def article_scope(filters: Filters) -> str:
    """The ``arts`` CTE with only the conditions the filters use, so SQLite can use
    the (outlet, published) and (published) indexes; values stay bound parameters.
    ``ARTICLE_SCOPE`` is the same thing in one static form, for SQL shown to users."""
    conds = []
    if filters.outlets:
        cond = "outlet IN (SELECT value FROM json_each(:outlets))"
        if NO_OUTLET in filters.outlets:
            cond = f"({cond} OR coalesce(outlet, '') = '')"
        conds.append(cond)
    if filters.since:
        conds.append("published >= :since")
    if filters.until:
        conds.append("published <= :until || 'z'")
    where = " AND ".join(conds) or "1"
    return f"""
arts AS (
  SELECT id, coalesce(nullif(outlet, ''), '{NO_OUTLET}') AS outlet, published
  FROM articles WHERE {where}
)"""


class PageQueryTooSlow(DatasetteError):
    """A page's query ran past Datasette's sql_time_limit_ms: a 400 with advice, as Datasette does."""


async def _rows(db, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    try:
        results = await db.execute(sql, params or {})
    except QueryInterrupted:
        raise PageQueryTooSlow(
            "This page's query took longer than the sql_time_limit_ms setting allows. "
            "Narrow the filters (an outlet or a date range), make sure the database was loaded "
            "by the current datasette-framing (it builds the summary tables the pages read), "
            "or raise sql_time_limit_ms.",
            title="SQL Interrupted",
            status=400,
        ) from None
    return _as_dicts(results)


def _as_dicts(results: Any) -> list[dict[str, Any]]:
    """The rows as dicts.  Zipped with the column names when those are unique (as SQLite's Row
    matches them: ignoring ASCII case), since dict(row) looks every key up by name through
    the Row's names one after another: 6.9 against 2.2 us a row of 20 columns, on the
    thread that renders the page.  With a name twice dict(row) keeps the first column's
    value, so it is used then (and when the results carry no description)."""
    rows = results.rows
    description = getattr(results, "description", None)
    if not rows or not description:
        return [dict(r) for r in rows]
    columns = [d[0] for d in description]
    if len({c.lower() for c in columns}) != len(columns) or len(rows[0]) != len(columns):
        return [dict(r) for r in rows]
    return [dict(zip(columns, r)) for r in rows]


#: Values that cannot change while one request is served (the tables present, whether the
#: summaries are filled), looked up once per request: a page asks for them a dozen times and
#: each lookup is a query.  None outside a request (:func:`request_scope` sets it).
_REQUEST_CACHE: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("framing_request_cache", default=None)


def request_scope() -> contextvars.Token:
    """Start a request's cache; hand the token to :func:`end_request_scope` when done."""
    return _REQUEST_CACHE.set({})


def end_request_scope(token: contextvars.Token) -> None:
    _REQUEST_CACHE.reset(token)


async def _per_request(key: tuple[Any, ...], make: Callable[[], Awaitable[Any]]) -> Any:
    """``await make()`` once per request (concurrent callers share one task)."""
    cache = _REQUEST_CACHE.get()
    if cache is None:
        return await make()
    if key not in cache:
        cache[key] = asyncio.ensure_future(make())
    return await cache[key]


async def table_names(db) -> set[str]:
    async def make() -> set[str]:
        return set(await db.table_names())

    return await _per_request(("tables", db.name), make)


def missing_tables(present: set[str]) -> list[str]:
    """The data tables a framing database must have, that ``present`` lacks."""
    return [t.name for t in schema.DATA_TABLES if t.name not in present]


async def missing_summary_tables(db) -> list[str]:
    """The summary tables this version reads that ``db`` lacks (a database built by an older
    version): the pages then read the raw rows, correct but slow on a large database."""
    present = await table_names(db)
    return [t.name for t in schema.SUMMARY_TABLES if t.name not in present]


# --- Dashboard -------------------------------------------------------------------------


async def actor_summary_raw(db, filters: Filters, actor_ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One row per actor mentioned or quoted in the covered articles (from the mentions table).

    ``sentiment_sumsq`` is returned so the caller can put an interval on the mean.
    ``actor_ids`` (optional) restricts the result to those actors.
    """
    sql = f"""
WITH {article_scope(filters)},
m AS (
  SELECT m.actor_id, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
         count(DISTINCT arts.outlet) AS outlets, count(m.sentiment) AS scored,
         avg(m.sentiment) AS sentiment_mean, sum(m.sentiment * m.sentiment) AS sentiment_sumsq,
         sum(m.polarity < 0) AS negative, sum(m.polarity = 0) AS neutral, sum(m.polarity > 0) AS positive,
         sum(m.role = 'agent') AS agent, sum(m.role = 'patient') AS patient,
         sum(m.prominence = 'headline') AS headline
  FROM mentions m JOIN arts ON arts.id = m.article_id
  GROUP BY m.actor_id
),
q AS (
  SELECT quotes.speaker_id AS actor_id, count(*) AS quotes
  FROM quotes JOIN arts ON arts.id = quotes.article_id
  WHERE quotes.speaker_id IS NOT NULL AND {is_statement("quotes")}
  GROUP BY quotes.speaker_id
)
SELECT a.id AS actor_id, a.name, a.kind,
       coalesce(m.mentions, 0) AS mentions, coalesce(m.articles, 0) AS articles,
       coalesce(m.outlets, 0) AS outlets, coalesce(q.quotes, 0) AS quotes,
       coalesce(m.scored, 0) AS scored, m.sentiment_mean, m.sentiment_sumsq,
       coalesce(m.negative, 0) AS negative, coalesce(m.neutral, 0) AS neutral,
       coalesce(m.positive, 0) AS positive, coalesce(m.agent, 0) AS agent,
       coalesce(m.patient, 0) AS patient, coalesce(m.headline, 0) AS headline
FROM actors a
LEFT JOIN m ON m.actor_id = a.id
LEFT JOIN q ON q.actor_id = a.id
WHERE (m.actor_id IS NOT NULL OR q.actor_id IS NOT NULL)
  AND (coalesce(:kind, '') = '' OR a.kind = :kind)
  AND (coalesce(:actors, '') = '' OR a.id IN (SELECT value FROM json_each(:actors)))
ORDER BY mentions DESC, quotes DESC, a.name
"""
    params = filters.params()
    params["actors"] = json.dumps(list(actor_ids)) if actor_ids else None
    return await _rows(db, sql, params)


async def cue_classes_by_speaker_raw(db, filters: Filters) -> list[dict[str, Any]]:
    sql = f"""
WITH {article_scope(filters)}
SELECT quotes.speaker_id AS actor_id, coalesce(quotes.cue_class, 'none') AS cue_class, count(*) AS n
FROM quotes JOIN arts ON arts.id = quotes.article_id
WHERE quotes.speaker_id IS NOT NULL AND {is_statement("quotes")}
GROUP BY 1, 2
"""
    return await _rows(db, sql, filters.params())


async def frames_by_actor_raw(db, filters: Filters) -> list[dict[str, Any]]:
    """Frames of the sentences that mention each actor (a sentence counts once per actor)."""
    sql = f"""
WITH {article_scope(filters)},
s AS (SELECT DISTINCT m.actor_id, m.sentence_id FROM mentions m JOIN arts ON arts.id = m.article_id)
SELECT s.actor_id, f.frame, count(*) AS n
FROM s JOIN frames f ON f.sentence_id = s.sentence_id
GROUP BY 1, 2
"""
    return await _rows(db, sql, filters.params())


async def outlet_summary(db, filters: Filters) -> list[dict[str, Any]]:
    """One row per outlet: articles, readability, sentence sentiment, mentions and quotes.

    From outlet_stats when no date is chosen, else from the per-article summary rows.
    """
    if not await has_summaries(db):
        return await outlet_summary_raw(db, filters)
    if not (filters.since or filters.until):
        sql = f"""
SELECT {rollups.shown_outlet('o')} AS outlet, articles, first_published, last_published, words,
       mean_flesch_reading_ease AS flesch_reading_ease, mean_flesch_kincaid_grade AS flesch_kincaid_grade,
       mean_compound AS compound_mean, mentions, quotes, attributed_quotes
FROM outlet_stats o WHERE {rollups.outlet_condition('o', filters.outlets)}
ORDER BY articles DESC, outlet
"""
        return await _rows(db, sql, filters.params())
    sql = f"""
SELECT {rollups.shown_outlet('a')} AS outlet, count(*) AS articles, min(a.published) AS first_published,
       max(a.published) AS last_published, sum(a.words) AS words,
       avg(a.flesch_reading_ease) AS flesch_reading_ease, avg(a.flesch_kincaid_grade) AS flesch_kincaid_grade,
       sum(a.compound_sum) / nullif(sum(a.compound_n), 0) AS compound_mean,
       coalesce(sum(a.mentions), 0) AS mentions, coalesce(sum(a.statements), 0) AS quotes,
       coalesce(sum(a.attributed), 0) AS attributed_quotes
FROM article_stats a
WHERE {rollups.outlet_condition('a', filters.outlets)} AND {_published('a', filters)}
GROUP BY 1 ORDER BY articles DESC, outlet
"""
    return await _rows(db, sql, filters.params())


async def outlet_summary_raw(db, filters: Filters) -> list[dict[str, Any]]:
    """:func:`outlet_summary` from the article, sentence, mention and quote rows."""
    sql = f"""
WITH {article_scope(filters)},
a AS (
  SELECT arts.outlet, count(*) AS articles, min(arts.published) AS first_published,
         max(arts.published) AS last_published, sum(articles.word_count) AS words,
         avg(articles.flesch_reading_ease) AS flesch_reading_ease,
         avg(articles.flesch_kincaid_grade) AS flesch_kincaid_grade
  FROM arts JOIN articles ON articles.id = arts.id
  GROUP BY arts.outlet
),
sc AS (SELECT arts.outlet, avg(s.compound) AS compound_mean FROM sentences s JOIN arts ON arts.id = s.article_id GROUP BY 1),
m AS (SELECT arts.outlet, count(*) AS mentions FROM mentions JOIN arts ON arts.id = mentions.article_id GROUP BY 1),
q AS (
  SELECT arts.outlet, count(*) AS quotes, sum(quotes.speaker_id IS NOT NULL) AS attributed
  FROM quotes JOIN arts ON arts.id = quotes.article_id WHERE {is_statement("quotes")} GROUP BY 1
)
SELECT a.*, sc.compound_mean, coalesce(m.mentions, 0) AS mentions, coalesce(q.quotes, 0) AS quotes,
       coalesce(q.attributed, 0) AS attributed_quotes
FROM a LEFT JOIN sc ON sc.outlet = a.outlet LEFT JOIN m ON m.outlet = a.outlet LEFT JOIN q ON q.outlet = a.outlet
ORDER BY a.articles DESC, a.outlet
"""
    return await _rows(db, sql, filters.params())


async def speakers_by_outlet_raw(db, filters: Filters) -> list[dict[str, Any]]:
    """How often each outlet quotes each speaker."""
    sql = f"""
WITH {article_scope(filters)}
SELECT arts.outlet, quotes.speaker_id AS actor_id, actors.name, count(*) AS quotes
FROM quotes JOIN arts ON arts.id = quotes.article_id
JOIN actors ON actors.id = quotes.speaker_id
WHERE {is_statement("quotes")}
GROUP BY 1, 2
ORDER BY arts.outlet, quotes DESC, actors.name
"""
    return await _rows(db, sql, filters.params())


async def frames_by_outlet_raw(db, filters: Filters) -> list[dict[str, Any]]:
    """Sentences carrying each frame, per outlet (a sentence may carry several frames)."""
    sql = f"""
WITH {article_scope(filters)}
SELECT arts.outlet, f.frame, count(*) AS n
FROM frames f JOIN arts ON arts.id = f.article_id
GROUP BY 1, 2
ORDER BY 1, 2
"""
    return await _rows(db, sql, filters.params())


async def actor_outlet_summary_raw(
    db, filters: Filters, actor_ids: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """One row per actor x outlet from the mentions table (databases without summary tables)."""
    sql = f"""
WITH {article_scope(filters)},
m AS (
  SELECT m.actor_id, arts.outlet, count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
         count(m.sentiment) AS scored, avg(m.sentiment) AS sentiment_mean,
         sum(m.sentiment * m.sentiment) AS sentiment_sumsq,
         sum(m.polarity < 0) AS negative, sum(m.polarity = 0) AS neutral, sum(m.polarity > 0) AS positive,
         sum(m.role = 'agent') AS agent, sum(m.role = 'patient') AS patient,
         sum(m.role = 'speaker') AS speaker, sum(m.prominence = 'headline') AS headline,
         sum(m.prominence = 'standfirst') AS standfirst,
         sum(m.prominence = 'first_paragraph') AS first_paragraph, sum(m.prominence = 'body') AS body
  FROM mentions m JOIN arts ON arts.id = m.article_id
  WHERE (coalesce(:actors, '') = '' OR m.actor_id IN (SELECT value FROM json_each(:actors)))
  GROUP BY 1, 2
),
q AS (
  SELECT quotes.speaker_id AS actor_id, arts.outlet, count(*) AS quotes
  FROM quotes JOIN arts ON arts.id = quotes.article_id
  WHERE quotes.speaker_id IS NOT NULL AND {is_statement("quotes")}
    AND (coalesce(:actors, '') = '' OR quotes.speaker_id IN (SELECT value FROM json_each(:actors)))
  GROUP BY 1, 2
),
keys AS (SELECT actor_id, outlet FROM m UNION SELECT actor_id, outlet FROM q)
SELECT keys.actor_id, actors.name, actors.kind, keys.outlet,
       coalesce(m.mentions, 0) AS mentions, coalesce(m.articles, 0) AS articles,
       coalesce(m.scored, 0) AS scored, m.sentiment_mean, m.sentiment_sumsq,
       coalesce(m.negative, 0) AS negative, coalesce(m.neutral, 0) AS neutral,
       coalesce(m.positive, 0) AS positive, coalesce(m.agent, 0) AS agent,
       coalesce(m.patient, 0) AS patient, coalesce(m.speaker, 0) AS speaker,
       coalesce(m.headline, 0) AS headline, coalesce(m.standfirst, 0) AS standfirst,
       coalesce(m.first_paragraph, 0) AS first_paragraph, coalesce(m.body, 0) AS body,
       coalesce(q.quotes, 0) AS quotes
FROM keys
JOIN actors ON actors.id = keys.actor_id
LEFT JOIN m ON m.actor_id = keys.actor_id AND m.outlet = keys.outlet
LEFT JOIN q ON q.actor_id = keys.actor_id AND q.outlet = keys.outlet
WHERE (coalesce(:kind, '') = '' OR actors.kind = :kind)
ORDER BY keys.actor_id, keys.outlet
"""
    params = filters.params()
    params["actors"] = json.dumps(list(actor_ids)) if actor_ids else None
    return await _rows(db, sql, params)


async def _counts_by_actor(db, src: rollups.Source, alias: str, key: str, value: str) -> list[dict[str, Any]]:
    """(actor_id, ``key``, n) summed over a rollup source's parts, outlets together."""
    sql = f"""
WITH {src.sql}
SELECT {alias}.actor_id, {alias}.{key}, sum({alias}.sign * {alias}.{value}) AS n
FROM {alias} GROUP BY 1, 2 HAVING n > 0
"""
    return await _rows(db, sql, src.params)


async def cue_classes_by_speaker(db, filters: Filters, actor_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Statements per actor and cue class, for the actors given, from the summary tables."""
    if not await has_summaries(db):
        rows = await cue_classes_by_speaker_raw(db, filters)
        return [r for r in rows if r["actor_id"] in set(actor_ids)]
    src = rollups.cues(filters.outlets, filters.since, filters.until, actor_ids, per_outlet=False)
    return await _counts_by_actor(db, src, "c", "cue_class", "quotes")


async def frames_by_actor(db, filters: Filters, actor_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sentences carrying each frame among those mentioning each of the actors given."""
    if not await has_summaries(db):
        rows = await frames_by_actor_raw(db, filters)
        return [r for r in rows if r["actor_id"] in set(actor_ids)]
    src = rollups.frames(filters.outlets, filters.since, filters.until, actor_ids, per_outlet=False)
    return await _counts_by_actor(db, src, "fr", "frame", "sentences")


async def frames_by_outlet(db, filters: Filters) -> list[dict[str, Any]]:
    """Sentences carrying each frame, per outlet: outlet_frames, or article_frames over dates."""
    if not await has_summaries(db):
        return await frames_by_outlet_raw(db, filters)
    if filters.since or filters.until:
        # Whole months from outlet_month_frames, the days at the ends from article_frames.
        params: dict[str, Any] = dict(filters.params())
        selects = []
        for i, part in enumerate(periods.plan(filters.since, filters.until)):
            table, column = ("outlet_month_frames", "af.month") if part.grain == "month" else ("article_frames", "af.published")
            selects.append(
                f"SELECT af.outlet, af.frame, {part.sign} AS sign, af.sentences FROM {table} af "
                f"WHERE {rollups.outlet_condition('af', filters.outlets)} AND {rollups.bounds(part, i, column, params)}"
            )
        selects = selects or ["SELECT NULL, NULL, 1, 0 WHERE 0"]
        sql = f"""
WITH af AS ({' UNION ALL '.join(selects)})
SELECT {rollups.shown_outlet('af')} AS outlet, af.frame, sum(af.sign * af.sentences) AS n
FROM af GROUP BY 1, 2 HAVING n > 0 ORDER BY 1, 2
"""
        return await _rows(db, sql, params)
    else:
        sql = f"""
SELECT {rollups.shown_outlet('of')} AS outlet, of.frame, sum(of.sentences) AS n
FROM outlet_frames of WHERE {rollups.outlet_condition('of', filters.outlets)}
GROUP BY 1, 2 ORDER BY 1, 2
"""
    return await _rows(db, sql, filters.params())


async def actor_frames_by_outlet(db, filters: Filters, actor_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Frames of the sentences mentioning the actors, per actor and outlet."""
    if not await has_summaries(db):
        return await actor_frames_by_outlet_raw(db, filters, actor_ids)
    src = rollups.frames(filters.outlets, filters.since, filters.until, actor_ids)
    sql = f"""
WITH {src.sql}
SELECT fr.actor_id, fr.outlet, fr.frame, sum(fr.sign * fr.sentences) AS n
FROM fr GROUP BY 1, 2, 3 HAVING n > 0 ORDER BY 1, 2, 3
"""
    return await _rows(db, sql, src.params)


async def speakers_by_outlet(db, filters: Filters, top: int = 3) -> list[dict[str, Any]]:
    """The ``top`` most-quoted speakers of each outlet (by statements)."""
    if not await has_summaries(db):
        rows = await speakers_by_outlet_raw(db, filters)
        seen: dict[str, int] = {}
        out = []
        for r in rows:
            seen[r["outlet"]] = seen.get(r["outlet"], 0) + 1
            if seen[r["outlet"]] <= top:
                out.append(r)
        return out
    if not (filters.since or filters.until) and top <= summaries_top_n():
        sql = f"""
SELECT outlet, actor_id, name, quotes FROM (
  SELECT {rollups.shown_outlet('o')} AS outlet, json_extract(j.value, '$.actor_id') AS actor_id,
         json_extract(j.value, '$.name') AS name, json_extract(j.value, '$.quotes') AS quotes, j.key AS r
  FROM outlet_stats o, json_each(o.top_quoted) j
  WHERE {rollups.outlet_condition('o', filters.outlets)}
)
WHERE r < :top ORDER BY outlet, quotes DESC, name
"""
        return await _rows(db, sql, {**filters.params(), "top": top})
    bounded = await _top_speakers_bounded(db, filters, top)
    if bounded is not None:
        return bounded
    src = rollups.speaker_quotes(filters.outlets, filters.since, filters.until)
    sql = f"""
WITH {src.sql},
g AS (SELECT sq.outlet, sq.actor_id, sum(sq.sign * sq.quotes) AS quotes FROM sq GROUP BY 1, 2),
r AS (
  SELECT g.outlet, g.actor_id, actors.name, g.quotes,
         row_number() OVER (PARTITION BY g.outlet ORDER BY g.quotes DESC, actors.name) AS r
  FROM g JOIN actors ON actors.id = g.actor_id WHERE g.quotes > 0
)
SELECT outlet, actor_id, name, quotes FROM r WHERE r <= :top ORDER BY outlet, quotes DESC, name
"""
    return await _rows(db, sql, {**src.params, "top": top})


#: Speakers taken from the top of each outlet's months when ranking speakers over dates.
SPEAKER_CANDIDATES = 10


async def _top_speakers_bounded(db, filters: Filters, top: int) -> list[dict[str, Any]] | None:
    """:func:`speakers_by_outlet` over dates without summing every speaker of every month
    (16,000 monthly rows at a million sentences), or None when this cannot prove its answer.

    The threshold algorithm (Fagin et al., 2003): the candidates are each outlet's
    SPEAKER_CANDIDATES most-quoted speakers of each whole month; their exact statements over
    the range (the months less the days taken away at the ends) are summed from the
    summaries.  A speaker who is no candidate has, in each month, at most the
    statements of the first speaker left out of that month's list, and the days taken away
    only lower that, so the sum of those values bounds them.  When each outlet's ``top``-th candidate
    is above its bound, no one else can be in its top, and the rows are the exact ones;
    otherwise the caller sums every speaker."""
    parts = periods.plan(filters.since, filters.until)
    if not parts or any(p.grain == "day" and p.sign > 0 for p in parts):
        # Days added at an end (a month mostly outside the range): each of their speakers
        # would be a candidate, often more than the full sum costs.
        return None
    k = max(SPEAKER_CANDIDATES, top)
    params: dict[str, Any] = {**rollups.base_params(filters.outlets, None), "k1": k + 1}
    where_o = rollups.outlet_condition("st", filters.outlets)
    months = [
        f"SELECT DISTINCT st.month, st.outlet FROM outlet_month_speakers st "
        f"WHERE {where_o} AND {rollups.bounds(part, i, 'st.month', params)}"
        for i, part in enumerate(parts) if part.grain == "month"
    ]
    if not months:
        return None
    # Each (month, outlet): its first k + 1 speakers, most statements first, from the
    # (month, outlet, statements DESC) index.
    sql = f"""
SELECT om.month, om.outlet, t.speaker_id, t.statements
FROM ({' UNION '.join(months)}) om
JOIN outlet_month_speakers t ON t.rowid IN (
  SELECT x.rowid FROM outlet_month_speakers x WHERE x.month = om.month AND x.outlet IS om.outlet
  ORDER BY x.statements DESC LIMIT :k1
)
ORDER BY 1, 2, 4 DESC
"""
    shown = lambda outlet: outlet if outlet not in (None, "") else NO_OUTLET  # noqa: E731
    bound: dict[str, int] = {}
    candidates: set[tuple[str | None, str]] = set()
    listed: dict[tuple[str | None, str | None], int] = {}
    for r in await _rows(db, sql, params):
        n = listed.get((r["month"], r["outlet"]), 0)
        listed[(r["month"], r["outlet"])] = n + 1
        if n < k:
            candidates.add((r["outlet"], r["speaker_id"]))
            bound.setdefault(shown(r["outlet"]), 0)
        else:  # the first speaker left out: no one left out has more statements that month
            bound[shown(r["outlet"])] += r["statements"]
    if not candidates:
        return []
    # A group is the outlet as shown: NULL, '' and '(no outlet)' are one, so a candidate's
    # exact sum takes in its statements under each of them (a speaker listed under one
    # only was summed over that one alone, short of the full sum's count).
    pairs = {
        (raw, speaker)
        for outlet, speaker in candidates
        for raw in ((None, "", NO_OUTLET) if shown(outlet) == NO_OUTLET else (outlet,))
    }
    # The candidates' exact statements over the range: their months sought pair by pair in
    # actor_outlet_month_stats (whose quotes are the statements outlet_month_speakers copies),
    # less their statements on the days taken away.  Only the day rows of a candidate's
    # (outlet as shown, speaker) group are read: any other group would hold nothing but
    # those rows, sum below zero and be dropped by the HAVING, so leaving them out changes
    # no row (and spares grouping and joining a few thousand of them to actors).
    sums_params: dict[str, Any] = {
        **rollups.base_params(filters.outlets, None),
        "pairs": json.dumps(sorted(pairs, key=lambda c: (c[0] is not None, c[0] or "", c[1]))),
    }
    selects = []
    for i, part in enumerate(parts):
        if part.grain == "month":
            selects.append(
                f"SELECT c.outlet AS outlet, c.actor_id AS actor_id, st.quotes AS quotes FROM c JOIN actor_outlet_month_stats st "
                f"ON st.actor_id = c.actor_id AND st.outlet IS c.outlet AND {rollups.bounds(part, i, 'st.month', sums_params)}"
            )
        else:
            selects.append(
                f"SELECT st.outlet AS outlet, st.speaker_id AS actor_id, {part.sign} * st.statements AS quotes FROM outlet_speaker_days st "
                f"WHERE st.statements > 0 AND st.speaker_id <> '' AND {where_o} AND {rollups.bounds(part, i, 'st.day', sums_params)} "
                f"AND ({rollups.shown_outlet('st')}, st.speaker_id) IN (SELECT {rollups.shown_outlet('c')}, c.actor_id FROM c)"
            )
    sql = f"""
WITH c AS (SELECT json_extract(value, '$[0]') AS outlet, json_extract(value, '$[1]') AS actor_id FROM json_each(:pairs)),
sq AS ({' UNION ALL '.join(selects)})
SELECT {rollups.shown_outlet('sq')} AS outlet, sq.actor_id, actors.name, sum(sq.quotes) AS quotes
FROM sq JOIN actors ON actors.id = sq.actor_id
GROUP BY 1, 2 HAVING sum(sq.quotes) > 0
"""
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for r in await _rows(db, sql, sums_params):
        by_outlet.setdefault(r["outlet"], []).append(r)
    out = []
    for outlet, limit in bound.items():
        ranked = sorted(by_outlet.get(outlet, []), key=lambda r: (-r["quotes"], r["name"]))
        if (ranked[top - 1]["quotes"] if len(ranked) >= top else 1) <= limit:
            return None  # someone left out could be in the top: not proven
        out.extend(ranked[:top])
    return sorted(out, key=lambda r: (r["outlet"], -r["quotes"], r["name"]))


async def actor_labels_by_outlet(db, filters: Filters, actor_id: str) -> list[dict[str, Any]]:
    """Labels of the actor per outlet, from the loader's ``labels`` table (its normalised,
    lower-cased descriptors) when it is there; else from the mentions' descriptor lists."""
    if not await has_summaries(db):
        return await actor_labels_by_outlet_raw(db, filters, actor_id)
    counts = await actor_label_counts(db, filters, actor_id)
    rows = [{"outlet": o, "label": label, "n": n} for o, labels in counts.items() for label, n in labels.items()]
    return sorted(rows, key=lambda r: (r["outlet"], -r["n"], r["label"]))


async def actor_label_counts(db, filters: Filters, actor_id: str) -> dict[str, dict[str, int]]:
    """{outlet: {label: uses}} for the actor from the label summaries.  One JSON object per
    outlet comes back instead of a row per label: a top actor has thousands of labels, and
    every row handed from SQLite to Python costs more than the sum that made it."""
    if filters.since or filters.until:
        counts = await _actor_label_counts_dated(db, filters, actor_id)
        if counts is not None:
            return counts
    src = rollups.labels(filters.outlets, filters.since, filters.until, (actor_id,))
    sql = f"""
WITH {src.sql},
c AS (SELECT lb.outlet, lb.label, sum(lb.sign * lb.mentions) AS n FROM lb GROUP BY 1, 2 HAVING n > 0)
SELECT outlet, json_group_object(label, n) AS counts FROM c GROUP BY outlet ORDER BY outlet
"""
    return {r["outlet"]: json.loads(r["counts"]) for r in await _rows(db, sql, src.params)}


#: Separates labels and counts in :func:`_actor_label_counts_dated` (a control character no
#: normalised label holds; a label that did would change the field count, which is checked).
_SEP = "\x1f"


async def _actor_label_counts_dated(db, filters: Filters, actor_id: str) -> dict[str, dict[str, int]] | None:
    """:func:`actor_label_counts` over dates, summed in Python from one string per (month or
    day, outlet) of each part of the date plan.  Those groups follow the summary indexes
    (actor_id, month|day, outlet, label), so SQLite never sorts; summing (outlet, label) in SQL
    sorted every row of the range first (a top actor over four months: about 17,000 rows,
    38 ms of SQL against 11 ms).  Labels and counts come as two ``<US>``-separated lists:
    they split several times faster than JSON objects parse.  Same dict, same order: outlets and labels sorted as SQLite's
    BINARY collation sorts them (code points), only positive sums kept.  None when a label
    holds the separator (the caller then sums in SQL)."""
    params: dict[str, Any] = {"actor": actor_id, **rollups.base_params(filters.outlets, None)}
    where_o = rollups.outlet_condition("st", filters.outlets)
    selects = []
    for i, part in enumerate(periods.plan(filters.since, filters.until)):
        table, column = ("actor_month_labels", "month") if part.grain == "month" else ("actor_outlet_day_labels", "day")
        selects.append(
            f"SELECT {part.sign} AS sign, st.outlet, count(*) AS k, group_concat(st.label, char(31)) AS labels, "
            f"group_concat(coalesce(st.mentions, 0), char(31)) AS counts "
            f"FROM {table} st WHERE st.actor_id = :actor AND {where_o} AND {rollups.bounds(part, i, 'st.' + column, params)} "
            f"GROUP BY st.{column}, st.outlet"
        )
    if not selects:
        return {}
    sums: dict[str, dict[str, int]] = {}
    for r in await _rows(db, "\nUNION ALL\n".join(selects), params):
        labels = r["labels"].split(_SEP)
        if len(labels) != r["k"]:
            return None
        outlet = r["outlet"] or rollups.NO_OUTLET
        acc = sums.get(outlet)
        if acc is None:
            if r["sign"] == 1:
                sums[outlet] = dict(zip(labels, map(int, r["counts"].split(_SEP))))
                continue
            acc = sums[outlet] = {}
        # Added to or taken from the outlet's sums as they are split: a dict per group and a
        # multiplication per label cost a quarter of this loop (16,843 labels, top actor).
        get = acc.get
        if r["sign"] == 1:
            for label, n in zip(labels, map(int, r["counts"].split(_SEP))):
                acc[label] = get(label, 0) + n
        else:
            for label, n in zip(labels, map(int, r["counts"].split(_SEP))):
                acc[label] = get(label, 0) - n
    out: dict[str, dict[str, int]] = {}
    for outlet in sorted(sums):
        acc = sums[outlet]
        kept = {label: acc[label] for label in sorted(acc) if acc[label] > 0}  # keys sort faster than pairs
        if kept:
            out[outlet] = kept
    return out


async def actor_label_tops(db, filters: Filters, actor_id: str, top: int) -> dict[str, list[dict[str, Any]]] | None:
    """The ``top`` labels of each outlet (with the outlet's total) and its distinctive labels
    from label_log_odds, when the page compares every outlet over all dates; else None
    (the caller then needs every count: the comparison depends on the outlets chosen)."""
    if filters.outlets or filters.since or filters.until or not await has_summaries(db):
        return None
    # Per outlet, the first ``top`` entries of the (actor_id, outlet, mentions DESC, label)
    # index, fetched by rowid: a top actor has thousands of labels, and numbering them all
    # with a window function cost 20-30 ms where this reads about a hundred index entries
    # (and sums the outlet totals from the same index).
    top_sql = f"""
WITH o AS (SELECT l.outlet, sum(l.mentions) AS total FROM actor_outlet_labels l WHERE l.actor_id = :actor GROUP BY l.outlet)
SELECT {rollups.shown_outlet('o')} AS outlet, l.label, l.mentions AS n, o.total
FROM o JOIN actor_outlet_labels l ON l.rowid IN (
  SELECT t.rowid FROM actor_outlet_labels t WHERE t.actor_id = :actor AND t.outlet IS o.outlet
  ORDER BY t.mentions DESC, t.label LIMIT :top
)
ORDER BY 1, n DESC, l.label
"""
    distinctive_sql = f"""
SELECT outlet, label, n, log_odds, z FROM (
  SELECT {rollups.shown_outlet('d')} AS outlet, d.label, d.uses AS n, d.log_odds, d.z,
         row_number() OVER (PARTITION BY d.outlet ORDER BY d.z DESC, d.label) AS r
  FROM label_log_odds d WHERE d.actor_id = :actor AND d.z >= :z AND d.uses > 0
) WHERE r <= :top ORDER BY outlet, z DESC, label
"""
    params = {"actor": actor_id, "top": top, "z": 1.96}
    tops, distinctive = await asyncio.gather(_rows(db, top_sql, params), _rows(db, distinctive_sql, params))
    return {"top": tops, "distinctive": distinctive}


async def actor_label_totals(db, filters: Filters, actor_id: str) -> list[dict[str, Any]]:
    """(label, n) uses of each label for the actor over the outlets and dates chosen (in no
    particular order: the compare page takes the largest, ties by name)."""
    summarised = await has_summaries(db)
    if summarised and (filters.since or filters.until):
        # Summed from the per-outlet counts as they come: listing and sorting them as
        # actor_labels_by_outlet does first cost more than the sum (7,000 for a top actor).
        sums: dict[str, int] = {}
        for labels in (await actor_label_counts(db, filters, actor_id)).values():
            get = sums.get
            for label, n in labels.items():
                sums[label] = get(label, 0) + n
        return [{"label": k, "n": v} for k, v in sums.items()]
    if not summarised:
        rows = await actor_labels_by_outlet(db, filters, actor_id)
        totals: dict[str, int] = {}
        for r in rows:
            totals[r["label"]] = totals.get(r["label"], 0) + r["n"]
        return [{"label": k, "n": v} for k, v in totals.items()]
    sql = f"""
SELECT l.label, sum(l.mentions) AS n FROM actor_outlet_labels l
WHERE l.actor_id = :actor AND {rollups.outlet_condition('l', filters.outlets)}
GROUP BY l.label
"""
    return await _rows(db, sql, {**filters.params(), "actor": actor_id})


def summaries_top_n() -> int:
    """How many speakers outlet_stats.top_quoted keeps per outlet."""
    from .summaries import TOP_N

    return TOP_N


def _published(alias: str, filters: Filters) -> str:
    conds = []
    if filters.since:
        conds.append(f"{alias}.published >= :since")
    if filters.until:
        conds.append(f"{alias}.published <= :until || 'z'")
    return " AND ".join(conds) or "1"


# --- The same aggregates from the loader's summary tables -------------------------------------
#
# actor_outlet_stats (one row per actor x outlet) answers when no date is chosen;
# actor_article_stats (one row per actor x article, with its date) when one is.
# Both hold counts and sums, so the means and intervals roll up exactly.

async def has_summaries(db) -> bool:
    """Whether the loader's summary tables are there and filled (else the pages read raw rows)."""

    async def make() -> bool:
        if not {t.name for t in schema.SUMMARY_TABLES} <= await table_names(db):
            return False
        sql = (
            "SELECT (EXISTS (SELECT 1 FROM outlet_stats) AND (EXISTS (SELECT 1 FROM actor_stats) "
            "OR NOT EXISTS (SELECT 1 FROM mentions))) OR NOT EXISTS (SELECT 1 FROM articles) AS ok"
        )
        return bool((await _rows(db, sql))[0]["ok"])

    return await _per_request(("summaries", db.name), make)


def _outlet_count(kind: str) -> str:
    return {
        "stored": "max(g.outlets)",
        "rows": "count(CASE WHEN g.mentions > 0 THEN 1 END)",
        "unknown": "NULL",
    }[kind]


def _actor_summary_sql(filters: Filters, actor_ids: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """The summary-table query behind :func:`actor_summary` (without ORDER BY), and its parameters."""
    if not (filters.outlets or filters.since or filters.until):
        # Every outlet, all dates: one row per actor already (actor_stats).
        sql = f"""
SELECT a.id AS actor_id, a.name, a.kind, {', '.join(f'st.{c} AS {rollups.RENAMED.get(c, c)}' for c in rollups.COLUMNS)},
       st.sentiment_sum / nullif(st.scored, 0) AS sentiment_mean, st.outlets
FROM actor_stats st JOIN actors a ON a.id = st.actor_id
WHERE (coalesce(:kind, '') = '' OR a.kind = :kind)
  AND (coalesce(:actors, '') = '' OR st.actor_id IN (SELECT value FROM json_each(:actors)))
  AND (st.mentions > 0 OR st.quotes > 0)
"""
        return sql, {**rollups.base_params((), actor_ids or None), "kind": filters.kind}
    src = rollups.core(filters.outlets, filters.since, filters.until, actor_ids or None, per_outlet=False)
    if src.outlets == "unknown":
        # Rows over every outlet (by month and day): one level of sums is enough.
        sql = f"""
WITH {src.sql}
SELECT a.id AS actor_id, a.name, a.kind, {rollups.sums()},
       sum(s.sign * s.sentiment_sum) / nullif(sum(s.sign * s.scored), 0) AS sentiment_mean, NULL AS outlets
FROM s JOIN actors a ON a.id = s.actor_id
WHERE (coalesce(:kind, '') = '' OR a.kind = :kind)
GROUP BY a.id
HAVING sum(s.sign * s.mentions) > 0 OR sum(s.sign * s.quotes) > 0
"""
        return sql, {**src.params, "kind": filters.kind}
    sql = f"""
WITH {src.sql},
g AS (SELECT s.actor_id, s.outlet, {rollups.sums()}, max(s.outlets) AS outlets FROM s GROUP BY s.actor_id, s.outlet)
SELECT a.id AS actor_id, a.name, a.kind, {rollups.resum()}, {_outlet_count(src.outlets)} AS outlets
FROM g JOIN actors a ON a.id = g.actor_id
WHERE (coalesce(:kind, '') = '' OR a.kind = :kind)
GROUP BY a.id
HAVING sum(g.mentions) > 0 OR sum(g.quotes) > 0
"""
    return sql, {**src.params, "kind": filters.kind}


async def actor_summary(db, filters: Filters, actor_ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One row per actor mentioned or quoted in the covered articles, most mentioned first.

    ``sentiment_sumsq`` is returned so the caller can put an interval on the mean.
    ``actor_ids`` (optional) restricts the result to those actors.  Read from the
    summary tables when the database has them, else from the mentions table.  ``outlets``
    is None over a date range on every outlet (the actor x month table does not know it:
    :func:`actor_outlet_summary` of the actors shown does).
    """
    if not await has_summaries(db):
        return await actor_summary_raw(db, filters, actor_ids)
    sql, params = _actor_summary_sql(filters, actor_ids)
    return await _rows(db, sql + "ORDER BY mentions DESC, quotes DESC, name", params)


async def actor_summary_page(db, filters: Filters, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` rows of :func:`actor_summary`, and how many rows it has in all.

    Ranked first on the two columns the order needs (a sum of 17 columns over every actor
    costs several times more), then summed in full for the actors listed only."""
    if not await has_summaries(db):
        rows = await actor_summary_raw(db, filters)
        return rows[:limit], len(rows)
    ranked = await actor_ranking(db, filters, limit)
    return await listed_rows(db, filters, ranked), ranked[0]["actors_total"] if ranked else 0


def outlets_unknown(filters: Filters) -> bool:
    """Whether :func:`actor_summary` (from the summary tables) leaves ``outlets`` None: over
    dates on every outlet, where the actor x month and day tables do not know it."""
    return bool(filters.since or filters.until) and not filters.outlets


async def actor_ranking(db, filters: Filters, limit: int) -> list[dict[str, Any]]:
    """The order of :func:`actor_summary` from the summary tables, its first ``limit`` actors:
    ``actor_id``, ``mentions`` (the chart actors are the first with some) and ``actors_total``
    (how many rows it has in all).  Apart from :func:`listed_rows`, so that a page can read
    the listed actors' rows while it reads their per-outlet numbers."""
    if not (filters.outlets or filters.since or filters.until):
        # Every outlet, all dates: actor_stats has one row per actor already, so nothing is
        # summed or grouped (grouping its 2,000 rows through the roll-up cost 4.9 -> 3.3 ms).
        sql = """
SELECT st.actor_id, st.mentions, count(*) OVER () AS actors_total
FROM actor_stats st JOIN actors a ON a.id = st.actor_id
WHERE (st.mentions > 0 OR st.quotes > 0) AND (coalesce(:kind, '') = '' OR a.kind = :kind)
ORDER BY st.mentions DESC, st.quotes DESC, a.name
LIMIT :limit
"""
        return await _rows(db, sql, {"kind": filters.kind, "limit": limit})
    src = rollups.core(
        filters.outlets, filters.since, filters.until, None, per_outlet=False, only=("mentions", "quotes")
    )
    sql = f"""
WITH {src.sql},
r AS (
  SELECT s.actor_id, sum(s.sign * s.mentions) AS mentions, sum(s.sign * s.quotes) AS quotes
  FROM s GROUP BY s.actor_id
)
SELECT r.actor_id, r.mentions, count(*) OVER () AS actors_total
FROM r JOIN actors a ON a.id = r.actor_id
WHERE (r.mentions > 0 OR r.quotes > 0) AND (coalesce(:kind, '') = '' OR a.kind = :kind)
ORDER BY r.mentions DESC, r.quotes DESC, a.name
LIMIT :limit
"""
    return await _rows(db, sql, {**src.params, "kind": filters.kind, "limit": limit})


async def listed_rows(db, filters: Filters, ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every column of :func:`actor_summary` for the actors of :func:`actor_ranking`, in its order."""
    if not ranked:
        return []
    order = {r["actor_id"]: i for i, r in enumerate(ranked)}
    rows = await actor_summary(db, filters, tuple(order))
    return sorted(rows, key=lambda r: order[r["actor_id"]])


async def actor_outlet_summary(db, filters: Filters, actor_ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One row per actor x outlet: the numbers the actor, compare and dashboard charts show."""
    if not await has_summaries(db):
        return await actor_outlet_summary_raw(db, filters, actor_ids)
    src = rollups.core(filters.outlets, filters.since, filters.until, actor_ids or None, per_outlet=True)
    sql = f"""
WITH {src.sql}
SELECT a.id AS actor_id, a.name, a.kind, s.outlet, {rollups.sums()},
       sum(s.sign * s.sentiment_sum) / nullif(sum(s.sign * s.scored), 0) AS sentiment_mean
FROM s JOIN actors a ON a.id = s.actor_id
WHERE (coalesce(:kind, '') = '' OR a.kind = :kind)
GROUP BY a.id, s.outlet
HAVING sum(s.sign * s.mentions) > 0 OR sum(s.sign * s.quotes) > 0
ORDER BY a.id, s.outlet
"""
    return await _rows(db, sql, {**src.params, "kind": filters.kind})


async def actor_outlet_counts(db, filters: Filters, actor_ids: tuple[str, ...]) -> dict[str, int]:
    """How many outlets mention each actor in the scope (actors with none are left out): the
    count :func:`actor_outlet_summary`'s rows give (those with mentions), from two of its
    sums instead of all seventeen.  Over dates the actor summary cannot say (an actor's
    outlets do not add up over months), and the dashboard counts them for every actor it
    lists, though it draws the per-outlet numbers of eight."""
    if not actor_ids:
        return {}
    if not await has_summaries(db):
        counts: dict[str, int] = {}
        for r in await actor_outlet_summary_raw(db, filters, actor_ids):
            if r["mentions"]:
                counts[r["actor_id"]] = counts.get(r["actor_id"], 0) + 1
        return counts
    src = rollups.core(filters.outlets, filters.since, filters.until, actor_ids, per_outlet=True, only=("mentions", "quotes"))
    # The HAVING of actor_outlet_summary, and a row counts when its mentions are not zero.
    sql = f"""
WITH {src.sql},
g AS (
  SELECT s.actor_id FROM s JOIN actors a ON a.id = s.actor_id
  WHERE (coalesce(:kind, '') = '' OR a.kind = :kind)
  GROUP BY s.actor_id, s.outlet
  HAVING (sum(s.sign * s.mentions) > 0 OR sum(s.sign * s.quotes) > 0) AND sum(s.sign * s.mentions) <> 0
)
SELECT actor_id, count(*) AS outlets FROM g GROUP BY actor_id
"""
    return {r["actor_id"]: r["outlets"] for r in await _rows(db, sql, {**src.params, "kind": filters.kind})}


# --- Actor page --------------------------------------------------------------------------


async def actor(db, actor_id: str) -> dict[str, Any] | None:
    rows = await _rows(
        db,
        "SELECT id AS actor_id, name, kind, affiliation FROM actors WHERE id = :id",
        {"id": actor_id},
    )
    if not rows:
        return None
    row = rows[0]
    row["aliases"] = [
        r["alias"]
        for r in await _rows(
            db, "SELECT alias FROM aliases WHERE actor_id = :id ORDER BY alias", {"id": actor_id}
        )
    ]
    return row


async def actor_cues_by_outlet(db, filters: Filters, actor_id: str) -> list[dict[str, Any]]:
    """Cue verbs the outlets use for the actor's statements."""
    if await has_summaries(db):
        src = rollups.cues(filters.outlets, filters.since, filters.until, (actor_id,))
        sql = f"""
WITH {src.sql}
SELECT c.outlet, c.cue, c.cue_class, sum(c.sign * c.quotes) AS n
FROM c GROUP BY 1, 2, 3 HAVING n > 0
ORDER BY 1, n DESC, 2
"""
        return await _rows(db, sql, src.params)
    sql = f"""
WITH {article_scope(filters)}
SELECT arts.outlet, coalesce(quotes.cue_lemma, quotes.cue, '(none)') AS cue,
       coalesce(quotes.cue_class, 'none') AS cue_class, count(*) AS n
FROM quotes JOIN arts ON arts.id = quotes.article_id
WHERE quotes.speaker_id = :actor AND {is_statement("quotes")}
GROUP BY 1, 2, 3
ORDER BY 1, n DESC, 2
"""
    return await _rows(db, sql, {**filters.params(), "actor": actor_id})


async def actor_labels_by_outlet_raw(db, filters: Filters, actor_id: str) -> list[dict[str, Any]]:
    """Descriptor labels attached to the actor's mentions, per outlet (lower-cased)."""
    sql = f"""
WITH {article_scope(filters)}
SELECT arts.outlet, lower(j.value) AS label, count(*) AS n
FROM mentions m JOIN arts ON arts.id = m.article_id, json_each(m.descriptors) j
WHERE m.actor_id = :actor AND json_valid(m.descriptors) AND j.type = 'text'
GROUP BY 1, 2
ORDER BY 1, n DESC, 2
"""
    return await _rows(db, sql, {**filters.params(), "actor": actor_id})


async def actor_frames_by_outlet_raw(db, filters: Filters, actor_ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Frames of the sentences mentioning the actors, per actor and outlet."""
    sql = f"""
WITH {article_scope(filters)},
s AS (
  SELECT DISTINCT m.actor_id, arts.outlet, m.sentence_id
  FROM mentions m JOIN arts ON arts.id = m.article_id
  WHERE m.actor_id IN (SELECT value FROM json_each(:actors))
)
SELECT s.actor_id, s.outlet, f.frame, count(*) AS n
FROM s JOIN frames f ON f.sentence_id = s.sentence_id
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""
    return await _rows(db, sql, {**filters.params(), "actors": json.dumps(list(actor_ids))})


async def outlets(db) -> list[str]:
    table = "outlet_stats" if await has_summaries(db) else "articles"
    # The table name is one of two constants, never from a request.
    rows = await _rows(db, f"SELECT DISTINCT coalesce(nullif(outlet, ''), '(no outlet)') AS outlet FROM {table} ORDER BY 1")
    return [r["outlet"] for r in rows]


async def actor_choices(db, limit: int = 500) -> list[dict[str, Any]]:
    """Actors for the pickers, most mentioned first."""
    if await has_summaries(db):
        sql = """
SELECT actors.id AS actor_id, actors.name, actors.kind, coalesce(st.mentions, 0) AS mentions
FROM actors LEFT JOIN actor_stats st ON st.actor_id = actors.id
ORDER BY mentions DESC, actors.name LIMIT :limit
"""
    else:
        sql = """
SELECT actors.id AS actor_id, actors.name, actors.kind, count(mentions.id) AS mentions
FROM actors LEFT JOIN mentions ON mentions.actor_id = actors.id
GROUP BY actors.id ORDER BY mentions DESC, actors.name LIMIT :limit
"""
    return await _rows(db, sql, {"limit": limit})


async def date_range(db) -> dict[str, Any]:
    """The first and last publication dates and the number of articles (for the date pickers)."""
    if await has_summaries(db):
        # One row per outlet instead of a walk through every article (5-30 ms at 25,000).
        sql = (
            "SELECT min(first_published) AS first, max(last_published) AS last, "
            "coalesce(sum(articles), 0) AS articles FROM outlet_stats"
        )
    else:
        sql = "SELECT min(published) AS first, max(published) AS last, count(*) AS articles FROM articles"
    return (await _rows(db, sql))[0]


# --- Drill-down: the sentences behind a number --------------------------------------------


def _narrowed(scope: Filters, outlet: str | None) -> Filters:
    """The article scope with a drill-down's outlet in place of the page's outlets."""
    return Filters(outlets=(outlet,) if outlet is not None else scope.outlets, since=scope.since, until=scope.until)


def _narrowed_params(scope: Filters, outlet: str | None) -> dict[str, Any]:
    """SQL parameters of that narrowed scope, with ``scoped`` set when any filter applies."""
    p = scope.params()
    if outlet is not None:
        p["outlets"] = json.dumps([outlet])
    p["scoped"] = int(bool(p["outlets"] or p["since"] or p["until"]))
    return p


@dataclass(frozen=True)
class MentionFilters:
    """Which mentions a drill-down lists (every field optional except the actor)."""

    actor_id: str
    outlet: str | None = None
    polarity: int | None = None
    role: str | None = None
    frame: str | None = None
    prominence: str | None = None
    label: str | None = None
    article_id: str | None = None

    def scope(self, scope: Filters) -> Filters:
        return _narrowed(scope, self.outlet)

    def params(self, scope: Filters) -> dict[str, Any]:
        p = _narrowed_params(scope, self.outlet)
        p.update(
            actor=self.actor_id,
            polarity=self.polarity,
            role=self.role,
            frame=self.frame,
            prominence=self.prominence,
            label=self.label,
            article=self.article_id,
        )
        return p


#: With an outlet or a date chosen, "article_id IN arts" on the (actor_id, article_id)
#: index: a seek per covered article instead of a walk through all of the actor's mentions.
SCOPED_MENTIONS = "AND m.article_id IN (SELECT id FROM arts)"
SCOPED_QUOTES = "AND q.article_id IN (SELECT id FROM arts)"

MENTION_WHERE = """
m.actor_id = :actor
AND (coalesce(:scoped, 0) = 0 OR m.article_id IN (SELECT id FROM arts))
AND (coalesce(:polarity, '') = '' OR m.polarity = :polarity)
AND (coalesce(:role, '') = '' OR m.role = :role)
AND (coalesce(:prominence, '') = '' OR m.prominence = :prominence)
AND (coalesce(:article, '') = '' OR m.article_id = :article)
AND (coalesce(:frame, '') = '' OR EXISTS (SELECT 1 FROM frames f WHERE f.sentence_id = m.sentence_id AND f.frame = :frame))
AND (coalesce(:label, '') = '' OR EXISTS (
  SELECT 1 FROM json_each(CASE WHEN json_valid(m.descriptors) THEN m.descriptors ELSE '[]' END) j
  WHERE lower(j.value) = lower(:label)))
"""

MENTION_COLUMNS = """
m.id AS mention_id, m.article_id, coalesce(nullif(articles.outlet, ''), '(no outlet)') AS outlet,
articles.published, articles.title,
m.sentence_id, s.idx AS sentence_idx, s.text AS sentence, s.start AS sentence_start,
m.start - s.start AS mention_start, m."end" - s.start AS mention_end, m.surface, m.role,
m.prominence, m.sentiment, m.polarity, m.descriptors, m.evidence, s.compound AS sentence_compound,
(SELECT group_concat(f.frame, ', ') FROM frames f WHERE f.sentence_id = m.sentence_id) AS frames
"""


def _fast_where(where: str, filters: Filters, scoped: str) -> str:
    """``where`` with its generic scope test swapped for the index-friendly fragment (or none)."""
    generic = where.split("\n")[2]
    assert generic.startswith("AND (coalesce(:scoped, 0) = 0")
    return where.replace(generic, scoped if (filters.outlets or filters.since or filters.until) else "", 1)


def _mention_page_sql(keyset: bool, filters: Filters) -> str:
    # Keyset paging in the order of the (actor_id, article_id) index, so a page costs the
    # same however deep it is and a CSV export streams in linear time.
    after = "AND (m.article_id, m.id) > (:after_article, :after_id)" if keyset else ""
    return f"""
WITH {article_scope(filters)}
SELECT {MENTION_COLUMNS}
FROM mentions m
JOIN articles ON articles.id = m.article_id
JOIN sentences s ON s.id = m.sentence_id
WHERE {_fast_where(MENTION_WHERE, filters, SCOPED_MENTIONS)} {after}
ORDER BY m.article_id, m.id LIMIT :size
"""


#: Counts stop here: "10000+" is as useful as an exact count that takes seconds.
COUNT_CAP = 10_000


#: The drill-down query as a user can run and edit it on Datasette's SQL page.
MENTION_LINK_SQL = f"""
WITH {ARTICLE_SCOPE}
SELECT {MENTION_COLUMNS}
FROM mentions m
JOIN articles ON articles.id = m.article_id
JOIN sentences s ON s.id = m.sentence_id
WHERE {MENTION_WHERE}
ORDER BY m.article_id, m.id
""".strip()


async def _capped_count(
    db, narrowed: Filters, table: str, alias: str, where: str, params: dict[str, Any]
) -> tuple[int, bool]:
    """Rows of ``table`` matching ``where``, counted up to COUNT_CAP (and whether that is exact).

    With an outlet or dates the covered articles drive the count, each seeking its own rows,
    instead of the actor's rows being walked and tested against the scope one by one."""
    source = f"arts CROSS JOIN {table} {alias} ON {alias}.article_id = arts.id" if narrowed.active else f"{table} {alias}"
    sql = f"""
WITH {article_scope(narrowed)}
SELECT count(*) AS n FROM (SELECT 1 FROM {source} WHERE {_fast_where(where, narrowed, "")} LIMIT :cap)
"""
    n = (await _rows(db, sql, {**params, "cap": COUNT_CAP}))[0]["n"]
    return n, n < COUNT_CAP


def _mention_summary_column(f: MentionFilters) -> str | None:
    """The summary column that counts the mentions ``f`` selects, if one does."""
    if f.frame or f.label or f.article_id:
        return None
    chosen = [(k, v) for k, v in (("polarity", f.polarity), ("role", f.role), ("prominence", f.prominence)) if v is not None]
    if not chosen:
        return "mentions"
    if len(chosen) > 1:
        return None
    key, value = chosen[0]
    if key == "polarity":
        return {-1: "neg", 0: "neu", 1: "pos"}.get(value)
    if key == "role":
        return value if value in ("agent", "patient", "speaker") else None
    return value if value in ("headline", "standfirst", "first_paragraph", "body") else None


async def mention_count(db, scope: Filters, f: MentionFilters) -> tuple[int, bool]:
    """How many mentions the drill-down lists, and whether that number is exact.

    Exact from the summary tables when the filters are ones they count (an outlet, dates,
    one of polarity, role or prominence); otherwise counted from the rows, up to COUNT_CAP.
    """
    narrowed = f.scope(scope)
    column = _mention_summary_column(f)
    if column is not None and await has_summaries(db):
        src = rollups.core(narrowed.outlets, narrowed.since, narrowed.until, (f.actor_id,), per_outlet=True)
        # column is one of the schema's rollup column names, never a request value.
        sql = f"WITH {src.sql} SELECT coalesce(sum(s.sign * s.{column}), 0) AS n FROM s"
        return int((await _rows(db, sql, src.params))[0]["n"]), True
    return await _capped_count(db, narrowed, "mentions", "m", MENTION_WHERE, f.params(scope))


async def mention_page(
    db, scope: Filters, f: MentionFilters, after: tuple[str, str] | None, size: int
) -> list[dict[str, Any]]:
    """One page of mentions in (article, id) order after the key ``after`` (keyset paging)."""
    params = {**f.params(scope), "size": size}
    if after:
        params.update(after_article=after[0], after_id=after[1])
    return _decode_json_columns(await _rows(db, _mention_page_sql(bool(after), f.scope(scope)), params))


async def mention_stream(db, scope: Filters, f: MentionFilters) -> AsyncIterator[list[dict[str, Any]]]:
    """Every matching mention, in chunks: the CSV export is complete, not cut at a page size."""
    after = None
    while True:
        chunk = await mention_page(db, scope, f, after, STREAM_CHUNK)
        if not chunk:
            return
        yield chunk
        if len(chunk) < STREAM_CHUNK:
            return
        after = (chunk[-1]["article_id"], chunk[-1]["mention_id"])


@dataclass(frozen=True)
class QuoteFilters:
    speaker_id: str
    outlet: str | None = None
    cue: str | None = None
    cue_class: str | None = None
    kind: str | None = None

    def scope(self, scope: Filters) -> Filters:
        return _narrowed(scope, self.outlet)

    def params(self, scope: Filters) -> dict[str, Any]:
        p = _narrowed_params(scope, self.outlet)
        p.update(speaker=self.speaker_id, cue=self.cue, cue_class=self.cue_class, qkind=self.kind)
        return p


# Without a kind filter the drill-down lists the statements its count links from
# (statements.py); with one, every quote of that kind.
QUOTE_WHERE = f"""
q.speaker_id = :speaker
AND (coalesce(:scoped, 0) = 0 OR q.article_id IN (SELECT id FROM arts))
AND (coalesce(:cue, '') = '' OR coalesce(q.cue_lemma, q.cue, '(none)') = :cue)
AND (coalesce(:cue_class, '') = '' OR coalesce(q.cue_class, 'none') = :cue_class)
AND (coalesce(:qkind, '') = '' OR q.kind = :qkind)
AND (coalesce(:qkind, '') <> '' OR {is_statement("q")})
"""


QUOTE_COLUMNS = """
q.id AS quote_id, q.article_id, coalesce(nullif(articles.outlet, ''), '(no outlet)') AS outlet,
articles.published, articles.title, q.text AS quote,
q.kind, q.speaker_text, q.cue, q.cue_lemma, q.cue_class, q.resolution, q.sentence_id
"""

QUOTE_LINK_SQL = f"""
WITH {ARTICLE_SCOPE}
SELECT {QUOTE_COLUMNS}
FROM quotes q JOIN articles ON articles.id = q.article_id
WHERE {QUOTE_WHERE}
ORDER BY q.article_id, q.id
""".strip()


async def quote_count(db, scope: Filters, f: QuoteFilters) -> tuple[int, bool]:
    """How many quotes the drill-down lists, and whether that number is exact (see
    :func:`mention_count`): statements are counted in the summaries, quotes of one kind are not."""
    narrowed = f.scope(scope)
    if f.kind is None and await has_summaries(db):
        if f.cue is None and f.cue_class is None:
            src = rollups.core(narrowed.outlets, narrowed.since, narrowed.until, (f.speaker_id,), per_outlet=True)
            sql = f"WITH {src.sql} SELECT coalesce(sum(s.sign * s.quotes), 0) AS n FROM s"
            return int((await _rows(db, sql, src.params))[0]["n"]), True
        src = rollups.cues(narrowed.outlets, narrowed.since, narrowed.until, (f.speaker_id,))
        sql = f"""
WITH {src.sql}
SELECT coalesce(sum(c.sign * c.quotes), 0) AS n FROM c
WHERE (coalesce(:cue, '') = '' OR c.cue = :cue) AND (coalesce(:cue_class, '') = '' OR c.cue_class = :cue_class)
"""
        n = (await _rows(db, sql, {**src.params, "cue": f.cue, "cue_class": f.cue_class}))[0]["n"]
        return int(n), True
    return await _capped_count(db, narrowed, "quotes", "q", QUOTE_WHERE, f.params(scope))


async def quote_page(
    db, scope: Filters, f: QuoteFilters, after: tuple[str, str] | None, size: int
) -> list[dict[str, Any]]:
    """One page of quotes in (article, id) order after the key ``after`` (keyset paging)."""
    keyset = "AND (q.article_id, q.id) > (:after_article, :after_id)" if after else ""
    sql = f"""
WITH {article_scope(f.scope(scope))}
SELECT {QUOTE_COLUMNS}
FROM quotes q JOIN articles ON articles.id = q.article_id
WHERE {_fast_where(QUOTE_WHERE, f.scope(scope), SCOPED_QUOTES)} {keyset}
ORDER BY q.article_id, q.id LIMIT :size
"""
    params = {**f.params(scope), "size": size}
    if after:
        params.update(after_article=after[0], after_id=after[1])
    return await _rows(db, sql, params)


async def quote_stream(db, scope: Filters, f: QuoteFilters) -> AsyncIterator[list[dict[str, Any]]]:
    after = None
    while True:
        chunk = await quote_page(db, scope, f, after, STREAM_CHUNK)
        if not chunk:
            return
        yield chunk
        if len(chunk) < STREAM_CHUNK:
            return
        after = (chunk[-1]["article_id"], chunk[-1]["quote_id"])


def _decode_json_columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        for key in ("descriptors", "evidence"):
            row[key] = _json_list(row.get(key))
    return rows


def _json_list(value: Any) -> list[str]:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return [str(v) for v in parsed] if isinstance(parsed, list) else []


# --- Article reader ------------------------------------------------------------------------


async def article(db, article_id: str) -> dict[str, Any] | None:
    rows = await _rows(db, "SELECT * FROM articles WHERE id = :id", {"id": article_id})
    return rows[0] if rows else None


async def article_sentences(db, article_id: str) -> list[dict[str, Any]]:
    sql = """
SELECT s.id, s.idx, s.start, s."end", s.paragraph, s.block, s.is_heading, s.compound,
       s.hedges, s.boosters, s.loaded,
       (SELECT json_group_array(json_object('frame', f.frame, 'terms', f.terms))
        FROM frames f WHERE f.sentence_id = s.id) AS frames
FROM sentences s WHERE s.article_id = :id ORDER BY s.idx
"""
    rows = await _rows(db, sql, {"id": article_id})
    for row in rows:
        for key in ("hedges", "boosters", "loaded"):
            row[key] = _json_list(row.get(key))
        frames = []
        for item in json.loads(row["frames"] or "[]"):
            frames.append({"frame": item["frame"], "terms": _json_list(item.get("terms"))})
        row["frames"] = frames
    return rows


async def article_mentions(db, article_id: str) -> list[dict[str, Any]]:
    sql = """
SELECT m.id AS mention_id, m.actor_id, actors.name, actors.kind, m.start, m."end", m.surface, m.role,
       m.prominence, m.sentiment, m.polarity, m.descriptors, m.evidence, m.sentence_id
FROM mentions m JOIN actors ON actors.id = m.actor_id
WHERE m.article_id = :id ORDER BY m.start, m."end" DESC
"""
    return _decode_json_columns(await _rows(db, sql, {"id": article_id}))


async def article_quotes(db, article_id: str) -> list[dict[str, Any]]:
    sql = f"""
SELECT q.id AS quote_id, q.start, q."end", q.text, q.kind, q.speaker_id, actors.name AS speaker_name,
       q.speaker_text, q.speaker_start, q.speaker_end, q.cue, q.cue_lemma, q.cue_class, q.resolution,
       {is_statement("q")} AS is_statement
FROM quotes q LEFT JOIN actors ON actors.id = q.speaker_id
WHERE q.article_id = :id ORDER BY q.start
"""
    return await _rows(db, sql, {"id": article_id})


async def article_list(db, filters: Filters, limit: int = 200) -> list[dict[str, Any]]:
    # No scope CTE here: walking the published index newest first reads only the rows listed.
    # The dates are written in only when chosen: "coalesce(:since, '') = '' OR ..." could not
    # bound the index walk, which then stepped over every later article (half a year of them
    # for a range ending in June: about 7.5 -> 3 ms on large.db).
    sql = f"""
SELECT articles.id AS article_id, coalesce(nullif(articles.outlet, ''), '(no outlet)') AS outlet,
       articles.published, articles.title, articles.word_count,
       (SELECT count(*) FROM mentions WHERE mentions.article_id = articles.id) AS mentions,
       (SELECT count(*) FROM quotes q WHERE q.article_id = articles.id AND {is_statement("q")}) AS quotes
FROM articles
WHERE (coalesce(:outlets, '') = '' OR coalesce(nullif(articles.outlet, ''), '(no outlet)') IN (SELECT value FROM json_each(:outlets)))
  AND {_published('articles', filters)}
ORDER BY articles.published DESC, articles.outlet, articles.title
LIMIT :limit
"""
    return await _rows(db, sql, {**filters.params(), "limit": limit})


# --- Methods ---------------------------------------------------------------------------------


async def runs(db, limit: int = 100) -> list[dict[str, Any]]:
    if schema.RUNS.name not in await table_names(db):
        return []
    sql = "SELECT * FROM _framing_runs ORDER BY id DESC LIMIT :limit"
    return await _rows(db, sql, {"limit": limit})


async def load_errors(db, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    if schema.LOAD_ERRORS.name not in await table_names(db):
        return [], 0
    total = (await _rows(db, "SELECT count(*) AS n FROM load_errors"))[0]["n"]
    rows = await _rows(db, "SELECT * FROM load_errors ORDER BY id DESC LIMIT :limit", {"limit": limit})
    return rows, total


async def table_counts(db) -> dict[str, int | None]:
    """Rows per table.  The big data tables are summed from outlet_stats when it is there;
    the summary tables are not counted (None): counting millions of rows on every page
    view would cost more than the page."""
    present = await table_names(db)
    counts: dict[str, int | None] = {}
    summaries = await has_summaries(db)
    if summaries:
        row = (await _rows(db, "SELECT count(*) AS outlets, sum(articles) AS articles, sum(sentences) AS sentences, "
                               "sum(mentions) AS mentions, sum(quotes) AS quotes FROM outlet_stats"))[0]
        if row["outlets"]:
            counts.update({k: row[k] or 0 for k in ("articles", "sentences", "mentions", "quotes")})
            frames = (await _rows(db, "SELECT sum(sentences) AS n FROM outlet_frames"))[0]["n"]
            counts["frames"] = frames or 0
    for t in schema.all_tables():
        if t.name in counts or t.name not in present:
            continue
        if t.summary and summaries:
            counts[t.name] = None
            continue
        # Table names come from schema.py, never from a request.
        counts[t.name] = (await _rows(db, f"SELECT count(*) AS n FROM [{t.name}]"))[0]["n"]
    return counts
