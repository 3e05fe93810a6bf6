"""Train the mention-sentiment model: logistic regression over rule-based features.

Reads NewsMTSC's train split by path (``../shared/data/newsmtsc-train.jsonl``;
never copied into the project), extracts the target-dependent features of
``datasette_framing.pipeline.sentiment.FEATURES`` for every target, fits a
multinomial logistic regression with L2 and balanced class weights (numpy,
deterministic full-batch optimisation), and writes the weights to
``datasette_framing/data/sentiment_model.json``.

    .venv/bin/python benchmarks/train_sentiment.py [--data PATH] [--out PATH]

numpy is needed here only; the package scores with plain Python.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing.pipeline import sentiment  # noqa: E402

#: NewsMTSC's train split, read in place (``FRAMING_DATA_DIR`` points elsewhere, as for benchmarks/accuracy.py).
DATA = Path(os.environ.get("FRAMING_DATA_DIR", ROOT.parent / "shared" / "data")) / "newsmtsc-train.jsonl"
OUT = ROOT / "datasette_framing" / "data" / sentiment.MODEL_FILE
CLASSES = (-1, 0, 1)
#: L2 penalty on the weights (not the biases), per training row.
L2 = 1e-5
#: Word table: pseudo-counts toward the class prior, and fewest targets a word must occur with.
ALPHA = 3.0
MIN_COUNT = 3
DOMAIN_OUT = ROOT / "datasette_framing" / "data" / sentiment.DOMAIN_FILE
#: Function words carry no framing of their own; what they pick up in one corpus is noise.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either even
    ever every few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up
    upon us very was we were what when where which while who whom whose why will with would yet
    you your yours yourself yourselves says said say told according since still much many may
    might must shall one two three four five first last new told""".split()
)


