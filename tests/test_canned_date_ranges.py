"""The dated canned queries give what the raw rows give, for every way of writing a range.

They read whole months from the monthly summaries and the days at either end of the range from
the daily or per-article ones, so each must pick exactly the days its date conditions name
(``published >= :date_from and published <= :date_to || 'z'``).  The seeds cover a few days;
this database has an article on every day around the edges of the ranges of
``test_canned_edge_days.RANGES`` (blank, year, month, reversed, leap day, 2022-02-30, date-times
...), so a query that drops or doubles one edge day gets a different count.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from datasette_framing import canned_queries, sql_functions
from datasette_framing.statements import is_statement
from framing_samples import add_actor, add_article, create, finish
from test_canned_edge_days import RANGES

QUERIES = {q.name: q for q in canned_queries.QUERIES}
WHERE = "(? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')"
SPEAKERS = ("russia", "joe-biden", None)
KINDS = ("direct", "indirect", "partial")


def _spans() -> list[date]:
    """Every day around the ranges' edges, plus a day far before and after them."""
    spans = [(date(2022, 2, 20), date(2022, 7, 10)), (date(2022, 12, 25), date(2023, 1, 7)),
             (date(2024, 2, 20), date(2024, 3, 3))]
    days = [date(2021, 6, 15), date(2023, 6, 15)]
    for lo, hi in spans:
        days += [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    return sorted(days)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("every_day") / "framing.db"
    db = create(path)
    db.execute("BEGIN")
    add_actor(db, "russia", "Russia", "country", ["Kremlin"])
    add_actor(db, "joe-biden", "Joe Biden", "person", ["Biden"])
    for i, day in enumerate(_spans()):
        speaker = SPEAKERS[i % 3]
        kind = KINDS[i % 2] if speaker is None else KINDS[(i // 3) % 3]
        add_article(
            db, f"a{i}", title=f"Article {i}", outlet=("Daily Planet", "The Bugle")[i % 2], published=str(day),
            sentences=["Russia moved troops to the border.", "A speaker said: the talks go on."],
            mentions=[dict(sentence=0, actor_id="russia", surface="Russia", role=("agent", "patient")[i % 2],
                           prominence="first_paragraph", descriptors=[("aggressive", "nuclear", "big")[i % 3]],
                           sentiment=(i % 5 - 2) / 4, polarity=(i % 5 > 2) - (i % 5 < 2), evidence=["moved"])],
            quotes=[dict(sentence=1, text="the talks go on", kind=kind, speaker_id=speaker, speaker_text="A speaker",
                         cue=("said", "claimed")[i % 2], cue_lemma=("say", "claim")[i % 2],
                         cue_class=("neutral", "distancing")[i % 2], resolution="named")],
            frames=[dict(sentence=0, frame=("conflict", "security")[i % 2], terms=["troops"])],
        )
    db.execute("COMMIT")
    finish(db)
    db.close()
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    c.row_factory = sqlite3.Row
    sql_functions.register(c)
    yield c
    c.close()


def run(conn, name, **params):
    query = QUERIES[name]
    return [dict(r) for r in conn.execute(query.sql, {**{p: "" for p in query.params}, **params}).fetchall()]


def raw(conn, sql, date_from, date_to):
    return conn.execute(sql.format(where=WHERE), (date_from, date_from, date_to, date_to)).fetchall()


def test_the_database_has_the_edge_days():
    days = set(map(str, _spans()))
    assert {"2022-03-01", "2022-03-05", "2022-03-06", "2022-03-31", "2022-06-20", "2022-06-30", "2022-07-01",
            "2022-12-31", "2023-01-01", "2024-02-29"} <= days


@pytest.mark.parametrize("date_from,date_to", RANGES)
def test_who_gets_quoted_is_what_the_quotes_give(conn, date_from, date_to):
    expected = {
        (r[0], r[1]): tuple(r[2:])
        for r in raw(
            conn,
            f"with q as (select a.outlet, q.speaker_id, q.kind, q.article_id, {is_statement('q')} as st "
            "from quotes q join articles a on a.id = q.article_id where {where}) "
            "select outlet, speaker_id, sum(st), sum(kind = 'direct'), sum(kind = 'partial' and st), "
            "sum(kind = 'indirect'), sum(not st), count(distinct case when st then article_id end) from q group by 1, 2",
            date_from, date_to,
        )
    }
    rows = run(conn, "who_gets_quoted", date_from=date_from, date_to=date_to, top="100000")
    got = {
        (r["outlet"], r["speaker_id"]): (r["quotes"], r["direct"], r["partial"], r["indirect"], r["partial_inside"], r["articles"])
        for r in rows
    }
    assert got == expected
    for r in rows:
        total = sum(v[0] for k, v in expected.items() if k[0] == r["outlet"])
        assert r["share_pct"] == (round(100.0 * r["quotes"] / total, 1) if total else None)
    if (date_from, date_to) == ("2022-03-05", "2022-06-20"):
        assert sum(v[0] for v in expected.values()) == 27 + 30 + 31 + 20


@pytest.mark.parametrize("actor", ["", "russia"])
@pytest.mark.parametrize("date_from,date_to", RANGES)
def test_sentiment_and_roles_are_what_the_mentions_give(conn, date_from, date_to, actor):
    mentions = {
        (r[0], r[1]): tuple(r[2:])
        for r in raw(
            conn,
            "select m.actor_id, a.outlet, count(*), count(m.sentiment), sum(m.polarity = 1), sum(m.polarity = 0), "
            "sum(m.polarity = -1), sum(m.role = 'agent'), sum(m.role = 'patient') "
            "from mentions m join articles a on a.id = m.article_id where {where} group by 1, 2",
            date_from, date_to,
        )
    }
    quotes = {
        (r[0], r[1]): r[2]
        for r in raw(
            conn,
            f"select q.speaker_id, a.outlet, count(*) from quotes q join articles a on a.id = q.article_id "
            f"where q.speaker_id is not null and {is_statement('q')} and {{where}} group by 1, 2",
            date_from, date_to,
        )
    }
    keys = {k for k in {*mentions, *quotes} if not actor or k[0] == actor}
    expected = {k: (*mentions.get(k, (0,) * 7), quotes.get(k, 0)) for k in keys}
    got = {
        (r["actor_id"], r["outlet"]): (r["mentions"], r["scored"], r["positive"], r["neutral"], r["negative"],
                                       r["agent"], r["patient"], r["quotes"])
        for r in run(conn, "sentiment_by_outlet", actor=actor, date_from=date_from, date_to=date_to)
    }
    assert got == expected
    roles = {(r["actor_id"], r["outlet"]): (r["mentions"], r["agent"], r["patient"], r["quotes"])
             for r in run(conn, "roles_by_outlet", actor=actor, date_from=date_from, date_to=date_to)}
    assert roles == {k: (e[0], e[5], e[6], e[7]) for k, e in expected.items()}


@pytest.mark.parametrize("actor", ["", "russia", "joe-biden"])
@pytest.mark.parametrize("date_from,date_to", RANGES)
def test_cue_verbs_and_labels_are_what_the_rows_give(conn, date_from, date_to, actor):
    cues = {
        (r[0], r[1], r[2], r[3]): (r[4], r[5])
        for r in raw(
            conn,
            f"select q.speaker_id, a.outlet, coalesce(q.cue_lemma, q.cue), coalesce(q.cue_class, 'none'), count(*), "
            f"count(distinct q.article_id) from quotes q join articles a on a.id = q.article_id "
            f"where q.speaker_id is not null and coalesce(q.cue_lemma, q.cue) is not null and {is_statement('q')} "
            f"and {{where}} group by 1, 2, 3, 4",
            date_from, date_to,
        )
        if not actor or r[0] == actor
    }
    got = {(r["actor_id"], r["outlet"], r["cue_lemma"], r["cue_class"]): (r["quotes"], r["articles"])
           for r in run(conn, "cue_verbs_for_actor", actor=actor, date_from=date_from, date_to=date_to, top="100000")}
    assert got == cues
    labels = {
        (r[0], r[1], r[2]): (r[3], r[4])
        for r in raw(
            conn,
            "select l.actor_id, l.outlet, l.label, count(*), count(distinct l.article_id) from labels l "
            "join articles a on a.id = l.article_id where {where} group by 1, 2, 3",
            date_from, date_to,
        )
        if not actor or r[0] == actor
    }
    got = {(r["actor_id"], r["outlet"], r["label"]): (r["mentions"], r["articles"])
           for r in run(conn, "labels_for_actor", actor=actor, date_from=date_from, date_to=date_to, top="100000")}
    assert got == labels


@pytest.mark.parametrize("actor", ["", "russia"])
@pytest.mark.parametrize("date_from,date_to", RANGES)
def test_frame_mix_is_what_the_frames_give(conn, date_from, date_to, actor):
    mentioned = "and exists (select 1 from mentions m where m.sentence_id = f.sentence_id and m.actor_id = ?)"
    expected = {
        (r[0], r[1]): (r[2], r[3])
        for r in conn.execute(
            f"select a.outlet, f.frame, count(distinct f.sentence_id), sum(f.term_count) from frames f "
            f"join articles a on a.id = f.article_id where {WHERE} {mentioned if actor else ''} group by 1, 2",
            (date_from, date_from, date_to, date_to, *([actor] if actor else [])),
        )
    }
    got = {(r["outlet"], r["frame"]): (r["sentences"], r["terms"])
           for r in run(conn, "frame_mix_by_outlet", actor=actor, date_from=date_from, date_to=date_to)}
    assert got == expected
