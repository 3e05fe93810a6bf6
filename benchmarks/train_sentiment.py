"""Train the mention-sentiment model: logistic regression over rule-based features.

Reads NewsMTSC's train split by path (``../shared/data/newsmtsc-train.jsonl``;
never copied into the project), extracts the target-dependent features of
``datasette_framing.pipeline.sentiment.FEATURES`` for every target, fits a
multinomial logistic regression with L2 and balanced class weights (numpy,
deterministic full-batch optimisation), and writes the weights to
``datasette_framing/data/sentiment_model.json``.

Three things are chosen by an inner cross-validation on the training rows
only (grouped by sentence, never on the rows a benchmark scores): the L2
penalty of the word features (or the mean of the two best penalties' models),
whether to add the window features (``sentiment.WINDOW_PREFIX``), and a
calibration of the class logits (a temperature and two class offsets) that
makes ``polarity()``'s fixed cut points (+-0.25 on P(positive) - P(negative))
the best ones for macro-F1.  The calibration is
folded into the shipped weights, so scoring costs nothing more.

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
from datasette_framing.pipeline.lexicon import Lexicon  # noqa: E402

#: NewsMTSC's train split, read in place (``FRAMING_DATA_DIR`` points elsewhere, as for benchmarks/accuracy.py).
DATA = Path(os.environ.get("FRAMING_DATA_DIR", ROOT.parent / "shared" / "data")) / "newsmtsc-train.jsonl"
OUT = ROOT / "datasette_framing" / "data" / sentiment.MODEL_FILE
CLASSES = (-1, 0, 1)
#: L2 penalty on the weights (not the biases), per training row.
L2 = 1e-5
#: L2 penalty on the target-relative word features (``sentiment.word_keys``): far stronger, there are thousands.
#: The default when no inner cross-validation chooses one (``L2_WORDS_GRID``).
L2_WORDS = 1e-3
#: Word-feature penalties tried by the inner cross-validation; the best on the training rows is used.
L2_WORDS_GRID = (1e-3, 3e-3, 1e-2)
#: The inner cross-validation also tries the mean of the two best penalties' models (their logits
#: averaged: one linear model, so it costs nothing at run time).  Penalties the inner folds score
#: alike then share the model instead of one of them being picked by noise.
AVERAGE_TOP_TWO = True
#: Then it tries adding the window features (``sentiment.WINDOW_PREFIX``: function words,
#: punctuation and names next to the mention) at the chosen penalty; kept only if its rows gain.
TRY_WINDOW = True
#: Inner folds (grouped by sentence) for that choice and for the calibration.
INNER_FOLDS = 3
#: Calibration grid: temperatures (logits divided by it; < 1 sharpens) and offsets of the
#: negative and positive logits.  The mildest calibration within ``CALIBRATION_SLACK`` of
#: the best inner macro-F1 is kept, so scores are not sharpened for a gain that is noise.
TEMPERATURES = (1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2)
OFFSETS = tuple(round(x * 0.1, 1) for x in range(-6, 7))
CALIBRATION_SLACK = 0.002
#: Fewest training targets a word feature must occur with to get a weight.
MIN_WORD_COUNT = 3
#: Optimisation steps with word features: fewer than without (each costs ~40x more), and early stopping regularises.
WORD_STEPS = 500
#: Word features whose three weights all stay below this are not shipped (they barely move a score).
MIN_WORD_WEIGHT = 0.02
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


#: Fewest times a word must be written in lower case inside sentences to count as an ordinary word.
MIN_LOWERCASE = 2


def lowercase_words(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Words the sentences write in lower case, not first (``sentiment._common_words``).

    Text only, never labels: a capitalised first word is an ordinary word
    ("Officials said") when it is in this list, and otherwise taken for a name.
    """
    counts: dict[str, int] = {}
    for sentence in {r["sentence"] for r in rows}:
        prev = ""
        for n, m in enumerate(sentiment._TOKEN.finditer(sentence)):
            w = m.group()
            if n and w[0].islower() and prev not in sentiment._OPENERS:
                w = w.replace("\u2019", "'")
                w = w[:-2] if w.endswith("'s") and len(w) > 2 else w
                counts[w] = counts.get(w, 0) + 1
            prev = w
    return sorted(w for w, c in counts.items() if c >= MIN_LOWERCASE)


