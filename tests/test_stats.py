"""Intervals, shares, the minimum-count guard and log-odds; and their SQL functions."""

from __future__ import annotations

import json
import random
import sqlite3
import statistics

import pytest

from datasette_framing import stats


@pytest.mark.parametrize(
    "df,expected",  # two-sided 95% critical values from any t table
    [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (9, 2.262), (29, 2.045), (120, 1.980), (10_000, 1.960)],
)
def test_t_quantile_matches_tables(df, expected):
    assert stats.t_quantile(0.975, df) == pytest.approx(expected, abs=1e-3)
    assert stats.t_quantile(0.025, df) == pytest.approx(-expected, abs=1e-3)


def test_interval_contains_the_mean_and_shrinks_with_n():
    rng = random.Random(7)
    widths = []
    for n in (10, 100, 1000):
        values = [max(-1, min(1, rng.gauss(0.2, 0.4))) for _ in range(n)]
        ci = stats.mean_ci(values)
        assert ci.n == n
        assert ci.mean == pytest.approx(statistics.fmean(values), abs=1e-6)
        assert ci.ci_low < ci.mean < ci.ci_high
        widths.append(ci.ci_high - ci.ci_low)
    assert widths[0] > widths[1] > widths[2]
    # roughly 1/sqrt(n): ten times the data, about a third of the width
    assert 0.2 < widths[2] / widths[1] < 0.45


def test_interval_by_hand():
    values = [0.5, -0.5, 0.0, 1.0]
    ci = stats.mean_ci(values)
    sd = statistics.stdev(values)
    half = 3.182446 * sd / 2
    assert ci.mean == 0.25
    assert ci.ci_low == pytest.approx(max(-1, 0.25 - half), abs=1e-5)
    assert ci.ci_high == pytest.approx(min(1, 0.25 + half), abs=1e-5)
    assert ci.ci_high == 1.0  # clipped to the score's range


def test_interval_coverage_is_about_95_percent():
    rng = random.Random(3)
    hits = 0
    for _ in range(400):
        values = [rng.uniform(-0.6, 1.0) for _ in range(25)]  # true mean 0.2
        ci = stats.mean_ci(values)
        hits += ci.ci_low <= 0.2 <= ci.ci_high
    assert 0.91 <= hits / 400 <= 0.985


def test_degenerate_inputs():
    assert stats.mean_ci([]).mean is None
    one = stats.mean_ci([0.4, None])
    assert (one.n, one.mean, one.ci_low, one.ci_high) == (1, 0.4, None, None)
    same = stats.mean_ci([0.3] * 12)
    assert same.ci_low == same.ci_high == pytest.approx(0.3)
    assert same.too_few is False


def test_moments_and_values_agree():
    values = [0.1, 0.4, -0.3, 0.9, 0.0, -0.7]
    a = stats.mean_ci(values)
    b = stats.ci_from_moments(len(values), sum(values), sum(v * v for v in values))
    assert (a.mean, a.ci_low, a.ci_high) == pytest.approx((b.mean, b.ci_low, b.ci_high), abs=1e-6)


def test_guard_flag():
    assert stats.too_few(stats.MIN_MENTIONS - 1) is True
    assert stats.too_few(stats.MIN_MENTIONS) is False
    assert stats.too_few(None) is True
    assert stats.mean_ci([0.1, 0.2, 0.3]).too_few is True


def test_wilson():
    low, high = stats.wilson(0, 10)
    assert low == 0.0 and 0.25 < high < 0.35  # the normal interval would be [0, 0]
    low, high = stats.wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-3) and high == pytest.approx(0.5962, abs=1e-3)
    assert stats.wilson(0, 0) == (None, None)
    with pytest.raises(ValueError):
        stats.wilson(5, 3)


def test_polarity_shares():
    out = stats.polarity_shares([-1, -1, 0, 1, None, 1, 1])
    assert out["n"] == 6
    assert (out["neg_share"], out["neu_share"], out["pos_share"]) == pytest.approx((1 / 3, 1 / 6, 1 / 2), abs=1e-6)
    assert out["neg_ci"][0] < out["neg_share"] < out["neg_ci"][1]
    assert out["too_few"] is True
    with pytest.raises(ValueError):
        stats.polarity_shares([2])


def test_log_odds_sign_on_a_constructed_corpus():
    # outlet A calls the actor 'regime' far more often than the others do; 'government' the reverse
    outlet_a = {"regime": 40, "government": 5, "leadership": 10}
    others = {"regime": 4, "government": 60, "leadership": 12}
    result = {r.label: r for r in stats.log_odds(outlet_a, others)}
    assert result["regime"].z > 1.96
    assert result["government"].z < -1.96
    assert abs(result["leadership"].z) < result["regime"].z
    assert stats.log_odds(outlet_a, others)[0].label == "regime"
    # symmetry: swapping the groups flips the sign
    swapped = {r.label: r for r in stats.log_odds(others, outlet_a)}
    assert swapped["regime"].z == pytest.approx(-result["regime"].z, abs=1e-4)


