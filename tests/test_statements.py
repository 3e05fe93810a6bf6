"""Statements: a partial quote inside reported speech is one attribution, not two.

The quotes table stores such a fragment twice on purpose (as ``partial`` and
inside its ``indirect`` clause).  Every count of quotes (summaries, canned
queries, pages) counts statements, so these tests fail if any of them counts rows.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import pytest_asyncio
from datasette.app import Datasette

from datasette_framing import canned_queries, summaries
from datasette_framing.pipeline import write
from datasette_framing.statements import is_statement

# (id, kind, speaker, start, end, cue_lemma, cue_class)
QUOTES = [
    ("x1:q:0", "indirect", "blinken", 0, 100, "warn", "warning"),
    ("x1:q:1", "partial", "blinken", 20, 40, "warn", "warning"),  # inside q0: not a statement
    ("x1:q:2", "partial", "blinken", 60, 102, "warn", "warning"),  # inside q0 but its closing "?": not one
    ("x1:q:3", "partial", "blinken", 150, 170, "say", "neutral"),  # on its own: a statement
    ("x1:q:4", "direct", "blinken", 200, 250, "say", "neutral"),
    ("x1:q:5", "partial", "lavrov", 30, 50, "say", "neutral"),  # inside Blinken's clause, other speaker
]
STATEMENT_IDS = {"x1:q:0", "x1:q:3", "x1:q:4", "x1:q:5"}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("statements") / "statements.db"
    conn = write.connect(path)
    write.ensure_schema(conn)
    conn.execute("BEGIN")
    for key, name in (("blinken", "Antony Blinken"), ("lavrov", "Sergey Lavrov")):
        conn.execute("INSERT INTO actors (id, name, kind) VALUES (?, ?, 'person')", (key, name))
    conn.execute(
        "INSERT INTO articles (id, source, outlet, published, title, text, sentence_count, word_count) "
        "VALUES ('x1', 'x1.txt', 'Wire', '2022-01-20', 'Talks', ?, 1, 60)",
        ("word " * 60,),
    )
    conn.execute("INSERT INTO sentences (id, article_id, idx, start, end, compound) VALUES ('x1:0', 'x1', 0, 0, 300, 0.0)")
    for k, actor in enumerate(("blinken", "blinken", "lavrov")):
        conn.execute(
            "INSERT INTO mentions (id, article_id, sentence_id, actor_id, start, end, role, prominence, sentiment, polarity) "
            "VALUES (?, 'x1', 'x1:0', ?, ?, ?, 'speaker', 'body', 0.0, 0)",
            (f"x1:m:{k}", actor, 280 + k, 281 + k),
        )
    for qid, kind, speaker, start, end, lemma, cls in QUOTES:
        conn.execute(
            "INSERT INTO quotes (id, article_id, sentence_id, start, end, text, kind, speaker_id, cue, cue_lemma, cue_class) "
            "VALUES (?, 'x1', 'x1:0', ?, ?, 'words', ?, ?, ?, ?, ?)",
            (qid, start, end, kind, speaker, lemma, lemma, cls),
        )
    conn.execute("COMMIT")
    summaries.rebuild(conn)
    conn.close()
    return path


def rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def test_the_condition_picks_the_statements(db_path):
    got = {r["id"] for r in rows(db_path, f"SELECT id FROM quotes q WHERE {is_statement('q')}")}
    assert got == STATEMENT_IDS


def test_summaries_count_statements(db_path):
    stats = {r["actor_id"]: r for r in rows(db_path, "SELECT * FROM actor_outlet_stats")}
    assert stats["blinken"]["quotes"] == 3  # 5 rows
    assert stats["blinken"]["voice_share"] == pytest.approx(1.5)  # 3 statements / 2 mentions
    assert stats["lavrov"]["quotes"] == 1
    assert json.loads(stats["blinken"]["top_cue_classes"]) == {"neutral": 2, "warning": 1}
    per_article = {r["actor_id"]: r["quotes"] for r in rows(db_path, "SELECT * FROM actor_article_stats")}
    assert per_article == {"blinken": 3, "lavrov": 1}
    cues = {r["cue_class"]: r for r in rows(db_path, "SELECT * FROM actor_cues WHERE actor_id = 'blinken'")}
    assert cues["warning"]["quotes"] == 1 and cues["neutral"]["quotes"] == 2
    assert cues["warning"]["share"] == pytest.approx(1 / 3, abs=1e-4)
    outlet = rows(db_path, "SELECT * FROM outlet_stats")[0]
    assert outlet["quotes"] == 4 and outlet["attributed_quotes"] == 4
    assert json.loads(outlet["top_quoted"])[0] == {"actor_id": "blinken", "name": "Antony Blinken", "quotes": 3}


def _canned(db_path, name, **params):
    sql = canned_queries.queries()[name]["sql"]
    values = {p: "" for p in canned_queries.queries()[name]["params"]}
    values.update(params)
    return rows(db_path, sql, values)


def test_canned_queries_count_statements(db_path):
    who = {r["speaker_id"]: r for r in _canned(db_path, "who_gets_quoted")}
    b = who["blinken"]
    assert (b["quotes"], b["direct"], b["indirect"], b["partial"], b["partial_inside"]) == (3, 1, 1, 1, 2)
    assert b["share_pct"] == 75.0 and who["lavrov"]["share_pct"] == 25.0
    cues = {r["cue_lemma"]: r["quotes"] for r in _canned(db_path, "cue_verbs_for_actor", actor="blinken")}
    assert cues == {"say": 2, "warn": 1}
    listed = _canned(db_path, "quotes_by_speaker", actor="blinken")
    assert len(listed) == 5  # every kind is listed ...
    assert {r["quote_id"] for r in listed if r["is_statement"]} == STATEMENT_IDS - {"x1:q:5"}  # ... and marked


@pytest_asyncio.fixture
async def ds(db_path):
    ds = Datasette([str(db_path)])
    await ds.invoke_startup()
    return ds


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["", "?since=2022-01-01"])  # summary tables, then the raw rows
async def test_dashboard_counts_statements(ds, query):
    data = (await ds.client.get(f"/statements/-/framing.json{query}")).json()
    actors = {a["actor_id"]: a for a in data["actors"]}
    assert actors["blinken"]["quotes"] == 3
    assert actors["blinken"]["voice_share"] == pytest.approx(1.5)
    assert {c["name"]: c["n"] for c in actors["blinken"]["cue_classes"]} == {"neutral": 2, "warning": 1}
    outlet = data["outlets"][0]
    assert outlet["quotes"] == 4
    assert {s["actor_id"]: s["quotes"] for s in outlet["top_speakers"]} == {"blinken": 3, "lavrov": 1}


@pytest.mark.asyncio
async def test_quote_drill_down_lists_what_its_number_counts(ds):
    data = (await ds.client.get("/statements/-/framing/sentences.json?speaker=blinken")).json()
    assert data["total"] == 3 and {r["quote_id"] for r in data["rows"]} == {"x1:q:0", "x1:q:3", "x1:q:4"}
    partial = (await ds.client.get("/statements/-/framing/sentences.json?speaker=blinken&kind=partial")).json()
    assert partial["total"] == 3  # a chosen kind lists every quote of that kind


@pytest.mark.asyncio
async def test_article_reader_counts_statements_but_marks_every_quote(ds):
    data = (await ds.client.get("/statements/-/framing/articles/x1.json")).json()
    assert len(data["quotes"]) == len(QUOTES)
    assert {a["actor_id"]: a["quotes"] for a in data["actors"]} == {"blinken": 3, "lavrov": 1}


def test_seed_blinken_warning_is_one_statement(seeded_db_path):
    # 'Blinken said any “new acts of aggression” ... would be met with a “swift, severe,
    # united response”': one indirect quote holding two partial ones, one statement.
    conn = sqlite3.connect(seeded_db_path)
    try:
        (start, end, speaker), = conn.execute(
            "SELECT start, end, speaker_id FROM quotes WHERE kind = 'indirect' AND text LIKE '%new acts of aggression%'"
        ).fetchall()
        article = "(SELECT article_id FROM quotes WHERE kind = 'indirect' AND text LIKE '%new acts of aggression%')"
        inside = f"q.article_id = {article} AND q.speaker_id = ? AND q.start >= ? AND q.end <= ?"
        n_rows, n_statements = conn.execute(
            f"SELECT count(*), total({is_statement('q')}) FROM quotes q WHERE {inside}", (speaker, start, end)
        ).fetchone()
    finally:
        conn.close()
    assert speaker == "antony-blinken"
    assert n_rows == 3 and n_statements == 1
