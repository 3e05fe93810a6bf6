"""The canned queries: shareable, parameterised questions about a framing database.

Kept here as data.  ``scripts/gen-metadata`` writes them into ``metadata.yml``
(``databases.framing.queries``) and the ``canned_queries`` hook offers the same
definitions for any framing database served without that file.  They read only
tables and columns declared in ``schema.py`` (``tests/test_canned_queries.py``
prepares each one against a database built from the schema alone).

Every parameter is optional: an empty value means "no filter".  ``:actor``
takes an actor key (``russia``), its canonical name (``Joe Biden``) or any
alias (``the Kremlin``), compared without regard to case.  Dates are ISO
(``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) and both ends are inclusive: a query over summaries
selects the days ``published >= :date_from and published <= :date_to || 'z'`` selects
(``tests/test_canned_date_ranges.py``).  All values are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .statements import is_statement
from .stats import MIN_MENTIONS


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str
    params: tuple[str, ...]
    #: Parameter values that make a good example link (docs and tests use them).
    example: tuple[tuple[str, str], ...] = ()

    def as_metadata(self) -> dict[str, Any]:
        """The form Datasette reads under ``databases.<db>.queries.<name>``."""
        return {
            "title": self.title,
            "description": self.description,
            "sql": self.sql,
            "params": list(self.params),
        }


#: Actors matching :actor (every actor when it is empty): by key, canonical name or alias.
_TARGET = """target as (
  select id as actor_id from actors
  where :actor = '' or id = :actor or name = :actor collate nocase
  union
  select actor_id from aliases where alias = :actor collate nocase
)"""

#: Article filters on alias ``a``.  A date may be YYYY, YYYY-MM or YYYY-MM-DD; the end date
#: includes the whole year, month or day it names.
_ARTICLE_FILTERS = """(:outlet = '' or a.outlet = :outlet)
  and (:date_from = '' or a.published >= :date_from)
  and (:date_to = '' or a.published <= :date_to || 'z')"""

#: True when a date is given: the summaries by month answer instead of the all-time ones.
_DATED = "(:date_from != '' or :date_to != '')"
_UNDATED = "(:date_from = '' and :date_to = '')"

#: The whole months inside :date_from..:date_to (m_lo..m_hi, 'YYYY-MM'): read from the
#: monthly summaries.  The days before m_lo and after m_hi come from per-article rows.
#: m_lo is the first month whose first day is on or after :date_from (the month :date_from
#: names, or the next one), m_hi the last month whose last day is on or before :date_to || 'z':
#: compared as the date conditions compare, so a date-time, a suffix or a day that is not in
#: the calendar (2022-02-30) moves a month out of the whole ones exactly when the conditions
#: would drop one of its days.  Dates must begin YYYY or YYYY-MM.
_BOUNDS = """bounds as (
  select
    case when :date_from = '' then ''
         when length(:date_from) = 4 then :date_from || '-01'
         when substr(:date_from, 1, 7) || '-01' >= :date_from then substr(:date_from, 1, 7)
         else strftime('%Y-%m', substr(:date_from, 1, 7) || '-01', '+1 month') end as m_lo,
    case when :date_to = '' then '9999-12'
         when length(:date_to) = 4 then :date_to || '-12'
         when date(substr(:date_to, 1, 7) || '-01', '+1 month', '-1 day') <= :date_to || 'z' then substr(:date_to, 1, 7)
         else strftime('%Y-%m', substr(:date_to, 1, 7) || '-01', '-1 month') end as m_hi
)"""


def _whole_months(alias: str) -> str:
    return f"{alias}.month <> '' and {alias}.month >= b.m_lo and {alias}.month <= b.m_hi"


def _first_days(alias: str, column: str = "published") -> str:
    """Dated rows before the first whole month (and within the range).  ``column`` is
    ``published`` or a per-day summary's ``day`` (the date's first ten characters, which
    compare with the bounds exactly as the date does)."""
    d = f"{alias}.{column}"
    return f"{d} >= :date_from and {d} < b.m_lo and (:date_to = '' or {d} <= :date_to || 'z')"


def _last_days(alias: str, column: str = "published") -> str:
    """Dated rows after the last whole month (and not already among the first days)."""
    d = f"{alias}.{column}"
    return f":date_to != '' and {d} > b.m_hi || 'z' and {d} >= b.m_lo and {d} <= :date_to || 'z'"


def _edge_days(select: str, table: str, where: str, indent: str = "  ") -> str:
    """``select ... from <table> s where ...`` for the days at either end of the range that the
    whole months leave out: one arm per end, so each is a range of the daily table's covering
    index (an OR of the two would look every row up in the table)."""
    arms = [
        f"{indent}{select}\n{indent}from bounds b join {table} s on {cond}\n{indent}where {where}"
        for cond in (_first_days("s", "day"), _last_days("s", "day"))
    ]
    return f"\n{indent}union all\n".join(arms)


def _each_pair(pairs: str, cols: tuple[str, ...], rows: str, names: tuple[str, ...] = ()) -> str:
    """One actor x outlet pair at a time, in key order: ``rows`` (a query correlated with the
    pair ``x``, selecting ``cols``) for every pair of actor_outlet_stats that ``pairs`` keeps,
    returned as rows of ``actor_id, actor, outlet, *cols``.

    Walked this way, SQLite reads the pairs in the order of actor_outlet_stats' primary key
    (every actor x outlet with a mention or a statement) and sorts only each pair's rows ("USE
    TEMP B-TREE FOR RIGHT PART OF ORDER BY"), so the first page is done after a few dozen
    actors.  The walk is by pair rather than by actor because SQLite (3.40) sorts everything
    when a unique index such as actors' primary key drives a table-valued function: the pair
    key is not unique to its planner (outlet may be null), so the order holds.  SQLite has no
    LATERAL join: the pair's rows travel as one JSON array.  ``names`` renames the columns."""
    out = ", ".join(f"json_extract(j.value, '$[{i}]') as {c}" for i, c in enumerate(names or cols))
    return f"""select x.actor_id, ac.name as actor, x.outlet, {out}
from actor_outlet_stats x
join actors ac on ac.id = x.actor_id
join json_each((
  select json_group_array(json_array({", ".join(f"g.{c}" for c in cols)}))
  from (
    {rows}
  ) g
)) j
where {pairs}"""


