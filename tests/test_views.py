"""The framing pages through Datasette's own client: numbers, links, formats, errors, permissions.

Exact numbers come from ``framing_sample_db`` (hand-chosen rows); the seeds
loaded by the real pipeline check that every page renders real data.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import statistics

import pytest
import pytest_asyncio
from datasette.app import Datasette
from datasette.utils import tilde_encode

import framing_sample_db as sample
from datasette_framing import charts, page_data, stats
from datasette_framing import page_queries as q

RAW_PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror", "<svg onload", "<x onmouseover")


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory):
    return sample.build(tmp_path_factory.mktemp("sample") / "sample.db")


@pytest_asyncio.fixture
async def sds(sample_db_path):
    # min_mentions 5: Russia's 6 scored mentions pass the guard, Ukraine's 4 do not.
    ds = Datasette([str(sample_db_path)], metadata={"plugins": {"datasette-framing": {"min_mentions": 5}}})
    await ds.invoke_startup()
    return ds


def evil_url(kind: str) -> str:
    ident = sample.EVIL_ID if kind == "actors" else sample.ARTICLES[2]["id"]
    return f"/sample/-/framing/{kind}/{tilde_encode(ident)}"


PAGES = [
    "/sample/-/framing",
    "/sample/-/framing/actors/russia",
    "/sample/-/framing/compare?actor=russia&actor=ukraine",
    "/sample/-/framing/compare?actor=russia",
    "/sample/-/framing/sentences?actor=russia",
    "/sample/-/framing/sentences?speaker=ukraine",
    "/sample/-/framing/articles/a1",
    "/sample/-/framing/methods",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", PAGES)
async def test_every_page_has_html_and_json(sds, path):
    html = await sds.client.get(path)
    assert html.status_code == 200, html.text[-500:]
    assert "framing.css" in html.text and "framing.js" in html.text
    base, _, query = path.partition("?")
    js = await sds.client.get(base + ".json" + ("?" + query if query else ""))
    assert js.status_code == 200
    assert js.json()["database"] == "sample"
    same = await sds.client.get(path + ("&" if query else "?") + "_format=json")
    assert same.json() == js.json()


@pytest.mark.asyncio
async def test_instance_page_lists_framing_databases(sds):
    r = await sds.client.get("/-/framing.json")
    assert [d["database"] for d in r.json()["databases"]] == ["sample"]
    html = (await sds.client.get("/-/framing")).text
    assert 'href="/sample/-/framing"' in html


@pytest.mark.asyncio
async def test_dashboard_numbers_match_the_rows(sds):
    data = (await sds.client.get("/sample/-/framing.json")).json()
    actors = {a["actor_id"]: a for a in data["actors"]}
    expected = sample.expected_mentions()
    russia = [v for (a, _), vals in expected.items() if a == "russia" for v in vals]
    assert actors["russia"]["mentions"] == len(russia) == 6
    assert actors["russia"]["quotes"] == 1
    assert actors["russia"]["voice_share"] == pytest.approx(1 / 6)
    assert actors["russia"]["sentiment_mean"] == pytest.approx(statistics.mean(russia))
    ci = stats.mean_ci(russia)
    assert (actors["russia"]["sentiment_low"], actors["russia"]["sentiment_high"]) == pytest.approx((ci.ci_low, ci.ci_high), abs=1e-6)
    assert actors["russia"]["outlets"] == 3 and actors["russia"]["articles"] == 3
    assert data["min_count"] == 5
    assert actors["russia"]["too_few"] is False  # 6 scored >= min_mentions 5
    assert actors["ukraine"]["too_few"] is True
    assert actors["ukraine"]["cue_classes"] == [{"name": "neutral", "n": 1, "share": 1.0}]
    outlets = {o["outlet"]: o for o in data["outlets"]}
    assert outlets["Daily Planet"]["quotes"] == 1 and outlets["Daily Planet"]["articles"] == 1
    assert outlets["Daily Bugle"]["top_speakers"][0]["actor_id"] == "russia"
    assert data["frame_mix"]["Daily Bugle"] == {"diplomacy": 3}


@pytest.mark.asyncio
async def test_dashboard_filters(sds):
    planet = (await sds.client.get("/sample/-/framing.json?outlet=Daily+Planet")).json()
    russia = next(a for a in planet["actors"] if a["actor_id"] == "russia")
    assert russia["mentions"] == 3 and [o["outlet"] for o in planet["outlets"]] == ["Daily Planet"]
    late = (await sds.client.get("/sample/-/framing.json?since=2022-02-01&until=2022-02-01")).json()
    assert [o["outlet"] for o in late["outlets"]] == ["Daily Bugle"]
    people = (await sds.client.get("/sample/-/framing.json?kind=person")).json()
    assert [a["actor_id"] for a in people["actors"]] == [sample.EVIL_ID]
    by_quotes = (await sds.client.get("/sample/-/framing.json?_sort=-quotes")).json()
    assert [a["quotes"] for a in by_quotes["actors"]] == sorted((a["quotes"] for a in by_quotes["actors"]), reverse=True)


@pytest.mark.asyncio
async def test_actor_page_numbers_link_to_the_sentences_behind_them(sds):
    html = (await sds.client.get("/sample/-/framing/actors/russia")).text
    links = set(re.findall(r'href="(/sample/-/framing/sentences\?[^"]+)"', html))
    assert len(links) > 10
    data = (await sds.client.get("/sample/-/framing/actors/russia.json")).json()
    planet = next(o for o in data["outlets"] if o["outlet"] == "Daily Planet")
    assert (planet["mentions"], planet["agent"], planet["negative"]) == (3, 3, 3)
    # Following a number's link gives exactly that many sentences.
    for params, expected in (("outlet=Daily+Planet", 3), ("outlet=Daily+Planet&role=agent", 3), ("outlet=Daily+Bugle&polarity=0", 2), ("frame=conflict", 2), ("label=aggressive", 2)):
        link = f"/sample/-/framing/sentences?actor=russia&{params}"
        r = (await sds.client.get(link.replace("/sentences?", "/sentences.json?"))).json()
        assert r["total"] == expected == len(r["rows"]), params
    drill = (await sds.client.get("/sample/-/framing/sentences?actor=russia&outlet=Daily+Planet")).text
    assert drill.count('<mark class="framing-mention"') == 3
    assert "Datasette table" in drill and "SQL behind this list" in drill


@pytest.mark.asyncio
async def test_every_drill_link_on_the_actor_page_answers(sds):
    html = (await sds.client.get("/sample/-/framing/actors/russia")).text
    for link in set(re.findall(r'href="(/sample/-/framing/sentences\?[^"]+)"', html)):
        r = await sds.client.get(link.replace("&amp;", "&"))
        assert r.status_code == 200, link


@pytest.mark.asyncio
async def test_distinctive_labels_and_cues(sds):
    data = (await sds.client.get("/sample/-/framing/actors/russia.json")).json()
    bugle = next(o for o in data["outlets"] if o["outlet"] == "Daily Bugle")
    assert bugle["cues"] == [{"name": "claimed", "n": 1, "share": 1.0}]
    assert bugle["labels"] == [{"name": "nuclear-armed", "n": 1, "share": 1.0}]


@pytest.mark.asyncio
async def test_compare_modes(sds):
    two = (await sds.client.get("/sample/-/framing/compare.json?actor=russia&actor=ukraine")).json()
    assert two["mode"] == "actors" and [c["heading"] for c in two["columns"]] == ["Russia", "Ukraine"]
    one = (await sds.client.get("/sample/-/framing/compare.json?actor=russia&outlet=Daily+Planet&outlet=Daily+Bugle")).json()
    assert one["mode"] == "outlets" and sorted(c["heading"] for c in one["columns"]) == ["Daily Bugle", "Daily Planet"]
    html = (await sds.client.get("/sample/-/framing/compare?actor=russia&actor=ukraine")).text
    assert html.count('class="framing-figure"') >= 2


@pytest.mark.asyncio
async def test_csv_exports_are_complete(sds, monkeypatch):
    monkeypatch.setattr(q, "STREAM_CHUNK", 2)  # force several chunks
    r = await sds.client.get("/sample/-/framing/sentences.csv?actor=russia")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 6 and len({row["mention_id"] for row in rows}) == 6
    actors = list(csv.DictReader(io.StringIO((await sds.client.get("/sample/-/framing.csv?_table=actors")).text)))
    assert {a["actor_id"] for a in actors} == {"russia", "ukraine", sample.EVIL_ID}
    page = await sds.client.get("/sample/-/framing/sentences.json?actor=russia&_size=2")
    assert len(page.json()["rows"]) == 2 and page.json()["total"] == 6 and page.json()["next"]
    seen, token = [], None
    for _ in range(5):  # keyset paging walks every row once
        params = {"actor": "russia", "_size": "2", **({"_next": token} if token else {})}
        data = (await sds.client.get("/sample/-/framing/sentences.json", params=params)).json()
        seen += [r["mention_id"] for r in data["rows"]]
        token = data["next"]
        if not token:
            break
    assert sorted(seen) == sorted(row["mention_id"] for row in rows) and len(seen) == 6


@pytest.mark.asyncio
async def test_article_reader_marks_mentions_and_quotes(sds):
    html = (await sds.client.get("/sample/-/framing/articles/a1")).text
    assert html.count('<mark class="framing-mention framing-role-') == 6
    assert 'class="framing-quote' in html and 'data-speaker="Ukraine"' in html
    assert 'tabindex="0" title="Sentence' in html
    assert 'href="https://planet.example/russia-warns"' in html
    data = (await sds.client.get("/sample/-/framing/articles/a1.json")).json()
    assert len(data["mentions"]) == 6 and data["article"]["outlet"] == "Daily Planet"


def test_reader_blocks_keep_every_character_and_nest():
    text = 'A said "one. two" here.\n\nB.'
    sentences = [
        {"id": 0, "idx": 0, "start": 0, "end": 12, "paragraph": 0, "block": "paragraph"},
        {"id": 1, "idx": 1, "start": 13, "end": 23, "paragraph": 0, "block": "paragraph"},
        {"id": 2, "idx": 2, "start": 25, "end": 27, "paragraph": 1, "block": "paragraph"},
    ]
    mentions = [{"start": 0, "end": 1}, {"start": 25, "end": 26}]
    quotes = [{"start": 8, "end": 16}]
    blocks = page_data.reader_blocks(text, sentences, mentions, quotes)
    assert len(blocks) == 2
    pieces = [p for b in blocks for g in b["sentences"] for p in g["pieces"]]
    assert "".join(p["text"] for p in pieces) == text.replace("\n\n", "")
    assert "".join(p["text"] for p in pieces if p["quote"]) == "one. two"
    assert [p["text"] for p in pieces if p["mention"]] == ["A", "B"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path",
    [
        "/sample/-/framing?since=2022-13-40",
        "/sample/-/framing?since=yesterday",
        "/sample/-/framing?since=2022-02-01&until=2022-01-01",
        "/sample/-/framing?kind=alien",
        "/sample/-/framing?_format=xml",
        "/sample/-/framing?_sort=1;DROP TABLE actors",
        "/sample/-/framing?_actors=some",
        "/sample/-/framing.csv?_table=secrets",
        "/sample/-/framing?outlet=" + "x" * 600,
        "/sample/-/framing?outlet=a%00b",
        "/sample/-/framing?" + "&".join(f"outlet={i}" for i in range(60)),
        "/sample/-/framing/sentences",
        "/sample/-/framing/sentences?actor=russia&speaker=russia",
        "/sample/-/framing/sentences?actor=russia&polarity=2",
        "/sample/-/framing/sentences?actor=russia&role=villain",
        "/sample/-/framing/sentences?actor=russia&_size=0",
        "/sample/-/framing/sentences?actor=russia&_size=lots",
        "/sample/-/framing/sentences?actor=russia&_next=garbage",
        "/sample/-/framing/sentences?actor=russia&_next=[1,2]",
        "/sample/-/framing/sentences?actor=russia&outlet=a&outlet=b",
        "/sample/-/framing/compare.json",
        "/sample/-/framing/compare?" + "&".join(f"actor=a{i}" for i in range(9)),
        "/-/framing.csv",
    ],
)
async def test_malformed_parameters_are_400_with_a_message(sds, path):
    r = await sds.client.get(path)
    assert r.status_code == 400, (path, r.status_code)
    assert "Error 400" in r.text or r.json()["error"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path, message",
    [
        ("/nosuchdb/-/framing", "Database not found"),
        ("/sample/-/framing/actors/nobody", "Actor not found: nobody"),
        ("/sample/-/framing/articles/nothing", "Article not found: nothing"),
        ("/sample/-/framing/compare?actor=nobody", "Actor not found"),
        ("/sample/-/framing/sentences?actor=nobody", "Actor not found"),
        ("/_memory/-/framing", "not a framing database"),
    ],
)
async def test_unknown_things_are_404_with_a_message(sample_db_path, path, message):
    ds = Datasette([str(sample_db_path)], memory=True)
    r = await ds.client.get(path)
    assert r.status_code == 404 and message in r.text


ALL_ROUTES = PAGES + [p.split("?")[0] + ".json" + ("?" + p.split("?")[1] if "?" in p else "") for p in PAGES] + [
    "/sample/-/framing.csv?_table=actors",
    "/sample/-/framing/sentences.csv?actor=russia",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ALL_ROUTES)
async def test_private_database_leaks_through_no_framing_route(sample_db_path, path):
    ds = Datasette([str(sample_db_path)], metadata={"databases": {"sample": {"allow": {"id": "editor"}}}})
    anonymous = await ds.client.get(path)
    assert anonymous.status_code == 403
    assert "Russia" not in anonymous.text and "Daily Planet" not in anonymous.text
    cookie = {"ds_actor": ds.sign({"a": {"id": "editor"}}, "actor")}
    allowed = await ds.client.get(path, cookies=cookie)
    assert allowed.status_code == 200
    listing = (await ds.client.get("/-/framing.json")).json()
    assert listing["databases"] == []


@pytest.mark.asyncio
async def test_private_table_blocks_the_pages_that_read_it(sample_db_path):
    metadata = {"databases": {"sample": {"tables": {"mentions": {"allow": False}}}}}
    ds = Datasette([str(sample_db_path)], metadata=metadata)
    assert (await ds.client.get("/sample/-/framing")).status_code == 403
    assert (await ds.client.get("/sample/-/framing/articles/a1.json")).status_code == 403
    assert (await ds.client.get("/sample/-/framing/methods")).status_code == 200  # reads no mentions


@pytest.mark.asyncio
async def test_sql_link_only_with_execute_sql(sample_db_path):
    ds = Datasette([str(sample_db_path)], metadata={"databases": {"sample": {"allow_sql": False}}})
    html = (await ds.client.get("/sample/-/framing/sentences?actor=russia")).text
    assert "SQL behind this list" not in html


@pytest.mark.asyncio
async def test_sql_link_reproduces_the_list(sds):
    html = (await sds.client.get("/sample/-/framing/sentences?actor=russia&outlet=Daily+Planet")).text
    link = re.search(r'href="(/sample\?sql=[^"]+)"', html).group(1).replace("&amp;", "&")
    r = await sds.client.get(link.replace("/sample?", "/sample.json?") + "&_shape=array")
    assert r.status_code == 200 and len(r.json()) == 3


@pytest.mark.asyncio
async def test_links_respect_base_url(sample_db_path):
    ds = Datasette([str(sample_db_path)], settings={"base_url": "/news/"})
    html = (await ds.client.get("/sample/-/framing")).text
    assert 'href="/news/sample/-/framing/actors/russia"' in html
    assert "/news/-/static-plugins/datasette_framing/framing.css" in html
    hrefs = re.findall(r'href="(/[^"]*)"', html)
    assert hrefs and all(h.startswith("/news/") for h in hrefs), [h for h in hrefs if not h.startswith("/news/")]


@pytest.mark.asyncio
async def test_assets_are_served_and_scoped(sds):
    for name in ("framing.js", "framing.css"):
        r = await sds.client.get(f"/-/static-plugins/datasette_framing/{name}")
        assert r.status_code == 200 and len(r.text) > 500
    index = (await sds.client.get("/")).text
    assert "framing.js" not in index and "framing.css" not in index


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path",
    ["/sample/-/framing", "/sample/-/framing?_actors=all", evil_url("actors"), evil_url("articles"),
     "/sample/-/framing/compare?actor=russia&actor=" + sample.EVIL_ID.replace("&", "%26").replace(">", "%3E").replace("<", "%3C").replace('"', "%22").replace("'", "%27").replace(" ", "+").replace("(", "%28").replace(")", "%29").replace("=", "%3D"),
     "/sample/-/framing/methods", "/sample/-/framing/sentences?speaker=russia", "/-/framing"],
)
async def test_hostile_content_is_escaped(sds, path):
    r = await sds.client.get(path)
    assert r.status_code == 200, r.text[-300:]
    for payload in RAW_PAYLOADS:
        assert payload not in r.text, payload
    assert 'href="javascript:' not in r.text.lower()
    if "evil" in path or "hostile" in path:
        assert "&lt;script&gt;" in r.text or "&lt;img src=x onerror=alert(1)&gt;" in r.text  # shown, as text


@pytest.mark.asyncio
async def test_hostile_content_in_json_stays_data(sds):
    r = await sds.client.get(evil_url("articles") + ".json")
    data = r.json()
    assert data["article"]["title"] == sample.HOSTILE_TITLE  # kept verbatim as data
    assert data["article"]["url"] == sample.XSS_JS_URL
    assert r.headers["content-type"].startswith("application/json")


def test_chart_labels_are_escaped_and_notes_say_when_data_are_thin():
    svg = str(
        charts.diverging_bars(
            "t<script>",
            ["<b>g</b>"],
            [f"s{i}" for i in range(10)],
            {("<b>g</b>", "s0"): {"mean": -0.2, "low": -0.5, "high": 0.1, "n": 2}},
            min_count=5,
        )
    )
    assert "<script>" not in svg and "<b>" not in svg and "&lt;b&gt;g&lt;/b&gt;" in svg
    assert "too few to compare" in svg and "Truncated: the first 8 of 10" in svg
    assert svg.count('class="framing-legend-item"') == 8


@pytest.mark.asyncio
async def test_seeded_pages_render(ds):
    """The real pipeline's output: every page answers with its data."""
    await ds.invoke_startup()
    name = next(n for n in ds.databases if n != "_internal")
    dash = await ds.client.get(f"/{name}/-/framing.json")
    assert dash.status_code == 200
    data = dash.json()
    assert data["outlets"], "the seeds have outlets"
    html = (await ds.client.get(f"/{name}/-/framing")).text
    assert html.count('class="framing-figure') == 3
    for path in (f"/{name}/-/framing/methods",):
        assert (await ds.client.get(path)).status_code == 200
    if data["actors"]:
        top = data["actors"][0]["actor_id"]
        assert (await ds.client.get(f"/{name}/-/framing/actors/{tilde_encode(top)}")).status_code == 200
    article = data["articles"][0]["article_id"]
    reader = await ds.client.get(f"/{name}/-/framing/articles/{tilde_encode(article)}")
    assert reader.status_code == 200 and 'class="framing-s' in reader.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "filters",
    [
        q.Filters(),
        q.Filters(outlets=("Daily Planet",)),
        q.Filters(since="2022-01-25"),
        q.Filters(kind="country"),
        # Whole months, days, and months minus days (periods.plan): the sample's articles are
        # dated 2022-01-20, 2022-02-01 and 2022-02-02, so each part includes or drops one.
        q.Filters(since="2022-01-01", until="2022-02-01"),
        q.Filters(until="2022-01-19"),
        q.Filters(since="2022-01-15", until="2022-02-27"),
        q.Filters(since="2022-02", until="2022-02"),
        q.Filters(since="2022-01-20", until="2022-01-20", kind="country"),
        q.Filters(outlets=("Daily Planet",), since="2022-01-02", until="2022-02-01"),
    ],
)
async def test_summary_tables_and_raw_rows_agree(sds, filters):
    """The pages read the loader's summary tables; they must give what the raw rows give."""
    db = sds.get_database("sample")
    assert await q.has_summaries(db)

    def key(rows, *cols):
        return {tuple(r[c] for c in cols): r for r in rows}

    for fast, slow, cols in (
        (q.actor_summary, q.actor_summary_raw, ("actor_id",)),
        (q.actor_outlet_summary, q.actor_outlet_summary_raw, ("actor_id", "outlet")),
    ):
        a, b = key(await fast(db, filters), *cols), key(await slow(db, filters), *cols)
        assert a.keys() == b.keys()
        for k in a:
            for col in ("mentions", "quotes", "scored", "negative", "neutral", "positive", "agent", "patient", "headline"):
                assert a[k][col] == b[k][col], (k, col)
            assert a[k]["sentiment_mean"] == pytest.approx(b[k]["sentiment_mean"], abs=1e-9)
            assert a[k]["sentiment_sumsq"] == pytest.approx(b[k]["sentiment_sumsq"], abs=1e-9)
    fast_outlets = {r["outlet"]: r for r in await q.outlet_summary(db, filters)}
    slow_outlets = {r["outlet"]: r for r in await q.outlet_summary_raw(db, filters)}
    assert fast_outlets.keys() == slow_outlets.keys()
    for k, row in fast_outlets.items():
        for col, value in row.items():
            assert value == pytest.approx(slow_outlets[k][col]), (k, col)
    def rows(found):
        return sorted(tuple(r.values()) for r in found)

    everyone = tuple(sorted({r["actor_id"] for r in await q.actor_summary_raw(db, q.Filters())}))
    for fast, slow in ((q.cue_classes_by_speaker, q.cue_classes_by_speaker_raw), (q.frames_by_actor, q.frames_by_actor_raw)):
        assert rows(await fast(db, filters, everyone)) == rows(await slow(db, filters))
    assert rows(await q.frames_by_outlet(db, filters)) == rows(await q.frames_by_outlet_raw(db, filters))
    top = {}
    for r in await q.speakers_by_outlet_raw(db, filters):
        top.setdefault(r["outlet"], []).append(r)
    assert rows(await q.speakers_by_outlet(db, filters, top=2)) == rows(r for found in top.values() for r in found[:2])
    for actor_id in everyone:
        assert rows(await q.actor_frames_by_outlet(db, filters, (actor_id,))) == rows(await q.actor_frames_by_outlet_raw(db, filters, (actor_id,)))
        fast_cues = await q.actor_cues_by_outlet(db, filters, actor_id)
        assert all(r["n"] > 0 for r in fast_cues)
        scope = q.Filters(outlets=filters.outlets, since=filters.since, until=filters.until)  # no kind: one actor
        raw_quotes = {r["actor_id"]: r["quotes"] for r in await q.actor_summary_raw(db, scope)}
        assert sum(r["n"] for r in fast_cues) == raw_quotes.get(actor_id, 0)


