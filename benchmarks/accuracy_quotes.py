"""Quote attribution accuracy on PolNeAR (Newell, Margolin & Ruths, LREC 2018).

Run from the project root: ``python benchmarks/accuracy_quotes.py`` (options:
``--limit N`` articles, ``--split dev|heldout|all``, ``--json``).  The data are
read by path from ``../shared/data/polnear-train.jsonl`` (override the folder with
``FRAMING_DATA_DIR``) and never copied into the project.

Each article's text goes through the real pipeline pieces: a Document whose blocks
are the article's paragraphs (offsets kept, so gold spans line up), the real
``split`` and ``actors`` stages, then ``quotes.find_quotes``.

Measures (tokens are runs of word characters; two spans *match* when the tokens
they share are at least 0.3 of the shorter span's tokens):

* **quotes in quotation marks**: our direct and partial quotes against PolNeAR
  attributions whose content starts or ends with a quotation mark (the data's
  ``direct_quote_heuristic``).  Recall: share of those attributions matched by one
  of our quotes.  Precision: share of our quotes that match an annotated
  attribution (a quoted fragment inside annotated reported speech is a true quote).
* **all attributions**: every quote we report (direct, partial, indirect) against
  every annotated attribution, the same way.
* **speaker accuracy**: over our quotes that match an attribution with an annotated
  source, the share whose written speaker span matches the source span, or whose
  resolved actor has a mention that does (a pronoun counts as right when its span
  is the annotated one or it resolves to the right person).
* a strict variant of both F1s (one-to-one matching, Jaccard overlap >= 0.3), so
  the lenient figures can be read against it.

The baseline, measured in the same run, is a naive quotation-mark regex
(``“...”`` or ``"..."`` within a line) with no speakers.  Articles are split by a
hash of their id into a development part (4/5, used while building the rules) and
a held-apart part (1/5, not looked at while building); both are reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from datasette_framing.pipeline import actors as actors_stage
from datasette_framing.pipeline import quotes as quotes_stage
from datasette_framing.pipeline import split as split_stage
from datasette_framing.pipeline.lexicon import default_lexicon
from datasette_framing.pipeline.records import Block, Document

DATA = Path(os.environ.get("FRAMING_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data")
FILE = "polnear-train.jsonl"
THRESHOLD = 0.3
TOKEN = re.compile(r"\w+")
NAIVE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")


def part_of(article_id: str) -> str:
    """'heldout' for one article in five (stable hash of the id), else 'dev'."""
    return "heldout" if hashlib.sha1(article_id.encode()).digest()[0] % 5 == 0 else "dev"


def document_from_text(text: str) -> Document:
    """A Document whose blocks are the text's non-empty lines (offsets unchanged)."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            kind = "title" if not blocks else "paragraph"
            blocks.append(Block(len(blocks), s, e, kind))
    return Document(text=text, blocks=tuple(blocks), metadata={})


