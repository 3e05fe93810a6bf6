"""Cost of the actors stage per sentence, beside VADER on the same sentences.

The seeds (and, with ``--polnear``, PolNeAR news articles from
``../shared/data`` when present) are cleaned and split once; then
``find_actors`` and VADER's ``polarity_scores`` each run over every sentence,
interleaved, several rounds.  Printed: CPU µs per sentence for each (best
round, ``time.process_time`` so that other processes on a shared machine
count less), and the ratio actors / VADER measured in this run.

Run: ``.venv/bin/python benchmarks/actors_speed.py [--rounds N] [--polnear]``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from datasette_framing.pipeline import clean, split
from datasette_framing.pipeline.actors import compile_index, find_actors
from datasette_framing.pipeline.lexicon import default_lexicon
from datasette_framing.pipeline.records import Source

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-train.jsonl"


def documents(polnear: bool, limit: int = 300):
    paths = sorted((ROOT / "seeds").rglob("*.txt"))
    sources = [Source(path=str(p), text=p.read_text(encoding="utf-8")) for p in paths if p.name != "README.md"]
    if polnear and POLNEAR.exists():
        with POLNEAR.open(encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n >= limit:
                    break
                record = json.loads(line)
                text = record.get("text") or record.get("body") or ""
                if text:
                    sources.append(Source(path=f"polnear#{n}", text=text))
    out = []
    for source in sources:
        document = clean.clean(source)
        out.append((document, split.split(document)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--polnear", action="store_true", help="add up to 300 PolNeAR articles")
    args = parser.parse_args()

    lexicon = default_lexicon()
    t = time.process_time()
    compile_index(lexicon)
    build_ms = (time.process_time() - t) * 1e3
    docs = documents(args.polnear)
    texts = [d.text[s.start : s.end] for d, ss in docs for s in ss]
    n = len(texts)
    vader = SentimentIntensityAnalyzer()
    for d, ss in docs:  # warm caches (memoised verb forms, name keys)
        find_actors(d, ss, lexicon)

    best_actors = best_vader = float("inf")
    mentions = 0
    for _ in range(args.rounds):
        t = time.process_time()
        mentions = sum(len(find_actors(d, ss, lexicon)[1]) for d, ss in docs)
        best_actors = min(best_actors, time.process_time() - t)
        t = time.process_time()
        for text in texts:
            vader.polarity_scores(text)
        best_vader = min(best_vader, time.process_time() - t)

    print(f"{len(docs)} articles, {n} sentences, {mentions} mentions")
    print(f"index build (once per Lexicon): {build_ms:.0f} ms")
    print(f"find_actors: {best_actors / n * 1e6:.1f} µs/sentence")
    print(f"VADER:       {best_vader / n * 1e6:.1f} µs/sentence")
    print(f"ratio actors/VADER: {best_actors / best_vader:.2f}")


if __name__ == "__main__":
    main()