@pytest.mark.asyncio
async def test_summary_tables_and_raw_rows_agree_on_the_seeds(ds):
    await ds.invoke_startup()
    db = ds.get_database(next(n for n in ds.databases if n != "_internal"))
    fast = {r["actor_id"]: r for r in await q.actor_summary(db, q.Filters())}
    slow = {r["actor_id"]: r for r in await q.actor_summary_raw(db, q.Filters())}
    assert fast.keys() == slow.keys()
    for k in fast:
        assert (fast[k]["mentions"], fast[k]["quotes"], fast[k]["scored"]) == (slow[k]["mentions"], slow[k]["quotes"], slow[k]["scored"])


@pytest.mark.asyncio
async def test_confidence_setting_changes_the_interval(sample_db_path):
    widths = {}
    for level in (0.8, 0.95):
        ds = Datasette([str(sample_db_path)], metadata={"plugins": {"datasette-framing": {"confidence": level}}})
        data = (await ds.client.get("/sample/-/framing.json")).json()
        russia = next(a for a in data["actors"] if a["actor_id"] == "russia")
        widths[level] = russia["sentiment_high"] - russia["sentiment_low"]
        html = (await ds.client.get("/sample/-/framing/actors/russia")).text
        assert f"{level:.0%} interval" in html
    assert widths[0.8] < widths[0.95]


