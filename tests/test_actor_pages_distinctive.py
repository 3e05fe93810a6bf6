"""page_stats.distinctive_labels writes stats.log_odds_z out inline for speed: it must give
exactly (not approximately) what scoring each label through stats.log_odds_z gives."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from datasette_framing import page_stats, stats


def _reference(counts, z_min=1.96, k=5):
    """distinctive_labels as it was, one stats.log_odds_z call per label."""
    if len(counts) < 2:
        return {group: [] for group in counts}
    totals = defaultdict(int)
    for labels in counts.values():
        for label, n in labels.items():
            totals[label] += n
    n_all = sum(totals.values())
    out = {}
    for group, labels in counts.items():
        n_i = sum(labels.values())
        scored = []
        for label, y in labels.items():
            if y <= 0 or (z_min > 0 and y * n_all <= totals[label] * n_i):
                continue
            r = stats.log_odds_z(y, n_i, totals[label], n_all)
            if r is None or round(r[1], 6) < z_min:
                continue
            scored.append({"label": label, "n": y, "log_odds": round(r[0], 6), "z": round(r[1], 6)})
        scored.sort(key=lambda d: (-d["z"], d["label"]))
        out[group] = scored[:k]
    return out


def _counts(rng, groups, labels, skew):
    out = {}
    for g in range(groups):
        row = {}
        for lab in range(labels):
            n = int(rng.paretovariate(skew)) - 1 + (g == lab % groups) * rng.randint(0, 30)
            if n > 0:
                row[f"l{lab:03d}"] = n
        out[f"o{g}"] = row
    return out


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("z_min, k", [(1.96, 5), (0.0, 8), (-1.0, 3)])
def test_inline_log_odds_equal_the_per_label_calls(seed, z_min, k):
    rng = random.Random(seed)
    counts = _counts(rng, rng.randint(1, 6), rng.randint(1, 120), rng.choice([0.7, 1.2, 2.0]))
    got = page_stats.distinctive_labels(counts, z_min=z_min, k=k)
    assert got == _reference(counts, z_min=z_min, k=k)


def test_some_labels_are_distinctive():
    counts = {"A": {"regime": 40, "government": 2}, "B": {"regime": 3, "government": 30}, "C": {"regime": 5}}
    got = page_stats.distinctive_labels(counts)
    assert got == _reference(counts) and [d["label"] for d in got["A"]] == ["regime"]


def test_a_group_alone_or_empty_has_nothing_distinctive():
    assert page_stats.distinctive_labels({"A": {"x": 3}}) == {"A": []}
    counts = {"A": {"x": 3}, "B": {}}
    assert page_stats.distinctive_labels(counts, z_min=-5) == _reference(counts, z_min=-5)
