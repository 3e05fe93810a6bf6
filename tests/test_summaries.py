"""Summary tables: built from the data tables, right numbers, consistent on scoped rebuilds, indexed."""

from __future__ import annotations

import json
import sqlite3

import pytest

from datasette_framing import schema, stats, summaries
from datasette_framing.pipeline import write


def _db(tmp_path) -> sqlite3.Connection:
    conn = write.connect(tmp_path / "s.db")
    write.ensure_schema(conn)
    return conn


def _article(conn, aid, outlet, published, n_sentences, frames_by_sentence=None, hedges=0):
    conn.execute(
        "INSERT INTO articles (id, source, outlet, published, text, sentence_count, word_count, "
        "flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog_index) VALUES (?, ?, ?, ?, '', ?, ?, 50, 10, 12, 11)",
        (aid, aid, outlet, published, n_sentences, n_sentences * 20),
    )
    for i in range(n_sentences):
        conn.execute(
            "INSERT INTO sentences (id, article_id, idx, start, end, compound, hedge_count, booster_count, loaded_count) "
            "VALUES (?, ?, ?, 0, 1, ?, ?, 0, 1)",
            (f"{aid}:{i}", aid, i, 0.1 * (i % 3), hedges),
        )
    for i, frames in (frames_by_sentence or {}).items():
        for frame, terms in frames.items():
            conn.execute(
                "INSERT INTO frames (sentence_id, article_id, frame, terms, term_count) VALUES (?, ?, ?, ?, ?)",
                (f"{aid}:{i}", aid, frame, json.dumps(terms), len(terms)),
            )


def _mention(conn, aid, k, actor, sentence, sentiment, role="other", prominence="body", descriptors=()):
    pol = None if sentiment is None else (-1 if sentiment < -0.05 else 1 if sentiment > 0.05 else 0)
    conn.execute(
        "INSERT INTO mentions (id, article_id, sentence_id, actor_id, start, end, role, prominence, descriptors, sentiment, polarity) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (f"{aid}:m:{k}", aid, f"{aid}:{sentence}", actor, k, k + 1, role, prominence, json.dumps(list(descriptors)), sentiment, pol),
    )


def _quote(conn, aid, k, speaker, cue_class, lemma="say"):
    conn.execute(
        "INSERT INTO quotes (id, article_id, sentence_id, start, end, kind, speaker_id, cue_lemma, cue_class) "
        "VALUES (?, ?, ?, 0, 1, 'direct', ?, ?, ?)",
        (f"{aid}:q:{k}", aid, f"{aid}:0", speaker, lemma, cue_class),
    )


@pytest.fixture
def conn(tmp_path):
    c = _db(tmp_path)
    c.execute("BEGIN")
    for key, kind in (("russia", "country"), ("biden", "person"), ("nato", "organisation")):
        c.execute("INSERT INTO actors (id, name, kind) VALUES (?, ?, ?)", (key, key.title(), kind))
    # Outlet A: two articles; Russia negative and called 'regime'; Biden quoted
    _article(c, "a1", "A", "2022-01-01", 4, {0: {"conflict": ["war", "clash"]}, 1: {"conflict": ["war"], "security": ["troops"]}}, hedges=1)
    _article(c, "a2", "A", "2022-01-05", 2, {0: {"economic": ["sanctions"]}})
    for k, v in enumerate([-0.6, -0.4, -0.5, 0.0]):
        _mention(c, "a1", k, "russia", k % 4, v, role="agent" if k < 2 else "patient", descriptors=("regime",) if k < 3 else ("aggression",))
    _mention(c, "a1", 10, "biden", 0, 0.3, role="speaker", prominence="headline", descriptors=("president",))
    _mention(c, "a2", 0, "russia", 0, None, descriptors=("regime",))
    _quote(c, "a1", 0, "biden", "neutral")
    _quote(c, "a1", 1, "biden", "warning", "warn")
    _quote(c, "a2", 0, "biden", "warning", "warn")
    # Outlet B: one article; Russia neutral-ish and called 'government'
    _article(c, "b1", "B", "2022-02-01", 3, {2: {"diplomacy": ["talks"]}})
    for k, v in enumerate([0.1, 0.0, -0.1]):
        _mention(c, "b1", k, "russia", k, v, descriptors=("government",))
    _mention(c, "b1", 5, "nato", 1, 0.5, descriptors=("military alliance",))
    c.execute("COMMIT")
    summaries.rebuild(c)
    return c