def test_method_notes_render_markdown_without_raw_html():
    from datasette_framing.methods_text import render_markdown

    html = str(render_markdown("# Notes\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) and *words*\n"))
    assert "<h1>Notes</h1>" in html and "<em>words</em>" in html
    assert "<script>" not in html and 'href="javascript:' not in html


@pytest.mark.asyncio
async def test_a_query_past_the_time_limit_is_a_clear_400_not_a_500(sds, monkeypatch):
    from datasette.database import QueryInterrupted

    db = sds.get_database("sample")
    original = db.execute

    async def slow(sql, *args, **kwargs):
        if "mentions" in sql:
            raise QueryInterrupted(Exception("interrupted"), sql, {})
        return await original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute", slow)
    for path in ("/sample/-/framing", "/sample/-/framing.json", "/sample/-/framing/sentences?actor=russia"):
        r = await sds.client.get(path)
        assert r.status_code == 400, path
        assert "sql_time_limit_ms" in r.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "scope",
    [q.Filters(), q.Filters(since="2022-01-25"), q.Filters(since="2022-01-15", until="2022-02-01"), q.Filters(until="2022-01-19")],
)
async def test_drill_down_counts_from_summaries_match_the_rows_listed(sds, scope):
    """The count above a drill-down comes from the summaries when they can say it: it must be
    the number of rows the drill-down then lists, for every filter the summaries count."""
    db = sds.get_database("sample")
    everyone = tuple(sorted({r["actor_id"] for r in await q.actor_summary_raw(db, q.Filters())}))
    outlets = await q.outlets(db)
    checked = 0
    for actor_id in everyone:
        for outlet in (None, *outlets):
            for extra in ({}, {"polarity": -1}, {"polarity": 0}, {"polarity": 1}, {"role": "agent"}, {"role": "patient"}, {"prominence": "headline"}, {"prominence": "body"}):
                f = q.MentionFilters(actor_id=actor_id, outlet=outlet, **extra)
                n, exact = await q.mention_count(db, scope, f)
                listed = [r async for chunk in q.mention_stream(db, scope, f) for r in chunk]
                assert exact and n == len(listed), (actor_id, outlet, extra, n, len(listed))
                checked += n
            for extra in ({}, {"cue_class": "neutral"}, {"cue": "say"}, {"cue_class": "none"}):
                f = q.QuoteFilters(speaker_id=actor_id, outlet=outlet, **extra)
                n, exact = await q.quote_count(db, scope, f)
                listed = [r async for chunk in q.quote_stream(db, scope, f) for r in chunk]
                assert exact and n == len(listed), (actor_id, outlet, extra, n, len(listed))
    if scope == q.Filters():
        assert checked > 0


