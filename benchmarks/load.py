"""Load throughput against the VADER-plus-textstat floor, peak memory, and the 2-worker speed-up.

Usage:
    .venv/bin/python benchmarks/load.py                 # 2,000 articles (issue 2)
    .venv/bin/python benchmarks/load.py --articles 10000 # 10,000 articles (issue 6)
    .venv/bin/python benchmarks/load.py --articles 500 --no-workers   # a quick look

The corpus is made by resampling real paragraphs (and headlines from real
sentences) of ``seeds/`` into N articles with header blocks, across 20
outlets.  Then, in this one run:

1. ``datasette-framing load`` (one process) into a fresh database: seconds,
   articles/s, sentences/s, peak RSS of the loading process;
2. the floor: VADER on every stored sentence plus textstat (Flesch reading
   ease, Flesch-Kincaid grade, Gunning fog, SMOG, word count) on every stored
   article text, i.e. the sentiment and readability work alone; and the ratio
   load / floor (target <= 2.0);
3. the same load with ``--workers 2`` into another fresh database, and the
   speed-up (target >= 1.7 on 2 cores);
4. a reload of the same corpus (every input unchanged: skipped before analysis).

Load times are the runs' own ``_framing_runs.seconds`` (interpreter start-up
excluded); peak RSS is the largest resident set of the load process and its
workers (``getrusage(RUSAGE_CHILDREN)``).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
OUTLETS = [f"Outlet {chr(65 + i)}" for i in range(20)]
VADER_SECONDS = 0.0


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """Body paragraphs and headline-length sentences of every seed text."""
    paragraphs, headlines = [], []
    for f in sorted(SEEDS.rglob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if text.startswith("title:"):
            text = text.split("\n\n", 1)[-1]
        for block in text.split("\n\n"):
            block = " ".join(block.split())
            if len(block) >= 150:
                paragraphs.append(block)
                first = block.split(". ")[0]
                if 30 <= len(first) <= 120:
                    headlines.append(first.rstrip("."))
    return paragraphs, headlines


def make_corpus(folder: Path, n: int, seed: int = 2026) -> None:
    paragraphs, headlines = seed_paragraphs()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(4, 9)))
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"article-{i:06d}.txt").write_text(
            f"title: {rng.choice(headlines)}\noutlet: {OUTLETS[i % len(OUTLETS)]}\n"
            f"date: 2022-{1 + i % 12:02d}-{1 + i % 28:02d}\nurl: https://example.org/{i}\n\n{body}\n",
            encoding="utf-8",
        )


def timed_load(db: Path, corpus: Path, *extra: str) -> dict:
    """Run the CLI load in a child process; its run row gives the seconds, getrusage the peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "datasette_framing", "load", str(db), str(corpus), "--quiet", *extra],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"load failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    conn = sqlite3.connect(db)
    seconds, loaded, unchanged, sentences = conn.execute(
        "SELECT seconds, loaded, unchanged, sentences FROM _framing_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    return {
        "seconds": seconds, "loaded": loaded, "unchanged": unchanged, "sentences": sentences,
        # ru_maxrss of children is the maximum over every child so far; report it only if it grew.
        "peak_mb": peak_kb / 1024 if peak_kb > before else None,
    }


def floor_pass(db: Path) -> tuple[float, int, int]:
    """VADER on every stored sentence plus textstat on every stored article: the floor."""
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    textstat.set_lang("en_US")
    vader = SentimentIntensityAnalyzer()
    conn = sqlite3.connect(db)
    articles = conn.execute("SELECT id, text FROM articles").fetchall()
    sentences = [r[0] for r in conn.execute("SELECT text FROM sentences")]
    conn.close()
    started = time.perf_counter()
    for s in sentences:
        vader.polarity_scores(s)
    global VADER_SECONDS
    VADER_SECONDS = time.perf_counter() - started
    for _id, text in articles:
        textstat.flesch_reading_ease(text)
        textstat.flesch_kincaid_grade(text)
        textstat.gunning_fog(text)
        textstat.smog_index(text)
        textstat.lexicon_count(text)
    return time.perf_counter() - started, len(articles), len(sentences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--no-workers", action="store_true", help="skip the 2-worker run")
    parser.add_argument("--keep", metavar="DIR", help="keep the corpus and databases in DIR")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="framing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    try:
        t = time.perf_counter()
        if not corpus.exists():
            make_corpus(corpus, args.articles)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"SQLite {sqlite3.sqlite_version}")
        print(f"corpus: {args.articles:,} articles resampled from seeds/ ({time.perf_counter() - t:.1f}s to write)")

        one = timed_load(work / "one.db", corpus)
        floor, n_articles, n_sentences = floor_pass(work / "one.db")
        print(f"\nload, 1 process:   {one['seconds']:8.1f} s  {n_articles / one['seconds']:8.1f} articles/s  "
              f"{n_sentences / one['seconds']:9.0f} sentences/s  peak RSS {one['peak_mb'] or 0:.0f} MB")
        print(f"floor (VADER + textstat): {floor:5.1f} s  {n_articles / floor:8.1f} articles/s  "
              f"{n_sentences / floor:9.0f} sentences/s  ({1e6 * floor / n_sentences:.0f} us/sentence)")
        print(f"  of which VADER {VADER_SECONDS:.1f} s ({1e6 * VADER_SECONDS / n_sentences:.0f} us/sentence), "
              f"textstat {floor - VADER_SECONDS:.1f} s")
        print(f"ratio load / floor: {one['seconds'] / floor:.2f}  (target <= 2.0)")
        print(f"  {n_articles:,} articles, {n_sentences:,} sentences, "
              f"{1e6 * one['seconds'] / n_sentences:.0f} us/sentence loaded")

        if not args.no_workers:
            two = timed_load(work / "two.db", corpus, "--workers", "2")
            print(f"\nload, --workers 2: {two['seconds']:8.1f} s  {n_articles / two['seconds']:8.1f} articles/s  "
                  f"speed-up {one['seconds'] / two['seconds']:.2f}x  (target >= 1.7 on 2 cores)")
            if two["peak_mb"]:
                print(f"  peak RSS of the largest process: {two['peak_mb']:.0f} MB")

        again = timed_load(work / "one.db", corpus)
        print(f"\nreload (all unchanged): {again['seconds']:.1f} s  "
              f"{again['unchanged']:,} unchanged, {again['loaded']:,} loaded")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