def one(conn, sql, *params):
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.row_factory = None


def test_actor_outlet_stats_numbers(conn):
    r = one(conn, "SELECT * FROM actor_outlet_stats WHERE actor_id = 'russia' AND outlet = 'A'")
    assert r["mentions"] == 5 and r["articles"] == 2 and r["scored"] == 4
    values = [-0.6, -0.4, -0.5, 0.0]
    ci = stats.mean_ci(values)
    assert r["mean_sentiment"] == pytest.approx(ci.mean)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.ci_low, ci.ci_high))
    assert (r["neg"], r["neu"], r["pos"]) == (3, 1, 0)
    assert r["neg_share"] == 0.75
    assert (r["agent"], r["patient"]) == (2, 2) and r["agent_share"] == 0.4
    assert r["too_few"] == 1
    assert json.loads(r["top_labels"]) == {"regime": 4, "aggression": 1}  # a2 adds one regime
    # Russia is in sentences 0..3 of a1 (conflict on 0 and 1, security on 1) and 0 of a2 (economic)
    assert json.loads(r["top_frames"]) == {"conflict": 2, "economic": 1, "security": 1}
    assert list(json.loads(r["top_frames"])) == ["conflict", "economic", "security"]  # most frequent first
    biden = one(conn, "SELECT * FROM actor_outlet_stats WHERE actor_id = 'biden' AND outlet = 'A'")
    assert biden["quotes"] == 3 and biden["voice_share"] == 3.0 and biden["headline"] == 1
    assert json.loads(biden["top_cue_classes"]) == {"warning": 2, "neutral": 1}
    assert biden["ci_low"] is None  # one mention: no interval


def test_actor_article_and_cues(conn):
    r = one(conn, "SELECT * FROM actor_article_stats WHERE actor_id = 'russia' AND article_id = 'a2'")
    assert r["mentions"] == 1 and r["scored"] == 0 and r["mean_sentiment"] is None and r["outlet"] == "A"
    cue = one(conn, "SELECT * FROM actor_cues WHERE actor_id = 'biden' AND outlet = 'A' AND cue_class = 'warning'")
    assert cue["quotes"] == 2 and cue["share"] == pytest.approx(2 / 3, abs=1e-4)
    assert json.loads(cue["top_cues"]) == {"warn": 2}


def test_frames_summaries(conn):
    r = one(conn, "SELECT * FROM article_frames WHERE article_id = 'a1' AND frame = 'conflict'")
    assert r["sentences"] == 2 and r["terms"] == 3 and r["share"] == 0.5
    assert json.loads(r["top_terms"]) == {"war": 2, "clash": 1}
    o = one(conn, "SELECT * FROM outlet_frames WHERE outlet = 'A' AND frame = 'conflict'")
    assert o["articles"] == 1 and o["sentences"] == 2 and o["share"] == pytest.approx(2 / 6, abs=1e-4)


def test_outlet_stats(conn):
    r = one(conn, "SELECT * FROM outlet_stats WHERE outlet = 'A'")
    assert r["articles"] == 2 and r["sentences"] == 6 and r["mentions"] == 6 and r["quotes"] == 3
    assert r["mean_flesch_reading_ease"] == 50
    assert r["hedges_per_100_sentences"] == pytest.approx(400 / 6, abs=0.01)
    assert json.loads(r["top_quoted"]) == [{"actor_id": "biden", "name": "Biden", "quotes": 3}]
    assert r["compound_ci_low"] <= r["mean_compound"] <= r["compound_ci_high"]


