"""Every canned query: reads only schema.py, runs on the seeds, computes the right numbers.

Served two ways, both tested: from ``metadata.yml`` (as shipped) and from the
``canned_queries`` hook for a framing database served without it.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from datasette.app import Datasette

from datasette_framing import canned_queries, schema, sql_functions
from datasette_framing.statements import is_statement
from framing_samples import build_sample_db

QUERIES = {q.name: q for q in canned_queries.QUERIES}
NAMES = list(QUERIES)


def all_empty(query):
    return {p: "" for p in query.params}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return build_sample_db(tmp_path_factory.mktemp("sample") / "framing.db")


@pytest.fixture
def sample(sample_db):
    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    sql_functions.register(conn)
    yield conn
    conn.close()


def run(conn, name, **params):
    query = QUERIES[name]
    return [dict(r) for r in conn.execute(query.sql, {**all_empty(query), **params}).fetchall()]


# ------------------------------------------------------------- schema only


@pytest.mark.parametrize("name", NAMES)
def test_query_reads_only_tables_and_columns_from_schema(name):
    conn = sqlite3.connect(":memory:")
    for t in schema.all_tables():
        conn.execute(t.create_sql())
    sql_functions.register(conn)
    reads: set[tuple[str, str]] = set()

    def authorizer(action, arg1, arg2, dbname, source):
        # json_each/json_tree are table-valued functions over a column already read (SQLite
        # consults sqlite_master when preparing them).
        if action == sqlite3.SQLITE_READ and dbname == "main" and arg1 not in ("json_each", "json_tree", "sqlite_master"):
            reads.add((arg1, arg2))
        return sqlite3.SQLITE_OK

    conn.set_authorizer(authorizer)
    conn.execute(QUERIES[name].sql, all_empty(QUERIES[name])).fetchall()
    assert reads, "the authorizer saw no reads"
    for table, column in reads:
        assert column in schema.table(table).column_names, f"{name} reads {table}.{column}, not in schema.py"


@pytest.mark.parametrize("name", NAMES)
def test_query_is_well_formed(name):
    query = QUERIES[name]
    assert name.replace("_", "").isalnum() and name == name.lower()
    assert query.title and query.description.endswith(".")
    for p in query.params:
        assert f":{p}" in query.sql, f"{name} declares :{p} but does not use it"
    for p, _value in query.example:
        assert p in query.params


# ------------------------------------------------------------- the seeds, over HTTP


@pytest.mark.asyncio
@pytest.mark.parametrize("name", NAMES)
async def test_query_returns_rows_on_the_seeds(ds, name):
    response = await ds.client.get(f"/framing/{name}.json", params={"_shape": "array"})
    assert response.status_code == 200, response.text
    rows = response.json()
    assert rows, f"{name} returned no rows on the seeds"


@pytest.mark.asyncio
@pytest.mark.parametrize("name", NAMES)
async def test_query_with_its_example_parameters(ds, name):
    query = QUERIES[name]
    response = await ds.client.get(f"/framing/{name}.json", params={**dict(query.example), "_shape": "array"})
    assert response.status_code == 200, response.text
    rows = response.json()
    assert rows, f"{name} with {dict(query.example)} returned no rows on the seeds"
    example = dict(query.example)
    if "outlet" in example and "outlet" in rows[0]:
        assert {r["outlet"] for r in rows} == {example["outlet"]}


@pytest.mark.asyncio
@pytest.mark.parametrize("name", NAMES)
async def test_query_html_page_shows_title_and_form(ds, name):
    query = QUERIES[name]
    response = await ds.client.get(f"/framing/{name}")
    assert response.status_code == 200
    assert query.title in response.text
    for p in query.params:
        assert f'name="{p}"' in response.text


_CELL = re.compile(r'<td class="([^"]*)">(.*?)</td>', re.S)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["labels_for_actor", "sentences_mentioning_actor", "who_gets_quoted"])
async def test_query_page_table_is_the_one_query_html_draws(ds, name):
    """The canned pages use framing_canned_query.html (rows written in Python): every cell,
    its class and its escaping are what Datasette's own query.html draws for the same SQL."""
    query = QUERIES[name]
    params = {**all_empty(query), **dict(query.example)}
    ours = await ds.client.get(f"/framing/{name}", params=params)
    core = await ds.client.get("/framing", params={"sql": query.sql, **params})
    assert ours.status_code == core.status_code == 200
    cells = _CELL.findall(ours.text)
    assert cells and cells == _CELL.findall(core.text)
    assert f"query-{name}" in ours.text  # still Datasette's query page (body class)


