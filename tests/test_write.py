"""The writer on real SQLite files: identity, replacement, atomicity, search indexes."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from datasette_framing import schema
from datasette_framing.pipeline import write
from datasette_framing.pipeline.analyze import analyze
from datasette_framing.pipeline.records import Mention
from datasette_framing.pipeline.run import run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "aljazeera-2022-01-20-blinken-lavrov.txt"


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t.name: conn.execute(f"SELECT count(*) FROM [{t.name}]").fetchone()[0] for t in schema.all_tables()}
    finally:
        conn.close()


def assert_consistent(path: Path) -> None:
    conn = write.connect(path)
    try:
        problems, _ = write.check_database(conn)
    finally:
        conn.close()
    assert problems == []


@pytest.fixture
def seeds_db(tmp_path) -> Path:
    db = tmp_path / "framing.db"
    summary = run([str(SEEDS)], str(db))
    assert summary.failed == 0
    return db


def test_seeds_load_every_table_and_invariant(seeds_db):
    conn = sqlite3.connect(seeds_db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
    for t in schema.all_tables():
        assert t.name in names
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{t.name}])")]
        assert set(t.column_names) <= set(cols)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    n_files = len(list(SEEDS.rglob("*.txt")))
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n_files
    # Every sentence's stored text is the slice of the article text its offsets name.
    bad = conn.execute(
        "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id "
        "WHERE substr(a.text, s.start + 1, s.end - s.start) != s.text"
    ).fetchone()[0]
    assert bad == 0
    bad = conn.execute(
        "SELECT count(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE substr(a.text, m.start + 1, m.end - m.start) != m.surface"
    ).fetchone()[0]
    assert bad == 0
    run_row = conn.execute("SELECT status, finished, loaded, sentences FROM _framing_runs").fetchone()
    assert run_row[0] == "finished" and run_row[1]
    assert run_row[2] == n_files
    assert run_row[3] == conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    conn.close()
    assert_consistent(seeds_db)


def test_full_text_search_finds_sentences_and_articles(seeds_db):
    conn = sqlite3.connect(seeds_db)
    word = "Ukraine"
    hits = conn.execute(
        "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", (word,)
    ).fetchone()[0]
    expected = conn.execute("SELECT count(*) FROM sentences WHERE text LIKE ?", (f"%{word}%",)).fetchone()[0]
    assert hits >= expected > 0
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (word,)).fetchone()[0] > 0
    # Datasette detects these as the tables' search indexes (content=[table]).
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sentences_fts'").fetchone()[0]
    assert "content=[sentences]" in sql
    conn.close()


def fts_hits(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Rowids each search index returns for a few words: what a search sees."""
    return {
        f"{t.name}:{word}": [r[0] for r in conn.execute(
            f"SELECT rowid FROM [{t.name}_fts] WHERE [{t.name}_fts] MATCH ? ORDER BY rowid", (word,)
        )]
        for t in write.fts_tables() for word in ("Ukraine", "said", "NATO")
    }


@pytest.mark.parametrize("replace", [False, True])
def test_search_indexes_kept_current_batch_by_batch_match_a_rebuild(tmp_path, monkeypatch, replace):
    """Worker loads index FTS rows as batches commit; a replaced article falls back to the rebuild."""
    monkeypatch.setattr(write, "FTS_BATCH_ARTICLES", 2)  # 3 articles: indexed after 2, then at the end
    texts = [f.read_text(encoding="utf-8") for f in sorted((SEEDS / "official").glob("*.txt"))[:3]]
    analyses = [analyze(t, source=f"{i}.txt") for i, t in enumerate(texts)]
    if replace:  # the last input has the first one's source: its rows are deleted
        analyses.append(analyze(SEED_ARTICLE.read_text(encoding="utf-8"), source="0.txt"))
    conn = write.connect(tmp_path / "framing.db")
    write.ensure_schema(conn)
    write.drop_fts_triggers(conn)
    run_id = write.start_run(conn, version="test", options={}, paths=[])
    writer = write.Writer(conn, run_id, fts_as_you_go=True)
    for a in analyses:
        writer.add(a)
        writer.commit()  # a batch per article
    assert (writer.fts_indexed is None) == replace
    if not replace:
        assert writer._fts_waiting == 1  # the third article waits for the end of the load
    writer.finish("finished", rebuild_fts=True)
    assert write.fts_triggers_present(conn)
    assert write.check_database(conn) == ([], [])  # FTS integrity-check included
    as_you_go = fts_hits(conn)
    assert all(any(v for k, v in as_you_go.items() if k.startswith(f"{t.name}:")) for t in write.fts_tables())
    write.rebuild_fts(conn)
    assert fts_hits(conn) == as_you_go
    # Later loads keep it current through the triggers.
    write.write_analysis(conn, analyze("Ukraine said NATO would meet.", source="late.txt"), run_id)
    assert write.check_database(conn)[0] == []
    conn.close()