#: The pairs of every actor / of the actor asked for (:func:`_each_pair`), with the outlet filter.
_EVERY_ACTOR = ":actor = '' and (:outlet = '' or x.outlet = :outlet)"
_ONE_ACTOR = "x.actor_id in (select actor_id from target where :actor != '') and (:outlet = '' or x.outlet = :outlet)"


def _each_pair_all_time(
    pairs: str, table: str, keys: tuple[str, ...], counts: tuple[str, ...], rank: str, where: str = "",
    names: tuple[str, ...] = (),
) -> str:
    """Without dates: each pair's first :top rows of the all-time ``table`` in ``rank`` order,
    sought in an index of the table ((actor_id, outlet, count desc, key)) instead of read whole
    (an actor's pairs hold up to a few thousand labels)."""
    picked = ", ".join(f"s.{c}" for c in (*keys, *counts))
    return _each_pair(
        f"{_UNDATED} and {pairs}",
        (*keys, *counts),
        f"""select {picked} from {table} s where s.actor_id = x.actor_id and s.outlet is x.outlet{where}
    order by {rank} limit {_TOP}""",
        names,
    )


#: The days at either end of a date range that the whole months leave out, listed (``edge_days``,
#: after ``bounds``): every day of the month before m_lo and of the month after m_hi, kept when
#: :func:`_first_days` or :func:`_last_days` holds for it, so the same days as those conditions
#: (at most 62 listed, whatever the dates).  A daily summary keyed (actor_id, day, outlet, ...)
#: is then sought day by day for one actor and outlet instead of read over the whole range.
_EDGE_DAY_LIST = f"""days(d, stop) as (
  select date(m_lo || '-01', '-1 month'), date(m_lo || '-01') from bounds
  union all
  select date(m_hi || '-01', '+1 month'), date(m_hi || '-01', '+2 months') from bounds
  union all
  select date(d, '+1 day'), stop from days where date(d, '+1 day') < stop
),
edge_days as (
  select x.d from bounds b join days x on ({_first_days("x", "d")}) or ({_last_days("x", "d")})
)"""


def _each_actor_in_key_order(
    keys: tuple[str, ...], sums: tuple[str, ...], months: str, days: str, rank: str, where: str = "",
    pairs: str = _EVERY_ACTOR, listed_days: bool = False,
) -> str:
    """Every actor (or, with ``pairs`` = ``_ONE_ACTOR``, the actor asked for) over a date range,
    one actor and outlet at a time in key order (:func:`_each_pair`): the pair's whole months
    (``months``) and edge days (``days``) summed by ``keys``, its first :top sums in ``rank``
    order kept.

    Summing every actor's rows before sorting them by key timed out (over 1 s) on a million
    sentences; pair by pair, the first page streams.  For one actor, pair by pair sorts each
    outlet's few hundred sums for its first :top instead of all the actor's sums at once and
    numbering them with a window.

    ``listed_days``: the pair's edge days are sought one listed day at a time (``edge_days`` of
    :data:`_EDGE_DAY_LIST`, which the query must define) in the daily table's (actor_id, day,
    outlet) key, instead of reading all the actor's days in the range and keeping the pair's
    outlet.  Worth it for one actor, whose every outlet would otherwise read the top actor's
    9,000 day rows over part months; every actor's few rows a day are cheaper read in a range."""
    cols = (*keys, *sums)
    picked = ", ".join(f"s.{c}" for c in cols)
    cond = f"s.actor_id = x.actor_id and s.outlet is x.outlet{where}"
    if listed_days:
        day_rows = f"select {picked} from {days} s where {cond} and s.day in (select d from edge_days)"
    else:
        day_rows = f"""select {picked} from {days} s where {cond} and {_first_days("s", "day")}
      union all
      select {picked} from {days} s where {cond} and {_last_days("s", "day")}"""
    rows = f"""select {picked} from {months} s where {cond} and {_whole_months("s")}
      union all
      {day_rows}"""
    rows = rows.replace("b.m_lo", "(select m_lo from bounds)").replace("b.m_hi", "(select m_hi from bounds)")
    grouped = ", ".join([*(f"r.{k}" for k in keys), *(f"sum(r.{c}) as {c}" for c in sums)])
    return _each_pair(
        f"{_DATED} and {pairs}",
        cols,
        f"""select {grouped}
    from (
      {rows}
    ) r
    group by {", ".join(f"r.{k}" for k in keys)}
    order by {rank} limit {_TOP}""",
    )

#: Rollup columns of the actor x outlet sources, in the order every arm selects them.
_ACTOR_COLUMNS = "mentions, articles, scored, sentiment_sum, sentiment_sumsq, pos, neu, neg, agent, patient, quotes"