@pytest.mark.asyncio
async def test_a_database_query_template_of_the_user_wins(seeded_db_path, tmp_path):
    """With a query-<db>.html of the user's, Datasette would use it: our page stands aside."""
    (tmp_path / "query-framing.html").write_text('{% extends "query.html" %}{% block title %}MINE{% endblock %}')
    ds = Datasette([str(seeded_db_path)], template_dir=str(tmp_path))
    page = await ds.client.get("/framing/labels_for_actor", params={"actor": "Vladimir Putin"})
    assert page.status_code == 200 and "<title>MINE</title>" in page.text


@pytest.mark.asyncio
async def test_hook_offers_every_query_without_metadata(seeded_db_path):
    ds = Datasette([str(seeded_db_path)])
    data = (await ds.client.get("/framing.json")).json()
    offered = {q["name"]: q for q in data["queries"]}
    assert set(offered) == set(NAMES)
    for name in NAMES:
        assert offered[name]["title"] == QUERIES[name].title
        response = await ds.client.get(f"/framing/{name}.json", params={"_shape": "array"})
        assert response.status_code == 200, response.text


@pytest.mark.asyncio
async def test_metadata_definition_wins_over_the_hook(seeded_db_path):
    ds = Datasette(
        [str(seeded_db_path)],
        metadata={"databases": {"framing": {"queries": {"who_gets_quoted": {"sql": "select 42 as answer", "title": "Mine"}}}}},
    )
    response = await ds.client.get("/framing/who_gets_quoted.json", params={"_shape": "array"})
    assert response.json() == [{"answer": 42}]
    names = {q["name"] for q in (await ds.client.get("/framing.json")).json()["queries"]}
    assert names == set(NAMES)


@pytest.mark.asyncio
async def test_hook_can_be_switched_off(seeded_db_path):
    ds = Datasette([str(seeded_db_path)], metadata={"plugins": {"datasette-framing": {"canned_queries": False}}})
    assert (await ds.client.get("/framing.json")).json()["queries"] == []


