"""Framing pages, their JSON/CSV, canned queries and SQL functions obey Datasette's permissions.

Permissions come from ``allow`` blocks in metadata, as users write them; the
actor is a signed ``ds_actor`` cookie, as Datasette's own login plugins set it.
A database, table or instance the actor may not view must give 403 or 404 on
every plugin route, and nothing of its data may appear in the response.
"""

from __future__ import annotations

import copy
import html
import sqlite3

import pytest
from datasette.app import Datasette

from datasette_framing import canned_queries
from framing_samples import plugin_urls

QUERY_NAMES = [q.name for q in canned_queries.QUERIES]
EDITOR = {"id": "editor"}
#: Formats a route matches but the view does not offer: a 400 naming the right format, for everyone.
NO_SUCH_FORMAT = {"/-/framing.csv"}


@pytest.fixture(scope="module")
def seed_facts(seeded_db_path):
    """Ids for the routes, and data strings that must never appear to someone without access."""
    conn = sqlite3.connect(seeded_db_path)
    actor_id, actor_name = conn.execute(
        "select m.actor_id, a.name from mentions m join actors a on a.id = m.actor_id "
        "group by m.actor_id order by count(*) desc limit 1"
    ).fetchone()
    article_id = conn.execute("select article_id from mentions group by article_id order by count(*) desc limit 1").fetchone()[0]
    secrets = [r[0] for r in conn.execute("select title from articles where title is not null order by id limit 5")]
    secrets += [r[0] for r in conn.execute(
        "select text from sentences where length(text) > 40 order by id limit 5"
    )]
    conn.close()
    return {"actor": actor_id, "actor_name": actor_name, "article": article_id, "secrets": secrets}


def urls(facts):
    out = []
    for url in plugin_urls({"database": "framing", "actor": facts["actor"], "article": facts["article"]}):
        if "/sentences" in url or "/compare" in url:
            url += f"?actor={facts['actor']}"
        out.append(url)
    return out


def datasette_with(seeded_db_path, metadata, extra):
    meta = copy.deepcopy(metadata)
    for path, value in extra:
        node = meta
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return Datasette([str(seeded_db_path)], metadata=meta)


def cookies(ds, actor):
    return {"ds_actor": ds.sign({"a": actor}, "actor")} if actor else {}


def assert_nothing_leaks(response, facts):
    body = response.text
    for secret in facts["secrets"]:
        for form in {secret, html.escape(secret), html.escape(secret, quote=False)}:
            assert form[:60] not in body, f"{response.url} leaks {secret[:40]!r}"


# ------------------------------------------------------------- a private database


@pytest.fixture
def private_db(seeded_db_path, metadata):
    return datasette_with(seeded_db_path, metadata, [(("databases", "framing", "allow"), EDITOR)])


@pytest.mark.asyncio
async def test_private_database_is_closed_on_every_plugin_route(private_db, seed_facts):
    for url in urls(seed_facts):
        response = await private_db.client.get(url)
        if url.startswith("/-/framing"):
            # The instance-wide index stays open (400 for a format it does not offer)
            # but must not list the database.
            assert response.status_code in (200, 400), url
            assert "/framing/-/framing" not in response.text, url
            assert '"framing"' not in response.text, url
        else:
            assert response.status_code in (403, 404), f"{url}: {response.status_code}"
        assert_nothing_leaks(response, seed_facts)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", QUERY_NAMES)
async def test_private_database_closes_canned_queries(private_db, seed_facts, name):
    for suffix in ("", ".json", ".csv"):
        response = await private_db.client.get(f"/framing/{name}{suffix}")
        assert response.status_code == 403, f"{name}{suffix}"
        assert_nothing_leaks(response, seed_facts)


@pytest.mark.asyncio
async def test_private_database_closes_sql_functions(private_db):
    response = await private_db.client.get("/framing.json", params={"sql": "select framing_vader('good')"})
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_private_database_has_no_menu_or_action_link(private_db):
    page = await private_db.client.get("/")
    assert "/framing/-/framing" not in page.text
    assert "Framing dashboard" not in page.text


@pytest.mark.asyncio
async def test_signed_in_editor_sees_everything(private_db, seed_facts):
    jar = cookies(private_db, EDITOR)
    for url in urls(seed_facts):
        response = await private_db.client.get(url, cookies=jar)
        expected = 400 if url in NO_SUCH_FORMAT else 200
        assert response.status_code == expected, f"{url}: {response.status_code} {response.text[:200]}"
    index = await private_db.client.get("/-/framing", cookies=jar)
    assert "/framing/-/framing" in index.text
    for name in QUERY_NAMES:
        assert (await private_db.client.get(f"/framing/{name}.json", cookies=jar)).status_code == 200
    home = await private_db.client.get("/", cookies=jar)
    assert '<a href="/framing/-/framing">Framing dashboard</a>' in home.text


