"""What a load records about itself: phase times, and the indexes a fresh load defers to its end."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

from datasette_framing import analyze, schema
from datasette_framing.pipeline import write
from datasette_framing.pipeline.run import RunSummary, run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "aljazeera-2022-01-20-blinken-lavrov.txt"


def data_indexes(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def declared_data_indexes() -> set[str]:
    return {t.index_name(cols) for t in schema.DATA_TABLES for cols in t.indexes}


def test_run_records_its_phase_times(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / "a.txt")
    db = tmp_path / "framing.db"
    summary = run([str(folder)], str(db))
    assert summary.loaded == 1

    conn = sqlite3.connect(db)
    seconds, options = conn.execute("SELECT seconds, options FROM _framing_runs WHERE id = ?", (summary.run_id,)).fetchone()
    stored = write.run_phases(conn, summary.run_id)
    conn.close()
    # A fresh load goes through every phase, finishing steps included.
    assert set(write.PHASES) <= set(stored)
    assert all(v >= 0 for v in stored.values())
    # The phases are disjoint parts of the run: together no longer than it.
    assert sum(stored.values()) <= seconds + 0.01
    # The summary carries the same figures, plus the checkpoint after the run row's last write.
    assert {k: v for k, v in summary.phases.items() if k != "checkpoint"} == stored
    assert "checkpoint" in summary.phases
    # The options are still there beside the phases, and the writer's CPU seconds by phase.
    options = json.loads(options)
    assert options["workers"] == 1
    cpu = options["phases_cpu"]
    assert {"write", "indexes", "fts", "summaries"} <= set(cpu) <= set(stored)
    assert all(v >= 0 for v in cpu.values())
    # And the writer thread's own share of it (the process's CPU includes other threads').
    thread = options["phases_thread_cpu"]
    assert set(thread) == set(cpu)
    assert all(0 <= thread[k] <= cpu[k] + 0.01 for k in thread)


def test_fresh_load_ends_with_every_index_and_reload_keeps_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted((SEEDS / "official").glob("*.txt"))[:2]:
        shutil.copy(f, folder / f.name)
    db = tmp_path / "framing.db"
    run([str(folder)], str(db))
    assert declared_data_indexes() <= data_indexes(db)
    again = run([str(folder)], str(db), force=True)
    assert again.loaded == 2
    assert declared_data_indexes() <= data_indexes(db)


def test_replacement_during_a_fresh_load_builds_the_indexes_first(tmp_path):
    """Two analyses of one source in one fresh load: the second replaces the first, cleanly."""
    first = analyze("Russia attacked Ukraine on Monday. NATO said it would respond.", title="One", outlet="O")
    second = analyze("Ukraine thanked NATO on Tuesday. Russia denied the attack.", title="Two", outlet="O")
    lines = []
    for a in (first, second):
        d = a.to_dict()
        d["article"]["source"] = "same-source.txt"
        lines.append(json.dumps(d))
    assert first.article["id"] != second.article["id"]
    analyses = tmp_path / "analyses.jsonl"
    analyses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "framing.db"

    summary = run([str(analyses)], str(db), from_analyses=True)

    assert (summary.loaded, summary.replaced, summary.failed) == (2, 1, 0)
    assert declared_data_indexes() <= data_indexes(db)
    conn = write.connect(db)
    try:
        assert [r[0] for r in conn.execute("SELECT title FROM articles")] == ["Two"]
        orphans = conn.execute(
            "SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        assert write.check_database(conn)[0] == []
    finally:
        conn.close()


def test_run_summary_reuses_the_writer_counts():
    assert issubclass(RunSummary, write.Counts)
    summary = RunSummary(7, "x.db", loaded=2, unchanged=1, sentences=30)
    assert (summary.run_id, summary.db_path, summary.articles) == (7, "x.db", 3)
    counts = write.Counts(loaded=5, replaced=1, unchanged=2, failed=3, sentences=40, quotes=4, mentions=9)
    summary.set_counts(counts)
    assert {f.name: getattr(summary, f.name) for f in dataclasses.fields(write.Counts)} == dataclasses.asdict(counts)
    d = summary.as_dict()
    assert list(d)[:2] == ["run_id", "db_path"]
    assert d["mentions"] == 9 and d["errors"] == [] and d["phases"] == {}


def test_writer_creates_deferred_indexes_before_a_replacement(tmp_path):
    first = analyze("Russia attacked Ukraine on Monday.", title="One", outlet="O")
    second = analyze("Ukraine thanked NATO on Tuesday.", title="Two", outlet="O")
    second.article["source"] = first.article["source"]
    conn = write.connect(tmp_path / "framing.db")
    try:
        write.ensure_schema(conn)
        write.drop_deferred_indexes(conn)
        run_id = write.start_run(conn, version="test", options={}, paths=[])
        writer = write.Writer(conn, run_id, indexes_deferred=True)
        writer.add(first)
        writer.commit()
        assert not declared_data_indexes() <= data_indexes(tmp_path / "framing.db")
        result = writer.add(second)
        writer.commit()
        assert result.status == "replaced"
        assert declared_data_indexes() <= data_indexes(tmp_path / "framing.db")
        assert writer.indexes_deferred is False
    finally:
        conn.close()


def test_finishing_steps_sort_on_the_idle_worker_cores_only_with_workers(tmp_path, monkeypatch):
    """A worker load lets SQLite sort on helper threads once the analyses are in; one process never."""
    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted((SEEDS / "official").glob("*.txt"))[:2]:
        shutil.copy(f, folder / f.name)
    seen: list[tuple[str, int]] = []
    rebuild_summaries, create_data_indexes = write.rebuild_summaries, write.create_data_indexes

    def summaries_spy(conn, **scope):
        seen.append(("summaries", conn.execute("PRAGMA threads").fetchone()[0]))
        return rebuild_summaries(conn, **scope)

    def indexes_spy(conn):
        seen.append(("indexes", conn.execute("PRAGMA threads").fetchone()[0]))
        return create_data_indexes(conn)

    monkeypatch.setattr(write, "rebuild_summaries", summaries_spy)
    monkeypatch.setattr(write, "create_data_indexes", indexes_spy)
    run([str(folder)], str(tmp_path / "one.db"))
    assert seen == [("indexes", 0), ("summaries", 0)]
    seen.clear()
    summary = run([str(folder)], str(tmp_path / "two.db"), workers=2)
    assert summary.loaded == 2
    assert seen == [("indexes", 2), ("summaries", 2)]
    seen.clear()
    # The cap holds whatever the worker count.
    conn = write.connect(tmp_path / "three.db")
    try:
        write.ensure_schema(conn)
        writer = write.Writer(conn, write.start_run(conn, version="test", options={}, paths=[]), sort_threads=99)
        writer.finish("finished", rebuild_fts=False)
        assert conn.execute("PRAGMA threads").fetchone()[0] == write.MAX_SORT_THREADS
    finally:
        conn.close()


def test_load_relaxes_the_collector_while_it_runs_and_restores_it(tmp_path):
    import gc

    from datasette_framing.pipeline import run as run_mod

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / "a.txt")
    seen = []
    before = gc.get_threshold()
    gc.set_threshold(500, 9, 8)
    try:
        run([str(folder)], str(tmp_path / "framing.db"), progress=lambda s: seen.append(gc.get_threshold()))
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert seen and set(seen) == {run_mod.GC_THRESHOLDS}
    assert after == (500, 9, 8)
