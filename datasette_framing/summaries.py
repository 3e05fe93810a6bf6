"""Build the summary tables (schema.SUMMARY_TABLES) from the data tables.

The loader calls :func:`rebuild` at the end of every load, inside one
transaction, so the summaries always agree with the data they summarise
(a reload, a replaced article or an interrupted load never leaves them stale:
the next finished load rebuilds them).  The Datasette pages read only these
tables, through covering indexes, so they stay fast at millions of mentions.

Everything is plain SQL over the data tables, plus the statistics functions of
:mod:`datasette_framing.stats` (registered on the connection here) for the
intervals and one Python pass for the log-odds table.  Order matters: the
actor x article table is built first and the actor x outlet table rolls up
from it.

``rebuild(conn)`` recomputes everything.  ``rebuild(conn, article_ids=...,
outlets=...)`` recomputes only the rows of the outlets those articles belong to
(plus ``outlets``, for articles that were deleted): every summary row belongs
to exactly one outlet, so an outlet is a safe unit of recomputation.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Iterable

from . import schema, stats
from .statements import is_statement

#: Rows kept in the JSON "top" columns.
TOP_N = 10

#: The label log-odds of one actor computed live over a date range: the same figures as the
#: label_log_odds table when the range covers everything.  Parameters :actor, :start, :end
#: (ISO dates).  Needs the framing SQL functions (Datasette registers them).
LABEL_LOG_ODDS_SQL = """
WITH c AS (
  SELECT outlet, label, count(*) AS y
  FROM labels
  WHERE actor_id = :actor AND published BETWEEN :start AND :end
  GROUP BY outlet, label
),
t AS (
  SELECT outlet, label, y,
         sum(y) OVER (PARTITION BY outlet) AS n_i,
         sum(y) OVER (PARTITION BY label) AS y_w,
         sum(y) OVER () AS n
  FROM c
)
SELECT outlet, label, y AS uses, framing_log_odds(y, n_i, y_w, n) AS z
FROM t
WHERE framing_log_odds(y, n_i, y_w, n) IS NOT NULL
ORDER BY outlet, z DESC, label
"""

_SCOPE_TABLE = "temp._framing_scope_outlets"
_SCOPE_ARTICLES = "temp._framing_scope_articles"
#: Tables with one row per article (or finer): recomputed per article on a scoped rebuild.
ARTICLE_LEVEL = ("actor_article_stats", "article_stats", "labels", "article_frames")
#: Tables that add up every outlet: rebuilt whole, from the per-outlet tables, on every rebuild.
GLOBAL = ("actor_month_stats", "actor_stats", "actor_month_frame_totals", "actor_month_cue_classes")
#: Tables by publication day over every outlet: on an incremental load, recomputed for the
#: days of the articles loaded (whole when articles were deleted: their days are gone).
DAY_LEVEL = ("actor_day_stats", "actor_day_frames", "actor_day_cues")
_SCOPE_DAYS = "temp._framing_scope_days"


def _in_scope(alias_outlet: str, scoped: bool) -> str:
    """SQL condition restricting to the outlets in scope (NULL outlet included)."""
    if not scoped:
        return "1"
    return f"EXISTS (SELECT 1 FROM {_SCOPE_TABLE} o WHERE o.outlet IS {alias_outlet})"


def _article_scope(alias_id: str, alias_outlet: str, scoped: bool | str) -> str:
    """Condition for the article-level tables: the articles given, else the outlets in scope."""
    if scoped == "articles":
        return f"{alias_id} IN (SELECT id FROM {_SCOPE_ARTICLES})"
    return _in_scope(alias_outlet, bool(scoped))


def _actor_article_stats(scoped: bool) -> str:
    # One aggregation over mention rows and quote rows together: no join between two
    # grouped sets (SQLite would nest-loop them, quadratic at millions of mentions).
    scope = _article_scope("a.id", "a.outlet", scoped)
    return f"""
INSERT INTO actor_article_stats (actor_id, article_id, outlet, published, mentions, sentences, scored,
  sentiment_sum, sentiment_sumsq, mean_sentiment, ci_low, ci_high, neg, neu, pos, agent, patient,
  speaker, quotes, headline, standfirst, first_paragraph, body, first_mention, too_few)
SELECT g.actor_id, g.article_id, a.outlet, a.published, g.mentions, g.sentences, g.scored,
       CASE WHEN g.scored > 0 THEN g.s END, CASE WHEN g.scored > 0 THEN g.ss END,
       CASE WHEN g.scored > 0 THEN round(g.s / g.scored, 6) END,
       framing_t_low(g.scored, g.s, g.ss), framing_t_high(g.scored, g.s, g.ss),
       g.neg, g.neu, g.pos, g.agent, g.patient, g.speaker, g.quotes,
       g.headline, g.standfirst, g.first_paragraph, g.body, g.first_mention, framing_too_few(g.scored)