@pytest.mark.asyncio
async def test_other_actors_and_forged_cookies_are_refused(private_db, seed_facts):
    dashboard = "/framing/-/framing"
    someone_else = cookies(private_db, {"id": "intruder"})
    assert (await private_db.client.get(dashboard, cookies=someone_else)).status_code == 403
    other_signer = Datasette([], secret="not-the-same-secret")
    forged = {"ds_actor": other_signer.sign({"a": EDITOR}, "actor")}
    response = await private_db.client.get(dashboard, cookies=forged)
    assert response.status_code == 403
    assert_nothing_leaks(response, seed_facts)


# ------------------------------------------------------------- a private instance


@pytest.mark.asyncio
async def test_private_instance_closes_every_route_and_query(seeded_db_path, metadata, seed_facts):
    ds = datasette_with(seeded_db_path, metadata, [(("allow",), EDITOR)])
    for url in urls(seed_facts) + [f"/framing/{n}.json" for n in QUERY_NAMES]:
        response = await ds.client.get(url)
        expected = (400, 403) if url in NO_SUCH_FORMAT else (403,)
        assert response.status_code in expected, f"{url}: {response.status_code}"
        assert_nothing_leaks(response, seed_facts)
    jar = cookies(ds, EDITOR)
    assert (await ds.client.get("/-/framing", cookies=jar)).status_code == 200
    assert (await ds.client.get("/framing/-/framing", cookies=jar)).status_code == 200


# ------------------------------------------------------------- a private table


@pytest.mark.asyncio
async def test_private_table_closes_the_pages_that_read_it(seeded_db_path, metadata, seed_facts):
    ds = datasette_with(seeded_db_path, metadata, [(("databases", "framing", "tables", "mentions", "allow"), EDITOR)])
    assert (await ds.client.get("/framing/mentions")).status_code == 403
    for url in urls(seed_facts):
        if url.startswith("/-/framing") or "/methods" in url:
            continue  # these pages do not read mentions
        response = await ds.client.get(url)
        assert response.status_code == 403, f"{url}: {response.status_code}"
        assert_nothing_leaks(response, seed_facts)
    assert (await ds.client.get("/framing/-/framing/methods")).status_code == 200
    assert (await ds.client.get("/framing/-/framing", cookies=cookies(ds, EDITOR))).status_code == 200
    # The menu offers the dashboard only to those who may open it.
    assert "/framing/-/framing" not in (await ds.client.get("/")).text
    assert "/framing/-/framing" in (await ds.client.get("/", cookies=cookies(ds, EDITOR))).text


# ------------------------------------------------------------- per-query and SQL permissions


@pytest.mark.asyncio
async def test_allow_block_on_one_canned_query(seeded_db_path, metadata):
    ds = datasette_with(
        seeded_db_path, metadata, [(("databases", "framing", "queries", "who_gets_quoted", "allow"), EDITOR)]
    )
    assert (await ds.client.get("/framing/who_gets_quoted.json")).status_code == 403
    assert (await ds.client.get("/framing/who_gets_quoted.json", cookies=cookies(ds, EDITOR))).status_code == 200
    assert (await ds.client.get("/framing/quotes_by_speaker.json")).status_code == 200
    listed = {q["name"] for q in (await ds.client.get("/framing.json")).json()["queries"]}
    assert "who_gets_quoted" not in listed and "quotes_by_speaker" in listed


@pytest.mark.asyncio
async def test_without_execute_sql_functions_are_unreachable_but_queries_run(seeded_db_path, metadata, seed_facts):
    ds = datasette_with(seeded_db_path, metadata, [(("databases", "framing", "allow_sql"), EDITOR)])
    assert (await ds.client.get("/framing.json", params={"sql": "select framing_vader('good')"})).status_code == 403
    assert (await ds.client.get("/framing/sentiment_by_outlet.json")).status_code == 200
    page = await ds.client.get("/framing/-/framing/sentences", params={"actor": seed_facts["actor"]})
    assert page.status_code == 200
    assert "?sql=" not in page.text, "a page offers SQL links to an actor who may not run SQL"