def test_labels_and_log_odds(conn):
    assert conn.execute("SELECT count(*) FROM labels").fetchone()[0] == 10
    rows = {
        (o, label): z
        for o, label, z in conn.execute("SELECT outlet, label, z FROM label_log_odds WHERE actor_id = 'russia'")
    }
    assert rows[("A", "regime")] > rows[("A", "aggression")] > 0
    assert rows[("B", "government")] > 0
    # NATO appears in one outlet only: nothing to compare with
    assert conn.execute("SELECT count(*) FROM label_log_odds WHERE actor_id = 'nato'").fetchone()[0] == 0


def test_actor_label_z_is_the_largest_z_of_each_actor(conn):
    expected = conn.execute("SELECT actor_id, max(abs(z)) FROM label_log_odds GROUP BY actor_id ORDER BY 1").fetchall()
    assert expected and conn.execute("SELECT actor_id, max_abs_z FROM actor_label_z ORDER BY 1").fetchall() == expected


def test_live_log_odds_sql_equals_the_table(conn):
    live = conn.execute(summaries.LABEL_LOG_ODDS_SQL, {"actor": "russia", "start": "2000-01-01", "end": "2100-01-01"}).fetchall()
    table = {(o, label): z for o, label, z in conn.execute("SELECT outlet, label, z FROM label_log_odds WHERE actor_id = 'russia'")}
    assert live
    assert {(o, label) for o, label, _u, _z in live} == set(table)
    for o, label, _u, z in live:
        assert z == pytest.approx(table[(o, label)], abs=1e-6)
    # a date range that leaves out outlet B leaves nothing to compare with
    assert conn.execute(summaries.LABEL_LOG_ODDS_SQL, {"actor": "russia", "start": "2022-01-01", "end": "2022-01-31"}).fetchall() == []


def test_scoped_rebuild_equals_full_rebuild(conn, tmp_path):
    # change outlet B's data, rebuild only B, compare with a full rebuild
    conn.execute("BEGIN")
    _mention(conn, "b1", 9, "russia", 0, -0.9, descriptors=("regime",))
    _article(conn, "c1", "C", "2022-03-01", 2, {1: {"morality": ["evil"]}})  # a new outlet
    _mention(conn, "c1", 0, "russia", 1, -0.2, descriptors=("regime",))
    _quote(conn, "c1", 0, "russia", "distancing", "claim")
    conn.execute("COMMIT")
    summaries.rebuild(conn, article_ids=["b1", "c1"])
    scoped = {t.name: sorted(map(repr, conn.execute(f"SELECT * FROM [{t.name}]"))) for t in schema.SUMMARY_TABLES}
    summaries.rebuild(conn)
    full = {t.name: sorted(map(repr, conn.execute(f"SELECT * FROM [{t.name}]"))) for t in schema.SUMMARY_TABLES}
    assert scoped == full
    r = one(conn, "SELECT mentions FROM actor_outlet_stats WHERE actor_id = 'russia' AND outlet = 'B'")
    assert r["mentions"] == 4


def test_scoped_rebuild_of_a_database_from_before_the_day_stats_fills_every_outlet(conn):
    """A database loaded before actor_outlet_day_stats existed has it empty (the loader
    creates it); a load touching one outlet must fill it for every outlet, or the pages'
    date ranges would miss the others."""
    full = {t.name: sorted(map(repr, conn.execute(f"SELECT * FROM [{t.name}]"))) for t in schema.SUMMARY_TABLES}
    conn.execute("DELETE FROM actor_outlet_day_stats")
    conn.commit()
    summaries.rebuild(conn, article_ids=["b1"])
    assert {t.name: sorted(map(repr, conn.execute(f"SELECT * FROM [{t.name}]"))) for t in schema.SUMMARY_TABLES} == full
    assert {r[0] for r in conn.execute("SELECT DISTINCT outlet FROM actor_outlet_day_stats")} == {"A", "B"}