def test_log_odds_prior_shrinks_rare_labels():
    rare = stats.log_odds_z(2, 100, 2, 200)  # a label seen twice, both in the group
    common = stats.log_odds_z(40, 100, 40, 200)  # seen 40 times, all in the group
    assert rare[1] < common[1]
    weak_prior = stats.log_odds_z(2, 100, 2, 200, alpha_0=1)
    assert weak_prior[0] > rare[0]  # a weaker prior shrinks the log-odds less
    assert stats.log_odds_z(3, 10, 3, 10) is None  # no other outlet: no comparison


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    stats.register(c)
    c.execute("create table m (grp text, v real, pol int)")
    rows = [("a", x / 10, 1 if x > 0 else -1) for x in range(-3, 9)] + [("b", 0.5, 1), ("b", None, None)]
    c.executemany("insert into m values (?, ?, ?)", rows)
    return c


def test_sql_aggregates_match_python(conn):
    py = stats.mean_ci([x / 10 for x in range(-3, 9)])
    low, high, js = conn.execute(
        "select framing_ci_low(v), framing_ci_high(v), framing_mean_ci(v) from m where grp = 'a'"
    ).fetchone()
    assert (low, high) == pytest.approx((py.ci_low, py.ci_high))
    data = json.loads(js)
    assert data["n"] == 12 and data["method"] == "t-interval" and data["too_few"] is False
    wide = conn.execute("select framing_ci_low(v, 0.99) from m where grp = 'a'").fetchone()[0]
    assert wide < low
    # one value: no interval; from moments: same figures as the aggregate
    assert conn.execute("select framing_ci_low(v) from m where grp = 'b'").fetchone()[0] is None
    t_low = conn.execute("select framing_t_low(count(v), sum(v), sum(v * v)) from m where grp = 'a'").fetchone()[0]
    assert t_low == pytest.approx(py.ci_low)


def test_sql_scalars(conn):
    assert conn.execute("select framing_wilson_low(50, 100), framing_wilson_high(50, 100)").fetchone() == pytest.approx(
        (0.4038, 0.5962), abs=1e-3
    )
    assert conn.execute("select framing_too_few(3), framing_too_few(30), framing_too_few(3, 2)").fetchone() == (1, 0, 0)
    z = conn.execute("select framing_log_odds(40, 55, 44, 131)").fetchone()[0]
    assert z == pytest.approx(stats.log_odds_z(40, 55, 44, 131)[1], abs=1e-6) and z > 0
    assert conn.execute("select framing_log_odds(3, 10, 3, 10)").fetchone()[0] is None


def test_interval_from_moments_is_ci_from_moments_interval() -> None:
    """The pages' shortcut must give exactly ci_from_moments' ci_low/ci_high (same floats),
    including n of 0 and 1, clipping at the bounds, no bounds, other levels and zero variance."""
    rng = random.Random(7)
    cases = [(0, 0.0, 0.0), (1, 0.5, 0.25), (2, 1.0, 1.0), (None, 0.0, 0.0)]
    for _ in range(2000):
        n = rng.choice([2, 3, 5, 17, 250, 75_872])
        values = [rng.choice([rng.uniform(-1, 1), 0.9, -0.95]) for _ in range(min(n, 50))]
        scale = n / len(values)
        cases.append((n, sum(values) * scale, sum(v * v for v in values) * scale))
    for n, total, total_sq in cases:
        for level, bounds in ((0.95, stats.BOUNDS), (0.9, stats.BOUNDS), (0.99, None)):
            ci = stats.ci_from_moments(n, total, total_sq, level, bounds)
            assert stats.interval_from_moments(n, total, total_sq, level, bounds) == (ci.ci_low, ci.ci_high)


def test_sql_t_bounds_are_exactly_ci_from_moments_bounds():
    # The summaries store these for every actor x article row; the pages and the JSON API
    # compute the same interval with ci_from_moments: they must agree to the last bit.
    rng = random.Random(7)
    conn = sqlite3.connect(":memory:")
    stats.register(conn)
    for _ in range(2000):
        n = rng.choice([0, 1, 2, 3, 7, 40, 900])
        values = [rng.uniform(-1, 1) for _ in range(n)]
        total, total_sq = sum(values), sum(v * v for v in values)
        ci = stats.ci_from_moments(n, total, total_sq)
        low, high = conn.execute("select framing_t_low(?, ?, ?), framing_t_high(?, ?, ?)",
                                 (n, total, total_sq) * 2).fetchone()
        assert (low, high) == (ci.ci_low, ci.ci_high)