FROM (
  SELECT r.actor_id, r.article_id, sum(r.is_mention) AS mentions, count(DISTINCT r.sentence_id) AS sentences,
         count(r.sentiment) AS scored,
         total(r.sentiment) AS s, total(r.sentiment * r.sentiment) AS ss,
         total(r.polarity = -1) AS neg, total(r.polarity = 0) AS neu, total(r.polarity = 1) AS pos,
         total(r.role = 'agent') AS agent, total(r.role = 'patient') AS patient,
         total(r.role = 'speaker') AS speaker, sum(1 - r.is_mention) AS quotes,
         total(r.prominence = 'headline') AS headline, total(r.prominence = 'standfirst') AS standfirst,
         total(r.prominence = 'first_paragraph') AS first_paragraph, total(r.prominence = 'body') AS body,
         min(r.start) AS first_mention
  FROM (
    SELECT m.actor_id, m.article_id, 1 AS is_mention, m.sentence_id, m.sentiment, m.polarity, m.role,
           m.prominence, m.start
    FROM mentions m JOIN articles a ON a.id = m.article_id
    WHERE {scope}
    UNION ALL
    SELECT q.speaker_id, q.article_id, 0, NULL, NULL, NULL, NULL, NULL, NULL
    FROM quotes q JOIN articles a ON a.id = q.article_id
    WHERE q.speaker_id IS NOT NULL AND {scope} AND {is_statement("q")}
  ) r
  GROUP BY r.actor_id, r.article_id
) g
JOIN articles a ON a.id = g.article_id
"""


def _month(alias: str) -> str:
    """SQL for the YYYY-MM month of ``alias``.published ('' when undated)."""
    return f"coalesce(substr({alias}.published, 1, 7), '')"


def _actor_outlet_day_cues(scoped: bool) -> str:
    scope = _in_scope("a.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_day_cues (actor_id, outlet, day, cue_class, cue, quotes, articles)
SELECT q.speaker_id, a.outlet, {_day("a")}, coalesce(q.cue_class, 'none'),
       coalesce(q.cue_lemma, q.cue, '(none)'), count(*), count(DISTINCT q.article_id)
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE q.speaker_id IS NOT NULL AND {scope} AND {is_statement("q")}
GROUP BY 1, 2, 3, 4, 5
"""


def _actor_month_cues(scoped: bool) -> str:
    # From the days: an article has one date, so its statements fall in one day and one month.
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_month_cues (actor_id, outlet, month, cue_class, cue, quotes, articles)
SELECT s.actor_id, s.outlet, substr(s.day, 1, 7), s.cue_class, s.cue, sum(s.quotes), sum(s.articles)
FROM actor_outlet_day_cues s WHERE {scope}
GROUP BY s.actor_id, s.outlet, substr(s.day, 1, 7), s.cue_class, s.cue
"""


def _actor_cue_verbs(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_cue_verbs (actor_id, outlet, cue_class, cue, quotes, articles)
SELECT s.actor_id, s.outlet, s.cue_class, s.cue, sum(s.quotes), sum(s.articles)
FROM actor_month_cues s WHERE {scope}
GROUP BY s.actor_id, s.outlet, s.cue_class, s.cue
"""


