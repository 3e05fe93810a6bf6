"""Accuracy and speed of mention sentiment on NewsMTSC, beside target-blind VADER.

    .venv/bin/python benchmarks/accuracy_sentiment.py

* Macro-F1 of ``polarity(mention_sentiment(...))`` by 5-fold cross-validation
  on NewsMTSC's train split (8,739 targets).  Folds are grouped by sentence,
  so no sentence is both trained on and tested; the word table and the model
  are retrained on every fold (``train_sentiment.train``), including the
  inner cross-validation that picks the word-feature penalty and the logit
  calibration from the training folds only, and the shipped thresholds are used.
  The list of ordinary words (``lowercase_words``: which capitalised first
  words are not names) is also rebuilt from each fold's training text, so the
  held-out sentences' text is not read either.
* The same rows scored by sentence-level VADER (compound, thresholds
  +-0.05), the published target-blind baseline.
* Microseconds per mention (features and model, with and without the
  per-sentence parse) against VADER's ``polarity_scores`` per sentence,
  measured in the same run.

``main()`` prints the figures and returns them as a dict.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import train_sentiment as train  # noqa: E402

from datasette_framing.pipeline import sentiment  # noqa: E402

FOLDS = 5
SEED = 20210419  # fixed: the folds are the same on every run


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> tuple[float, dict[int, float]]:
    per = {}
    for c in (-1, 0, 1):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[c] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return sum(per.values()) / 3, per


def folds_by_sentence(rows: Sequence[dict[str, Any]], k: int = FOLDS) -> np.ndarray:
    """A fold number per row; every target of one sentence lands in the same fold."""
    sentences = sorted({r["sentence"] for r in rows})
    order = np.random.default_rng(SEED).permutation(len(sentences))
    fold_of = {sentences[i]: n % k for n, i in enumerate(order)}
    return np.array([fold_of[r["sentence"]] for r in rows])


def _timing(rows: Sequence[dict[str, Any]], n: int = 2000) -> dict[str, float]:
    sample = rows[:n]
    analyzer = sentiment._analyzer()
    sentences = [r["sentence"] for r in sample]
    for s in sentences[:50]:  # warm up lexicons and caches
        analyzer.polarity_scores(s)
        sentiment.mention_sentiment(s, 0, 1)

    t = time.perf_counter()
    for s in sentences:
        analyzer.polarity_scores(s)
    vader_us = (time.perf_counter() - t) / len(sentences) * 1e6

    sentiment._parse.cache_clear()
    t = time.perf_counter()
    for r in sample:
        sentiment._parse.cache_clear()
        sentiment.mention_evidence(r["sentence"], r["target_start"], r["target_end"])
    cold_us = (time.perf_counter() - t) / len(sample) * 1e6

    for r in sample[:400]:
        sentiment.mention_evidence(r["sentence"], r["target_start"], r["target_end"])
    t = time.perf_counter()
    for r in sample[:400]:
        sentiment.mention_evidence(r["sentence"], r["target_start"], r["target_end"])
    warm_us = (time.perf_counter() - t) / 400 * 1e6
    return {
        "vader_us_per_sentence": round(vader_us, 1),
        "mention_us_with_sentence_parse": round(cold_us, 1),
        "mention_us_sentence_already_parsed": round(warm_us, 1),
        "ratio_mention_to_vader_sentence": round(cold_us / vader_us, 3),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    rows = train.load_rows()
    y = train.labels(rows)
    gold = [int(r["polarity"]) for r in rows]
    fold = folds_by_sentence(rows)
    groups = train.sentence_groups(rows)

    pred = [0] * len(rows)
    chosen = []
    scratch = Path(tempfile.mkdtemp(prefix="sentiment-cv-"))
    for f in range(FOLDS):
        test = np.where(fold == f)[0]
        trained = np.where(fold != f)[0]
        # the ordinary words (which capitalised first words are not names) come from the
        # training folds' text only, as the shipped model's come from its training text
        lexicon = train.lexicon_with_lowercase_words(
            train.lowercase_words([rows[i] for i in trained]), scratch / f"fold{f}"
        )
        base, ctx, keys = train.base_matrix(rows, lexicon), train.contexts(rows, lexicon), train.word_keys(rows, lexicon)
        table, model = train.train(base, ctx, y, trained, keys, groups, log=print)
        penalty = model["l2_words"]
        penalty = " + ".join(f"{p:g}" for p in penalty) if isinstance(penalty, list) else f"{penalty:g}"
        chosen.append(f"l2_words {penalty}, temperature {model['calibration']['temperature']}, "
                      f"offsets {model['calibration']['offsets']}")
        print(f"  fold {f + 1}: {chosen[-1]}", flush=True)
        X = np.hstack([base[test], train.domain_matrix(ctx, test, table)])
        for i, score in zip(test, train.predict_scores(X, model, [keys[i] for i in test])):
            pred[i] = sentiment.polarity(float(score))
    shutil.rmtree(scratch, ignore_errors=True)
    cv_f1, cv_per = macro_f1(gold, pred)

    analyzer = sentiment._analyzer()
    vader_pred = []
    for r in rows:
        c = analyzer.polarity_scores(r["sentence"])["compound"]
        vader_pred.append(1 if c >= 0.05 else -1 if c <= -0.05 else 0)
    vader_f1, vader_per = macro_f1(gold, vader_pred)

    # the shipped model end to end through the public function (in-sample: trained on these rows)
    shipped = [sentiment.polarity(sentiment.mention_sentiment(r["sentence"], r["target_start"], r["target_end"])) for r in rows]
    shipped_f1, _ = macro_f1(gold, shipped)

    figures: dict[str, Any] = {
        "rows": len(rows),
        "sentences": len({r["sentence"] for r in rows}),
        "mention_macro_f1_cv5": round(cv_f1, 4),
        "mention_f1_per_class_cv5": {str(k): round(v, 4) for k, v in cv_per.items()},
        "vader_sentence_macro_f1": round(vader_f1, 4),
        "vader_f1_per_class": {str(k): round(v, 4) for k, v in vader_per.items()},
        "shipped_model_macro_f1_in_sample": round(shipped_f1, 4),
        "thresholds": [sentiment.NEGATIVE_THRESHOLD, sentiment.POSITIVE_THRESHOLD],
        "chosen_per_fold": chosen,
        **_timing(rows),
    }
    print("Mention sentiment on NewsMTSC train (8,739 targets), 5-fold CV grouped by sentence")
    for key, value in figures.items():
        print(f"  {key:40s} {value}")
    print(
        f"  macro-F1 {figures['mention_macro_f1_cv5']:.3f} vs target-blind VADER "
        f"{figures['vader_sentence_macro_f1']:.3f} (goal >= 0.65)"
    )
    return figures


if __name__ == "__main__":
    main()
