"""page_stats.with_interval: the figures every aggregate row of the pages carries."""

from __future__ import annotations

import random

from datasette_framing import page_stats, stats

COUNTS = ("mentions", "quotes", "scored", "negative", "neutral", "positive", "agent", "patient", "headline")


def _expected(row: dict, min_count: int, level: float) -> dict:
    """with_interval spelled out from its parts: ci_from_moments and share()."""
    out = dict(row)
    n = out.get("scored") or 0
    mean = out.get("sentiment_mean")
    ci = stats.ci_from_moments(n, (mean or 0.0) * n, out.pop("sentiment_sumsq", None) or 0.0, level)
    out["sentiment_low"], out["sentiment_high"] = ci.ci_low, ci.ci_high
    out["too_few"] = n < min_count
    mentions = out.get("mentions") or 0
    out["voice_share"] = page_stats.share(out.get("quotes"), mentions)
    for key in ("negative", "neutral", "positive"):
        if key in out:
            out[f"{key}_share"] = page_stats.share(out[key], n)
    for key in ("agent", "patient", "headline"):
        if key in out:
            out[f"{key}_share"] = page_stats.share(out[key], mentions)
    return out


def test_with_interval_matches_its_definition_key_for_key() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        row = {"actor_id": "a"}
        for key in COUNTS:
            if rng.random() < 0.85:
                row[key] = rng.choice([None, 0, 1, 2, rng.randint(0, 90_000)])
        if rng.random() < 0.9:
            row["sentiment_mean"] = rng.choice([None, 0.0, rng.uniform(-1, 1)])
        if rng.random() < 0.9:
            row["sentiment_sumsq"] = rng.choice([None, 0.0, rng.uniform(0, 5000)])
        min_count, level = rng.choice([5, 10]), rng.choice([0.95, 0.9])
        got = page_stats.with_interval(row, min_count, level)
        assert list(got.items()) == list(_expected(row, min_count, level).items())
        assert "sentiment_sumsq" in row or "sentiment_sumsq" not in got  # the input row is left alone


def test_with_interval_flags_too_few_and_leaves_absent_counts_out() -> None:
    got = page_stats.with_interval({"mentions": 4, "quotes": 1, "scored": 3, "sentiment_mean": 0.5, "sentiment_sumsq": 0.9}, 5)
    assert got["too_few"] is True and got["voice_share"] == 0.25
    assert "negative_share" not in got and "agent_share" not in got
    assert got["sentiment_low"] is not None and got["sentiment_low"] <= 0.5 <= got["sentiment_high"]
