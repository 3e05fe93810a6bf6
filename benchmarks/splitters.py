"""Sentence splitters compared on news text: speed and errors.

Candidates: our rule-based splitter (``pipeline/split.py``), pysbd 0.3 and
syntok 1.4, and a naive regex as the floor.  Each splits the same blocks
(paragraphs), so no splitter can cross a paragraph.

Figures printed:

- speed: CPU µs per sentence (our splitter's sentence count as the common
  denominator) on the seeds and on PolNeAR news articles, and the ratio to
  ours, all measured in this run;
- errors on a hand-checked set of news idioms (abbreviations, initials,
  quotations that run into their attribution, ellipses, decimals, lists):
  cases split exactly right;
- over-splitting on NewsMTSC sentences (each item is one sentence as its
  annotators saw it): share of items cut into two or more;
- disagreements with ours on the seeds (boundaries one splitter makes and
  ours does not, and the reverse).

Run: ``.venv/bin/python benchmarks/splitters.py`` (``--quick`` for fewer
articles).  PolNeAR and NewsMTSC are read from ``../shared/data`` when
present (never copied into the project).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing.pipeline import clean, ingest  # noqa: E402
from datasette_framing.pipeline.lexicon import default_lexicon  # noqa: E402
from datasette_framing.pipeline.split import abbreviations_for, sentence_spans  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]

# Hand-checked cases: text -> the sentences a news reader expects.
CASES: list[tuple[str, list[str]]] = [
    ("Mr. Biden met Gen. Milley on Jan. 20 in Washington. The talks lasted 3.5 hours.",
     ["Mr. Biden met Gen. Milley on Jan. 20 in Washington.", "The talks lasted 3.5 hours."]),
    ("He lives in the U.S. The country is big.", ["He lives in the U.S.", "The country is big."]),
    ("The U.S. Army said so. U.K. officials agreed.", ["The U.S. Army said so.", "U.K. officials agreed."]),
    ("Joseph R. Biden Jr. spoke today. He left.", ["Joseph R. Biden Jr. spoke today.", "He left."]),
    ("“A. B,” he said.", ["“A. B,” he said."]),
    ("“This is a question of peace in Europe. For us it is existential,” she told reporters.",
     ["“This is a question of peace in Europe. For us it is existential,” she told reporters."]),
    ("“We will win.” Then he left.", ["“We will win.”", "Then he left."]),
    ("“My guess is he will move in … he has to do something,” Biden said.",
     ["“My guess is he will move in … he has to do something,” Biden said."]),
    ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    ("Is it true? “Yes!” she said.", ["Is it true?", "“Yes!” she said."]),
    ("Prices rose 2.5 percent. Wages did not.", ["Prices rose 2.5 percent.", "Wages did not."]),
    ("MS. PSAKI:  Hi, everyone.  Happy anniversary.", ["MS. PSAKI:  Hi, everyone.", "Happy anniversary."]),
    ("St. Petersburg hosted No. 10 officials. Dr. Smith came.",
     ["St. Petersburg hosted No. 10 officials.", "Dr. Smith came."]),
    ("The meeting ended at 5 p.m. Thursday in Geneva.", ["The meeting ended at 5 p.m. Thursday in Geneva."]),
    ("Ukraine called the attack “unprovoked.” Russia denied it.",
     ["Ukraine called the attack “unprovoked.”", "Russia denied it."]),
    ('"We are ready. We have always been ready," Putin said on Monday.',
     ['"We are ready. We have always been ready," Putin said on Monday.']),
    ("Sen. Joe Manchin (D-W.Va.) objected. The bill stalled.",
     ["Sen. Joe Manchin (D-W.Va.) objected.", "The bill stalled."]),
    ("Acme Inc. said profits fell. Its shares slid.", ["Acme Inc. said profits fell.", "Its shares slid."]),
    ("They met in Washington, D.C. The talks were tense.",
     ["They met in Washington, D.C.", "The talks were tense."]),
    ("Lt. Col. Alexander Vindman testified. He was fired.",
     ["Lt. Col. Alexander Vindman testified.", "He was fired."]),
    ("The vote was 52-48. It passed.", ["The vote was 52-48.", "It passed."]),
    ("What next?! Nobody knows.", ["What next?!", "Nobody knows."]),
    ("He said (quietly) that it was over. Then he left.", ["He said (quietly) that it was over.", "Then he left."]),
    ("J.K. Rowling wrote it. E.U. leaders met.", ["J.K. Rowling wrote it.", "E.U. leaders met."]),
    ("Just say yes or no. Sergei Naryshkin: I support it.", ["Just say yes or no.", "Sergei Naryshkin: I support it."]),
    ("Shares of Acme fell 3.2%. Rivals rose.", ["Shares of Acme fell 3.2%.", "Rivals rose."]),
    ("He cited Art. 5 of the treaty. Allies agreed.", ["He cited Art. 5 of the treaty.", "Allies agreed."]),
]


def ours() -> Splitter:
    abbr = abbreviations_for(default_lexicon())
    return lambda text: [_trim(text, s, e) for s, e in sentence_spans(text, 0, len(text), abbr)]


def pysbd_splitter() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [_trim(text, s.start, s.end) for s in seg.segment(text)]


def syntok_splitter() -> Splitter:
    from syntok import segmenter

    def split(text: str) -> list[Span]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                first, last = sentence[0], sentence[-1]
                out.append((first.offset, last.offset + len(last.value)))
        return out

    return split


_NAIVE = re.compile(r"(?<=[.!?])\s+")


def naive(text: str) -> list[Span]:
    out, start = [], 0
    for m in _NAIVE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def seed_blocks() -> list[str]:
    blocks = []
    for item in ingest.read_paths([ROOT / "seeds"]):
        if isinstance(item, ingest.Source):
            doc = clean.clean(item)
            blocks.extend(doc.text[b.start : b.end] for b in doc.blocks if b.kind in ("paragraph", "standfirst"))
    return blocks


def polnear_blocks(limit: int) -> list[str]:
    path = DATA / "polnear-train.jsonl"
    if not path.exists():
        return []
    blocks = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            text = json.loads(line)["text"]
            blocks.extend(p for p in text.split("\n\n") if p.strip())
    return blocks


def newsmtsc_sentences(limit: int) -> list[str]:
    path = DATA / "newsmtsc-train.jsonl"
    if not path.exists():
        return []
    seen: dict[str, None] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            sentence = json.loads(line)["sentence"].strip()
            seen.setdefault(sentence, None)
            if len(seen) >= limit:
                break
    return list(seen)


def timed(split: Splitter, blocks: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for block in blocks:
            split(block)
        best = min(best, time.process_time() - t0)
    return best


def _cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> None:
    quick = "--quick" in sys.argv
    splitters: dict[str, Splitter] = {"ours": ours(), "naive-regex": naive}
    for name, factory in (("pysbd", pysbd_splitter), ("syntok", syntok_splitter)):
        try:
            splitters[name] = factory()
        except ImportError:
            print(f"({name} not installed: skipped)")
    reference = splitters["ours"]

    corpora = {"seeds": seed_blocks(), "polnear": polnear_blocks(60 if quick else 300)}
    print("Speed (CPU time, best of 3, pysbd once; µs per sentence, our sentence count as denominator)")
    print(f"{'corpus':<10}{'splitter':<14}{'sentences':>10}{'seconds':>10}{'µs/sent':>10}{'x ours':>9}")
    for corpus, blocks in corpora.items():
        if not blocks:
            print(f"{corpus:<10}(not available)")
            continue
        n_sent = sum(len(reference(b)) for b in blocks)
        base = None
        for name, split in splitters.items():
            repeat = 1 if name == "pysbd" else 3
            seconds = timed(split, blocks, repeat)
            base = base or seconds
            print(f"{corpus:<10}{name:<14}{n_sent:>10}{seconds:>10.3f}{seconds / n_sent * 1e6:>10.1f}{seconds / base:>9.1f}")

    print("\nErrors on hand-checked news cases (exactly right / total)")
    for name, split in splitters.items():
        right = 0
        wrong = []
        for text, expected in CASES:
            got = [text[s:e] for s, e in split(text)]
            if got == expected:
                right += 1
            else:
                wrong.append(text[:40])
        print(f"  {name:<14}{right:>3}/{len(CASES)}  wrong: {'; '.join(wrong[:4])}{' ...' if len(wrong) > 4 else ''}")

    sentences = newsmtsc_sentences(1500 if quick else 6000)
    if sentences:
        print(f"\nOver-splitting on {len(sentences)} NewsMTSC sentences (items cut into 2+)")
        for name, split in splitters.items():
            cut = sum(1 for s in sentences if len(split(s)) > 1)
            print(f"  {name:<14}{cut:>6}  ({cut / len(sentences):.2%})")

    print("\nWhole stages on the seeds (CPU, best of 3): clean() and split() per sentence")
    sources = [i for i in ingest.read_paths([ROOT / "seeds"]) if isinstance(i, ingest.Source)]
    from datasette_framing.pipeline.split import split as split_document

    docs = [clean.clean(src) for src in sources]
    n_sent = sum(len(split_document(d)) for d in docs)
    clean_s = min(_cpu(lambda: [clean.clean(src) for src in sources]) for _ in range(3))
    split_s = min(_cpu(lambda: [split_document(d) for d in docs]) for _ in range(3))
    print(f"  clean {clean_s / n_sent * 1e6:6.1f} µs/sentence   split {split_s / n_sent * 1e6:6.1f} µs/sentence   ({n_sent} sentences)")

    seeds = corpora["seeds"]
    print("\nBoundaries on the seeds compared with ours (extra = made by it only, missing = ours only)")
    for name, split in splitters.items():
        if name == "ours":
            continue
        extra = missing = 0
        for block in seeds:
            a = {e for _, e in reference(block)}
            b = {e for _, e in split(block)}
            extra += len(b - a)
            missing += len(a - b)
        print(f"  {name:<14}extra {extra:>5}  missing {missing:>5}")


if __name__ == "__main__":
    main()