@pytest.mark.parametrize(
    "day_table,month_table,keys,values",
    [
        ("actor_outlet_day_cues", "actor_month_cues", "actor_id, outlet, cue_class, cue", "quotes, articles"),
        ("actor_outlet_day_labels", "actor_month_labels", "actor_id, outlet, label", "mentions, articles"),
        ("actor_outlet_day_frames", "actor_month_frames", "actor_id, outlet, frame", "sentences, terms"),
        ("outlet_speaker_days", "outlet_speaker_months", "outlet, speaker_id",
         "statements, direct, partial, indirect, partial_inside, articles"),
    ],
)
def test_day_tables_add_up_to_the_months_and_the_quotes(conn, day_table, month_table, keys, values):
    sums = ", ".join(f"sum({v})" for v in values.split(", "))
    days = conn.execute(
        f"SELECT {keys}, substr(day, 1, 7), {sums} FROM {day_table} GROUP BY {keys}, substr(day, 1, 7) ORDER BY 1, 2, 3, 4"
    ).fetchall()
    months = conn.execute(f"SELECT {keys}, month, {sums} FROM {month_table} GROUP BY {keys}, month ORDER BY 1, 2, 3, 4").fetchall()
    assert days and days == months
    # the days tell the articles apart: a1 (Jan 1) and a2 (Jan 5) are one month, two days
    if day_table == "actor_outlet_day_cues":
        rows = conn.execute("SELECT day, cue, quotes, articles FROM actor_outlet_day_cues WHERE actor_id = 'biden' ORDER BY 1, 2").fetchall()
        assert rows == [("2022-01-01", "say", 1, 1), ("2022-01-01", "warn", 1, 1), ("2022-01-05", "warn", 1, 1)]
    if day_table == "outlet_speaker_days":
        assert conn.execute("SELECT * FROM outlet_speakers ORDER BY 1, 2").fetchall() == conn.execute(
            f"SELECT outlet, speaker_id, {sums} FROM outlet_speaker_days GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()


def test_deleted_article_leaves_no_summary_rows(conn):
    conn.execute("BEGIN")
    write.delete_article(conn, "a2")
    conn.execute("COMMIT")
    summaries.rebuild(conn, outlets=["A"])
    assert conn.execute("SELECT count(*) FROM actor_article_stats WHERE article_id = 'a2'").fetchone()[0] == 0
    r = one(conn, "SELECT mentions, articles FROM actor_outlet_stats WHERE actor_id = 'russia' AND outlet = 'A'")
    assert (r["mentions"], r["articles"]) == (4, 1)


def test_rebuild_is_atomic(conn, monkeypatch):
    before = conn.execute("SELECT count(*) FROM actor_outlet_stats").fetchone()[0]

    def broken(scoped):
        return "INSERT INTO outlet_stats (outlet) SELECT no_such_column FROM articles"

    monkeypatch.setattr(summaries, "BUILDERS", summaries.BUILDERS[:-1] + (("outlet_stats", broken),))
    with pytest.raises(sqlite3.OperationalError):
        summaries.rebuild(conn)
    assert conn.execute("SELECT count(*) FROM actor_outlet_stats").fetchone()[0] == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM actor_outlet_stats WHERE actor_id = 'russia' ORDER BY outlet",
        "SELECT * FROM actor_outlet_stats WHERE outlet = 'A' ORDER BY actor_id",
        "SELECT actor_id, sum(mentions) FROM actor_article_stats WHERE actor_id = 'russia' AND outlet = 'A' AND published >= '2022-01-01' GROUP BY actor_id",
        "SELECT label, z FROM label_log_odds WHERE actor_id = 'russia' AND outlet = 'A' ORDER BY z DESC",
        "SELECT label, count(*) FROM labels WHERE actor_id = 'russia' AND outlet = 'A' GROUP BY label",
        "SELECT * FROM article_frames WHERE article_id = 'a1'",
        "SELECT frame, sentences FROM outlet_frames WHERE outlet = 'A'",
        # the monthly tables, read by actor over a date range and by month for every actor
        "SELECT outlet, label, sum(mentions) FROM actor_month_labels WHERE actor_id = 'russia' AND month BETWEEN '2022-01' AND '2022-03' GROUP BY 1, 2",
        "SELECT frame, sum(sentences) FROM actor_month_frames WHERE actor_id = 'russia' AND month >= '2022-02' GROUP BY 1",
        "SELECT cue, sum(quotes) FROM actor_month_cues WHERE actor_id = 'russia' AND month >= '2022-02' GROUP BY 1",
        "SELECT actor_id, sum(mentions) FROM actor_month_stats WHERE month BETWEEN '2022-01' AND '2022-02' GROUP BY 1",
        "SELECT outlet, sum(mentions) FROM actor_outlet_month_stats WHERE actor_id = 'russia' AND month >= '2022-02' GROUP BY 1",
        "SELECT actor_id, outlet, quotes FROM actor_outlet_month_stats WHERE month >= '2022-02' AND quotes > 0",
        "SELECT * FROM article_stats WHERE published >= '2022-02-01'",
        "SELECT actor_id, mentions FROM actor_stats ORDER BY mentions DESC LIMIT 25",
        # the days at the ends of a date range in the canned queries
        "SELECT outlet, cue, quotes FROM actor_outlet_day_cues WHERE actor_id = 'russia' AND day BETWEEN '2022-01-01' AND '2022-01-04'",
        "SELECT outlet, label, mentions FROM actor_outlet_day_labels WHERE actor_id = 'russia' AND day >= '2022-02-01'",
        "SELECT outlet, frame, sentences FROM actor_outlet_day_frames WHERE actor_id = 'russia' AND day >= '2022-02-01'",
        "SELECT outlet, speaker_id, statements FROM outlet_speaker_days WHERE day BETWEEN '2022-01-01' AND '2022-01-04'",
        "SELECT outlet, speaker_id, direct FROM outlet_speaker_months WHERE month BETWEEN '2022-01' AND '2022-02'",
        "SELECT outlet, sum(mentions) FROM actor_outlet_day_stats WHERE actor_id = 'russia' AND day BETWEEN '2022-01-01' AND '2022-01-04' GROUP BY 1",
        "SELECT frame, sum(sentences) FROM actor_month_frame_totals WHERE actor_id = 'russia' AND month >= '2022-02' GROUP BY 1",
        "SELECT cue_class, sum(quotes) FROM actor_month_cue_classes WHERE actor_id = 'biden' AND month >= '2022-02' GROUP BY 1",
    ],
)
def test_page_queries_use_an_index(conn, sql):
    plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert "USING" in plan and "INDEX" in plan, plan
    assert "SCAN actor_outlet_stats" not in plan and "SCAN label_log_odds" not in plan, plan