def _actor_outlet_rows() -> str:
    """``rows``: actor x outlet counts for the actor asked for, outlet and dates, from the
    monthly summary (whole months) and the per-article summary (the days at either end of
    the range).  Without dates or without an actor every arm is empty (the caller reads the
    all-time summary, or :func:`_each_actor_by_outlet`, then)."""
    cols = ", ".join(f"s.{c}" for c in _ACTOR_COLUMNS.split(", "))
    day_cols = cols.replace("s.articles", "1")
    where = "s.actor_id in (select actor_id from target where :actor != '') and (:outlet = '' or s.outlet = :outlet)"
    return f"""rows as (
  select s.actor_id, s.outlet, {cols} from bounds b join actor_outlet_month_stats s on {_whole_months("s")}
  where {_DATED} and {where}
  union all
  select s.actor_id, s.outlet, {day_cols} from bounds b join actor_article_stats s on {_first_days("s")}
  where {_DATED} and {where}
  union all
  select s.actor_id, s.outlet, {day_cols} from bounds b join actor_article_stats s on {_last_days("s")}
  where {_DATED} and {where}
)"""


def _each_actor_by_outlet(row: str = "", columns: tuple[str, ...] = ()) -> str:
    """For the actor ``ac`` of the enclosing query: its sums per outlet over the dates, as a JSON
    array of ``[outlet, mentions, articles, ...]`` (``_ACTOR_COLUMNS`` order), or of ``[outlet,
    *row]`` when ``row`` (expressions over the sums ``g.mentions`` ...) is given.  ``columns``
    (``_ACTOR_COLUMNS`` when empty) are the summary columns read and summed: only those ``row``
    names, since each one read costs a column decode on every month and day row.

    Every actor over dates: SQLite has no LATERAL join, and summing every actor's month and
    day rows before sorting them by name took over a second at 2,000 actors.  A correlated
    subquery per actor, walked in the order of the actors' name index, lets the first page
    stream after a few dozen actors.  The bounds are scalar subqueries here, not a join: joined,
    SQLite built a Bloom filter over the monthly table for every actor."""
    names = columns or tuple(_ACTOR_COLUMNS.split(", "))
    cols = ", ".join(f"s.{c}" for c in names)
    day_cols = ", ".join("1" if c == "articles" else f"s.{c}" for c in names)
    sums = ", ".join(f"sum(r.{c}) as {c}" for c in names)
    where = "s.actor_id = ac.id and (:outlet = '' or s.outlet = :outlet)"
    return f"""(
  select json_group_array(json_array(g.outlet, {row or ", ".join(f"g.{c}" for c in names)}))
  from (
    select r.outlet, {sums}
    from (
      select s.outlet, {cols} from actor_outlet_month_stats s where {where} and {_whole_months("s")}
      union all
      select s.outlet, {day_cols} from actor_article_stats s where {where} and {_first_days("s")}
      union all
      select s.outlet, {day_cols} from actor_article_stats s where {where} and {_last_days("s")}
    ) r
    group by r.outlet
  ) g
)""".replace("b.m_lo", "(select m_lo from bounds)").replace("b.m_hi", "(select m_hi from bounds)")


def _per_actor_outlet(columns: tuple[tuple[str, str], ...], integers_only: bool = False) -> str:
    """A query with one row per actor x outlet and the ``columns`` given as templates over the
    summary columns ('{scored}' ...), ordered by actor name and outlet.

    Without dates the rows come straight from actor_outlet_stats, in the order of its
    (actor_name, outlet) index, so the first page of every actor streams at once; the arm
    for one actor seeks its rows.  With dates the month and day rows are summed.  SQLite
    merges the arms in order (MERGE (UNION ALL)), and the arms not asked for are empty.

    ``integers_only``: the columns read only whole-number sums (mentions, agent ...), so every
    actor's columns over dates are worked out inside :func:`_each_actor_by_outlet` and each read
    back from its JSON array once, instead of the sums being read back every time a column
    names one (roles_by_outlet's twelve columns name mentions nine times: a json_extract
    each).  Whole numbers pass through JSON unchanged; the sentiment sums are reals, which
    SQLite's JSON writes to 15 digits, so the sentiment columns keep the outer form and the
    exact figures they have always had.  Only the sums the columns name are read and summed
    (roles_by_outlet: 4 of the 11)."""
    names = ("mentions", "articles", "scored", "sentiment_sum", "sentiment_sumsq", "pos", "neu", "neg", "agent", "patient", "quotes")
    row = ", ".join(f"{expr.format(**{n: f's.{n}' for n in names})} as {name}" for name, expr in columns)
    grouped = ", ".join(f"{expr.format(**{n: f'sum(r.{n})' for n in names})} as {name}" for name, expr in columns)
    if integers_only:
        inner = ", ".join(expr.format(**{n: f"g.{n}" for n in names}) for _name, expr in columns)
        # only the sums the columns name (roles_by_outlet: mentions, agent, patient, quotes)
        used = tuple(n for n in names if any(f"{{{n}}}" in expr for _name, expr in columns))
        from_json = ", ".join(f"json_extract(j.value, '$[{i + 1}]') as {name}" for i, (name, _expr) in enumerate(columns))
    else:
        inner, used = "", ()
        from_json = ", ".join(
            f"{expr.format(**{n: f'json_extract(j.value, {chr(39)}$[{i + 1}]{chr(39)})' for i, n in enumerate(names)})} as {name}"
            for name, expr in columns
        )
    return f"""with {_TARGET},
{_BOUNDS},
{_actor_outlet_rows()}
select s.actor_id, s.actor_name as actor, s.outlet, {row}
from actor_outlet_stats s
where :actor = '' and {_UNDATED} and (:outlet = '' or s.outlet = :outlet)
union all
select s.actor_id, s.actor_name as actor, s.outlet, {row}
from actor_outlet_stats s
where {_UNDATED} and s.actor_id in (select actor_id from target where :actor != '') and (:outlet = '' or s.outlet = :outlet)
union all
select r.actor_id, ac.name as actor, r.outlet, {grouped}
from rows r
join actors ac on ac.id = r.actor_id
where :actor != '' and {_DATED}
group by r.actor_id, r.outlet
union all
select ac.id, ac.name as actor, json_extract(j.value, '$[0]'), {from_json}
from actors ac
join json_each({_each_actor_by_outlet(inner, used)}) j
where :actor = '' and {_DATED}
order by actor, outlet"""