@pytest.mark.asyncio
async def test_actor_label_view_from_summaries_equals_the_one_from_every_count(sds):
    """Unfiltered, the actor page takes its top and distinctive labels from actor_outlet_labels
    and label_log_odds; they must be what every label count gives."""
    db = sds.get_database("sample")
    everyone = sorted({r["actor_id"] for r in await q.actor_summary_raw(db, q.Filters())})
    compared = 0
    for actor_id in everyone:
        tops = await page_data.actor_label_view(db, q.Filters(), actor_id)
        full = page_data.label_view_from_counts(await q.actor_labels_by_outlet(db, q.Filters(since="0001"), actor_id))
        assert tops == full, actor_id
        compared += sum(len(v["top"]) for v in full.values())
    assert compared > 0


@pytest.mark.asyncio
async def test_actor_label_view_on_the_seeds_has_distinctive_labels_and_matches(ds):
    await ds.invoke_startup()
    db = ds.get_database(next(n for n in ds.databases if n != "_internal"))
    top = [r["actor_id"] for r in (await q.actor_summary(db, q.Filters()))[:12]]
    distinctive = 0
    for actor_id in top:
        tops = await page_data.actor_label_view(db, q.Filters(), actor_id)
        # Every count, read from the labels table (a range covering all dates reads it row by row).
        full = page_data.label_view_from_counts(await q.actor_labels_by_outlet(db, q.Filters(since="0001"), actor_id))
        assert tops == full, actor_id
        distinctive += sum(len(v["distinctive"]) for v in full.values())
    assert distinctive > 0


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["", "?since=2022-01-25", "?outlet=Daily+Planet"])
async def test_dashboard_lists_the_first_actors_of_the_full_ranking(sds, monkeypatch, query):
    """The default dashboard reads only the actors it lists (LIMIT in SQL); they must be the
    head of the full ranking, and its total the full count."""
    from datasette_framing import views

    monkeypatch.setattr(views, "ACTOR_ROWS", 1)
    page = (await sds.client.get(f"/sample/-/framing.json{query}")).json()
    sep = "&" if query else "?"
    full = (await sds.client.get(f"/sample/-/framing.json{query}{sep}_actors=all")).json()
    assert len(full["actors"]) == full["actors_total"] == page["actors_total"] > 1
    assert [a["actor_id"] for a in page["actors"]] == [a["actor_id"] for a in full["actors"]][:1]
    assert page["all_actors_json_url"].endswith("_actors=all") or "_actors=all" in page["all_actors_json_url"]
    assert page["chart_actors"] == full["chart_actors"]


