"""Cost of the framing stages per sentence, against VADER measured in the same run.

Usage: .venv/bin/python benchmarks/framing_signals.py [--repeat 3]

Prints microseconds per sentence for frames/hedges/boosters/loaded words
(pipeline/frames.py), descriptors (pipeline/descriptors.py, per sentence of the
articles, given the mentions of the actors stage), readability (textstat on each
article, per sentence), and VADER on every sentence as the baseline; then each
stage's ratio to VADER.  Input: every text file under seeds/.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from datasette_framing.pipeline import actors, clean, descriptors, frames, readability, split
from datasette_framing.pipeline.lexicon import default_lexicon
from datasette_framing.pipeline.records import Source

ROOT = Path(__file__).resolve().parents[1]


def _clear_textstat_caches() -> None:
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for key, value in vars(module).items():
                # keep the dictionaries (cmudict, Pyphen) loaded once per process; clear the per-text memos
                if hasattr(value, "cache_clear") and not any(k in key for k in ("cmudict", "pyphen", "lang")):
                    value.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lexicon = default_lexicon()
    docs = []
    for path in sorted((ROOT / "seeds").rglob("*.txt")):
        if path.name.lower() == "readme.txt":
            continue
        document = clean.clean(Source(path=str(path), text=path.read_text(encoding="utf-8")))
        sentences = split.split(document)
        _actors, mentions = actors.find_actors(document, sentences, lexicon)
        docs.append((document, sentences, mentions))
    n_sentences = sum(len(s) for _d, s, _m in docs)
    n_mentions = sum(len(m) for _d, _s, m in docs)

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    texts = [d.text[s.start : s.end] for d, ss, _m in docs for s in ss]

    def run_vader() -> None:
        for t in texts:
            vader.polarity_scores(t)

    def run_frames() -> None:
        for d, ss, _m in docs:
            frames.sentence_signals(d.text, ss, lexicon)

    def run_descriptors() -> None:
        for d, ss, m in docs:
            descriptors.attach(d, ss, m, lexicon)

    def run_readability() -> None:
        _clear_textstat_caches()  # textstat memoises by text; a load sees every article once
        for d, ss, _m in docs:
            readability.article_scores(d, ss)

    # warm caches (compiled regexes, cmudict) before timing
    run_frames(), run_descriptors(), run_readability()
    stages = {"vader": run_vader, "frames+signals": run_frames, "descriptors": run_descriptors, "readability": run_readability}
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, fn in stages.items():  # interleaved, so machine load hits all stages alike
            t = time.perf_counter()
            fn()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - t)
    print(f"{len(docs)} articles, {n_sentences} sentences, {n_mentions} mentions (best of {args.repeat})")
    base = best["vader"] / n_sentences * 1e6
    for name, seconds in best.items():
        us = seconds / n_sentences * 1e6
        print(f"{name:16s} {us:8.1f} us/sentence   {us / base:5.2f} x VADER")


if __name__ == "__main__":
    main()
