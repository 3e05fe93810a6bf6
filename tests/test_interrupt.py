"""Interruption: SIGKILL at random points never leaves half an article; Ctrl-C stops cleanly.

The corpus is made of real seed paragraphs recombined into many small
articles, so a load lasts long enough to be killed in the middle.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datasette_framing.pipeline import write

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def make_corpus(folder: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` distinct small articles made of seed paragraphs; returns n."""
    paragraphs = []
    for f in sorted(SEEDS.rglob("*.txt")):
        for block in f.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            if len(block) > 120 and ":" not in block.split("\n", 1)[0][:20]:
                paragraphs.append(block)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 6)))
        (folder / f"article-{i:05d}.txt").write_text(
            f"title: Report number {i} on the crisis\noutlet: Outlet {i % 7}\n"
            f"date: 2022-02-{1 + i % 28:02d}\n\n{body}\n",
            encoding="utf-8",
        )
    return n


def start_load(db: Path, corpus: Path, *extra: str, new_session: bool = False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "datasette_framing", "load", str(db), str(corpus), "--quiet", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )


def committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT coalesce(sum(loaded), 0) FROM _framing_runs").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def assert_whole(db: Path, n_inputs: int) -> int:
    """The database is consistent and holds only whole articles; returns the article count."""
    conn = write.connect(db)
    try:
        problems, _notes = write.check_database(conn)
        assert problems == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert articles <= n_inputs
        assert conn.execute("SELECT count(DISTINCT source) FROM articles").fetchone()[0] == articles
        # Every article has all its sentences, and no sentence lacks its article.
        assert conn.execute(
            "SELECT count(*) FROM articles a WHERE sentence_count != "
            "(SELECT count(*) FROM sentences s WHERE s.article_id = a.id) OR sentence_count = 0"
        ).fetchone()[0] == 0
        # The run rows are updated in the same transactions as the articles they count
        # (more when an article was replaced because the analysis changed between runs).
        assert conn.execute("SELECT sum(loaded) FROM _framing_runs").fetchone()[0] >= articles
        return articles
    finally:
        conn.close()


def kill_repeatedly(tmp_path: Path, n_articles: int, kills: int, seed: int) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, n_articles)
    db = tmp_path / "framing.db"
    rng = random.Random(seed)
    survived = 0
    previous = 0
    for attempt in range(kills):
        proc = start_load(db, corpus)
        # Wait for the load to be under way (past start-up), then kill at a random point.
        deadline = time.monotonic() + 60
        while committed(db) <= previous and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
        if proc.poll() is not None:
            break  # finished before we could kill it
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        survived += 1
        previous = assert_whole(db, n_articles)
    assert survived >= 1, "the load finished before any kill: make the corpus larger"
    proc = start_load(db, corpus)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert assert_whole(db, n_articles) == n_articles
    conn = write.connect(db)
    try:
        statuses = [r[0] for r in conn.execute("SELECT status FROM _framing_runs ORDER BY id")]
        # A kill can land after a run recorded 'finished' (while it checkpoints the WAL).
        assert statuses[-1] == "finished" and 1 <= statuses.count("running") <= survived
        # The final run rebuilt the search index: it agrees with the table.
        assert write.fts_triggers_present(conn)
        problems, notes = write.check_database(conn)
        assert problems == [] and not any("search" in n for n in notes)
        n = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'the'").fetchone()[0] <= n
    finally:
        conn.close()
    # And one more run changes nothing.
    proc = start_load(db, corpus)
    proc.communicate(timeout=600)
    assert proc.returncode == 0 and assert_whole(db, n_articles) == n_articles


def test_sigkill_at_random_points_short(tmp_path):
    kill_repeatedly(tmp_path, n_articles=150, kills=3, seed=int(time.time()))


@pytest.mark.slow
def test_sigkill_at_random_points_long(tmp_path):
    kill_repeatedly(tmp_path, n_articles=1500, kills=15, seed=int(time.time()))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_cleanly_and_says_what_was_loaded(tmp_path, workers):
    corpus = tmp_path / "corpus"
    n = make_corpus(corpus, 120)
    db = tmp_path / "framing.db"
    # Its own process group, so the signal reaches the workers too, as Ctrl-C in a terminal does.
    proc = start_load(db, corpus, "--workers", workers, new_session=True)
    deadline = time.monotonic() + 60
    while committed(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the load ended before Ctrl-C: make the corpus larger"
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Interrupted:" in err and "articles loaded" in err
    loaded = assert_whole(db, n)
    assert 0 < loaded < n
    assert f"{loaded:,} articles loaded" in err
    conn = sqlite3.connect(db)
    status, finished = conn.execute("SELECT status, finished FROM _framing_runs").fetchone()
    conn.close()
    assert status == "interrupted" and finished is None
    # The next run loads the rest without duplicates.
    proc = start_load(db, corpus, "--workers", workers)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert assert_whole(db, n) == n