@pytest.mark.parametrize("since, until", [("2022-01-01", "2022-02-28"), ("2022-01-03", "2022-02-20")])
def test_dashboard_ranking_over_dates_reads_covering_indexes(conn, since, until):
    """The dashboard ranks every actor over a range on two sums (page_queries.actor_summary_page):
    the month and day tables' indexes hold those columns, so no row is looked up per entry."""
    from datasette_framing import periods, rollups

    src = rollups.core((), since, until, None, per_outlet=False, only=("mentions", "quotes"))
    sql = f"WITH {src.sql} SELECT actor_id, sum(sign * mentions), sum(sign * quotes) FROM s GROUP BY actor_id"
    plan = [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, src.params)]
    tables = {"month": "actor_month_stats", "day": "actor_day_stats"}
    grains = {p.grain for p in periods.plan(since, until)}
    for grain in grains:
        reads = [p for p in plan if f" st USING" in p and tables[grain] in p]
        assert reads and all("COVERING INDEX" in p for p in reads), plan
    # and the sums are those of the raw mentions and quotes in the range
    got = dict((a, (m, q)) for a, m, q in conn.execute(sql, src.params))
    mentions = dict(conn.execute(
        "SELECT m.actor_id, count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE a.published >= ? AND a.published <= ? || 'z' GROUP BY 1", (since, until)))
    quotes = dict(conn.execute(
        "SELECT q.speaker_id, count(*) FROM quotes q JOIN articles a ON a.id = q.article_id "
        "WHERE a.published >= ? AND a.published <= ? || 'z' GROUP BY 1", (since, until)))
    for actor, (m, q) in got.items():
        assert (m, q) == (mentions.get(actor, 0), quotes.get(actor, 0)), actor
    assert {a for a, (m, q) in got.items() if m or q} == set(mentions) | set(quotes)