#: framing_too_few(n) written out (the same 0 or 1, without a Python call per row).
_TOO_FEW = f"(coalesce({{n}}, 0) < {MIN_MENTIONS})"

_SENTIMENT_COLUMNS = (
    ("mentions", "{mentions}"),
    ("articles", "{articles}"),
    ("scored", "{scored}"),
    ("mean_sentiment", "round({sentiment_sum} / nullif({scored}, 0), 3)"),
    # framing_t_low/high are Python (about 8 us a call, most of a 1,000-row page's SQL time);
    # below 2 scored mentions they return null, so they are not called there.
    ("ci_low", "round(case when {scored} > 1 then framing_t_low({scored}, {sentiment_sum}, {sentiment_sumsq}) end, 3)"),
    ("ci_high", "round(case when {scored} > 1 then framing_t_high({scored}, {sentiment_sum}, {sentiment_sumsq}) end, 3)"),
    ("positive", "{pos}"),
    ("neutral", "{neu}"),
    ("negative", "{neg}"),
    ("agent", "{agent}"),
    ("patient", "{patient}"),
    ("quotes", "{quotes}"),
    ("too_few", _TOO_FEW.format(n="{scored}")),
)


def _wilson_low(k: str, n: str) -> str:
    """framing_wilson_low(k, n), with its value at k = 0 (0.0 for any n > 0) written out: about
    half the rows of every actor have no agent or no patient mentions, and each Python call
    costs 3 to 8 us (the four per row were a third of roles_by_outlet's SQL time over dates).
    tests/test_canned_queries.py holds the shortcut to the function."""
    return f"(case when {k} = 0 and {n} > 0 then 0.0 else framing_wilson_low({k}, {n}) end)"


def _wilson_high(k: str, n: str) -> str:
    """framing_wilson_high(k, n), with its value at k = n (1.0 for any n > 0) written out."""
    return f"(case when {k} = {n} and {n} > 0 then 1.0 else framing_wilson_high({k}, {n}) end)"


_ROLE_COLUMNS = (
    ("mentions", "{mentions}"),
    ("agent", "{agent}"),
    ("agent_share", "round(1.0 * {agent} / nullif({mentions}, 0), 3)"),
    ("agent_low", f"round({_wilson_low('{agent}', '{mentions}')}, 3)"),
    ("agent_high", f"round({_wilson_high('{agent}', '{mentions}')}, 3)"),
    ("patient", "{patient}"),
    ("patient_share", "round(1.0 * {patient} / nullif({mentions}, 0), 3)"),
    ("patient_low", f"round({_wilson_low('{patient}', '{mentions}')}, 3)"),
    ("patient_high", f"round({_wilson_high('{patient}', '{mentions}')}, 3)"),
    ("quotes", "{quotes}"),
    ("voice_share", "round(1.0 * {quotes} / nullif({mentions}, 0), 3)"),
    ("too_few", _TOO_FEW.format(n="{mentions}")),
)


_PARAMS = ("actor", "outlet", "date_from", "date_to")

#: Rows a listing returns when ``limit`` is empty.  Datasette draws every cell of a query page
#: through its render_cell hooks (about 5 us a cell): 1,000 rows of 14 columns cost more than
#: the 100 ms the pages aim for, 100 rows a tenth of that (docs/sql-and-queries.md, Paging).
DEFAULT_LIMIT = 100
_LISTING_PARAMS = (*_PARAMS, "limit")
_LIMIT = f"limit coalesce(cast(nullif(:limit, '') as integer), {DEFAULT_LIMIT})"
#: Rows per outlet the rankings list when ``top`` is empty: who_gets_quoted's speakers per
#: outlet, cue_verbs_for_actor's cue verbs and labels_for_actor's labels per actor and outlet.
#: 20 outlets x 20 make a 400-row page (the paging note above); the top actor alone has over
#: 1,000 labels and cue verbs, so without it Datasette's 1,000 rows stopped partway through the
#: outlets.
DEFAULT_TOP = 20
_TOP = f"coalesce(cast(nullif(:top, '') as integer), {DEFAULT_TOP})"
_LIMIT_DOC = (
    f" limit is the number of rows, {DEFAULT_LIMIT} when empty; ask for up to Datasette's 1,000 "
    "(max_returned_rows) in the JSON or CSV form."
)
_DATE_PARAMS = ("outlet", "date_from", "date_to")
_RANKING_PARAMS = (*_PARAMS, "top")
_TOP_DOC = (
    f" top is the number of rows listed per actor and outlet, most used first: {DEFAULT_TOP} when empty; "
    "ask for more (up to Datasette's 1,000 rows) in the JSON or CSV form."
)

