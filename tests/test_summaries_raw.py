"""Summary tables against the raw rows on a database loaded by the real pipeline (seeds/).

Each table the pages read over a date range must equal a GROUP BY over the mentions,
quotes and articles it summarises: the pages' numbers are only as exact as these tables.
"""

from __future__ import annotations

import sqlite3

import pytest

from datasette_framing import schema
from datasette_framing.statements import is_statement

#: actor x outlet x day from the raw rows: every rollup column (schema.ROLLUP_COLUMNS).
RAW_ACTOR_OUTLET_DAYS = f"""
WITH r AS (
  SELECT m.actor_id, m.article_id, 1 AS is_mention, m.sentence_id, m.sentiment, m.polarity, m.role, m.prominence
  FROM mentions m
  UNION ALL
  SELECT q.speaker_id, q.article_id, 0, NULL, NULL, NULL, NULL, NULL
  FROM quotes q WHERE q.speaker_id IS NOT NULL AND {is_statement("q")}
),
per_article AS (
  SELECT r.actor_id, r.article_id, sum(r.is_mention) AS mentions, count(DISTINCT r.sentence_id) AS sentences,
         count(r.sentiment) AS scored, total(r.sentiment) AS s, total(r.sentiment * r.sentiment) AS ss,
         total(r.polarity = -1) AS neg, total(r.polarity = 0) AS neu, total(r.polarity = 1) AS pos,
         total(r.role = 'agent') AS agent, total(r.role = 'patient') AS patient, total(r.role = 'speaker') AS speaker,
         sum(1 - r.is_mention) AS quotes, total(r.prominence = 'headline') AS headline,
         total(r.prominence = 'standfirst') AS standfirst, total(r.prominence = 'first_paragraph') AS first_paragraph,
         total(r.prominence = 'body') AS body
  FROM r GROUP BY r.actor_id, r.article_id
)
SELECT p.actor_id, a.outlet, coalesce(substr(a.published, 1, 10), '') AS day,
       sum(p.mentions), count(*), sum(p.sentences), sum(p.scored), total(p.s), total(p.ss),
       sum(p.neg), sum(p.neu), sum(p.pos), sum(p.agent), sum(p.patient), sum(p.speaker), sum(p.quotes),
       sum(p.headline), sum(p.standfirst), sum(p.first_paragraph), sum(p.body)
FROM per_article p JOIN articles a ON a.id = p.article_id
GROUP BY 1, 2, 3
"""


@pytest.fixture(scope="module")
def conn(seeded_db_path):
    c = sqlite3.connect(f"file:{seeded_db_path}?mode=ro", uri=True)
    yield c
    c.close()


def _rounded(rows):
    """Rows with the float sums rounded (a sum of floats depends on the order it was taken in)."""
    return sorted(tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows)


def test_actor_outlet_day_stats_equals_the_raw_rows(conn):
    cols = ", ".join(schema.ROLLUP_COLUMNS)
    table = conn.execute(f"SELECT actor_id, outlet, day, {cols} FROM actor_outlet_day_stats").fetchall()
    raw = conn.execute(RAW_ACTOR_OUTLET_DAYS).fetchall()
    assert len(table) > 20  # the seeds give many actor x outlet x day rows
    assert _rounded(table) == _rounded(raw)


def test_day_and_month_actor_tables_add_up_from_the_outlet_days(conn):
    sums = ", ".join(f"sum({c})" for c in schema.ROLLUP_COLUMNS)
    cols = ", ".join(schema.ROLLUP_COLUMNS)
    months = conn.execute(
        f"SELECT actor_id, outlet, substr(day, 1, 7), {sums} FROM actor_outlet_day_stats GROUP BY 1, 2, 3"
    ).fetchall()
    assert _rounded(months) == _rounded(conn.execute(f"SELECT actor_id, outlet, month, {cols} FROM actor_outlet_month_stats"))
    days = conn.execute(f"SELECT actor_id, day, {sums} FROM actor_outlet_day_stats GROUP BY 1, 2").fetchall()
    assert _rounded(days) == _rounded(conn.execute(f"SELECT actor_id, day, {cols} FROM actor_day_stats"))


def test_actor_month_frame_totals_equals_the_raw_rows(conn):
    raw = conn.execute(
        """
        WITH ms AS (
          SELECT DISTINCT m.actor_id, m.sentence_id, coalesce(substr(a.published, 1, 7), '') AS month
          FROM mentions m JOIN articles a ON a.id = m.article_id
        )
        SELECT ms.actor_id, ms.month, f.frame, count(*) FROM ms JOIN frames f ON f.sentence_id = ms.sentence_id
        GROUP BY 1, 2, 3
        """
    ).fetchall()
    table = conn.execute("SELECT actor_id, month, frame, sentences FROM actor_month_frame_totals").fetchall()
    assert len(table) > 20 and sorted(table) == sorted(raw)


def test_actor_month_cue_classes_equals_the_raw_rows(conn):
    raw = conn.execute(
        f"""
        SELECT q.speaker_id, coalesce(substr(a.published, 1, 7), ''), coalesce(q.cue_class, 'none'), count(*)
        FROM quotes q JOIN articles a ON a.id = q.article_id
        WHERE q.speaker_id IS NOT NULL AND {is_statement("q")}
        GROUP BY 1, 2, 3
        """
    ).fetchall()
    table = conn.execute("SELECT actor_id, month, cue_class, quotes FROM actor_month_cue_classes").fetchall()
    assert len(table) > 5 and sorted(table) == sorted(raw)