@pytest.mark.asyncio
async def test_has_summaries_is_asked_once_per_request_and_again_for_the_next(sds, monkeypatch):
    db = sds.get_database("sample")
    asked = []
    real = q._rows

    async def counting(db_, sql, params=None):
        if "EXISTS (SELECT 1 FROM outlet_stats)" in sql:
            asked.append(sql)
        return await real(db_, sql, params)

    monkeypatch.setattr(q, "_rows", counting)
    token = q.request_scope()
    try:
        assert await q.has_summaries(db) and await q.has_summaries(db)
    finally:
        q.end_request_scope(token)
    assert len(asked) == 1
    assert await q.has_summaries(db)  # outside a request: asked every time
    assert len(asked) == 2
    await sds.client.get("/sample/-/framing/actors/russia.json")
    await sds.client.get("/sample/-/framing/actors/russia.json")
    assert len(asked) == 4


@pytest.mark.asyncio
async def test_gather_waits_for_every_query_then_raises_the_first_error():
    import asyncio

    finished = []

    async def slow():
        await asyncio.sleep(0.01)
        finished.append("slow")
        return 1

    async def fails():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await page_data.gather(fails(), slow())
    assert finished == ["slow"]
    assert await page_data.gather(slow(), slow()) == [1, 1]


@pytest.mark.asyncio
async def test_links_extend_is_the_url_of_all_the_parameters_at_once(sds):
    from datasette_framing.views import Links

    links = Links(sds, "sample")
    tricky = "a&b c/ü?=#<x>'\""
    for base_params, extra in [
        ({"actor": "russia"}, {"polarity": -1}),
        ({"actor": "rus sia", "outlet": tricky, "since": "2022-01"}, {"label": tricky, "role": None}),
        ({"speaker": "x"}, {"cue": "", "cue_class": "neutral"}),
        ({}, {"frame": "conflict"}),
        ({"actor": "x"}, {}),
    ]:
        assert links.extend(links.sentences(**base_params), **extra) == links.sentences(**base_params, **extra)