def _use_lowercase_words(path: Path, words: list[str]) -> None:
    """Write ``words`` into the domain file now, so that the features about to be read use them."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"words": {}}
    if data.get("lowercase_words") == words:
        return
    data["lowercase_words"] = words
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    from datasette_framing.pipeline import lexicon

    lexicon._load.cache_clear()
    for cached in (sentiment._common_words, sentiment._domain, sentiment._parse):
        cached.cache_clear()


def base_matrix(rows: Sequence[dict[str, Any]], lexicon: Lexicon | None = None) -> np.ndarray:
    """The rule-based features (everything but the learned word table), one row per target."""
    k = len(sentiment.BASE_FEATURES)
    return np.array(
        [
            sentiment.mention_features(r["sentence"], r["target_start"], r["target_end"], lexicon, domain={})[:k]
            for r in rows
        ],
        dtype=float,
    )


def contexts(rows: Sequence[dict[str, Any]], lexicon: Lexicon | None = None) -> list[tuple[list[str], list[str]]]:
    return [sentiment.context_words(r["sentence"], r["target_start"], r["target_end"], lexicon) for r in rows]


def lexicon_with_lowercase_words(words: list[str], directory: Path) -> Lexicon:
    """A lexicon whose domain file lists only ``words`` as ordinary words (and no domain table).

    For cross-validation: the benchmark gives each training fold the words
    of its own text, so the held-out folds' text never decides which of their
    capitalised first words are names.  The shipped files are left untouched.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / sentiment.DOMAIN_FILE).write_text(
        json.dumps({"words": {}, "lowercase_words": words}), encoding="utf-8"
    )
    return Lexicon(data_dir=str(directory))


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


def word_keys(rows: Sequence[dict[str, Any]], lexicon: Lexicon | None = None) -> list[list[str]]:
    """The target-relative word features of every target (names never among them)."""
    return [sentiment.word_keys(r["sentence"], r["target_start"], r["target_end"], lexicon) for r in rows]


def vocabulary(keys: Sequence[Sequence[str]], idx: Sequence[int]) -> list[str]:
    """Word features seen with at least ``MIN_WORD_COUNT`` of the targets ``idx``."""
    counts: dict[str, int] = {}
    for i in idx:
        for k in keys[i]:
            counts[k] = counts.get(k, 0) + 1
    return sorted(k for k, c in counts.items() if c >= MIN_WORD_COUNT)


