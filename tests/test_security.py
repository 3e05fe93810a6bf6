"""Hostile content and hostile requests, through Datasette's test client.

Content: an article whose every text field (title, outlet, author, url, text),
an actor's name and alias, a load error and a run record hold script tags,
event-handler attributes, ``javascript:`` URLs, quote-breaking and
template-injection payloads.  Every framing page, its JSON and CSV, the canned
queries and Datasette's own table pages must render them inert.  (The browser
half of this, that no dialog opens and no script runs, is in test_browser.py.)

Requests: every plugin route with malformed, oversized and injection-style
parameters must answer 4xx with a message, never 500, and no parameter value
may ever reach the text of a SQL statement (they are bound).
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.database import Database

from datasette_framing import canned_queries
from framing_samples import add_actor, add_article, finish, insert, plugin_urls

#: Strings that must never reach a page as markup.
SCRIPT = "<script>alert('xss-script')</script>"
IMG = '"><img src=x onerror=alert("xss-img")>'
SVG = "'><svg onload=alert('xss-svg')>"
CLOSE = "</script><script>alert('xss-close')</script>"
TEMPLATE = "{{ 1000*1337 }}{% if true %}xss-jinja{% endif %}"
JS_URL = " JaVaScRiPt:alert('xss-url')"
PAYLOAD = f"{SCRIPT} {IMG} {SVG} {CLOSE} {TEMPLATE}"

#: Evidence that a payload was interpreted rather than shown as text.
LIVE = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img[^>]*onerror", re.I),
    re.compile(r"<svg[^>]*onload", re.I),
    re.compile(r"href\s*=\s*[\"']?\s*javascript:", re.I),
    re.compile(r"(?<![\d.])1337000(?![\d])"),
    re.compile(r"(?<!%\})(?<!%7D)xss-jinja"),  # the literal text, or URL-encoded, is fine
]

HOSTILE_ACTOR = "hostile-actor"
HOSTILE_ARTICLE = "hostile-article"


def inert(text: str) -> list[str]:
    return [p.pattern for p in LIVE if p.search(text)]


@pytest.fixture(scope="module")
def hostile_db(seeded_db_path, tmp_path_factory):
    """The seeded database plus one article (and actor, load error, run) made of payloads."""
    path = tmp_path_factory.mktemp("hostile") / "framing.db"
    src = sqlite3.connect(seeded_db_path)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    from framing_samples import create

    conn = create(path)
    conn.execute("BEGIN")
    add_actor(conn, HOSTILE_ACTOR, f"Evil {SCRIPT} {IMG}", "person", [f"the {SVG} leader", TEMPLATE])
    sentences = [
        f"Evil {SCRIPT} {IMG} attacked the city.",
        f"Evil said: {CLOSE} {TEMPLATE} is peace.",
        f"The {SVG} leader warned of war.",
    ]
    add_article(
        conn, HOSTILE_ARTICLE, title=f"Title {PAYLOAD}", outlet=f"Outlet {IMG} {SCRIPT}",
        author=f"Author {SVG} {TEMPLATE}", url=JS_URL, published="2022-02-25",
        standfirst=f"Standfirst {PAYLOAD}", licence=f"Licence {CLOSE}", caption=f"Caption {IMG}",
        sentences=sentences,
        mentions=[
            dict(sentence=0, actor_id=HOSTILE_ACTOR, surface=f"Evil {SCRIPT} {IMG}", role="agent",
                 prominence="first_paragraph", descriptors=[SCRIPT, TEMPLATE], sentiment=-0.7, polarity=-1,
                 evidence=[IMG]),
            dict(sentence=1, actor_id=HOSTILE_ACTOR, surface="Evil", role="speaker", prominence="body",
                 descriptors=[SVG], sentiment=0.1, polarity=0, evidence=[]),
            dict(sentence=2, actor_id=HOSTILE_ACTOR, surface=f"The {SVG} leader", role="speaker",
                 prominence="body", descriptors=[], sentiment=-0.2, polarity=-1, evidence=[TEMPLATE]),
        ],
        quotes=[
            dict(sentence=1, text=f"{CLOSE} {TEMPLATE} is peace", kind="direct", speaker_id=HOSTILE_ACTOR,
                 speaker_text="Evil", cue="said", cue_lemma="say", cue_class="neutral", resolution="named"),
            dict(sentence=2, text="of war", kind="indirect", speaker_id=HOSTILE_ACTOR,
                 speaker_text=f"The {SVG} leader", cue="warned", cue_lemma=f"warn{SCRIPT}", cue_class="warning",
                 resolution="role"),
        ],
        frames=[dict(sentence=0, frame="conflict", terms=[SCRIPT, "attacked"])],
    )
    insert(conn, "_framing_runs", id=9999, started="2022-02-25T00:00:00Z", version=f"v{SCRIPT}",
           options=json.dumps({"actors_file": PAYLOAD}), paths=json.dumps([PAYLOAD]))
    insert(conn, "load_errors", id=9999, run_id=9999, path=f"/tmp/{IMG}.txt", record=SVG, reason=f"Broken: {PAYLOAD}")
    conn.execute("COMMIT")
    finish(conn)
    conn.close()
    return path


@pytest.fixture
def hostile_ds(hostile_db, metadata):
    return Datasette([str(hostile_db)], metadata=metadata)


def hostile_urls():
    urls = []
    for url in plugin_urls({"database": "framing", "actor": HOSTILE_ACTOR, "article": HOSTILE_ARTICLE}):
        if "/sentences" in url or "/compare" in url:
            url += f"?actor={HOSTILE_ACTOR}"
        urls.append(url)
    outlet = f"Outlet {IMG} {SCRIPT}"
    from urllib.parse import quote

    urls += [
        f"/framing/-/framing?outlet={quote(outlet)}",
        f"/framing/-/framing/actors/{HOSTILE_ACTOR}?outlet={quote(outlet)}",
        f"/framing/-/framing/sentences?actor={HOSTILE_ACTOR}&outlet={quote(outlet)}",
    ]
    return urls


# ------------------------------------------------------------- hostile content


@pytest.mark.asyncio
async def test_hostile_content_is_inert_on_every_framing_page(hostile_ds):
    checked = 0
    for url in hostile_urls():
        response = await hostile_ds.client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.status_code != 200:
            continue
        ctype = response.headers["content-type"]
        if url.split("?")[0].endswith(".json"):
            assert ctype.startswith("application/json"), url
            json.loads(response.text)  # quote-breaking payloads did not break the JSON
        elif url.split("?")[0].endswith(".csv"):
            assert "html" not in ctype, url
        else:
            assert ctype.startswith("text/html"), url
            assert inert(response.text) == [], f"{url} renders a payload live: {inert(response.text)}"
            checked += 1
    assert checked >= 6


@pytest.mark.asyncio
async def test_hostile_article_is_really_shown(hostile_ds):
    """The payloads reach the pages as text (so the inertness above is not an empty page)."""
    html = (await hostile_ds.client.get(f"/framing/-/framing/articles/{HOSTILE_ARTICLE}")).text
    assert "&lt;script&gt;alert(" in html
    data = (await hostile_ds.client.get(f"/framing/-/framing/articles/{HOSTILE_ARTICLE}.json")).text
    assert "xss-script" in data
    actor = (await hostile_ds.client.get(f"/framing/-/framing/actors/{HOSTILE_ACTOR}")).text
    assert "Evil &lt;script&gt;" in actor


@pytest.mark.asyncio
async def test_javascript_url_is_never_a_link(hostile_ds):
    for url in (f"/framing/-/framing/articles/{HOSTILE_ARTICLE}", f"/framing/-/framing/actors/{HOSTILE_ACTOR}"):
        html = (await hostile_ds.client.get(url)).text
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.I), url


@pytest.mark.asyncio
async def test_http_urls_are_links(hostile_ds, seeded_db_path):
    """The other half of the rule: a real http(s) address is shown as a link."""
    conn = sqlite3.connect(seeded_db_path)
    article_id, url = conn.execute("select id, url from articles where url like 'https://%' limit 1").fetchone()
    conn.close()
    html = (await hostile_ds.client.get(f"/framing/-/framing/articles/{article_id}")).text
    from html import escape

    assert f'href="{escape(url)}"' in html


@pytest.mark.asyncio
async def test_hostile_content_is_inert_in_canned_queries_and_table_pages(hostile_ds):
    urls = [f"/framing/{q.name}?actor={HOSTILE_ACTOR}" for q in canned_queries.QUERIES]
    urls += ["/framing/articles", "/framing/actors", "/framing/aliases", "/framing/mentions?_sort=sentiment",
             "/framing/quotes", "/framing/load_errors", "/framing/_framing_runs", "/framing/labels",
             "/framing/actor_outlet_stats", f"/framing/articles/{HOSTILE_ARTICLE}"]
    shown = 0
    for url in urls:
        response = await hostile_ds.client.get(url)
        assert response.status_code == 200, url
        assert inert(response.text) == [], f"{url}: {inert(response.text)}"
        shown += "xss-" in response.text
    assert shown >= 5, "the payloads should be visible (escaped) on most of these pages"


# ------------------------------------------------------------- hostile requests

INJECTION = "zq' OR 1=1; DROP TABLE articles; --"
BAD_PARAMS = [
    {"outlet": INJECTION},
    {"since": "2022-13-45"},
    {"since": INJECTION},
    {"until": "yesterday"},
    {"since": "2022-02-24", "until": "2022-01-01"},
    {"kind": INJECTION},
    {"actor": INJECTION},
    {"actor": "../../etc/passwd"},
    {"outlet": "x" * 20_000},
    {"actor": "a\x00b"},
    {"outlet": ["o"] * 2_000},
    {"_format": "xml"},
    {"_sort": INJECTION},
    {"_size": "-1"},
    {"_size": "999999999999999999999"},
    {"speaker": INJECTION},
    {"frame": INJECTION},
    {"role": INJECTION},
    {"page": "-5"},
    {"_next": INJECTION},
]


@pytest.fixture
def recorded_sql(monkeypatch):
    """Every SQL text Datasette executes during the test (parameters are not part of it)."""
    seen: list[str] = []
    original = Database.execute

    async def execute(self, sql, *args, **kwargs):
        seen.append(sql)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", execute)
    return seen


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """The hand-built sample: every route works on it and pages render fast, for the request matrix."""
    from framing_samples import build_sample_db

    return build_sample_db(tmp_path_factory.mktemp("small") / "framing.db")


@pytest.mark.asyncio
@pytest.mark.parametrize("full", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["sampled", "full"])
async def test_hostile_parameters_on_every_route_get_4xx_or_a_page_never_500(small_db, metadata, recorded_sql, full):
    """The full matrix (every route x format x parameter) runs with the slow tests; by default each
    route x format gets every third hostile parameter, so every parameter meets every route."""
    ds = Datasette([str(small_db)], metadata=metadata)
    article, actor = "a1", "russia"
    conn = sqlite3.connect(small_db)
    before = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    routes = plugin_urls({"database": "framing", "actor": actor, "article": article})
    failures = []
    for i, url in enumerate(routes):
        for params in BAD_PARAMS if full else BAD_PARAMS[i % 3 :: 3]:
            response = await ds.client.get(url, params=params)
            if response.status_code >= 500:
                failures.append(f"{url} {str(params)[:80]}: {response.status_code}")
            elif response.status_code >= 400:
                body = response.text
                if not re.search(r"[A-Za-z]{4,}.*[A-Za-z]{4,}", body):
                    failures.append(f"{url} {str(params)[:80]}: {response.status_code} without a message")
    assert failures == [], "\n".join(failures[:30])
    assert recorded_sql, "no SQL was recorded: the check below would prove nothing"
    spliced = [sql for sql in recorded_sql if "zq'" in sql or "DROP TABLE" in sql.upper()]
    assert spliced == [], f"a parameter reached SQL text: {spliced[:2]}"
    conn = sqlite3.connect(small_db)
    assert conn.execute("select count(*) from articles").fetchone()[0] == before
    conn.close()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path,statuses",
    [
        ("/framing/-/framing/actors/no-such-actor", (404,)),
        ("/framing/-/framing/actors/no-such-actor.json", (404,)),
        ("/framing/-/framing/articles/no-such-article", (404,)),
        # Datasette redirects %2F and friends to its tilde encoding first; the target is then missing.
        ("/framing/-/framing/articles/..%2F..%2Fetc%2Fpasswd", (404,)),
        ("/framing/-/framing/articles/%00", (400, 404)),
        ("/framing/-/framing/actors/%ff%fe", (400, 404)),
        ("/nosuchdb/-/framing", (404,)),
        ("/nosuchdb/-/framing/methods.json", (404,)),
        ("/framing/-/framing.xml", (400, 404)),
        ("/framing/-/framing/actors/" + "a" * 5000, (400, 404)),
    ],
)
async def test_missing_or_malformed_paths_get_4xx_with_a_message(ds, path, statuses):
    response = await ds.client.get(path, follow_redirects=True)
    assert response.status_code in statuses, f"{path}: {response.status_code}"
    assert re.search(r"[Nn]ot found|[Nn]o such|not a framing|[Ii]nvalid|too long|[Uu]nknown|must be", response.text), response.text[:300]


@pytest.mark.asyncio
@pytest.mark.parametrize("name", [q.name for q in canned_queries.QUERIES])
async def test_canned_queries_bind_hostile_parameters(ds, name, recorded_sql):
    query = next(q for q in canned_queries.QUERIES if q.name == name)
    params = {p: INJECTION for p in query.params}
    response = await ds.client.get(f"/framing/{name}.json", params={**params, "_shape": "array"})
    assert response.status_code == 200
    assert response.json() == []
    long = await ds.client.get(f"/framing/{name}.json", params={p: "x" * 10_000 for p in query.params})
    assert long.status_code < 500
    assert not [sql for sql in recorded_sql if "zq'" in sql]


@pytest.mark.asyncio
async def test_sql_functions_refuse_oversized_input_with_an_error_not_a_crash(ds):
    sql = "select framing_vader(printf('%.*c', 2000000, 'x'))"
    response = await ds.client.get("/framing.json", params={"sql": sql})
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["error"]