def _actor_cues(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_cues (actor_id, outlet, cue_class, quotes, share, top_cues)
WITH cls AS (
  SELECT actor_id, outlet, cue_class, sum(quotes) AS quotes, json_group_object(cue, quotes) AS top_cues
  FROM (SELECT * FROM actor_cue_verbs s WHERE {scope} ORDER BY actor_id, outlet, cue_class, quotes DESC, cue)
  GROUP BY actor_id, outlet, cue_class
),
tot AS (SELECT actor_id, outlet, sum(quotes) AS total FROM cls GROUP BY actor_id, outlet)
SELECT cls.actor_id, cls.outlet, cls.cue_class, cls.quotes, round(cls.quotes * 1.0 / tot.total, 4), cls.top_cues
FROM cls JOIN tot ON tot.actor_id = cls.actor_id AND tot.outlet IS cls.outlet
"""


def _actor_outlet_day_frames(scoped: bool) -> str:
    scope = _in_scope("a.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_day_frames (actor_id, outlet, day, frame, sentences, terms)
WITH ms AS (
  SELECT DISTINCT m.actor_id, m.sentence_id, a.outlet, {_day("a")} AS day
  FROM mentions m JOIN articles a ON a.id = m.article_id
  WHERE {scope}
)
SELECT ms.actor_id, ms.outlet, ms.day, f.frame, count(*), CAST(total(f.term_count) AS INTEGER)
FROM ms JOIN frames f ON f.sentence_id = ms.sentence_id
GROUP BY ms.actor_id, ms.outlet, ms.day, f.frame
"""


def _actor_month_frames(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_month_frames (actor_id, outlet, month, frame, sentences, terms)
SELECT s.actor_id, s.outlet, substr(s.day, 1, 7), s.frame, sum(s.sentences), sum(s.terms)
FROM actor_outlet_day_frames s WHERE {scope}
GROUP BY s.actor_id, s.outlet, substr(s.day, 1, 7), s.frame
"""


def _actor_frames(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_frames (actor_id, outlet, frame, sentences, share, terms)
WITH f AS (
  SELECT s.actor_id, s.outlet, s.frame, sum(s.sentences) AS n, sum(s.terms) AS terms
  FROM actor_month_frames s WHERE {scope} GROUP BY s.actor_id, s.outlet, s.frame
),
tot AS (
  SELECT s.actor_id, s.outlet, sum(s.sentences) AS n
  FROM actor_outlet_month_stats s WHERE {scope} GROUP BY s.actor_id, s.outlet
)
SELECT f.actor_id, f.outlet, f.frame, f.n, round(f.n * 1.0 / max(tot.n, 1), 4), f.terms
FROM f JOIN tot ON tot.actor_id = f.actor_id AND tot.outlet IS f.outlet
"""


#: SQL sums of the rollup columns of the rows ``s``, in schema.ROLLUP_COLUMNS order.
def _rollup_sums(articles: str = "sum(s.articles)") -> str:
    sums = []
    for name in schema.ROLLUP_COLUMNS:
        if name == "articles":
            sums.append(articles)
        elif name in ("sentiment_sum", "sentiment_sumsq"):
            sums.append(f"total(s.{name})")
        else:
            sums.append(f"sum(s.{name})")
    return ", ".join(sums)


def _rollup_names() -> str:
    return ", ".join(schema.ROLLUP_COLUMNS)


def _actor_outlet_day_stats(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    # In key order: an actor's days sit in neighbouring rows (schema.ACTOR_OUTLET_DAY_STATS).
    return f"""
INSERT INTO actor_outlet_day_stats (actor_id, outlet, day, {_rollup_names()})
SELECT s.actor_id, s.outlet, {_day("s")}, {_rollup_sums("count(*)")}
FROM actor_article_stats s WHERE {scope}
GROUP BY s.actor_id, {_day("s")}, s.outlet
ORDER BY s.actor_id, {_day("s")}, s.outlet
"""


def _actor_outlet_month_stats(scoped: bool) -> str:
    # From the days (fewer rows than the articles): an article has one date, so one day and one month.
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_month_stats (actor_id, outlet, month, {_rollup_names()})
SELECT s.actor_id, s.outlet, substr(s.day, 1, 7), {_rollup_sums()}
FROM actor_outlet_day_stats s WHERE {scope}
GROUP BY s.actor_id, s.outlet, substr(s.day, 1, 7)
"""


def _actor_month_stats(scoped: bool) -> str:
    # Global: every outlet's rows add into one row, so it is always rebuilt whole (cheap:
    # it reads the actor x outlet x month table, not the mentions).
    return f"""
INSERT INTO actor_month_stats (actor_id, month, {_rollup_names()})
SELECT s.actor_id, s.month, {_rollup_sums()}
FROM actor_outlet_month_stats s
GROUP BY s.month, s.actor_id
ORDER BY s.month, s.actor_id  -- rows of a month sit together: a date range reads few pages
"""


def _day(alias: str) -> str:
    """SQL for the publication day of ``alias``.published ('' when undated)."""
    return f"coalesce(substr({alias}.published, 1, 10), '')"


def _rolled_day_scope(alias: str, scoped: bool | str) -> str:
    """The days to rebuild, for a day table rolled up from a per-outlet one (its ``day`` column)."""
    return "1" if scoped != "days" else f"{alias}.day IN (SELECT day FROM {_SCOPE_DAYS})"


def _actor_day_stats(scoped: bool | str) -> str:
    # From the per-outlet days (fewer rows than the articles; complete by now: every outlet
    # whose articles changed was rebuilt above).
    return f"""
INSERT INTO actor_day_stats (actor_id, day, {_rollup_names()})
SELECT s.actor_id, s.day, {_rollup_sums()}
FROM actor_outlet_day_stats s
WHERE {_rolled_day_scope("s", scoped)}
GROUP BY s.day, s.actor_id
ORDER BY s.day, s.actor_id
"""


def _actor_day_frames(scoped: bool | str) -> str:
    # Over every outlet, from the per-outlet days (complete by now): a sentence belongs to one
    # article and so to one outlet, so the per-outlet counts of distinct sentences add up exactly.
    return f"""
INSERT INTO actor_day_frames (actor_id, day, frame, sentences)
SELECT s.actor_id, s.day, s.frame, sum(s.sentences)
FROM actor_outlet_day_frames s
WHERE {_rolled_day_scope("s", scoped)}
GROUP BY s.actor_id, s.day, s.frame
"""


def _actor_day_cues(scoped: bool | str) -> str:
    # From the per-outlet days, summed over outlets and cue verbs (complete by now).
    return f"""
INSERT INTO actor_day_cues (actor_id, day, cue_class, quotes)
SELECT s.actor_id, s.day, s.cue_class, sum(s.quotes)
FROM actor_outlet_day_cues s
WHERE {_rolled_day_scope("s", scoped)}
GROUP BY s.actor_id, s.day, s.cue_class
"""


def _actor_month_frame_totals(scoped: bool) -> str:
    # Global, from the daily table over every outlet (complete by now): rebuilt whole.
    return """
INSERT INTO actor_month_frame_totals (actor_id, month, frame, sentences)
SELECT s.actor_id, substr(s.day, 1, 7), s.frame, sum(s.sentences)
FROM actor_day_frames s
GROUP BY s.actor_id, substr(s.day, 1, 7), s.frame
"""


def _actor_month_cue_classes(scoped: bool) -> str:
    return """
INSERT INTO actor_month_cue_classes (actor_id, month, cue_class, quotes)
SELECT s.actor_id, substr(s.day, 1, 7), s.cue_class, sum(s.quotes)
FROM actor_day_cues s
GROUP BY s.actor_id, substr(s.day, 1, 7), s.cue_class
"""


def _actor_stats(scoped: bool) -> str:
    return f"""
INSERT INTO actor_stats (actor_id, actor_name, actor_kind, {_rollup_names()}, outlets, mean_sentiment,
  ci_low, ci_high, first_published, last_published, too_few)
SELECT s.actor_id, actors.name, actors.kind, {_rollup_sums()},
       count(CASE WHEN s.mentions > 0 THEN 1 END),
       CASE WHEN sum(s.scored) > 0 THEN round(total(s.sentiment_sum) / sum(s.scored), 6) END,
       framing_t_low(sum(s.scored), total(s.sentiment_sum), total(s.sentiment_sumsq)),
       framing_t_high(sum(s.scored), total(s.sentiment_sum), total(s.sentiment_sumsq)),
       min(s.first_published), max(s.last_published), framing_too_few(sum(s.scored))
FROM actor_outlet_stats s JOIN actors ON actors.id = s.actor_id
GROUP BY s.actor_id
"""


def _actor_outlet_labels(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_labels (actor_id, outlet, label, mentions, articles)
SELECT s.actor_id, s.outlet, s.label, count(*), count(DISTINCT s.article_id)
FROM labels s WHERE {scope}
GROUP BY s.actor_id, s.outlet, s.label
"""


def _actor_outlet_day_labels(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_day_labels (actor_id, outlet, day, label, mentions, articles)
SELECT s.actor_id, s.outlet, {_day("s")}, s.label, count(*), count(DISTINCT s.article_id)
FROM labels s WHERE {scope}
GROUP BY s.actor_id, s.outlet, {_day("s")}, s.label
"""


def _actor_month_labels(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_month_labels (actor_id, outlet, month, label, mentions, articles)
SELECT s.actor_id, s.outlet, substr(s.day, 1, 7), s.label, sum(s.mentions), sum(s.articles)
FROM actor_outlet_day_labels s WHERE {scope}
GROUP BY s.actor_id, s.outlet, substr(s.day, 1, 7), s.label
"""


def _outlet_month_speakers(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO outlet_month_speakers (outlet, month, speaker_id, statements)
SELECT s.outlet, s.month, s.actor_id, s.quotes
FROM actor_outlet_month_stats s WHERE s.quotes > 0 AND {scope}
"""


def _outlet_month_frames(scoped: bool) -> str:
    scope = _in_scope("af.outlet", scoped)
    return f"""
INSERT INTO outlet_month_frames (outlet, month, frame, sentences, terms)
SELECT af.outlet, {_month("af")}, af.frame, sum(af.sentences), sum(af.terms)
FROM article_frames af WHERE {scope}
GROUP BY af.outlet, {_month("af")}, af.frame
"""


def _article_stats(scoped: bool) -> str:
    scope = _article_scope("a.id", "a.outlet", scoped)
    return f"""
INSERT INTO article_stats (article_id, outlet, published, sentences, words, flesch_reading_ease,
  flesch_kincaid_grade, compound_n, compound_sum, compound_sumsq, hedges, boosters, loaded, mentions,
  statements, attributed)
SELECT a.id, a.outlet, a.published, count(s.id), a.word_count, a.flesch_reading_ease, a.flesch_kincaid_grade,
       count(s.compound), total(s.compound),
       total(s.compound * s.compound), CAST(total(s.hedge_count) AS INTEGER),
       CAST(total(s.booster_count) AS INTEGER), CAST(total(s.loaded_count) AS INTEGER),
       (SELECT count(*) FROM mentions m WHERE m.article_id = a.id),
       (SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND {is_statement("q")}),
       (SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND q.speaker_id IS NOT NULL AND {is_statement("q")})
FROM articles a LEFT JOIN sentences s ON s.article_id = a.id
WHERE {scope}
GROUP BY a.id
"""


_SPEAKER_KINDS = "statements, direct, partial, indirect, partial_inside, articles"


def _outlet_speaker_days(scoped: bool) -> str:
    scope = _in_scope("a.outlet", scoped)
    return f"""
INSERT INTO outlet_speaker_days (outlet, day, speaker_id, {_SPEAKER_KINDS})
WITH q AS MATERIALIZED (  -- computed once: inlined, the statement test ran once per use of st
  SELECT a.outlet, {_day("a")} AS day, coalesce(q.speaker_id, '') AS speaker_id, q.kind, q.article_id,
         {is_statement("q")} AS st
  FROM quotes q JOIN articles a ON a.id = q.article_id
  WHERE {scope}
)
SELECT outlet, day, speaker_id, sum(st), sum(kind = 'direct'), sum(kind = 'partial' AND st), sum(kind = 'indirect'),
       sum(NOT st), count(DISTINCT CASE WHEN st THEN article_id END)
FROM q GROUP BY outlet, day, speaker_id
"""


def _speaker_sums(alias: str = "s") -> str:
    return ", ".join(f"sum({alias}.{c})" for c in _SPEAKER_KINDS.split(", "))


def _outlet_speaker_months(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO outlet_speaker_months (outlet, month, speaker_id, {_SPEAKER_KINDS})
SELECT s.outlet, substr(s.day, 1, 7), s.speaker_id, {_speaker_sums()}
FROM outlet_speaker_days s WHERE {scope}
GROUP BY s.outlet, substr(s.day, 1, 7), s.speaker_id
"""


def _outlet_speakers(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO outlet_speakers (outlet, speaker_id, {_SPEAKER_KINDS})
SELECT s.outlet, s.speaker_id, {_speaker_sums()}
FROM outlet_speaker_months s WHERE {scope}
GROUP BY s.outlet, s.speaker_id
"""


def _labels(scoped: bool) -> str:
    scope = _article_scope("a.id", "a.outlet", scoped)
    return f"""
INSERT OR IGNORE INTO labels (mention_id, label, article_id, actor_id, outlet, published)
SELECT m.id, j.value, m.article_id, m.actor_id, a.outlet, a.published
FROM mentions m
JOIN articles a ON a.id = m.article_id,
     json_each(CASE WHEN json_valid(m.descriptors) THEN m.descriptors ELSE '[]' END) j
WHERE m.descriptors IS NOT NULL AND m.descriptors NOT IN ('', '[]')
  AND j.type = 'text' AND j.value != '' AND {scope}
"""


def _actor_outlet_stats(scoped: bool) -> str:
    scope = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO actor_outlet_stats (actor_id, outlet, actor_name, actor_kind, mentions, articles, sentences, scored,
  sentiment_sum, sentiment_sumsq, mean_sentiment, ci_low, ci_high, neg, neu, pos, agent, patient,
  speaker, quotes, neg_share, neu_share, pos_share, agent_share, patient_share, voice_share,
  headline, standfirst, first_paragraph, body, top_cue_classes, top_frames, top_labels,
  first_published, last_published, too_few)
WITH g AS (
  SELECT s.actor_id, s.outlet, sum(s.mentions) AS mentions, sum(s.articles) AS articles,
         sum(s.sentences) AS sentences, sum(s.scored) AS scored,
         total(s.sentiment_sum) AS ss, total(s.sentiment_sumsq) AS sss,
         sum(s.neg) AS neg, sum(s.neu) AS neu, sum(s.pos) AS pos, sum(s.agent) AS agent,
         sum(s.patient) AS patient, sum(s.speaker) AS speaker, sum(s.quotes) AS quotes,
         sum(s.headline) AS headline, sum(s.standfirst) AS standfirst,
         sum(s.first_paragraph) AS first_paragraph, sum(s.body) AS body
  FROM actor_outlet_month_stats s
  WHERE {scope}
  GROUP BY s.actor_id, s.outlet
),
dates AS (
  SELECT s.actor_id, s.outlet, min(s.published) AS first_published, max(s.published) AS last_published
  FROM actor_article_stats s WHERE {scope}
  GROUP BY s.actor_id, s.outlet
),
cues AS (
  SELECT actor_id, outlet, json_group_object(cue_class, quotes) AS j
  FROM (SELECT * FROM actor_cues s WHERE {scope} ORDER BY actor_id, outlet, quotes DESC, cue_class)
  GROUP BY actor_id, outlet
),
fr AS (
  SELECT actor_id, outlet, json_group_object(frame, sentences) AS j
  FROM (SELECT * FROM actor_frames s WHERE {scope} ORDER BY actor_id, outlet, sentences DESC, frame)
  GROUP BY actor_id, outlet
),
lab AS (
  SELECT actor_id, outlet, json_group_object(label, n) AS j
  FROM (
    SELECT s.actor_id, s.outlet, s.label, s.mentions AS n,
           row_number() OVER (PARTITION BY s.actor_id, s.outlet ORDER BY s.mentions DESC, s.label) AS r
    FROM actor_outlet_labels s WHERE {scope}
  )
  WHERE r <= {TOP_N}
  GROUP BY actor_id, outlet
)
SELECT g.actor_id, g.outlet, actors.name, actors.kind, g.mentions, g.articles, g.sentences, g.scored, g.ss, g.sss,
       CASE WHEN g.scored > 0 THEN round(g.ss / g.scored, 6) END,
       framing_t_low(g.scored, g.ss, g.sss), framing_t_high(g.scored, g.ss, g.sss),
       g.neg, g.neu, g.pos, g.agent, g.patient, g.speaker, g.quotes,
       CASE WHEN g.scored > 0 THEN round(g.neg * 1.0 / g.scored, 4) END,
       CASE WHEN g.scored > 0 THEN round(g.neu * 1.0 / g.scored, 4) END,
       CASE WHEN g.scored > 0 THEN round(g.pos * 1.0 / g.scored, 4) END,
       CASE WHEN g.mentions > 0 THEN round(g.agent * 1.0 / g.mentions, 4) END,
       CASE WHEN g.mentions > 0 THEN round(g.patient * 1.0 / g.mentions, 4) END,
       CASE WHEN g.mentions > 0 THEN round(g.quotes * 1.0 / g.mentions, 4) END,
       g.headline, g.standfirst, g.first_paragraph, g.body,
       coalesce(cues.j, '{{}}'), coalesce(fr.j, '{{}}'), coalesce(lab.j, '{{}}'),
       dates.first_published, dates.last_published, framing_too_few(g.scored)
FROM g
JOIN actors ON actors.id = g.actor_id
LEFT JOIN dates ON dates.actor_id = g.actor_id AND dates.outlet IS g.outlet
LEFT JOIN cues ON cues.actor_id = g.actor_id AND cues.outlet IS g.outlet
LEFT JOIN fr ON fr.actor_id = g.actor_id AND fr.outlet IS g.outlet
LEFT JOIN lab ON lab.actor_id = g.actor_id AND lab.outlet IS g.outlet
"""


def _article_frames(scoped: bool) -> str:
    scope = _article_scope("a.id", "a.outlet", scoped)
    return f"""
INSERT INTO article_frames (article_id, frame, outlet, published, sentences, share, terms, top_terms)
WITH c AS (
  SELECT f.article_id, f.frame, count(*) AS sentences, total(f.term_count) AS terms
  FROM frames f JOIN articles a ON a.id = f.article_id
  WHERE {scope}
  GROUP BY f.article_id, f.frame
),
t AS (
  SELECT f.article_id, f.frame, j.value AS term, count(*) AS n
  FROM frames f
  JOIN articles a ON a.id = f.article_id,
       json_each(CASE WHEN json_valid(f.terms) THEN f.terms ELSE '[]' END) j
  WHERE {scope}
  GROUP BY f.article_id, f.frame, j.value
),
tt AS (
  SELECT article_id, frame, json_group_object(term, n) AS top_terms
  FROM (SELECT * FROM t ORDER BY article_id, frame, n DESC, term)
  GROUP BY article_id, frame
)
SELECT c.article_id, c.frame, a.outlet, a.published, c.sentences,
       round(c.sentences * 1.0 / max(coalesce(a.sentence_count, 0), c.sentences, 1), 4),
       CAST(c.terms AS INTEGER), coalesce(tt.top_terms, '{{}}')
FROM c
JOIN articles a ON a.id = c.article_id
LEFT JOIN tt ON tt.article_id = c.article_id AND tt.frame = c.frame
"""


def _outlet_frames(scoped: bool) -> str:
    scope = _in_scope("af.outlet", scoped)
    scope_a = _in_scope("a.outlet", scoped)
    return f"""
INSERT INTO outlet_frames (outlet, frame, articles, sentences, share, terms)
WITH tot AS (
  SELECT a.outlet, total(a.sentence_count) AS n FROM articles a WHERE {scope_a} GROUP BY a.outlet
)
SELECT af.outlet, af.frame, count(*), sum(af.sentences),
       round(sum(af.sentences) * 1.0 / max(tot.n, 1), 4), sum(af.terms)
FROM article_frames af JOIN tot ON tot.outlet IS af.outlet
WHERE {scope}
GROUP BY af.outlet, af.frame
"""


def _outlet_stats(scoped: bool) -> str:
    scope_a = _in_scope("a.outlet", scoped)
    scope_s = _in_scope("s.outlet", scoped)
    return f"""
INSERT INTO outlet_stats (outlet, articles, sentences, words, mentions, quotes, attributed_quotes,
  first_published, last_published, mean_flesch_reading_ease, mean_flesch_kincaid_grade,
  mean_gunning_fog, mean_smog_index, mean_compound, compound_ci_low, compound_ci_high,
  hedges_per_100_sentences, boosters_per_100_sentences, loaded_per_100_sentences,
  top_quoted, top_frames)
WITH art AS (
  SELECT a.outlet, count(*) AS articles, total(a.sentence_count) AS sentences,
         total(a.word_count) AS words, min(a.published) AS first_published,
         max(a.published) AS last_published,
         avg(a.flesch_reading_ease) AS fre, avg(a.flesch_kincaid_grade) AS fkg,
         avg(a.gunning_fog) AS fog, avg(a.smog_index) AS smog
  FROM articles a WHERE {scope_a} GROUP BY a.outlet
),
sen AS (
  SELECT s.outlet, total(s.compound_n) AS n, total(s.compound_sum) AS cs, total(s.compound_sumsq) AS css,
         total(s.hedges) AS hedges, total(s.boosters) AS boosters, total(s.loaded) AS loaded,
         total(s.sentences) AS rows, total(s.mentions) AS mentions, total(s.statements) AS quotes,
         total(s.attributed) AS attributed
  FROM article_stats s WHERE {scope_s} GROUP BY s.outlet
),
tq AS (
  SELECT outlet, json_group_array(json_object('actor_id', actor_id, 'name', name, 'quotes', quotes)) AS j
  FROM (
    SELECT s.outlet, s.speaker_id AS actor_id, actors.name, s.statements AS quotes,
           row_number() OVER (PARTITION BY s.outlet ORDER BY s.statements DESC, actors.name, s.speaker_id) AS r
    FROM outlet_speakers s JOIN actors ON actors.id = s.speaker_id
    WHERE s.statements > 0 AND {scope_s}
  )
  WHERE r <= {TOP_N}
  GROUP BY outlet
),
tf AS (
  SELECT outlet, json_group_object(frame, sentences) AS j
  FROM (SELECT * FROM outlet_frames s WHERE {scope_s} ORDER BY outlet, sentences DESC, frame)
  GROUP BY outlet
)
SELECT art.outlet, art.articles, CAST(art.sentences AS INTEGER), CAST(art.words AS INTEGER),
       CAST(coalesce(sen.mentions, 0) AS INTEGER), CAST(coalesce(sen.quotes, 0) AS INTEGER),
       CAST(coalesce(sen.attributed, 0) AS INTEGER),
       art.first_published, art.last_published,
       round(art.fre, 2), round(art.fkg, 2), round(art.fog, 2), round(art.smog, 2),
       CASE WHEN sen.n > 0 THEN round(sen.cs / sen.n, 6) END,
       framing_t_low(sen.n, sen.cs, sen.css), framing_t_high(sen.n, sen.cs, sen.css),
       CASE WHEN sen.rows > 0 THEN round(sen.hedges * 100.0 / sen.rows, 2) END,
       CASE WHEN sen.rows > 0 THEN round(sen.boosters * 100.0 / sen.rows, 2) END,
       CASE WHEN sen.rows > 0 THEN round(sen.loaded * 100.0 / sen.rows, 2) END,
       coalesce(tq.j, '[]'), coalesce(tf.j, '{{}}')
FROM art
LEFT JOIN sen ON sen.outlet IS art.outlet
LEFT JOIN tq ON tq.outlet IS art.outlet
LEFT JOIN tf ON tf.outlet IS art.outlet
"""


#: (table, builder) in build order: later builders read earlier tables.
BUILDERS = (
    ("actor_article_stats", _actor_article_stats),
    ("article_stats", _article_stats),
    ("labels", _labels),
    ("article_frames", _article_frames),
    ("actor_outlet_day_cues", _actor_outlet_day_cues),
    ("actor_month_cues", _actor_month_cues),
    ("actor_outlet_day_frames", _actor_outlet_day_frames),
    ("actor_month_frames", _actor_month_frames),
    ("actor_outlet_day_stats", _actor_outlet_day_stats),
    ("actor_outlet_month_stats", _actor_outlet_month_stats),
    ("actor_cue_verbs", _actor_cue_verbs),
    ("actor_cues", _actor_cues),
    ("actor_frames", _actor_frames),
    ("actor_outlet_labels", _actor_outlet_labels),
    ("actor_outlet_day_labels", _actor_outlet_day_labels),
    ("actor_month_labels", _actor_month_labels),
    ("actor_outlet_stats", _actor_outlet_stats),
    ("outlet_frames", _outlet_frames),
    ("outlet_month_frames", _outlet_month_frames),
    ("outlet_month_speakers", _outlet_month_speakers),
    ("outlet_speaker_days", _outlet_speaker_days),
    ("outlet_speaker_months", _outlet_speaker_months),
    ("outlet_speakers", _outlet_speakers),
    ("outlet_stats", _outlet_stats),
    ("actor_month_stats", _actor_month_stats),
    ("actor_stats", _actor_stats),
    ("actor_day_stats", _actor_day_stats),
    ("actor_day_frames", _actor_day_frames),
    ("actor_day_cues", _actor_day_cues),
    ("actor_month_frame_totals", _actor_month_frame_totals),
    ("actor_month_cue_classes", _actor_month_cue_classes),
)


def build_sql(scoped: bool = False) -> list[tuple[str, str]]:
    """(table, INSERT ... SELECT statement) pairs in build order, for inspection and docs."""
    return [(name, fn(scoped)) for name, fn in BUILDERS]


#: actor_label_z from label_log_odds: one row per actor with any compared label.
ACTOR_LABEL_Z_SQL = "INSERT INTO actor_label_z (actor_id, max_abs_z) SELECT actor_id, max(abs(z)) FROM label_log_odds GROUP BY actor_id"


def rebuild_label_log_odds(conn: sqlite3.Connection, alpha_0: float | None = None) -> int:
    """Recompute label_log_odds (and actor_label_z) for every actor from the labels table;
    returns the label_log_odds rows written.

    Each outlet is compared with all other outlets together, for each actor, with the
    actor's labels across all outlets as the informative prior (stats.log_odds_z).
    """
    conn.execute("DELETE FROM label_log_odds")
    counts: dict[str, dict[str | None, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for actor_id, outlet, label, n in conn.execute(
        "SELECT actor_id, outlet, label, count(*) FROM labels GROUP BY actor_id, outlet, label"
    ):
        counts[actor_id][outlet][label] = n
    rows = []
    for actor_id, by_outlet in counts.items():
        if len(by_outlet) < 2:
            continue  # nothing to compare with
        label_total: dict[str, int] = defaultdict(int)
        for labels in by_outlet.values():
            for label, n in labels.items():
                label_total[label] += n
        n_all = sum(label_total.values())
        for outlet, labels in by_outlet.items():
            n_i = sum(labels.values())
            for label, y_iw in labels.items():
                r = stats.log_odds_z(y_iw, n_i, label_total[label], n_all, alpha_0)
                if r is None:
                    continue
                rows.append(
                    (actor_id, outlet, label, y_iw, label_total[label] - y_iw, n_i, n_all - n_i,
                     round(r[0], 6), round(r[1], 6))
                )
    conn.executemany(
        "INSERT INTO label_log_odds (actor_id, outlet, label, uses, other_uses, outlet_labels, other_labels, "
        "log_odds, z) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("DELETE FROM actor_label_z")
    conn.execute(ACTOR_LABEL_Z_SQL)
    return len(rows)


#: Summary tables added after databases were loaded, each with a table it is never empty beside.
#: A scoped rebuild would fill them for the outlets it touches only, so an empty one (the
#: loader has just created it) means a full rebuild.
ADDED_LATER = (("actor_outlet_day_stats", "actor_article_stats"),)


def _upgraded(conn: sqlite3.Connection) -> bool:
    """Whether a summary table in ADDED_LATER is empty while its companion is not."""
    for added, companion in ADDED_LATER:
        # Names from this module, never from a request.
        empty = conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM [{added}])").fetchone()[0]
        if empty and conn.execute(f"SELECT EXISTS (SELECT 1 FROM [{companion}])").fetchone()[0]:
            return True
    return False


def rebuild(
    conn: sqlite3.Connection,
    article_ids: Iterable[str] | None = None,
    outlets: Iterable[str | None] | None = None,
) -> None:
    """Recompute the summary tables, all of them or those of the outlets touched.

    With neither argument: everything.  With ``article_ids``: the per-article rows of those
    articles (new or changed ones), and the per-outlet rows of their outlets plus
    ``outlets`` (pass the outlets of deleted articles there: their per-article rows went
    with them).  With ``outlets`` only: everything of those outlets.  The label log-odds
    table is always recomputed (cheap, and one outlet's change moves every other
    outlet's comparison).  Runs in its own transaction unless one is open.
    """
    stats.register(conn)
    mode: bool | str = False
    if article_ids is not None:
        mode = "articles"
    elif outlets is not None:
        mode = "outlets"
    if mode and _upgraded(conn):
        mode = False  # a database from before a summary table existed: fill it for every outlet
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        if mode:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_SCOPE_TABLE.split('.', 1)[1]} (outlet TEXT)")
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_SCOPE_ARTICLES.split('.', 1)[1]} (id TEXT PRIMARY KEY)")
            conn.execute(f"DELETE FROM {_SCOPE_TABLE}")
            conn.execute(f"DELETE FROM {_SCOPE_ARTICLES}")
            conn.executemany(f"INSERT OR IGNORE INTO {_SCOPE_ARTICLES} (id) VALUES (?)", [(i,) for i in article_ids or ()])
            keys: set[str | None] = set(outlets or ())
            keys.update(
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT outlet FROM articles WHERE id IN (SELECT id FROM {_SCOPE_ARTICLES})"
                )
            )
            conn.executemany(f"INSERT INTO {_SCOPE_TABLE} (outlet) VALUES (?)", [(k,) for k in keys])
        day_mode: bool | str = False
        if mode == "articles" and not outlets:
            day_mode = "days"
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_SCOPE_DAYS.split('.', 1)[1]} (day TEXT PRIMARY KEY)")
            conn.execute(f"DELETE FROM {_SCOPE_DAYS}")
            conn.execute(
                f"INSERT OR IGNORE INTO {_SCOPE_DAYS} (day) SELECT {_day('a')} FROM articles a "
                f"WHERE a.id IN (SELECT id FROM {_SCOPE_ARTICLES})"
            )
        for name, _fn in reversed(BUILDERS):
            if name in DAY_LEVEL and day_mode:
                conn.execute(f"DELETE FROM [{name}] WHERE day IN (SELECT day FROM {_SCOPE_DAYS})")
            elif name in GLOBAL or name in DAY_LEVEL:
                conn.execute(f"DELETE FROM [{name}]")
            elif mode == "articles" and name in ARTICLE_LEVEL:
                conn.execute(f"DELETE FROM [{name}] WHERE article_id IN (SELECT id FROM {_SCOPE_ARTICLES})")
            elif mode:
                conn.execute(
                    f"DELETE FROM [{name}] WHERE EXISTS "
                    f"(SELECT 1 FROM {_SCOPE_TABLE} o WHERE o.outlet IS [{name}].outlet)"
                )
            else:
                conn.execute(f"DELETE FROM [{name}]")
        tables = [schema.table(name) for name, _fn in BUILDERS]
        if not mode:
            # a full rebuild fills empty tables: build their secondary indexes once, afterwards
            for t in tables:
                for cols in t.indexes:
                    conn.execute(f"DROP INDEX IF EXISTS [{t.index_name(cols)}]")
        for name, fn in BUILDERS:
            conn.execute(fn(day_mode if name in DAY_LEVEL else mode))
        if not mode:
            for t in tables:
                for sql in t.index_sql():
                    conn.execute(sql)
        rebuild_label_log_odds(conn)
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def summary_table_names() -> tuple[str, ...]:
    return tuple(t.name for t in schema.SUMMARY_TABLES)