@pytest.mark.asyncio
async def test_no_queries_for_a_database_that_is_not_a_framing_database(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table articles (id text)").connection.close()
    ds = Datasette([str(other)])
    assert (await ds.client.get("/other.json")).json()["queries"] == []
    assert (await ds.client.get("/other/who_gets_quoted.json")).status_code == 404


# ------------------------------------------------------------- right numbers, on the sample


def test_sentiment_by_outlet_resolves_aliases_and_filters(sample):
    for actor in ("russia", "Russia", "KREMLIN", "moscow"):
        rows = run(sample, "sentiment_by_outlet", actor=actor)
        assert [(r["actor_id"], r["outlet"], r["mentions"], r["articles"]) for r in rows] == [
            ("russia", "Daily Planet", 4, 2),
            ("russia", "The Bugle", 1, 1),
        ], actor
    planet = run(sample, "sentiment_by_outlet", actor="Russia")[0]
    assert planet["mean_sentiment"] == pytest.approx((-0.6 + 0.0 - 0.3 - 0.2) / 4, abs=1e-3)
    assert (planet["positive"], planet["neutral"], planet["negative"]) == (0, 1, 3)
    january = run(sample, "sentiment_by_outlet", actor="Russia", date_to="2022-01-31")
    assert [(r["outlet"], r["mentions"]) for r in january] == [("Daily Planet", 2), ("The Bugle", 1)]
    feb = run(sample, "sentiment_by_outlet", actor="Russia", date_from="2022-02-01", date_to="2022-02-22")
    assert [(r["outlet"], r["mentions"]) for r in feb] == [("Daily Planet", 2)]
    assert run(sample, "sentiment_by_outlet", actor="Russia", outlet="The Bugle")[0]["mean_sentiment"] == 0.2
    everyone = run(sample, "sentiment_by_outlet")
    assert {r["actor_id"] for r in everyone} == {"russia", "joe-biden"}
    assert run(sample, "sentiment_by_outlet", actor="nobody") == []


def test_who_gets_quoted(sample):
    rows = run(sample, "who_gets_quoted")
    got = [(r["outlet"], r["speaker"], r["quotes"], r["share_pct"]) for r in rows]
    assert got == [
        ("Daily Planet", "Joe Biden", 1, 50.0),
        ("Daily Planet", "Russia", 1, 50.0),
        ("The Bugle", "(unresolved)", 1, 50.0),
        ("The Bugle", "Joe Biden", 1, 50.0),
    ]
    bugle = run(sample, "who_gets_quoted", outlet="The Bugle")
    assert {r["outlet"] for r in bugle} == {"The Bugle"}
    assert sum(r["indirect"] for r in bugle) == 2 and sum(r["direct"] for r in bugle) == 0


def test_cue_verbs_for_actor(sample):
    rows = run(sample, "cue_verbs_for_actor", actor="the us president")
    assert [(r["outlet"], r["cue_lemma"], r["cue_class"], r["quotes"]) for r in rows] == [
        ("Daily Planet", "say", "neutral", 1),
        ("The Bugle", "claim", "distancing", 1),
    ]


def test_frame_mix_by_outlet(sample):
    rows = run(sample, "frame_mix_by_outlet", outlet="Daily Planet")
    # Daily Planet has 5 sentences: conflict in 2, security in 1, diplomacy in 1.
    assert [(r["frame"], r["sentences"], r["share_pct"], r["outlet_sentences"]) for r in rows] == [
        ("conflict", 2, 40.0, 5),
        ("diplomacy", 1, 20.0, 5),
        ("security", 1, 20.0, 5),
    ]
    # With an actor, only sentences mentioning it count: Biden is in one sentence per outlet,
    # and only the Daily Planet one carries a frame.
    biden = run(sample, "frame_mix_by_outlet", actor="Biden")
    assert [(r["outlet"], r["frame"], r["sentences"], r["outlet_sentences"]) for r in biden] == [
        ("Daily Planet", "diplomacy", 1, 1),
    ]


def test_labels_for_actor(sample):
    rows = run(sample, "labels_for_actor", actor="Russia")
    assert [(r["outlet"], r["label"], r["mentions"]) for r in rows] == [
        ("Daily Planet", "aggressive", 1),
        ("Daily Planet", "nuclear", 1),
        ("The Bugle", "aggressive", 1),
        ("The Bugle", "nuclear", 1),
    ]


def test_sentences_mentioning_actor(sample):
    rows = run(sample, "sentences_mentioning_actor", actor="joe-biden")
    assert [(r["outlet"], r["surface"], r["sentence"]) for r in rows] == [
        ("Daily Planet", "Biden", "Biden said: the talks must go on."),
        ("The Bugle", "The US president", "The US president claimed progress was made."),
    ]
    assert all(r["sentence_id"].startswith(r["article_id"] + ":") for r in rows)


def test_quotes_by_speaker(sample):
    rows = run(sample, "quotes_by_speaker", actor="kremlin")
    assert [(r["speaker"], r["quote"], r["cue"], r["resolution"]) for r in rows] == [
        ("Russia", "of a harsh response", "warned", "metonym")
    ]
    everything = run(sample, "quotes_by_speaker")
    assert len(everything) == 4
    assert any(r["speaker"] is None and r["speaker_text"] == "Officials" for r in everything)


def test_parameters_are_bound_not_spliced(sample):
    hostile = "x' or 1=1 --"
    for name in NAMES:
        query = QUERIES[name]
        params = {p: hostile for p in query.params if p in ("actor", "outlet")}
        assert run(sample, name, **params) == [], name


def test_sentiment_interval_is_the_t_interval_of_the_mentions(sample):
    from datasette_framing import stats

    row = run(sample, "sentiment_by_outlet", actor="Russia", outlet="Daily Planet")[0]
    values = [-0.6, 0.0, -0.3, -0.2]
    ci = stats.mean_ci(values)
    assert row["scored"] == 4
    assert row["ci_low"] == pytest.approx(ci.ci_low, abs=1e-3)
    assert row["ci_high"] == pytest.approx(ci.ci_high, abs=1e-3)
    assert row["ci_low"] < row["mean_sentiment"] < row["ci_high"]
    assert row["too_few"] == 1  # 4 scored mentions is below the minimum count


def test_distinctive_labels(sample):
    every = run(sample, "distinctive_labels", actor="Russia", min_z="0")
    stored = sample.execute("select count(*) from label_log_odds where actor_id = 'russia'").fetchone()[0]
    assert stored and len(every) == stored
    assert all(r["actor_id"] == "russia" for r in every)
    strong = run(sample, "distinctive_labels", actor="Russia")
    assert all(abs(r["z"]) >= 1.96 for r in strong)
    assert len(strong) <= len(every)


def test_roles_by_outlet(sample):
    rows = run(sample, "roles_by_outlet", actor="Russia")
    got = [(r["outlet"], r["mentions"], r["agent"], r["patient"], r["quotes"]) for r in rows]
    # Daily Planet: Russia (agent), Moscow (agent), Kremlin (speaker), Russia (agent); one quote.
    assert got == [("Daily Planet", 4, 3, 0, 1), ("The Bugle", 1, 1, 0, 0)]
    planet = rows[0]
    assert planet["agent_share"] == 0.75 and planet["voice_share"] == 0.25
    assert planet["agent_low"] < 0.75 < planet["agent_high"]
    assert planet["too_few"] == 1


# ------------------------------------------------- summaries by month agree with the rows

#: Whole months, days at either end, open ends, month and year forms, a single day: the seeds
#: are dated 2022-01-19..21 and 2022-02-21..24, so each range cuts them differently.
DATE_RANGES = [
    ("2022-01-01", "2022-02-28"),
    ("2022-01-20", "2022-02-22"),
    ("2022-01-02", "2022-02-23"),
    ("2022-02-22", ""),
    ("", "2022-01-20"),
    ("2022-02", "2022-02"),
    ("2022", "2022"),
    ("2022-02-21", "2022-02-21"),
    ("2022-01-21", "2022-01-19"),
]


@pytest.fixture(scope="module")
def seeded(seeded_db_path):
    conn = sqlite3.connect(f"file:{seeded_db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    sql_functions.register(conn)
    yield conn
    conn.close()


def _raw_actor_outlet(conn, date_from, date_to):
    """Per actor x outlet counts straight from mentions and quotes (the reference)."""
    where = "(? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')"
    args = (date_from, date_from, date_to, date_to)
    out = {}
    for r in conn.execute(
        f"select m.actor_id, a.outlet, count(*) n, count(m.sentiment) scored, total(m.sentiment) s, "
        f"sum(m.polarity = 1) pos, sum(m.polarity = 0) neu, sum(m.polarity = -1) neg, "
        f"sum(m.role = 'agent') agent, sum(m.role = 'patient') patient "
        f"from mentions m join articles a on a.id = m.article_id where {where} group by 1, 2",
        args,
    ):
        out[(r["actor_id"], r["outlet"])] = dict(r, quotes=0)
    for r in conn.execute(
        f"select q.speaker_id, a.outlet, count(*) from quotes q join articles a on a.id = q.article_id "
        f"where q.speaker_id is not null and {is_statement('q')} and {where} group by 1, 2",
        args,
    ):
        row = out.setdefault((r[0], r[1]), {"n": 0, "scored": 0, "s": 0.0, "pos": 0, "neu": 0, "neg": 0, "agent": 0, "patient": 0})
        row["quotes"] = r[2]
    return out


@pytest.mark.parametrize("date_from,date_to", DATE_RANGES + [("", "")])
def test_sentiment_and_roles_by_outlet_match_the_rows_for_any_dates(seeded, date_from, date_to):
    expected = _raw_actor_outlet(seeded, date_from, date_to)
    got = {(r["actor_id"], r["outlet"]): r for r in run(seeded, "sentiment_by_outlet", date_from=date_from, date_to=date_to)}
    roles = {(r["actor_id"], r["outlet"]): r for r in run(seeded, "roles_by_outlet", date_from=date_from, date_to=date_to)}
    assert got.keys() == expected.keys() == roles.keys()
    for key, e in expected.items():
        g = got[key]
        assert (g["mentions"], g["scored"], g["positive"], g["neutral"], g["negative"], g["agent"], g["patient"], g["quotes"]) == (
            e["n"], e["scored"], e["pos"], e["neu"], e["neg"], e["agent"], e["patient"], e["quotes"]
        ), key
        if e["scored"]:
            assert g["mean_sentiment"] == pytest.approx(e["s"] / e["scored"], abs=6e-4), key
        assert (roles[key]["mentions"], roles[key]["agent"], roles[key]["quotes"]) == (e["n"], e["agent"], e["quotes"])
    if (date_from, date_to) == ("", ""):
        assert len(expected) > 20  # the reference is not vacuous


def _top_actors(conn, k=3):
    return [r[0] for r in conn.execute("select actor_id from mentions group by 1 order by count(*) desc limit ?", (k,))]


@pytest.mark.parametrize("date_from,date_to", DATE_RANGES)
def test_frame_mix_for_an_actor_matches_the_rows_for_any_dates(seeded, date_from, date_to):
    for actor in _top_actors(seeded):
        expected = {
            (r[0], r[1]): r[2]
            for r in seeded.execute(
                "with s as (select distinct a.outlet, m.sentence_id from mentions m join articles a on a.id = m.article_id "
                "where m.actor_id = ? and (? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')) "
                "select s.outlet, f.frame, count(*) from s join frames f on f.sentence_id = s.sentence_id group by 1, 2",
                (actor, date_from, date_from, date_to, date_to),
            )
        }
        got = {(r["outlet"], r["frame"]): r["sentences"] for r in run(seeded, "frame_mix_by_outlet", actor=actor, date_from=date_from, date_to=date_to)}
        assert got == expected, (actor, date_from, date_to)


@pytest.mark.parametrize("name", ["sentiment_by_outlet", "roles_by_outlet", "who_gets_quoted", "cue_verbs_for_actor", "frame_mix_by_outlet", "labels_for_actor"])
def test_all_time_summaries_give_what_the_rows_give(seeded, name):
    """Without dates these queries read the all-time summary tables; a date range that covers
    everything ('0001' onwards) makes them read months, days or raw rows instead. Same answer."""
    for actor in ["", *_top_actors(seeded)]:
        params = {"actor": actor} if "actor" in QUERIES[name].params else {}
        if not actor or "actor" in params:
            summary = run(seeded, name, **params)
            rows = run(seeded, name, date_from="0001", **params)
            assert summary, (name, actor)
            assert sorted(map(lambda r: tuple(r.values()), summary), key=repr) == sorted(map(lambda r: tuple(r.values()), rows), key=repr), (name, actor)


@pytest.mark.parametrize("date_from,date_to", DATE_RANGES)
def test_cue_verbs_and_labels_match_the_rows_for_any_dates(seeded, date_from, date_to):
    where = "(? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')"
    args = (date_from, date_from, date_to, date_to)
    cues = {
        (r[0], r[1], r[2], r[3]): (r[4], r[5])
        for r in seeded.execute(
            f"select q.speaker_id, a.outlet, coalesce(q.cue_lemma, q.cue), coalesce(q.cue_class, 'none'), count(*), "
            f"count(distinct q.article_id) from quotes q join articles a on a.id = q.article_id "
            f"where q.speaker_id is not null and coalesce(q.cue_lemma, q.cue) is not null and {is_statement('q')} "
            f"and {where} group by 1, 2, 3, 4",
            args,
        )
    }
    got = {(r["actor_id"], r["outlet"], r["cue_lemma"], r["cue_class"]): (r["quotes"], r["articles"])
           for r in run(seeded, "cue_verbs_for_actor", date_from=date_from, date_to=date_to, top="100000")}
    assert got == cues
    labels = {
        (r[0], r[1], r[2]): (r[3], r[4])
        for r in seeded.execute(
            f"select l.actor_id, l.outlet, l.label, count(*), count(distinct l.article_id) from labels l "
            f"join articles a on a.id = l.article_id where {where} group by 1, 2, 3",
            args,
        )
    }
    got = {(r["actor_id"], r["outlet"], r["label"]): (r["mentions"], r["articles"])
           for r in run(seeded, "labels_for_actor", date_from=date_from, date_to=date_to, top="100000")}
    assert got == labels
    if (date_from, date_to) == ("2022-01-01", "2022-02-28"):
        assert cues and labels


@pytest.mark.parametrize("date_from,date_to", DATE_RANGES)
def test_who_gets_quoted_matches_the_rows_for_any_dates(seeded, date_from, date_to):
    """Months from outlet_speaker_months plus edge days from outlet_speaker_days: the same
    counts by kind, articles and shares as the quotes of the articles in range."""
    where = "(? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')"
    expected = {}
    for r in seeded.execute(
        f"with q as (select a.outlet, q.speaker_id, q.kind, q.article_id, {is_statement('q')} as st "
        f"from quotes q join articles a on a.id = q.article_id where {where}) "
        "select outlet, speaker_id, sum(st), sum(kind = 'direct'), sum(kind = 'partial' and st), sum(kind = 'indirect'), "
        "sum(not st), count(distinct case when st then article_id end) from q group by 1, 2",
        (date_from, date_from, date_to, date_to),
    ):
        expected[(r[0], r[1])] = tuple(r[2:])
    got = {
        (r["outlet"], r["speaker_id"]): (r["quotes"], r["direct"], r["partial"], r["indirect"], r["partial_inside"], r["articles"])
        for r in run(seeded, "who_gets_quoted", date_from=date_from, date_to=date_to, top="100000")
    }
    assert got == expected
    for r in run(seeded, "who_gets_quoted", date_from=date_from, date_to=date_to, top="100000"):
        total = sum(v[0] for k, v in expected.items() if k[0] == r["outlet"])
        assert r["share_pct"] == (round(100.0 * r["quotes"] / total, 1) if total else None)
    if (date_from, date_to) == ("2022-01-01", "2022-02-28"):
        assert expected


@pytest.mark.parametrize("name", ["sentences_mentioning_actor", "quotes_by_speaker"])
def test_listings_page_with_limit(seeded, name):
    """Empty limit: the first DEFAULT_LIMIT rows in the listing's order; limit=n: the first n."""
    n_all = seeded.execute(f"select count(*) from {'mentions' if name.startswith('sentences') else 'quotes'}").fetchone()[0]
    assert n_all > canned_queries.DEFAULT_LIMIT  # the seeds are large enough to page
    everything = run(seeded, name, limit="100000")
    assert len(everything) == n_all
    default = run(seeded, name)
    assert default == everything[: canned_queries.DEFAULT_LIMIT]
    assert run(seeded, name, limit="7") == everything[:7]


@pytest.mark.parametrize("date_from", ["", "0001"])
def test_who_gets_quoted_lists_the_top_speakers_of_each_outlet(seeded, date_from):
    """top=n: each outlet's n most quoted speakers (ties by key), shares still of every statement;
    empty: DEFAULT_TOP.  The same with or without dates."""
    everyone = run(seeded, "who_gets_quoted", date_from=date_from, top="100000")
    by_outlet = {}
    for r in everyone:
        by_outlet.setdefault(r["outlet"], []).append(r)
    assert max(len(v) for v in by_outlet.values()) > 2  # the cut below is not vacuous
    for outlet, rows in by_outlet.items():
        assert [r["quotes"] for r in rows] == sorted((r["quotes"] for r in rows), reverse=True)
    two = run(seeded, "who_gets_quoted", date_from=date_from, top="2")
    assert two == [r for rows in by_outlet.values() for r in rows[:2]]
    default = run(seeded, "who_gets_quoted", date_from=date_from)
    assert default == [r for rows in by_outlet.values() for r in rows[: canned_queries.DEFAULT_TOP]]


@pytest.mark.parametrize("name,count", [("cue_verbs_for_actor", "quotes"), ("labels_for_actor", "mentions")])
@pytest.mark.parametrize("date_from,date_to", [("", ""), ("0001", ""), ("2022-01-20", "2022-02-22")])
def test_cue_verbs_and_labels_list_the_top_rows_of_each_actor_and_outlet(seeded, name, count, date_from, date_to):
    """top=n: each actor x outlet's first n rows in the query's order (most used first, ties by
    key); empty: DEFAULT_TOP; a large top: every row.  The same for every actor and for one."""
    top_actor = _top_actors(seeded, 1)[0]
    for actor in ("", top_actor):
        everything = run(seeded, name, actor=actor, date_from=date_from, date_to=date_to, top="100000")
        pairs = {}
        for r in everything:
            pairs.setdefault((r["actor_id"], r["outlet"]), []).append(r)
        assert everything == [r for rows in pairs.values() for r in rows]  # pair by pair
        for rows in pairs.values():
            assert [r[count] for r in rows] == sorted((r[count] for r in rows), reverse=True)
        if not date_to:
            assert max(len(rows) for rows in pairs.values()) > 2  # the cut below is not vacuous
        assert run(seeded, name, actor=actor, date_from=date_from, date_to=date_to, top="2") == [
            r for rows in pairs.values() for r in rows[:2]
        ], actor
        assert run(seeded, name, actor=actor, date_from=date_from, date_to=date_to) == [
            r for rows in pairs.values() for r in rows[: canned_queries.DEFAULT_TOP]
        ], actor
        assert run(seeded, name, actor=actor, date_from=date_from, date_to=date_to, top="-1") == everything


@pytest.mark.parametrize("name", ["sentiment_by_outlet", "roles_by_outlet"])
@pytest.mark.parametrize("date_from,date_to", [("", ""), ("2022-01-20", "2022-02-22")])
def test_too_few_and_intervals_are_what_the_sql_functions_give(seeded, name, date_from, date_to):
    """too_few is written out in SQL and the t-interval is not computed below 2 scored
    mentions: the same values as framing_too_few and framing_t_low/high give."""
    n = "scored" if name == "sentiment_by_outlet" else "mentions"
    rows = run(seeded, name, date_from=date_from, date_to=date_to)
    assert {r[n] for r in rows} & {0, 1} and any(r[n] >= 10 for r in rows)  # both sides of each cut
    for r in rows:
        assert r["too_few"] == seeded.execute("select framing_too_few(?)", (r[n],)).fetchone()[0]
    if name == "sentiment_by_outlet":
        sums = {
            (x["actor_id"], x["outlet"]): x
            for x in seeded.execute("select actor_id, outlet, scored, sentiment_sum, sentiment_sumsq from actor_outlet_stats")
        }
        for r in rows:
            if (date_from, date_to) == ("", ""):
                x = sums[(r["actor_id"], r["outlet"])]
                expected = seeded.execute(
                    "select round(framing_t_low(?, ?, ?), 3), round(framing_t_high(?, ?, ?), 3)",
                    (x["scored"], x["sentiment_sum"], x["sentiment_sumsq"]) * 2,
                ).fetchone()
                assert (r["ci_low"], r["ci_high"]) == tuple(expected), r
            if r["scored"] < 2:
                assert r["ci_low"] is None and r["ci_high"] is None
    else:
        # Wilson intervals, written out at k = 0 (low) and k = n (high): the function's values
        for r in rows:
            for k in ("agent", "patient"):
                expected = seeded.execute(
                    "select round(framing_wilson_low(?, ?), 3), round(framing_wilson_high(?, ?), 3)",
                    (r[k], r["mentions"]) * 2,
                ).fetchone()
                assert (r[f"{k}_low"], r[f"{k}_high"]) == tuple(expected), r
        assert any(r["agent"] == 0 for r in rows) and any(r["agent"] == r["mentions"] for r in rows)


def test_wilson_shortcuts_are_the_function_values():
    """roles_by_outlet writes framing_wilson_low at k = 0 and framing_wilson_high at k = n out
    as 0.0 and 1.0 (no Python call): for every count from 0 to 20,000, and around every
    other k, the expressions give exactly what the functions give, nulls included."""
    conn = sqlite3.connect(":memory:")
    sql_functions.register(conn)
    conn.execute("create table c (k, n)")
    conn.executemany("insert into c values (?, ?)", [(k, n) for n in range(0, 20001) for k in {0, 1, n - 1, n} if 0 <= k <= n])
    conn.executemany("insert into c values (?, ?)", [(None, 5), (0, None), (None, None), (0, 0), (0.0, 3), (3.0, 3)])
    low, high = canned_queries._wilson_low("k", "n"), canned_queries._wilson_high("k", "n")
    diff = conn.execute(
        f"select k, n from c where round({low}, 3) is not round(framing_wilson_low(k, n), 3)"
        f" or typeof({low}) != typeof(framing_wilson_low(k, n))"
        f" or round({high}, 3) is not round(framing_wilson_high(k, n), 3)"
        f" or typeof({high}) != typeof(framing_wilson_high(k, n))"
        f" or {low} is not framing_wilson_low(k, n) or {high} is not framing_wilson_high(k, n)"
    ).fetchall()
    assert diff == []
    assert conn.execute(f"select count(*) from c where k = 0 and n > 0 and {low} = 0.0").fetchone()[0] == 20001  # 20,000 counts and (0.0, 3)


@pytest.mark.parametrize("min_z", ["", "0", "1", "1.5", "-3"])
def test_distinctive_labels_for_every_actor_are_the_rows_past_the_threshold(seeded, min_z):
    """Without an actor the query reads only the actors whose largest |z| (actor_label_z)
    reaches the threshold: the same rows as filtering label_log_odds itself."""
    threshold = float(min_z) if min_z else 1.96
    expected = sorted(
        (r[0], r[1], r[2]) for r in seeded.execute("select actor_id, outlet, label from label_log_odds where abs(z) >= ?", (threshold,))
    )
    got = run(seeded, "distinctive_labels", min_z=min_z)
    assert sorted((r["actor_id"], r["outlet"], r["label"]) for r in got) == expected
    assert [(r["actor_id"], r["outlet"]) for r in got] == sorted((r["actor_id"], r["outlet"]) for r in got)
    if min_z == "0":
        assert expected


#: (query, the keys of its ORDER BY as (column, descending)) for the queries listing every actor.
_ORDERS = {
    "labels_for_actor": (("actor_id", False), ("outlet", False), ("mentions", True), ("label", False)),
    "cue_verbs_for_actor": (("actor_id", False), ("outlet", False), ("quotes", True), ("cue_lemma", False)),
}


def _in_order(rows, keys):
    def key(r):
        return tuple((-r[c] if desc else (r[c] is not None, r[c])) for c, desc in keys)

    return sorted(rows, key=key)


@pytest.mark.parametrize("name", list(_ORDERS))
@pytest.mark.parametrize("date_from,date_to", DATE_RANGES + [("", "")])
@pytest.mark.parametrize("outlet", ["", "The White House"])
def test_every_actor_over_dates_comes_in_order_and_matches_one_actor_at_a_time(seeded, name, date_from, date_to, outlet):
    """With no actor and dates, these queries walk actor x outlet pairs and sum each one apart
    (the first page streams); the rows are the union of asking for each actor in turn, in the
    query's declared order."""
    every = run(seeded, name, date_from=date_from, date_to=date_to, outlet=outlet)
    assert every == _in_order(every, _ORDERS[name])
    one_by_one = [
        r for (actor,) in seeded.execute("select id from actors order by id")
        for r in run(seeded, name, actor=actor, date_from=date_from, date_to=date_to, outlet=outlet)
    ]
    assert sorted(map(lambda r: tuple(r.values()), every), key=repr) == sorted(map(lambda r: tuple(r.values()), one_by_one), key=repr)
    if (date_from, date_to, outlet) == ("2022-01-01", "2022-02-28", ""):
        assert len({r["actor_id"] for r in every}) > 3


@pytest.mark.parametrize("date_from,date_to", DATE_RANGES)
@pytest.mark.parametrize("outlet", ["", "The White House"])
def test_frame_mix_for_every_actor_matches_the_rows_for_any_dates(seeded, date_from, date_to, outlet):
    """No actor and dates: whole months from outlet_month_frames, the days at either end from
    article_frames, totals from article_stats; the same sentences, terms and shares as the
    frames and articles in range."""
    where = "(? = '' or a.outlet = ?) and (? = '' or a.published >= ?) and (? = '' or a.published <= ? || 'z')"
    args = (outlet, outlet, date_from, date_from, date_to, date_to)
    totals = dict(seeded.execute(f"select a.outlet, sum(a.sentence_count) from articles a where {where} group by 1", args).fetchall())
    expected = {
        (r[0], r[1]): (r[2], r[3], totals[r[0]], seeded.execute("select round(100.0 * ? / ?, 1)", (r[2], totals[r[0]])).fetchone()[0])
        for r in seeded.execute(
            f"select a.outlet, f.frame, count(*), sum(f.term_count) from frames f join articles a on a.id = f.article_id "
            f"where {where} group by 1, 2",
            args,
        )
    }
    got = {
        (r["outlet"], r["frame"]): (r["sentences"], r["terms"], r["outlet_sentences"], r["share_pct"])
        for r in run(seeded, "frame_mix_by_outlet", outlet=outlet, date_from=date_from, date_to=date_to)
    }
    assert got == expected
    if (date_from, date_to, outlet) == ("2022-01-01", "2022-02-28", ""):
        assert expected