def sparse(keys: Sequence[Sequence[str]], idx: Sequence[int], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every known word feature of the targets ``idx``: a binary sparse matrix."""
    ri: list[int] = []
    ci: list[int] = []
    for r, i in enumerate(idx):
        for k in keys[i]:
            j = vocab.get(k)
            if j is not None:
                ri.append(r)
                ci.append(j)
    return np.array(ri, dtype=np.int64), np.array(ci, dtype=np.int64)


def _fit_words(
    base: np.ndarray,
    ctx: Sequence[tuple[list[str], list[str]]],
    y: np.ndarray,
    idx: np.ndarray,
    keys: Sequence[Sequence[str]],
    l2_words: float,
) -> tuple[dict, dict]:
    """Word table and model (word features included) trained on rows ``idx`` only."""
    X = np.hstack([base[idx], cross_fitted(ctx, y, idx)])
    vocab = vocabulary(keys, idx)
    index = {k: j for j, k in enumerate(vocab)}
    model = fit(X, y[idx], steps=WORD_STEPS, words=(vocab, sparse(keys, idx, index)), l2_words=l2_words)
    model["l2_words"] = l2_words
    return build_table(ctx, y, idx), model


def inner_folds(idx: np.ndarray, groups: np.ndarray | None, k: int = INNER_FOLDS) -> np.ndarray:
    """An inner fold number for each of the rows ``idx``; rows of one group (sentence) share it."""
    if groups is None:
        return np.arange(len(idx)) % k
    g = groups[idx]
    order = {v: n for n, v in enumerate(np.unique(g))}
    return np.array([order[v] % k for v in g])


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the three classes (indices 0, 1, 2)."""
    f1 = []
    for c in range(len(CLASSES)):
        tp = np.sum((pred == c) & (y == c))
        denom = np.sum(pred == c) + np.sum(y == c)
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def _cut(Z: np.ndarray) -> np.ndarray:
    """Class index (0, 1, 2) that ``polarity()`` gives the logits ``Z``: +-0.25 on P(pos) - P(neg)."""
    Z = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    score = P[:, 2] - P[:, 0]
    neg, pos = sentiment.NEGATIVE_THRESHOLD, sentiment.POSITIVE_THRESHOLD
    return np.where(score >= pos, 2, np.where(score <= neg, 0, 1))


def calibrate(Z: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """(temperature, negative offset, positive offset, macro-F1) for held-out logits ``Z``.

    The grid point whose ``polarity()`` classes score the best macro-F1; among
    those within ``CALIBRATION_SLACK`` of it, the mildest (highest temperature,
    then smallest offsets).
    """
    results = []
    for t in TEMPERATURES:
        for bn in OFFSETS:
            for bp in OFFSETS:
                f1 = macro_f1(y, _cut(Z / t + np.array([bn, 0.0, bp])))
                results.append((f1, t, bn, bp))
    best = max(r[0] for r in results)
    f1, t, bn, bp = min(
        (r for r in results if r[0] >= best - CALIBRATION_SLACK), key=lambda r: (-r[1], abs(r[2]) + abs(r[3]), r[2], r[3])
    )
    return t, bn, bp, f1


def apply_calibration(model: dict[str, Any], t: float, bn: float, bp: float) -> dict[str, Any]:
    """The model with its logits divided by ``t`` and the offsets added to the biases (weights rescaled)."""
    model["weights"] = [[round(w / t, 6) for w in row] for row in model["weights"]]
    model["bias"] = [round(b / t + o, 6) for b, o in zip(model["bias"], (bn, 0.0, bp))]
    if "words" in model:
        model["words"] = {k: [round(w / t, 4) for w in v] for k, v in model["words"].items()}
    model["calibration"] = {"temperature": t, "offsets": [bn, 0.0, bp]}
    return model


def logits(X: np.ndarray, model: dict[str, Any], keys: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """The three class logits of each row, as ``mention_sentiment`` computes them."""
    W = np.array(model["weights"]).T
    Z = X @ W + np.array(model["bias"])
    table = model.get("words") or {}
    if keys is not None and table:
        Z += np.array([np.sum([table[k] for k in row if k in table] or [[0.0, 0.0, 0.0]], axis=0) for row in keys])
    return Z


def average_models(models: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One model whose logits are the mean of ``models``' logits (weights, biases and word weights averaged).

    A word feature missing from one model (its weights too small to ship) counts as 0 there.
    """
    if len(models) == 1:
        return models[0]
    n = len(models)
    out = dict(models[0])
    out["weights"] = [
        [round(sum(rows) / n, 6) for rows in zip(*(m["weights"][c] for m in models))] for c in range(len(CLASSES))
    ]
    out["bias"] = [round(sum(b) / n, 6) for b in zip(*(m["bias"] for m in models))]
    names = sorted(set().union(*(m.get("words") or {} for m in models)))
    zero = [0.0] * len(CLASSES)
    out["words"] = {
        k: [round(sum(ws) / n, 4) for ws in zip(*((m.get("words") or {}).get(k, zero) for m in models))] for k in names
    }
    return out


def train(
    base: np.ndarray,
    ctx: Sequence[tuple[list[str], list[str]]],
    y: np.ndarray,
    idx: np.ndarray,
    keys: Sequence[Sequence[str]] | None = None,
    groups: np.ndarray | None = None,
    log: Any = None,
) -> tuple[dict, dict]:
    """Word table and model trained on rows ``idx`` only.

    With word features, an inner cross-validation over ``idx`` (folds grouped
    by ``groups``, the sentence of each row) picks the word-feature penalty
    from ``L2_WORDS_GRID`` (or the mean of the two best, ``AVERAGE_TOP_TWO``),
    then whether the window features help at that penalty (``TRY_WINDOW``),
    and the calibration (``calibrate``) of the logits, all by the macro-F1 of
    ``polarity()`` on the held-out inner rows.  Nothing outside ``idx`` is read.
    """
    if keys is None:
        X = np.hstack([base[idx], cross_fitted(ctx, y, idx)])
        return build_table(ctx, y, idx), fit(X, y[idx])
    inner = inner_folds(idx, groups)
    with_window = keys
    keys = [[k for k in row if not k.startswith(sentiment.WINDOW_PREFIX)] for row in keys]

    def held_out_logits(l2_words: float, keys: Sequence[Sequence[str]]) -> np.ndarray:
        Z = np.zeros((len(idx), len(CLASSES)))
        for f in range(INNER_FOLDS):
            tr, te = idx[inner != f], idx[inner == f]
            table, model = _fit_words(base, ctx, y, tr, keys, l2_words)
            X = np.hstack([base[te], domain_matrix(ctx, te, table)])
            Z[inner == f] = logits(X, model, [keys[i] for i in te])
        return Z

    held_out: dict[float, np.ndarray] = {}
    options: list[tuple[float, tuple[float, ...], tuple[float, float, float, float]]] = []
    for l2_words in L2_WORDS_GRID:
        Z = held_out[l2_words] = held_out_logits(l2_words, keys)
        cal = calibrate(Z, y[idx])
        options.append((cal[3], (l2_words,), cal))
    if AVERAGE_TOP_TWO and len(options) >= 2:
        # one linear model: the mean of the two models' logits is that of their weights
        pair = tuple(sorted(o[1][0] for o in sorted(options, key=lambda o: -o[0])[:2]))
        Z = (held_out[pair[0]] + held_out[pair[1]]) / 2
        cal = calibrate(Z, y[idx])
        options.append((cal[3], pair, cal))
    if log:
        for f1, penalties, cal in options:
            name = " + ".join(f"{p:g}" for p in penalties)
            log(f"    inner CV: l2_words {name}: macro-F1 {f1:.4f} (temperature {cal[0]}, offsets {cal[1]:+.1f} {cal[2]:+.1f})")
    inner_f1, penalties, (t, bn, bp, _) = max(options, key=lambda o: o[0])  # ties: the first (a single penalty)
    window = False
    if TRY_WINDOW:
        # then the same choice with the window features added: kept only if the inner rows gain
        Z = np.mean([held_out_logits(p, with_window) for p in penalties], axis=0)
        cal = calibrate(Z, y[idx])
        if log:
            log(f"    inner CV: with window features: macro-F1 {cal[3]:.4f} (temperature {cal[0]}, offsets {cal[1]:+.1f} {cal[2]:+.1f})")
        if cal[3] > inner_f1:
            inner_f1, (t, bn, bp, _), keys, window = cal[3], cal, with_window, True
    fitted = [_fit_words(base, ctx, y, idx, keys, p) for p in penalties]
    table = fitted[0][0]  # the word table does not depend on the penalty
    model = average_models([m for _, m in fitted])
    model["l2_words"] = penalties[0] if len(penalties) == 1 else list(penalties)
    model["window_features"] = window
    model = apply_calibration(model, t, bn, bp)
    model["calibration"]["inner_macro_f1"] = round(inner_f1, 4)
    return table, model


def labels(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    return np.array([CLASSES.index(int(r["polarity"])) for r in rows])


def _sparse_logits(ri: np.ndarray, ci: np.ndarray, V: np.ndarray, n: int) -> np.ndarray:
    Vr = V[ci]
    return np.stack([np.bincount(ri, weights=Vr[:, c], minlength=n) for c in range(V.shape[1])], axis=1)


def fit(
    X: np.ndarray,
    y: np.ndarray,
    l2: float = L2,
    steps: int = 1500,
    lr: float = 0.05,
    words: tuple[list[str], tuple[np.ndarray, np.ndarray]] | None = None,
    l2_words: float = L2_WORDS,
) -> dict[str, Any]:
    """Multinomial logistic regression, balanced class weights, Adam on the full batch.

    ``words`` adds binary word features: their names and the (row, column)
    of each occurrence.  Deterministic: zero initialisation, no sampling.
    """
    n, d = X.shape
    k = len(CLASSES)
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (n / (k * counts))[y]
    sample_w /= sample_w.sum()
    Y = np.eye(k)[y]
    W = np.zeros((d, k))
    b = np.zeros(k)
    names, (ri, ci) = words if words else ([], (np.zeros(0, np.int64), np.zeros(0, np.int64)))
    V = np.zeros((max(1, len(names)), k))
    state = [(p, np.zeros_like(p), np.zeros_like(p)) for p in (W, b, V)]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        Z = X @ W + b
        if names:
            Z += _sparse_logits(ri, ci, V, n)
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sample_w[:, None]
        grads = [X.T @ G + l2 * W, G.sum(axis=0), np.zeros_like(V)]
        if names:
            Gr = G[ri]
            grads[2] = np.stack([np.bincount(ci, weights=Gr[:, c], minlength=len(V)) for c in range(k)], axis=1)
            grads[2] += l2_words * V
        for (param, m, v), grad in zip(state, grads):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    model: dict[str, Any] = {
        "features": list(sentiment.FEATURES),
        "classes": list(CLASSES),
        "weights": [[round(float(w), 6) for w in W[:, c]] for c in range(k)],
        "bias": [round(float(x), 6) for x in b],
    }
    if names:
        model["words"] = {
            name: [round(float(w), 4) for w in V[j]]
            for j, name in enumerate(names)
            if np.abs(V[j]).max() >= MIN_WORD_WEIGHT
        }
    return model


def predict_scores(X: np.ndarray, model: dict[str, Any], keys: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """P(positive) - P(negative) for each row, as ``mention_sentiment`` computes it.

    ``keys`` are the rows' word features (``word_keys``), read through the model's word weights.
    """
    Z = logits(X, model, keys)
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    P /= P.sum(axis=1, keepdims=True)
    t = float((model.get("calibration") or {}).get("temperature", 1.0))
    return np.array([sentiment.mention_score(float(n), float(u), float(p), t) for n, u, p in P])


def sentence_groups(rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """A group number per row: the rows of one sentence share it (inner folds never split a sentence)."""
    ids: dict[str, int] = {}
    return np.array([ids.setdefault(r["sentence"], len(ids)) for r in rows])


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--domain-out", type=Path, default=DOMAIN_OUT)
    args = parser.parse_args(argv)
    rows = load_rows(args.data)
    y = labels(rows)
    common = lowercase_words(rows)
    _use_lowercase_words(args.domain_out, common)
    table, model = train(
        base_matrix(rows), contexts(rows), y, np.arange(len(rows)), word_keys(rows), sentence_groups(rows), log=print
    )
    model["trained_on"] = f"NewsMTSC train split ({len(rows)} targets), benchmarks/train_sentiment.py"
    model["l2"] = L2
    model["min_word_count"] = MIN_WORD_COUNT
    words = model.pop("words", {})
    # the word weights last, compact: one line each
    text = json.dumps(model, indent=1)[:-2] + ',\n "words": {\n'
    text += ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(words.items()))
    args.out.write_text(text + "\n }\n}\n", encoding="utf-8")
    model["words"] = words
    domain = {
        "about": "News-domain word table for mention sentiment: for each lower-case word, "
        "P(negative | word) - P(negative) and P(positive | word) - P(positive) among the targets "
        "whose context holds it. Learned from NewsMTSC (Hamborg & Donnay 2021, MIT licence) by "
        "benchmarks/train_sentiment.py; names (capitalised words) are excluded.",
        "alpha": ALPHA,
        "min_count": MIN_COUNT,
        "words": dict(sorted(table.items())),
        "lowercase_words_about": "Words the training text writes in lower case inside sentences "
        f"(at least {MIN_LOWERCASE} times; text only, no labels): a capitalised first word of a "
        "sentence or quotation is read as an ordinary word only if it is listed here, else as a name.",
        "lowercase_words": common,
    }
    args.domain_out.write_text(json.dumps(domain, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.domain_out} ({len(table)} words)")
    print(f"wrote {args.out} ({len(rows)} rows, {len(sentiment.FEATURES)} features, {len(words)} word features)")
    for name, wn, w0, wp in zip(sentiment.FEATURES, *model["weights"]):
        print(f"  {name:20s} neg {wn:+7.3f}  neu {w0:+7.3f}  pos {wp:+7.3f}")
    return model


if __name__ == "__main__":
    main()
