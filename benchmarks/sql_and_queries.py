"""Speed of the framing_* SQL functions and the canned queries, against baselines from the same run.

Run from the project root: ``python benchmarks/sql_and_queries.py [--copies N]``.

* SQL functions: microseconds per call on the seed sentences and whole articles,
  beside VADER's ``polarity_scores`` and textstat called directly from Python
  (the cost a function cannot avoid), so the ratio is the overhead of going
  through SQLite and the pipeline wrappers.
* Canned queries: milliseconds per query (all parameters empty, and with the
  documented example values) on the seeds loaded ``--copies`` times under
  different outlet names, fetching at most 1,001 rows as Datasette does (its
  default max_returned_rows is 1,000), beside one pass over the mentions table
  (``select avg(sentiment) from mentions``) as the baseline.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing import canned_queries, sql_functions  # noqa: E402


def per_call(fn, items, repeat: int = 3) -> float:
    """Best-of-``repeat`` mean seconds per item."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best


def build(copies: int, folder: Path) -> Path:
    from datasette_framing.pipeline import run

    db = folder / "framing.db"
    run.run([str(ROOT / "seeds")], str(db))
    if copies > 1:
        conn = sqlite3.connect(db)
        conn.execute("pragma foreign_keys=off")
        tables = ["articles", "sentences", "mentions", "quotes", "frames"]
        for i in range(1, copies):
            for t in tables:
                cols = [r[1] for r in conn.execute(f"pragma table_info([{t}])")]
                exprs = []
                for c in cols:
                    if c in ("id", "article_id", "sentence_id"):
                        exprs.append(f"[{c}] || '#{i}'")
                    elif c == "outlet":
                        exprs.append(f"coalesce([{c}], 'unknown') || ' {i}'")
                    else:
                        exprs.append(f"[{c}]")
                conn.execute(
                    f"insert into [{t}] ({', '.join(f'[{c}]' for c in cols)}) "
                    f"select {', '.join(exprs)} from [{t}] where id not like '%#%'"
                    if "id" in cols
                    else f"insert into [{t}] select {', '.join(exprs)} from [{t}] where article_id not like '%#%'"
                )
        conn.commit()
        from datasette_framing import summaries

        summaries.rebuild(conn)
        conn.commit()
        conn.close()
    return db


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=10, help="load the seeds this many times (default 10)")
    args = parser.parse_args(argv)

    from textstat import flesch_reading_ease
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with tempfile.TemporaryDirectory() as tmp:
        db = build(args.copies, Path(tmp))
        conn = sqlite3.connect(db)
        sql_functions.register(conn)
        sentences = [r[0] for r in conn.execute("select text from sentences where id not like '%#%' limit 2000")]
        articles = [r[0] for r in conn.execute("select text from articles where id not like '%#%'")]
        vader = SentimentIntensityAnalyzer()

        def sql(name):
            stmt = f"select {name}(?)"
            return lambda text: conn.execute(stmt, (text,)).fetchone()

        sql_functions._vader.cache_clear()
        rows = [
            ("VADER polarity_scores, per sentence (baseline)", per_call(vader.polarity_scores, sentences)),
            ("framing_vader, per sentence", per_call(lambda t: (sql_functions._vader.cache_clear(), sql("framing_vader")(t)), sentences)),
            ("framing_frames, per sentence", per_call(lambda t: (sql_functions._signals.cache_clear(), sql("framing_frames")(t)), sentences)),
            # textstat caches its results by text: measure first calls only.
            ("textstat flesch_reading_ease, per article (baseline)", per_call(flesch_reading_ease, articles, repeat=1)),
            ("framing_flesch, per article", per_call(lambda t: (sql_functions._readability.cache_clear(), sql("framing_flesch")(t)), [a + " " for a in articles], repeat=1)),
            ("framing_vader, per article", per_call(lambda t: (sql_functions._vader.cache_clear(), sql("framing_vader")(t)), articles, repeat=1)),
        ]
        print(f"SQL functions ({len(sentences)} seed sentences, {len(articles)} seed articles)")
        base_sentence, base_article = rows[0][1], rows[3][1]
        for label, seconds in rows:
            base = base_article if "article" in label else base_sentence
            print(f"  {label:55s} {seconds * 1e6:10.0f} us   x{seconds / base:5.2f}")

        counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in ("articles", "mentions", "quotes", "sentences")}
        print(f"\nCanned queries on the seeds x{args.copies}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        start = time.perf_counter()
        for _ in range(5):
            conn.execute("select avg(sentiment) from mentions").fetchone()
        baseline = (time.perf_counter() - start) / 5
        print(f"  {'baseline: select avg(sentiment) from mentions':55s} {baseline * 1e3:8.1f} ms")
        for q in canned_queries.QUERIES:
            for label, params in (("all", {}), ("example", dict(q.example))):
                bound = {p: "" for p in q.params} | params
                times = []
                for _ in range(3):
                    start = time.perf_counter()
                    n = len(conn.execute(q.sql, bound).fetchmany(1001))
                    times.append(time.perf_counter() - start)
                t = statistics.median(times)
                print(f"  {q.name + ' (' + label + ')':55s} {t * 1e3:8.1f} ms  {n:6d} rows  x{t / baseline:6.1f}")
        conn.close()


if __name__ == "__main__":
    main()