#: who_gets_quoted over dates: the outlet ``o``'s whole months and the days at either end of
#: the range, from the monthly and daily speaker summaries.
_SPEAKER_ROWS = """      select s.speaker_id, s.statements, s.direct, s.partial, s.indirect, s.partial_inside, s.articles
      from outlet_speaker_months s
      where s.outlet is o.outlet and s.month in (select m from months where m <= (select m_hi from bounds))
      union all
      select s.speaker_id, s.statements, s.direct, s.partial, s.indirect, s.partial_inside, s.articles
      from outlet_speaker_days s where s.outlet is o.outlet and s.day in (select d from edge_days)"""
#: cue_verbs_for_actor's columns after actor_id, actor, outlet (the summaries' cue is a lemma).
_CUE_NAMES = ("cue_lemma", "cue_class", "quotes", "articles")
_CUE_DAYS = _edge_days(
    "select s.actor_id, s.outlet, s.cue, s.cue_class, s.quotes, s.articles",
    "actor_outlet_day_cues",
    f":actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)"
    " and s.cue <> '(none)'",
    "  ",
)
_FRAME_DAYS = _edge_days(
    "select s.outlet, s.frame, s.sentences, s.terms",
    "actor_outlet_day_frames",
    f":actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)",
    "  ",
)

QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        name="sentiment_by_outlet",
        title="Sentiment toward an actor, by outlet",
        description=(
            "For each actor and outlet: how often the actor is mentioned, in how many articles it is mentioned "
            "or quoted, and the mean sentiment the sentences express toward it (mentions.sentiment, in [-1, 1]) "
            "with its 95% Student-t interval (ci_low, ci_high), the counts of positive, neutral and negative "
            "mentions, how often the actor acts (agent) or is acted upon (patient), and its quotes. too_few = 1 "
            "marks means of fewer than 10 scored mentions: do not compare those. Leave actor empty to list every "
            "actor; open sentences_mentioning_actor to read the sentences behind a number. Reads the summary "
            "tables (all time, by month, and per article for the days at the ends of a date range), so it stays "
            "fast on large databases."
        ),
        sql=_per_actor_outlet(_SENTIMENT_COLUMNS),
        params=_PARAMS,
        example=(("actor", "Russia"), ("date_from", "2022-02-21"), ("date_to", "2022-02-24")),
    ),
    CannedQuery(
        name="roles_by_outlet",
        title="Who acts, who is acted upon, who speaks: per outlet",
        description=(
            "For each actor and outlet: the share of mentions where the actor acts (agent: 'Russia attacked') "
            "or is acted upon (patient: 'Ukraine was attacked'), each with its 95% Wilson interval, and its voice "
            "share: quotes by the actor per mention (can exceed 1 when quotes are attributed through pronouns). "
            "too_few = 1 marks fewer than 10 mentions. Reads the summary tables (all time, by month, per article)."
        ),
        sql=_per_actor_outlet(_ROLE_COLUMNS, integers_only=True),
        params=_PARAMS,
        example=(("actor", "Ukraine"),),
    ),
    CannedQuery(
        name="who_gets_quoted",
        title="Who gets quoted, per outlet",
        description=(
            "For each outlet: every speaker it quotes or reports, with the number of statements "
            "(direct and indirect quotes, plus partial quotes that are not part of one of them: "
            "docs/methods.md, Voice share) by kind, the number of articles, and the speaker's share of "
            "all the outlet's statements in percent. partial_inside counts the quoted fragments inside "
            "a statement already counted. Statements whose speaker could not be resolved are counted "
            "under '(unresolved)'. top is the number of speakers listed per outlet, most quoted first: "
            f"{DEFAULT_TOP} when empty (shares are still of all the outlet's statements). Reads the speaker "
            "summaries (all time, or whole months plus the days at either end of a date range)."
        ),
        sql=f"""with {_BOUNDS},
months(m) as (
  -- dates: the months of the monthly summary from m_lo to m_hi, each found from the one before
  -- in its (month, ...) index, so that each outlet's months are sought by (month, outlet)
  -- instead of read for every outlet
  select (select min(s.month) from outlet_speaker_months s where s.month <> '' and s.month >= (select m_lo from bounds))
  where {_DATED}
  union all
  select (select min(s.month) from outlet_speaker_months s where s.month > m) from months
  where m < (select m_hi from bounds)
),
-- dates: the days before the first whole month and after the last one, listed for the same reason
{_EDGE_DAY_LIST},
totals as (
  select s.outlet, sum(s.statements) as n from outlet_speakers s
  where {_UNDATED} and (:outlet = '' or s.outlet = :outlet)
  group by s.outlet
)
-- Without dates: each outlet's first :top rows of the outlet_speakers summary, sought in the
-- order of its (outlet, statements) index; with dates: the monthly and daily summaries added
-- up one outlet at a time (ranking every outlet's speakers at once took 120 ms on a million
-- sentences).  Shares are of all the outlet's statements, listed or not.
select
  s.outlet,
  nullif(s.speaker_id, '') as speaker_id,
  coalesce(ac.name, '(unresolved)') as speaker,
  s.statements as quotes,
  s.direct,
  s.partial,
  s.indirect,
  s.partial_inside,
  s.articles,
  round(100.0 * s.statements / nullif(t.n, 0), 1) as share_pct
from totals t
join outlet_speakers s on s.outlet is t.outlet and s.speaker_id in (
  select x.speaker_id from outlet_speakers x where x.outlet is t.outlet order by x.statements desc, x.speaker_id limit {_TOP}
)
left join actors ac on ac.id = s.speaker_id
union all
select
  o.outlet,
  nullif(json_extract(j.value, '$[0]'), ''),
  coalesce(ac.name, '(unresolved)'),
  json_extract(j.value, '$[1]'),
  json_extract(j.value, '$[2]'),
  json_extract(j.value, '$[3]'),
  json_extract(j.value, '$[4]'),
  json_extract(j.value, '$[5]'),
  json_extract(j.value, '$[6]'),
  round(100.0 * json_extract(j.value, '$[1]') / nullif(json_extract(j.value, '$[7]'), 0), 1)
from outlet_stats o
-- dates: one outlet at a time, its whole months and edge days summed by speaker, the first
-- :top kept; the total over every speaker of the outlet (t) rides along for the shares
join json_each((
  select json_group_array(json_array(g.speaker_id, g.quotes, g.direct, g.partial, g.indirect, g.partial_inside, g.articles, t.n))
  from (
    select d.speaker_id, sum(d.statements) as quotes, sum(d.direct) as direct, sum(d.partial) as partial,
           sum(d.indirect) as indirect, sum(d.partial_inside) as partial_inside, sum(d.articles) as articles
    from (
{_SPEAKER_ROWS}
    ) d
    group by d.speaker_id
    order by quotes desc, d.speaker_id
    limit {_TOP}
  ) g
  -- summed apart rather than by a window over the grouped rows, which kept every speaker's
  -- sums in memory (about a fifth of the query's time over four months)
  join (select sum(d.statements) as n from (
{_SPEAKER_ROWS}
  ) d) t
)) j
left join actors ac on ac.id = json_extract(j.value, '$[0]')
where {_DATED} and (:outlet = '' or o.outlet = :outlet)
order by 1, 4 desc, 2""",
        params=(*_DATE_PARAMS, "top"),
        example=(("outlet", "The White House"),),
    ),
    CannedQuery(
        name="cue_verbs_for_actor",
        title="Cue verbs used for an actor, per outlet",
        description=(
            "The verbs each outlet uses to introduce what an actor says (said, claimed, warned, admitted ...), "
            "with their connotation class: neutral, endorsing, distancing, conceding, warning or emotive "
            "(see docs/methods.md). 'claimed' distances the outlet from the speaker; 'pointed out' endorses. "
            "quotes counts statements: a quoted fragment inside reported speech is not counted again. "
            "cue_lemma is the verb's lemma (the cue as written when it has none); statements without a cue are left out. "
            "Reads the cue-verb summaries (all time, or whole months plus the quotes of the days at "
            "either end of a date range)."
            + _TOP_DOC
        ),
        sql=f"""with {_TARGET},
{_BOUNDS}
-- Each actor x outlet's first :top cue verbs, most quotes first.  Without dates: the
-- actor_cue_verbs summary, sought pair by pair in the order of its (actor_id, outlet, quotes
-- desc, cue) index; with dates: the monthly and daily summaries summed.
{_each_pair_all_time(_EVERY_ACTOR, "actor_cue_verbs", ("cue", "cue_class"), ("quotes", "articles"), "s.quotes desc, s.cue, s.cue_class", " and s.cue <> '(none)'", _CUE_NAMES)}
union all
{_each_pair_all_time(_ONE_ACTOR, "actor_cue_verbs", ("cue", "cue_class"), ("quotes", "articles"), "s.quotes desc, s.cue, s.cue_class", " and s.cue <> '(none)'", _CUE_NAMES)}
union all
select g.actor_id, ac.name, g.outlet, g.cue, g.cue_class, g.quotes, g.articles
from (
  select d.actor_id, d.outlet, d.cue, d.cue_class, sum(d.quotes) as quotes, sum(d.articles) as articles,
         row_number() over (partition by d.actor_id, d.outlet order by sum(d.quotes) desc, d.cue, d.cue_class) as place
  from (
    -- an actor, dates: whole months from the monthly summary, the days at either end from the daily one
    select s.actor_id, s.outlet, s.cue, s.cue_class, s.quotes, s.articles
    from bounds b join actor_month_cues s on {_whole_months("s")}
    where s.actor_id in (select actor_id from target where :actor != '' and {_DATED}) and (:outlet = '' or s.outlet = :outlet)
      and s.cue <> '(none)'
    union all
{_CUE_DAYS}
  ) d
  group by d.actor_id, d.outlet, d.cue, d.cue_class
) g
join actors ac on ac.id = g.actor_id
where g.place <= {_TOP} or {_TOP} < 0
union all
-- every actor, dates: the same sums, one actor x outlet at a time
{_each_actor_in_key_order(("cue", "cue_class"), ("quotes", "articles"), "actor_month_cues", "actor_outlet_day_cues", "quotes desc, cue, cue_class", " and s.cue <> '(none)'")}
order by 1, 3, 6 desc, 4, 5""",
        params=_RANKING_PARAMS,
        example=(("actor", "Joe Biden"),),
    ),
    CannedQuery(
        name="frame_mix_by_outlet",
        title="Frame mix per outlet",
        description=(
            "How often each news frame (conflict, responsibility, economic, human_interest, morality, security, "
            "diplomacy) appears in each outlet's sentences: sentences with the frame, their share of the "
            "outlet's sentences in percent, and the number of lexicon words matched. With an actor, only "
            "sentences that mention that actor are counted. Reads the frame summaries (per outlet, by outlet and month, per article, "
            "per actor by month and by day)."
        ),
        sql=f"""with {_TARGET},
{_BOUNDS},
found as (
  -- No actor, no dates: the per-outlet frame summary.
  select o.outlet, o.frame, o.sentences, o.terms from outlet_frames o
  where :actor = '' and {_UNDATED} and (:outlet = '' or o.outlet = :outlet)
  union all
  -- No actor, dates: whole months from the per-outlet monthly summary ...
  select s.outlet, s.frame, s.sentences, s.terms from bounds b join outlet_month_frames s on {_whole_months("s")}
  where :actor = '' and {_DATED} and (:outlet = '' or s.outlet = :outlet)
  union all
  -- ... and the days at either end from the per-article one (one arm per end: each a range of
  -- its (published, outlet, frame, sentences, terms) index).
  select s.outlet, s.frame, s.sentences, s.terms from bounds b join article_frames s on {_first_days("s")}
  where :actor = '' and {_DATED} and (:outlet = '' or s.outlet = :outlet)
  union all
  select s.outlet, s.frame, s.sentences, s.terms from bounds b join article_frames s on {_last_days("s")}
  where :actor = '' and {_DATED} and (:outlet = '' or s.outlet = :outlet)
  union all
  -- An actor, no dates: the per-actor frame summary.
  select s.outlet, s.frame, s.sentences, s.terms from actor_frames s
  where :actor != '' and {_UNDATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  union all
  -- An actor, dates: whole months from the monthly summary ...
  select s.outlet, s.frame, s.sentences, s.terms from bounds b join actor_month_frames s on {_whole_months("s")}
  where :actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  union all
  -- ... and the days at either end from the daily one.
{_FRAME_DAYS}
),
totals as (
  select o.outlet, o.sentences from outlet_stats o
  where :actor = '' and {_UNDATED} and (:outlet = '' or o.outlet = :outlet)
  union all
  -- No actor, dates: the sentences of the articles in range, from article_stats' (published,
  -- outlet, sentences) index.  An empty :date_from is below every date and :date_to || 'z'
  -- above any date it names (just 'z' when empty), so these bounds are the filters' own.
  select s.outlet, sum(s.sentences) from article_stats s
  where :actor = '' and {_DATED} and (:outlet = '' or s.outlet = :outlet)
    and s.published >= :date_from and s.published <= :date_to || 'z'
  group by s.outlet
  union all
  select s.outlet, sum(s.sentences) from actor_outlet_stats s
  where :actor != '' and {_UNDATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  group by s.outlet
  union all
  select s.outlet, sum(s.sentences) from bounds b join actor_outlet_month_stats s on {_whole_months("s")}
  where :actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  group by s.outlet
  union all
  select s.outlet, sum(s.sentences) from bounds b join actor_article_stats s on {_first_days("s")}
  where :actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  group by s.outlet
  union all
  select s.outlet, sum(s.sentences) from bounds b join actor_article_stats s on {_last_days("s")}
  where :actor != '' and {_DATED} and s.actor_id in (select actor_id from target) and (:outlet = '' or s.outlet = :outlet)
  group by s.outlet
),
outlet_totals as (select outlet, sum(sentences) as sentences from totals group by outlet)
select
  found.outlet,
  found.frame,
  sum(found.sentences) as sentences,
  round(100.0 * sum(found.sentences) / t.sentences, 1) as share_pct,
  sum(found.terms) as terms,
  t.sentences as outlet_sentences
from found
join outlet_totals t on t.outlet is found.outlet
group by found.outlet, found.frame
order by found.outlet, sentences desc, found.frame""",
        params=_PARAMS,
        example=(("actor", "Ukraine"),),
    ),
    CannedQuery(
        name="labels_for_actor",
        title="Labels for an actor across outlets",
        description=(
            "The titles, appositives, adjectives and noun modifiers each outlet attaches to an actor "
            "(mentions.descriptors, one row each in the labels summary): 'aggressor', 'Russian president', "
            "'sovereign' ... with how often and in how many articles, most used first. distinctive_labels "
            "says which of them set an outlet apart. Actors are listed by key. Reads the label summaries "
            "(all time, or whole months plus the labels of the days at either end of a date range)."
            + _TOP_DOC
        ),
        sql=f"""with {_TARGET},
{_BOUNDS},
{_EDGE_DAY_LIST}
-- Each actor x outlet's first :top labels, most used first, pair by pair.  Without dates: the
-- actor_outlet_labels summary, sought in the order of its (actor_id, outlet, mentions desc,
-- label) index; with dates: the monthly and daily summaries summed for each pair.
{_each_pair_all_time(_EVERY_ACTOR, "actor_outlet_labels", ("label",), ("mentions", "articles"), "s.mentions desc, s.label")}
union all
{_each_pair_all_time(_ONE_ACTOR, "actor_outlet_labels", ("label",), ("mentions", "articles"), "s.mentions desc, s.label")}
union all
-- an actor, dates: whole months from the monthly summary, the days at either end from the daily one
{_each_actor_in_key_order(("label",), ("mentions", "articles"), "actor_month_labels", "actor_outlet_day_labels", "mentions desc, label", pairs=_ONE_ACTOR, listed_days=True)}
union all
-- every actor, dates: the same sums, one actor x outlet at a time
{_each_actor_in_key_order(("label",), ("mentions", "articles"), "actor_month_labels", "actor_outlet_day_labels", "mentions desc, label")}
order by 1, 3, 5 desc, 4""",
        params=_RANKING_PARAMS,
        example=(("actor", "Vladimir Putin"),),
    ),
    CannedQuery(
        name="distinctive_labels",
        title="Labels that set an outlet apart",
        description=(
            "The labels an outlet uses for an actor distinctly more (z >= 1.96) or less (z <= -1.96) than the "
            "other outlets do: the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi & Quinn "
            "(2008), computed over all dates by the loader (label_log_odds). uses and other_uses are the counts "
            "behind each z. min_z changes the threshold (0 lists every label). Actors are listed by key."
        ),
        sql=f"""with {_TARGET}
-- Every actor: only the actors with a label past the threshold (actor_label_z), each one's
-- rows in the order of the (actor_id, outlet, z) index; one actor: its rows, sought.
select m.actor_id, ac.name as actor, s.outlet, s.label, s.uses, s.other_uses,
       round(s.log_odds, 3) as log_odds, s.z
from actor_label_z m
cross join label_log_odds s on s.actor_id = m.actor_id
join actors ac on ac.id = s.actor_id
where :actor = '' and m.max_abs_z >= coalesce(cast(nullif(:min_z, '') as real), 1.96)
  and (:outlet = '' or s.outlet = :outlet)
  and abs(s.z) >= coalesce(cast(nullif(:min_z, '') as real), 1.96)
union all
select s.actor_id, ac.name as actor, s.outlet, s.label, s.uses, s.other_uses,
       round(s.log_odds, 3) as log_odds, s.z
from label_log_odds s
join actors ac on ac.id = s.actor_id
where s.actor_id in (select actor_id from target where :actor != '') and (:outlet = '' or s.outlet = :outlet)
  and abs(s.z) >= coalesce(cast(nullif(:min_z, '') as real), 1.96)
order by 1, 3, 8 desc""",
        params=("actor", "outlet", "min_z"),
        example=(("actor", "Joe Biden"),),
    ),
    CannedQuery(
        name="sentences_mentioning_actor",
        title="Sentences mentioning an actor",
        description=(
            "Every sentence that mentions an actor, with the words used, the actor's grammatical role "
            "(agent, patient, speaker ...), where it stands in the article, and the sentiment toward the "
            "actor with the words that produced it: the evidence behind the per-outlet numbers. Oldest "
            "articles first; leave actor empty for every actor's mentions."
            + _LIMIT_DOC
        ),
        sql=f"""with {_TARGET}
-- Articles drive the join in date order (CROSS JOIN fixes the order), so the first page of a
-- large result streams from the published index instead of sorting every mention. With an
-- actor, each article's mentions of it are found through the (actor_id, article_id) index;
-- without one, through (article_id, start).
select
  a.outlet, a.published, a.title, m.article_id, m.start, m.sentence_id, ac.name as actor, m.surface,
  m.role, m.prominence, s.text as sentence, m.sentiment, m.polarity, m.evidence
from articles a
cross join target t
cross join mentions m on m.actor_id = t.actor_id and m.article_id = a.id
join sentences s on s.id = m.sentence_id
join actors ac on ac.id = m.actor_id
where :actor != '' and {_ARTICLE_FILTERS}
union all
select
  a.outlet, a.published, a.title, m.article_id, m.start, m.sentence_id, ac.name as actor, m.surface,
  m.role, m.prominence, s.text as sentence, m.sentiment, m.polarity, m.evidence
from articles a
cross join mentions m on m.article_id = a.id
join sentences s on s.id = m.sentence_id
join actors ac on ac.id = m.actor_id
where :actor = '' and {_ARTICLE_FILTERS}
order by 2, 4, 5
{_LIMIT}""",
        params=_LISTING_PARAMS,
        example=(("actor", "NATO"), ("outlet", "The White House")),
    ),
    CannedQuery(
        name="quotes_by_speaker",
        title="Quotes by a speaker",
        description=(
            "Everything a speaker is quoted or reported as saying, outlet by outlet: the words, the kind of "
            "quote, the cue verb and its class, the speaker as written and how the speaker was resolved "
            "(named, pronoun, role, metonym ...). Every kind is listed; is_statement is 0 for a quoted "
            "fragment inside reported speech already listed (docs/methods.md, Voice share), so "
            "filter on it to count statements. Oldest articles first; leave actor empty to list every quote."
            + _LIMIT_DOC
        ),
        sql=f"""with {_TARGET}
select
  a.outlet, a.published, a.title, q.article_id, q.start, q.id as quote_id, ac.name as speaker, q.speaker_text,
  q.cue, q.cue_class, q.kind, q.text as quote, q.resolution, {is_statement("q")} as is_statement
from articles a
cross join target t
cross join quotes q on q.speaker_id = t.actor_id and q.article_id = a.id
left join actors ac on ac.id = q.speaker_id
where :actor != '' and {_ARTICLE_FILTERS}
union all
select
  a.outlet, a.published, a.title, q.article_id, q.start, q.id as quote_id, ac.name as speaker, q.speaker_text,
  q.cue, q.cue_class, q.kind, q.text as quote, q.resolution, {is_statement("q")} as is_statement
from articles a
cross join quotes q on q.article_id = a.id
left join actors ac on ac.id = q.speaker_id
where :actor = '' and {_ARTICLE_FILTERS}
order by 2, 4, 5
{_LIMIT}""",
        params=_LISTING_PARAMS,
        example=(("actor", "Antony Blinken"),),
    ),
)


def queries() -> dict[str, dict[str, Any]]:
    """All canned queries by name, in the form Datasette's metadata and hook accept."""
    return {q.name: q.as_metadata() for q in QUERIES}