def tokens(text: str, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    return frozenset(m.start() for a, b in spans for m in TOKEN.finditer(text, a, b))


def overlap(p: frozenset[int], g: frozenset[int]) -> float:
    if not p or not g:
        return 0.0
    return len(p & g) / min(len(p), len(g))


def jaccard(p: frozenset[int], g: frozenset[int]) -> float:
    return len(p & g) / len(p | g) if p and g else 0.0


class Tally:
    """Lenient (any-to-any, shorter-span overlap) and strict (one-to-one Jaccard) counts."""

    def __init__(self) -> None:
        self.pred = self.pred_ok = self.gold = self.gold_ok = 0
        self.strict_tp = 0

    def add(self, pred: list[frozenset[int]], gold: list[frozenset[int]], gold_any: list[frozenset[int]]) -> None:
        pred = [p for p in pred if p]
        gold = [g for g in gold if g]
        self.pred += len(pred)
        self.gold += len(gold)
        self.pred_ok += sum(1 for p in pred if any(overlap(p, g) >= THRESHOLD for g in gold_any))
        self.gold_ok += sum(1 for g in gold if any(overlap(p, g) >= THRESHOLD for p in pred))
        pairs = sorted(
            ((jaccard(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if p & g),
            reverse=True,
        )
        used_p, used_g = set(), set()
        for v, i, j in pairs:
            if v < THRESHOLD:
                break
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
        self.strict_tp += len(used_p)

    def figures(self) -> dict[str, float]:
        p = self.pred_ok / self.pred if self.pred else 0.0
        r = self.gold_ok / self.gold if self.gold else 0.0
        sp = self.strict_tp / self.pred if self.pred else 0.0
        sr = self.strict_tp / self.gold if self.gold else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "strict_f1": round(2 * sp * sr / (sp + sr), 3) if sp + sr else 0.0,
            "predicted": self.pred,
            "gold": self.gold,
        }


class Run:
    """Every count of one evaluated set of articles."""

    def __init__(self) -> None:
        self.marks, self.everything = Tally(), Tally()
        self.naive_marks, self.naive_all = Tally(), Tally()
        self.speaker_ok = self.speaker_n = 0
        self.by_kind: dict[str, int] = {}
        self.seconds = 0.0
        self.n_sentences = 0
        self.articles = 0
        self.vader_seconds = 0.0  # VADER on the sentences of every fourth article
        self.quote_seconds_sampled = 0.0


def evaluate(rows: list[dict[str, Any]], runs: list[Run] | None = None) -> dict[str, Any]:
    """Figures over ``rows``; counts are also added to every Run in ``runs``."""
    run = Run()
    for row in rows:
        _article(row, [run, *(runs or [])])
    return figures(run)


def _article(row: dict[str, Any], runs: list[Run]) -> None:
    lexicon = default_lexicon()
    text = row["text"]
    document = document_from_text(text)
    sentences = split_stage.split(document)
    actors, mentions = actors_stage.find_actors(document, sentences, lexicon)
    t0 = time.process_time()  # CPU time: other processes on the machine do not count
    found = quotes_stage.find_quotes(document, sentences, actors, mentions, lexicon)
    seconds = time.process_time() - t0
    vader_seconds = 0.0
    if hash_sample(row["article_id"]):
        analyzer = _vader()
        t0 = time.process_time()
        for s in sentences:
            analyzer.polarity_scores(text[s.start : s.end])
        vader_seconds = time.process_time() - t0

    gold = row["quotes"]
    gold_all = [tokens(text, q["content_span"]["spans"]) for q in gold]
    gold_marks = [t for t, q in zip(gold_all, gold) if q["direct_quote_heuristic"]]
    pred_all = [tokens(text, [(q.start, q.end)]) for q in found]
    pred_marks = [t for t, q in zip(pred_all, found) if q.kind in ("direct", "partial")]
    naive = [tokens(text, [m.span()]) for m in NAIVE.finditer(text)]

    # speaker accuracy on attributions found
    sources = [tokens(text, q["source_span"]["spans"]) if q.get("source_span") else frozenset() for q in gold]
    speaker_ok = speaker_n = 0
    for q, p in zip(found, pred_all):
        # the annotated attribution it matches best (ties: the most similar span)
        best, best_v = None, (0.0, 0.0)
        for j, g in enumerate(gold_all):
            v = (overlap(p, g), jaccard(p, g))
            if v > best_v:
                best, best_v = j, v
        if best is None or best_v[0] < THRESHOLD or not sources[best]:
            continue
        speaker_n += 1
        src = sources[best]
        right = False
        if q.speaker_start is not None:
            right = overlap(tokens(text, [(q.speaker_start, q.speaker_end)]), src) >= THRESHOLD
        if not right and q.speaker:
            right = any(
                m.actor == q.speaker and overlap(tokens(text, [(m.start, m.end)]), src) >= THRESHOLD
                for m in mentions
            )
        speaker_ok += right

    for run in runs:
        run.articles += 1
        run.seconds += seconds
        if vader_seconds:
            run.vader_seconds += vader_seconds
            run.quote_seconds_sampled += seconds
        run.n_sentences += len(sentences)
        run.marks.add(pred_marks, gold_marks, gold_all)
        run.everything.add(pred_all, gold_all, gold_all)
        run.naive_marks.add(naive, gold_marks, gold_all)
        run.naive_all.add(naive, gold_all, gold_all)
        run.speaker_ok += speaker_ok
        run.speaker_n += speaker_n
        for q in found:
            run.by_kind[q.kind] = run.by_kind.get(q.kind, 0) + 1


def figures(run: Run) -> dict[str, Any]:
    return {
        "articles": run.articles,
        "quotes_in_marks": run.marks.figures(),
        "all_attributions": run.everything.figures(),
        "speaker_accuracy": round(run.speaker_ok / run.speaker_n, 3) if run.speaker_n else 0.0,
        "speaker_judged": run.speaker_n,
        "baseline_quotes_in_marks": run.naive_marks.figures(),
        "baseline_all_attributions": run.naive_all.figures(),
        "kinds": run.by_kind,
        "us_per_sentence": round(run.seconds / max(run.n_sentences, 1) * 1e6, 1),
        "time_vs_vader": round(run.quote_seconds_sampled / run.vader_seconds, 3) if run.vader_seconds else None,
    }


def hash_sample(article_id: str) -> bool:
    return hashlib.sha1(article_id.encode()).digest()[1] % 4 == 0


_ANALYZER = None


def _vader():
    """The speed reference of the project's performance budget (VADER on every sentence)."""
    global _ANALYZER
    if _ANALYZER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _ANALYZER = SentimentIntensityAnalyzer()
    return _ANALYZER


def load(limit: int | None = None) -> list[dict[str, Any]]:
    path = DATA / FILE
    if not path.exists():
        raise SystemExit(f"{path}: not found (set FRAMING_DATA_DIR to the folder holding {FILE})")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def report(name: str, r: dict[str, Any]) -> None:
    m, a = r["quotes_in_marks"], r["all_attributions"]
    bm, ba = r["baseline_quotes_in_marks"], r["baseline_all_attributions"]
    print(f"-- {name}: {r['articles']} articles; quotes found by kind {r['kinds']}")
    print(f"   {'':28}{'P':>7}{'R':>7}{'F1':>7}{'strict F1':>11}   baseline P/R/F1 (strict F1)")
    for label, ours, base in (("quotes in quotation marks", m, bm), ("all attributions", a, ba)):
        print(
            f"   {label:28}{ours['precision']:7.3f}{ours['recall']:7.3f}{ours['f1']:7.3f}{ours['strict_f1']:11.3f}"
            f"   {base['precision']:.3f}/{base['recall']:.3f}/{base['f1']:.3f} ({base['strict_f1']:.3f})"
        )
    print(
        f"   speaker accuracy on attributions found: {r['speaker_accuracy']:.3f} "
        f"(of {r['speaker_judged']}; baseline has no speakers)"
    )
    print(
        f"   find_quotes CPU time: {r['us_per_sentence']} µs per sentence; "
        f"{r['time_vs_vader']}x the time of VADER on the same sentences (sampled articles)"
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Print and return the figures: by part (dev, heldout) and over all articles."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="read only the first N articles")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), help="report one part only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv or [])
    rows = load(args.limit)
    parts = {"dev": [r for r in rows if part_of(r["article_id"]) == "dev"],
             "heldout": [r for r in rows if part_of(r["article_id"]) == "heldout"]}
    results: dict[str, Any] = {}
    total = Run()
    for name in ("dev", "heldout"):
        if args.split in (None, name):
            results[name] = evaluate(parts[name], [total])
            report(name, results[name])
    if args.split == "all":
        results["all"] = evaluate(parts["dev"] + parts["heldout"])
    elif args.split is None:
        results["all"] = figures(total)
    if "all" in results:
        report("all (PolNeAR train)", results["all"])
    goals = {"quotes_in_marks_f1": 0.95, "all_attributions_f1": 0.65, "speaker_accuracy": 0.85}
    final = results.get("all") or next(iter(results.values()))
    got = {
        "quotes_in_marks_f1": final["quotes_in_marks"]["f1"],
        "all_attributions_f1": final["all_attributions"]["f1"],
        "speaker_accuracy": final["speaker_accuracy"],
    }
    results["goals"] = {k: {"goal": v, "measured": got[k], "met": got[k] >= v} for k, v in goals.items()}
    print("   goals: " + ", ".join(f"{k} {got[k]:.3f} (goal {v}) {'met' if got[k] >= v else 'NOT met'}"
                                 for k, v in goals.items()))
    if args.json:
        print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
