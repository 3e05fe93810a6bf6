"""Where the per-article analysis spends its time: CPU microseconds per sentence, stage by stage.

Usage:
    .venv/bin/python benchmarks/analysis_profile.py             # 5 passes over seeds/
    .venv/bin/python benchmarks/analysis_profile.py --pyinstrument   # plus a call tree

Each stage of ``analyze_source`` (clean, split, actors, quotes, descriptors, VADER on
sentences, frame/hedge signals, mention sentiment, readability, the rest of score) is
timed with ``time.process_time`` (CPU time, so a busy machine inflates it less than wall
time) over every text of ``seeds/``, best of ``--passes``.  The baseline in the same run:
VADER ``polarity_scores`` on every sentence plus textstat (the five measures the floor of
``benchmarks/load.py`` uses) on every article; the ratio analysis / floor is the budget of
RULES ("at most about 2x").
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing.pipeline import (  # noqa: E402
    actors, clean, descriptors, extract, frames, ingest, quotes, readability, sentiment, split,
)
from datasette_framing.pipeline.analyze import analyze_source  # noqa: E402
from datasette_framing.pipeline.lexicon import default_lexicon  # noqa: E402
from datasette_framing.pipeline.run import GC_THRESHOLDS  # noqa: E402


def load_sources() -> list:
    """The seeds as the loader reads them (read errors skipped)."""
    return [s for s in ingest.read_paths([str(ROOT / "seeds")]) if hasattr(s, "text")]


def one_pass(srcs, lex) -> dict[str, float]:
    t: dict[str, float] = {}

    def clock(name, fn, *a):
        c = time.process_time()
        r = fn(*a)
        t[name] = t.get(name, 0.0) + time.process_time() - c
        return r

    for src in srcs:
        doc = clock("clean", clean.clean, src, lex)
        sents = clock("split", split.split, doc, lex)
        acts, ments = clock("actors", actors.find_actors, doc, sents, lex)
        qs = clock("quotes", quotes.find_quotes, doc, sents, acts, ments, lex)
        ments = clock("mark speakers", extract.mark_speakers, ments, qs)
        ments = clock("descriptors", descriptors.attach, doc, sents, ments, lex)
        text = doc.text
        clock("VADER sentences", sentiment.score_sentences, text, sents)
        clock("frames/hedges", frames.sentence_signals, text, sents, lex)
        clock("mention sentiment", sentiment.score_mentions, text, sents, ments, qs, lex)
        clock("readability", readability.article_scores, doc, sents)
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--pyinstrument", action="store_true")
    args = parser.parse_args()
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    # The collector as the loader runs it (run.GC_THRESHOLDS): with CPython's default, its
    # passes are charged to whichever stage allocates when one falls due.
    gc.set_threshold(*GC_THRESHOLDS)
    lex = default_lexicon()
    srcs = load_sources()
    analyses = [analyze_source(s, lex) for s in srcs]  # warm caches (compiled patterns, memos)
    n_sent = sum(len(a.sentences) for a in analyses)
    best: dict[str, float] = {}
    whole = float("inf")
    for _ in range(args.passes):
        for k, v in one_pass(srcs, lex).items():
            best[k] = min(best.get(k, v), v)
        c = time.process_time()
        for s in srcs:
            analyze_source(s, lex)
        whole = min(whole, time.process_time() - c)
    vader = SentimentIntensityAnalyzer()
    texts = [a.text[s.start:s.end] for a in analyses for s in a.sentences]
    v_best = float("inf")
    for _ in range(args.passes):
        c = time.process_time()
        for s in texts:
            vader.polarity_scores(s)
        v_best = min(v_best, time.process_time() - c)
    # textstat memoises its results per text (lru_cache), so only its first pass is real work;
    # its one-time set-up (hyphenation dictionary) is paid first on another text.
    warm = "A short warm-up text. It has two sentences and a third one here."
    for fn in (textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog,
               textstat.smog_index, textstat.lexicon_count):
        fn(warm)
    c = time.process_time()
    for a in analyses:
        for fn in (textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog,
                   textstat.smog_index, textstat.lexicon_count):
            fn(a.text)
    t_best = time.process_time() - c
    us = lambda s: 1e6 * s / n_sent  # noqa: E731
    print(f"seeds: {len(srcs)} texts, {n_sent:,} sentences; CPU time, best of {args.passes} passes\n")
    print(f"{'stage':<22}{'us/sentence':>12}{'share':>8}")
    total = sum(best.values())
    for k, v in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"{k:<22}{us(v):12.1f}{100 * v / total:7.1f}%")
    print(f"{'sum of stages':<22}{us(total):12.1f}")
    print(f"{'analyze_source (whole)':<22}{us(whole):12.1f}")
    floor = v_best + t_best
    print(f"\nfloor: VADER {us(v_best):.1f} + textstat {us(t_best):.1f} = {us(floor):.1f} us/sentence")
    print(f"ratio analysis / floor: {whole / floor:.2f}  (budget about 2)")
    if args.pyinstrument:
        from pyinstrument import Profiler

        p = Profiler(interval=0.0002)
        p.start()
        for s in srcs:
            analyze_source(s, lex)
        p.stop()
        print(p.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
