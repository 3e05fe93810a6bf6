"""The plugin inside Datasette: installed, static files, links (base_url), sentiment cells, config at startup."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from datasette.app import Datasette
from datasette.utils import StartupError

from datasette_framing import config, integration
from datasette_framing.pipeline import sentiment

SPAN = re.compile(r'<span class="framing-sentiment framing-sentiment-(\w+)"[^>]*>([^<]*) <small>(\w+)</small></span>')


@pytest.fixture(scope="module")
def other_db(tmp_path_factory):
    """A database that is not a framing database (but has a table named like one)."""
    path = tmp_path_factory.mktemp("other") / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table mentions (id text primary key, sentiment real)")
    conn.execute("insert into mentions values ('x', -0.9)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.asyncio
async def test_plugin_is_installed(ds):
    plugins = (await ds.client.get("/-/plugins.json")).json()
    ours = [p for p in plugins if p["name"] == "datasette-framing"]
    assert ours, plugins
    for hook in ("prepare_connection", "canned_queries", "render_cell", "menu_links", "table_actions", "database_actions", "startup"):
        assert hook in ours[0]["hooks"]


@pytest.mark.asyncio
@pytest.mark.parametrize("name,kind", [("framing.js", "javascript"), ("framing.css", "css")])
async def test_static_files_are_served(ds, name, kind):
    response = await ds.client.get(f"/-/static-plugins/datasette_framing/{name}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert len(response.text) > 100


@pytest.mark.asyncio
async def test_links_respect_base_url(seeded_db_path):
    ds = Datasette([str(seeded_db_path)], settings={"base_url": "/prefix/"})
    for path in ("/framing", "/framing/mentions"):
        html = (await ds.client.get(path)).text
        assert 'href="/prefix/framing/-/framing"' in html, path
        assert 'href="/framing/-/framing"' not in html, path


@pytest.mark.asyncio
async def test_menu_links_straight_to_the_only_dashboard(ds):
    html = (await ds.client.get("/")).text
    assert '<a href="/framing/-/framing">Framing dashboard</a>' in html


@pytest.mark.asyncio
async def test_menu_links_to_the_index_when_several_databases(seeded_db_path, seeded_db_copy):
    second = seeded_db_copy.with_name("second.db")
    seeded_db_copy.rename(second)
    ds = Datasette([str(seeded_db_path), str(second)])
    html = (await ds.client.get("/")).text
    assert '<a href="/-/framing">Framing dashboards</a>' in html


@pytest.mark.asyncio
async def test_no_menu_link_without_a_framing_database(other_db):
    ds = Datasette([str(other_db)])
    html = (await ds.client.get("/")).text
    assert "Framing dashboard" not in html


@pytest.mark.asyncio
async def test_actions_on_framing_database_and_tables_only(seeded_db_path, other_db):
    ds = Datasette([str(seeded_db_path), str(other_db)])
    link = '<a href="/framing/-/framing">Framing dashboard</a>'
    # Once in the navigation menu (every page), once more in the action menu of framing pages.
    for path in ("/framing", "/framing/mentions", "/framing/actor_outlet_stats"):
        assert (await ds.client.get(path)).text.count(link) == 2, path
    for path in ("/other", "/other/mentions"):
        assert (await ds.client.get(path)).text.count(link) == 1, path


# ------------------------------------------------------------- sentiment cells


@pytest.mark.asyncio
async def test_sentiment_cells_are_coloured_and_labelled(ds):
    html = (await ds.client.get("/framing/mentions", params={"_size": "50", "_sort": "sentiment"})).text
    spans = SPAN.findall(html)
    assert spans, "no sentiment cells rendered"
    for css, shown, label in spans:
        assert css == label and label in ("negative", "neutral", "positive")
    assert "negative" in {label for _, _, label in spans}


@pytest.mark.asyncio
async def test_summary_and_sentence_scores_are_rendered(ds):
    assert SPAN.search((await ds.client.get("/framing/actor_outlet_stats")).text)
    assert SPAN.search((await ds.client.get("/framing/sentences")).text)


@pytest.mark.asyncio
async def test_other_columns_and_query_results_are_left_alone(ds):
    html = (await ds.client.get("/framing/actors")).text
    assert "framing-sentiment" not in html
    html = (await ds.client.get("/framing", params={"sql": "select sentiment from mentions limit 5"})).text
    assert "framing-sentiment" not in html


@pytest.mark.asyncio
async def test_cells_can_be_switched_off(seeded_db_path):
    ds = Datasette([str(seeded_db_path)], metadata={"plugins": {"datasette-framing": {"render_cell": False}}})
    assert "framing-sentiment" not in (await ds.client.get("/framing/mentions")).text


@pytest.mark.asyncio
async def test_databases_setting_limits_cells(seeded_db_path, other_db):
    ds = Datasette([str(seeded_db_path), str(other_db)], metadata={"plugins": {"datasette-framing": {"databases": ["framing"]}}})
    assert "framing-sentiment" in (await ds.client.get("/framing/mentions")).text
    assert "framing-sentiment" not in (await ds.client.get("/other/mentions")).text


@pytest.mark.parametrize(
    "value,column,label",
    [
        (-1, "polarity", "negative"),
        (0, "polarity", "neutral"),
        (1, "polarity", "positive"),
        (0.04, "compound", "neutral"),
        (0.05, "compound", "positive"),
        (-0.05, "compound_mean", "negative"),
        (0.3, "mean_sentiment", None),
        (-0.1, "sentiment", None),
        (0.1, "ci_low", None),
    ],
)
def test_cell_label(value, column, label):
    expected = label or integration.LABELS[sentiment.polarity(value)]
    html = str(integration.sentiment_html(value, column))
    assert f"<small>{expected}</small>" in html
    assert integration.COLOURS[integration.label_of(value, column)] in html


def test_score_columns_come_from_schema():
    cols = integration.sentiment_columns()
    assert cols["mentions"] == {"sentiment", "polarity"}
    assert cols["sentences"] == {"compound"}
    assert "sentiment_sum" not in cols.get("actor_outlet_stats", ())
    assert {"mean_sentiment", "ci_low", "ci_high"} <= cols.get("actor_outlet_stats", set())


def test_render_cell_ignores_non_numbers():
    class Fake:
        def plugin_config(self, *a, **k):
            return None

    for value in (None, "0.5", b"x", True, float("nan"), float("inf")):
        assert integration.render_cell(Fake(), "framing", "mentions", "sentiment", value) is None
    assert integration.render_cell(Fake(), "framing", None, "sentiment", 0.5) is None
    assert integration.render_cell(Fake(), "framing", "mentions", "surface", 0.5) is None
    assert integration.render_cell(Fake(), "framing", "mentions", "sentiment", 0.5) is not None


# ------------------------------------------------------------- configuration


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "plugin_config,message",
    [
        ({"min_mention": 3}, "unknown setting 'min_mention'"),
        ({"min_mentions": 0}, "min_mentions must be a whole number of at least 1"),
        ({"min_mentions": "5"}, "min_mentions must be a whole number"),
        ({"confidence": 95}, "confidence must be a number from 0.5"),
        ({"canned_queries": "yes"}, "canned_queries must be true or false"),
        ({"render_cell": 1}, "render_cell must be true or false"),
        ({"max_text_chars": -1}, "max_text_chars must be a whole number"),
        ({"databases": "framing"}, "databases must be a list of database names"),
        ({"databases": ["nope"]}, "names 'nope', which is not being served"),
        ({"lexicon_dir": 3}, "lexicon_dir must be a folder path"),
        ({"lexicon_dir": "/no/such/folder"}, "lexicon_dir: no such folder: /no/such/folder"),
        (["not", "a", "mapping"], "must be a mapping of settings"),
    ],
)
async def test_bad_config_fails_at_startup(seeded_db_path, plugin_config, message):
    ds = Datasette([str(seeded_db_path)], metadata={"plugins": {"datasette-framing": plugin_config}})
    with pytest.raises(StartupError, match=re.escape(message)):
        await ds.invoke_startup()


@pytest.mark.asyncio
async def test_bad_database_level_config_names_the_database(seeded_db_path):
    ds = Datasette(
        [str(seeded_db_path)],
        metadata={"databases": {"framing": {"plugins": {"datasette-framing": {"confidence": 2}}}}},
    )
    with pytest.raises(StartupError, match=r"databases\.framing\.plugins\.datasette-framing\.confidence"):
        await ds.invoke_startup()


@pytest.mark.asyncio
async def test_shipped_config_starts(ds):
    await ds.invoke_startup()
    assert config.get_config(ds)["min_mentions"] == config.DEFAULTS["min_mentions"]


def test_get_config_merges_database_over_root():
    ds = Datasette(
        [],
        metadata={
            "plugins": {"datasette-framing": {"min_mentions": 7}},
            "databases": {"x": {"plugins": {"datasette-framing": {"min_mentions": 3}}}},
        },
    )
    assert config.get_config(ds)["min_mentions"] == 7
    assert config.get_config(ds, "x")["min_mentions"] == 3
    assert config.get_config(ds, "x")["render_cell"] is True


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_max_text_chars_reaches_the_sql_functions(seeded_db_path):
    ds = Datasette([str(seeded_db_path)], metadata={"plugins": {"datasette-framing": {"max_text_chars": 20}}})
    ok = await ds.client.get("/framing.json", params={"sql": "select framing_vader('short and sweet')", "_shape": "array"})
    assert ok.status_code == 200
    refused = await ds.client.get("/framing.json", params={"sql": "select framing_vader('this text is much longer than twenty')"})
    assert refused.status_code == 400
    assert refused.json()["ok"] is False


def test_plugin_import_stays_light():
    code = (
        "import sys, sqlite3, datasette_framing.plugin as p, datasette_framing.sql_functions as f;"
        "f.register(sqlite3.connect(':memory:'));"
        "heavy = [m for m in ('vaderSentiment', 'textstat', 'trafilatura') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"loading the plugin imported {out}"


@pytest.mark.asyncio
async def test_every_template_loader_can_be_listed(seeded_db_path):
    """``datasette serve`` lists all templates at start-up (to find ``pages/`` routes): a loader
    of ours that cannot be listed stops the server before it answers anything."""
    ds = Datasette([str(seeded_db_path)])
    await ds.invoke_startup()
    names = ds.jinja_env.list_templates()
    assert "query.html" in names and "framing_dashboard.html" in names
    ds.app()  # builds the router, as the server does


def test_startup_freezes_the_heap_once(seeded_db_path):
    """After start-up, full garbage collections skip the long-lived objects (pages' p95 was
    decided by one 70-110 ms collection); a second Datasette in the process freezes nothing more."""
    code = (
        "import asyncio, gc\n"
        "from datasette.app import Datasette\n"
        f"path = {str(seeded_db_path)!r}\n"
        "before = gc.get_freeze_count()\n"
        "asyncio.run(Datasette([path]).invoke_startup())\n"
        "first = gc.get_freeze_count()\n"
        "asyncio.run(Datasette([path]).invoke_startup())\n"
        "print(before, first, gc.get_freeze_count())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    before, first, second = map(int, out)
    assert before == 0 and first > 10_000
    assert second == first