def test_reload_changes_no_row_count(seeds_db):
    before = counts(seeds_db)
    summary = run([str(SEEDS)], str(seeds_db))
    after = counts(seeds_db)
    assert summary.loaded == 0 and summary.unchanged == before["articles"]
    assert after["_framing_runs"] == before["_framing_runs"] + 1
    for name in before:
        if name != "_framing_runs":
            assert after[name] == before[name], name
    assert_consistent(seeds_db)


def test_changed_article_replaces_its_rows(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "article.txt"
    other = folder / "other.txt"
    shutil.copy(SEED_ARTICLE, article)
    shutil.copy(next((SEEDS / "official").glob("*.txt")), other)
    db = tmp_path / "framing.db"
    run([str(folder)], str(db))
    conn = sqlite3.connect(db)
    (old_id,) = conn.execute("SELECT id FROM articles WHERE source LIKE ?", ("%article.txt",)).fetchone()
    other_before = conn.execute(
        "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id WHERE a.source LIKE '%other.txt'"
    ).fetchone()[0]
    conn.close()

    # Insert a new paragraph after a body paragraph the cleaner kept.
    conn = sqlite3.connect(db)
    (kept,) = conn.execute(
        "SELECT s.text FROM sentences s WHERE s.article_id = ? AND s.block = 'paragraph' "
        "ORDER BY s.idx LIMIT 1 OFFSET 3", (old_id,)
    ).fetchone()
    conn.close()
    raw = article.read_text(encoding="utf-8")
    assert kept in raw
    at = raw.index(kept) + len(kept)
    at = raw.index("\n", at) if "\n" in raw[at:] else len(raw)
    article.write_text(
        raw[:at] + "\n\nA new closing paragraph about sanctions was added later.\n" + raw[at:],
        encoding="utf-8",
    )
    summary = run([str(folder)], str(db))
    assert summary.loaded == 1 and summary.replaced == 1 and summary.unchanged == 1

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    (new_id,) = conn.execute("SELECT id FROM articles WHERE source LIKE ?", ("%article.txt",)).fetchone()
    assert new_id != old_id
    for t in schema.all_tables():
        cols = t.column_names
        if "article_id" in cols:
            n = conn.execute(f"SELECT count(*) FROM [{t.name}] WHERE article_id = ?", (old_id,)).fetchone()[0]
            assert n == 0, f"{t.name} keeps rows of the replaced article"
    assert conn.execute("SELECT count(*) FROM sentences WHERE article_id = ?", (new_id,)).fetchone()[0] == (
        conn.execute("SELECT sentence_count FROM articles WHERE id = ?", (new_id,)).fetchone()[0]
    )
    assert conn.execute(
        "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id WHERE a.source LIKE '%other.txt'"
    ).fetchone()[0] == other_before
    # The incremental load kept the search index current through its triggers.
    hits = conn.execute(
        "SELECT s.article_id FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid "
        "WHERE sentences_fts MATCH 'closing paragraph sanctions'"
    ).fetchall()
    assert hits == [(new_id,)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert_consistent(db)


def _fresh(tmp_path) -> sqlite3.Connection:
    conn = write.connect(tmp_path / "framing.db")
    write.ensure_schema(conn)
    return conn


def test_write_analysis_is_idempotent_and_atomic(tmp_path):
    conn = _fresh(tmp_path)
    analysis = analyze(SEED_ARTICLE.read_text(encoding="utf-8"), source="a.txt")
    first = write.write_analysis(conn, analysis, None)
    assert first.status == "loaded"
    assert write.write_analysis(conn, analysis, None).status == "unchanged"
    n_sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert n_sentences == len(analysis.sentences) > 0

    # A changed article whose rows cannot all be written leaves the old version whole.
    broken = dataclasses.replace(
        analysis,
        article={**analysis.article, "id": "a-changed-version"},
        mentions=analysis.mentions + (Mention("nobody", 0, 1, "x", len(analysis.sentences) + 5),),
    )
    with pytest.raises(write.WriteError):
        write.write_analysis(conn, broken, None)
    assert conn.execute("SELECT id FROM articles").fetchall() == [(analysis.article["id"],)]
    assert conn.execute("SELECT count(*) FROM sentences").fetchone()[0] == n_sentences
    assert not conn.in_transaction

    # Inside a batch transaction a failed article rolls back to its savepoint only.
    other = analyze("A short second article. It has two sentences.", source="b.txt")
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(write.WriteError):
        write.write_analysis(conn, broken, None)
    assert write.write_analysis(conn, other, None).status == "loaded"
    conn.execute("COMMIT")
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    assert ids == {analysis.article["id"], other.article["id"]}
    assert write.check_database(conn)[0] == []
    conn.close()


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {t.name: sorted(conn.execute(f"SELECT * FROM [{t.name}]").fetchall(), key=repr) for t in schema.DATA_TABLES}


def test_rows_built_elsewhere_write_the_same_rows_and_fail_the_same_way(tmp_path):
    """Workers send write.article_rows(analysis) instead of the analysis: same database, same errors."""
    analysis = analyze(SEED_ARTICLE.read_text(encoding="utf-8"), source="a.txt")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    direct, prebuilt = _fresh(tmp_path / "a"), _fresh(tmp_path / "b")
    for conn in (direct, prebuilt):
        assert write.start_run(conn, version="x", options={}, paths=[]) == 1
    assert write.write_analysis(direct, analysis, 1).status == "loaded"
    rows = write.article_rows(analysis)
    assert rows.problem is None and rows.article_id == analysis.article["id"]
    assert write.write_analysis(prebuilt, rows, 1).status == "loaded"
    assert table_rows(prebuilt) == table_rows(direct)
    assert prebuilt.execute("SELECT run_id FROM articles").fetchone()[0] == 1
    assert write.write_analysis(prebuilt, rows, 1).status == "unchanged"

    # A problem found while building the rows is raised when writing, after the unchanged check.
    bad_mentions = analysis.mentions + (Mention("nobody", 0, 1, "x", len(analysis.sentences) + 5),)
    broken = write.article_rows(dataclasses.replace(analysis, mentions=bad_mentions))
    assert "points at sentence" in broken.problem
    assert write.write_analysis(prebuilt, broken, 1).status == "unchanged"  # same id, stored
    changed = write.article_rows(dataclasses.replace(
        analysis, article={**analysis.article, "id": "changed"}, mentions=bad_mentions,
    ))
    with pytest.raises(write.WriteError, match="points at sentence"):
        write.write_analysis(prebuilt, changed, 1)
    assert table_rows(prebuilt) == table_rows(direct)  # the stored version is whole
    no_id = write.article_rows(dataclasses.replace(analysis, article={**analysis.article, "id": None}))
    with pytest.raises(write.WriteError, match="no article id"):
        write.write_analysis(prebuilt, no_id, 1)
    direct.close()
    prebuilt.close()


@pytest.mark.parametrize("items", [
    (), ["plain"], ["two", "words"], ['quote " and back\\slash'], ["tab\tnew\nline\x01"],
    ["d\u00e9j\u00e0 vu", "\u2014", "\U0001f600", "\ud800"], [1, "mixed"], ("a", None),
])
def test_word_lists_are_encoded_exactly_as_json_dumps(items):
    import json

    assert write._dumps(items) == json.dumps(list(items), ensure_ascii=False)


def test_force_rewrites_unchanged_articles(tmp_path):
    conn = _fresh(tmp_path)
    analysis = analyze(SEED_ARTICLE.read_text(encoding="utf-8"), source="a.txt")
    write.write_analysis(conn, analysis, None)
    before = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert write.write_analysis(conn, analysis, None, force=True).status == "replaced"
    assert conn.execute("SELECT count(*) FROM sentences").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    conn.close()


def test_failed_article_becomes_load_error_and_load_goes_on(tmp_path, monkeypatch):
    from datasette_framing.pipeline import run as run_mod

    real = run_mod.analyze_task

    def flaky(source, lexicon, fingerprint=None):
        result = real(source, lexicon, fingerprint)
        if source.path.endswith("bad.txt"):
            return dataclasses.replace(result, mentions=(Mention("x", 0, 1, "x", 10_000),))
        return result

    monkeypatch.setattr(run_mod, "analyze_task", flaky)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_text("First sentence here. Second one there.", encoding="utf-8")
    (folder / "good.txt").write_text("Another article entirely. It is fine.", encoding="utf-8")
    db = tmp_path / "framing.db"
    summary = run([str(folder)], str(db))
    assert summary.loaded == 1 and summary.failed == 1
    conn = sqlite3.connect(db)
    sources = [r[0] for r in conn.execute("SELECT source FROM articles")]
    assert len(sources) == 1 and sources[0].endswith("good.txt")
    (path, reason) = conn.execute("SELECT path, reason FROM load_errors").fetchone()
    assert path.endswith("bad.txt") and "could not be written" in reason
    conn.close()
    assert_consistent(db)


def test_check_database_reports_half_articles_and_orphans(seeds_db):
    conn = write.connect(seeds_db)
    assert write.check_database(conn)[0] == []
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM sentences WHERE rowid = (SELECT min(rowid) FROM sentences)")
    conn.execute("INSERT INTO frames (sentence_id, article_id, frame) VALUES ('nope:1', 'nope', 'conflict')")
    problems, _ = write.check_database(conn)
    text = "\n".join(problems)
    assert "sentence_count" in text
    assert "frames" in text
    conn.close()


def test_incremental_summaries_match_a_full_rebuild(tmp_path):
    from datasette_framing import summaries  # noqa: F401  (the loader calls it)

    folder = tmp_path / "in"
    folder.mkdir()
    files = sorted((SEEDS / "official").glob("*.txt"))[:4]
    for f in files:
        shutil.copy(f, folder / f.name)
    db = tmp_path / "framing.db"
    run([str(folder)], str(db))
    # Change one article, drop another, add a third: an incremental load.
    first = folder / files[0].name
    first.write_text(first.read_text(encoding="utf-8").replace(" the ", " a ", 5), encoding="utf-8")
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    summary = run([str(folder)], str(db))
    assert summary.replaced >= 1 and summary.loaded >= 2  # more if the analysis code changed meanwhile

    def norm(row: tuple) -> tuple:
        # Sums of floats depend on row order (which a replacement changes) in the last digits.
        return tuple(round(v, 6) if isinstance(v, float) else v for v in row)

    def summary_rows() -> dict:
        conn = sqlite3.connect(db)
        try:
            return {
                t.name: sorted((norm(r) for r in conn.execute(f"SELECT * FROM [{t.name}]")), key=repr)
                for t in schema.SUMMARY_TABLES
            }
        finally:
            conn.close()

    incremental = summary_rows()
    assert any(incremental.values())
    conn = write.connect(db)
    write.rebuild_summaries(conn)
    conn.close()
    assert summary_rows() == incremental


def test_schema_doc_is_generated_from_schema_py():
    import subprocess
    import sys

    script = ROOT / "scripts" / "gen-schema-doc"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for t in schema.all_tables():
        section = doc.split(f"#### `{t.name}`", 1)[1].split("#### ", 1)[0]
        for c in t.columns:
            assert f"| `{c.name}` |" in section, f"{t.name}.{c.name} undocumented"


def test_every_foreign_key_of_a_data_table_has_an_index_that_starts_with_it():
    """Deleting a parent row makes SQLite look up its children by the foreign key: without an
    index that is a scan of the child table per row, and replacing an article grows with the
    size of the database (quotes.sentence_id once cost seconds per article at 10,000)."""
    from datasette_framing import schema

    for table in schema.DATA_TABLES:
        for column, other, _ in table.foreign_keys:
            if other == schema.RUNS.name:
                continue  # runs are never deleted
            starts = {cols[0] for cols in table.indexes} | {table.pk[0]}
            assert column in starts, (table.name, column)