def load_rows(path: Path = DATA) -> list[dict[str, Any]]:
    """NewsMTSC rows: sentence, target_start, target_end, polarity, sentence_id."""
    if not path.exists():
        raise SystemExit(f"{path}: NewsMTSC development data not found (see /work/shared/data/README.md)")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def base_matrix(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """The rule-based features (everything but the learned word table), one row per target."""
    k = len(sentiment.BASE_FEATURES)
    return np.array(
        [sentiment.mention_features(r["sentence"], r["target_start"], r["target_end"], domain={})[:k] for r in rows],
        dtype=float,
    )


def contexts(rows: Sequence[dict[str, Any]]) -> list[tuple[list[str], list[str]]]:
    return [sentiment.context_words(r["sentence"], r["target_start"], r["target_end"]) for r in rows]


def build_table(
    ctx: Sequence[tuple[list[str], list[str]]], y: np.ndarray, idx: Sequence[int]
) -> dict[str, tuple[float, float]]:
    """The news-domain word table from rows ``idx``: P(class | word) - P(class), smoothed.

    A word counts once per target whose context holds it; words seen in fewer
    than ``MIN_COUNT`` targets are left out, and the estimate is shrunk toward
    the prior by ``ALPHA`` pseudo-counts; function words (``STOPWORDS``) are left out.
    """
    counts: dict[str, np.ndarray] = {}
    for i in idx:
        near, rest = ctx[i]
        for w in set(near) | set(rest):
            counts.setdefault(w, np.zeros(3))[y[i]] += 1
    prior = np.bincount(y[idx], minlength=3) / len(idx)
    table = {}
    for w, c in counts.items():
        if c.sum() >= MIN_COUNT and w not in STOPWORDS:
            dev = (c + ALPHA * prior) / (c.sum() + ALPHA) - prior
            if max(abs(dev[0]), abs(dev[2])) >= 0.01:
                table[w] = (round(float(dev[0]), 4), round(float(dev[2]), 4))
    return table


def domain_matrix(ctx: Sequence[tuple[list[str], list[str]]], idx: Sequence[int], table: dict) -> np.ndarray:
    return np.array([sentiment.domain_vector(*ctx[i], table) for i in idx], dtype=float).reshape(len(idx), -1)


def cross_fitted(ctx: Sequence[tuple[list[str], list[str]]], y: np.ndarray, idx: np.ndarray, inner: int = 5) -> np.ndarray:
    """Domain features of training rows from tables that did not see them (stacking).

    Without this the model would trust the word table as much as it fits its
    own training rows, which is far more than it fits new text.
    """
    out = np.zeros((len(idx), len(sentiment.DOMAIN_FEATURES)))
    part = np.arange(len(idx)) % inner
    for f in range(inner):
        table = build_table(ctx, y, idx[part != f])
        out[part == f] = domain_matrix(ctx, idx[part == f], table)
    return out


def train(base: np.ndarray, ctx: Sequence[tuple[list[str], list[str]]], y: np.ndarray, idx: np.ndarray) -> tuple[dict, dict]:
    """Word table and model trained on rows ``idx`` only."""
    X = np.hstack([base[idx], cross_fitted(ctx, y, idx)])
    return build_table(ctx, y, idx), fit(X, y[idx])


def labels(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.array([CLASSES.index(int(r["polarity"])) for r in rows])


def fit(X: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 1500, lr: float = 0.05) -> dict[str, Any]:
    """Multinomial logistic regression, balanced class weights, Adam on the full batch.

    Deterministic: zero initialisation, no sampling.
    """
    n, d = X.shape
    k = len(CLASSES)
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (n / (k * counts))[y]
    sample_w /= sample_w.sum()
    Y = np.eye(k)[y]
    W = np.zeros((d, k))
    b = np.zeros(k)
    mW, vW, mb, vb = np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        Z = X @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sample_w[:, None]
        gW = X.T @ G + l2 * W
        gb = G.sum(axis=0)
        for param, grad, m, v in ((W, gW, mW, vW), (b, gb, mb, vb)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return {
        "features": list(sentiment.FEATURES),
        "classes": list(CLASSES),
        "weights": [[round(float(w), 6) for w in W[:, c]] for c in range(k)],
        "bias": [round(float(x), 6) for x in b],
    }


def predict_scores(X: np.ndarray, model: dict[str, Any]) -> np.ndarray:
    """P(positive) - P(negative) for each row, as ``mention_sentiment`` computes it."""
    W = np.array(model["weights"]).T
    Z = X @ W + np.array(model["bias"])
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    return np.clip(P[:, 2] - P[:, 0], -1.0, 1.0)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--domain-out", type=Path, default=DOMAIN_OUT)
    args = parser.parse_args(argv)
    rows = load_rows(args.data)
    y = labels(rows)
    table, model = train(base_matrix(rows), contexts(rows), y, np.arange(len(rows)))
    model["trained_on"] = f"NewsMTSC train split ({len(rows)} targets), benchmarks/train_sentiment.py"
    model["l2"] = L2
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    domain = {
        "about": "News-domain word table for mention sentiment: for each lower-case word, "
        "P(negative | word) - P(negative) and P(positive | word) - P(positive) among the targets "
        "whose context holds it. Learned from NewsMTSC (Hamborg & Donnay 2021, MIT licence) by "
        "benchmarks/train_sentiment.py; names (capitalised words) are excluded.",
        "alpha": ALPHA,
        "min_count": MIN_COUNT,
        "words": dict(sorted(table.items())),
    }
    args.domain_out.write_text(json.dumps(domain, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.domain_out} ({len(table)} words)")
    print(f"wrote {args.out} ({len(rows)} rows, {len(sentiment.FEATURES)} features)")
    for name, wn, w0, wp in zip(sentiment.FEATURES, *model["weights"]):
        print(f"  {name:20s} neg {wn:+7.3f}  neu {w0:+7.3f}  pos {wp:+7.3f}")
    return model


if __name__ == "__main__":
    main()