@pytest.mark.asyncio
async def test_side_table_links_are_the_links_a_cell_would_build_itself(sds):
    """framing_outlet_columns.html joins a column's base URL and one quoted parameter: the
    same URL Links builds from all the parameters, escaped the same way."""
    from markupsafe import escape

    from datasette_framing.views import Links, render_fragment, with_drill_links

    links = Links(sds, "sample")
    tricky = "a&b c/ü?=#<script>'\""
    filters = q.Filters(since="2022-01-02", until="2022-03")
    column = {
        "heading": tricky, "actor_id": "rus&sia", "outlet": tricky, "articles": 1, "mentions": 3, "scored": 3,
        "negative": 1, "neutral": 1, "positive": 1, "agent": 1, "patient": 1, "agent_share": 0.3, "patient_share": 0.3,
        "headline": 1, "quotes": 2, "voice_share": 0.5, "sentiment_mean": 0.1, "sentiment_low": -0.2, "sentiment_high": 0.3,
        "too_few": False, "prominence": {"headline": 1, "body": 2},
        "cues": [{"name": tricky, "n": 2}, {"name": "", "n": 1}], "cue_classes": [{"name": "neutral", "n": 2}],
        "labels": [{"name": tricky, "n": 1}], "distinctive_labels": [{"label": "tyrant", "z": 2.5, "n": 1}],
        "frames": [{"name": "human_interest", "n": 1}],
    }
    html = render_fragment(
        sds, "framing_outlet_columns.html",
        {"columns": with_drill_links([column], links, filters), "links": links, "level": 0.95,
         "scope": page_data._scope_params(filters)},
    )
    scope = {"since": filters.since, "until": filters.until}

    def drill(**extra):
        return str(escape(links.sentences(actor="rus&sia", outlet=tricky, **scope, **extra)))

    def qdrill(**extra):
        return str(escape(links.sentences(speaker="rus&sia", outlet=tricky, **scope, **extra)))

    expected = [
        drill(), drill(polarity=-1), drill(polarity=0), drill(polarity=1), drill(role="agent"), drill(role="patient"),
        drill(prominence="headline"), drill(prominence="body"), qdrill(), qdrill(cue=tricky), qdrill(cue=""),
        qdrill(cue_class="neutral"), drill(label=tricky), drill(label="tyrant"), drill(frame="human_interest"),
    ]
    hrefs = set(re.findall(r'href="([^"]*)"', str(html)))
    assert set(expected) <= hrefs
    assert hrefs <= set(expected)
    assert "<script>" not in str(html)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "filters",
    [
        q.Filters(since="2022-01-15", until="2022-02-27"),
        q.Filters(since="2022-01-20", until="2022-02-01"),
        q.Filters(since="2022-02-02"),
        q.Filters(outlets=("Daily Planet", "Daily Bugle"), since="2022-01-02", until="2022-02-01"),
    ],
)
async def test_cue_verbs_labels_and_speakers_over_days_agree_with_the_rows(sds, monkeypatch, filters):
    """The days at the ends of a range come from the per-outlet day summaries
    (actor_outlet_day_cues / _labels, outlet_speaker_days): the same as the raw rows."""
    db = sds.get_database("sample")
    everyone = tuple(sorted({r["actor_id"] for r in await q.actor_summary_raw(db, q.Filters())}))

    def rows(found):
        return sorted(tuple(r.values()) for r in found)

    fast = {}
    for actor_id in everyone:
        fast[actor_id] = (
            rows(await q.actor_cues_by_outlet(db, filters, actor_id)),
            rows(await q.actor_labels_by_outlet(db, filters, actor_id)),
        )
    fast_speakers = rows(await q.speakers_by_outlet(db, filters, top=5))

    async def no_summaries(db_):
        return False

    monkeypatch.setattr(q, "has_summaries", no_summaries)
    assert any(cues or labels for cues, labels in fast.values())
    for actor_id in everyone:
        assert fast[actor_id] == (
            rows(await q.actor_cues_by_outlet(db, filters, actor_id)),
            rows(await q.actor_labels_by_outlet(db, filters, actor_id)),
        ), actor_id
    assert fast_speakers == rows(await q.speakers_by_outlet(db, filters, top=5))


@pytest.mark.asyncio
async def test_dashboard_says_when_summary_tables_are_missing(seeded_db_copy):
    """A database built by an older version lacks newer summary tables: the pages still answer
    (from the raw rows) and the dashboard says which tables are missing and how to add them."""
    conn = sqlite3.connect(seeded_db_copy)
    conn.execute("DROP TABLE actor_outlet_day_stats")
    conn.commit()
    conn.close()
    ds = Datasette([str(seeded_db_copy)])
    name = seeded_db_copy.stem
    page = await ds.client.get(f"/{name}/-/framing")
    assert page.status_code == 200
    assert 'class="framing-stale"' in page.text
    assert "actor_outlet_day_stats" in page.text and "datasette-framing rebuild" in page.text


@pytest.mark.asyncio
async def test_dashboard_of_a_current_database_has_no_stale_note(seeded_db_path):
    ds = Datasette([str(seeded_db_path)])
    page = await ds.client.get(f"/{seeded_db_path.stem}/-/framing")
    assert page.status_code == 200 and 'class="framing-stale"' not in page.text
