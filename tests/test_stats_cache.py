"""The Wilson interval is cached (stats.wilson and its SQL forms): cached answers must be the
answers the arithmetic gives, whatever the argument types SQLite passes, and errors must not be
remembered as answers."""

from __future__ import annotations

import math
import sqlite3
from statistics import NormalDist

import pytest

from datasette_framing import stats


def _wilson_by_hand(k: int, n: int, level: float = stats.LEVEL):
    """The Wilson score interval written out again, uncached (the reference)."""
    z = NormalDist().inv_cdf(1 - (1 - level) / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (round(max(0.0, centre - half), 6), round(min(1.0, centre + half), 6))


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    stats.register(c)
    yield c
    c.close()


def test_cached_wilson_is_the_arithmetic_every_time():
    stats.wilson.cache_clear()
    for _ in range(2):  # the second pass is answered from the cache
        for n in range(1, 40):
            for k in range(n + 1):
                assert stats.wilson(k, n) == _wilson_by_hand(k, n), (k, n)
                assert stats.wilson(k, n, 0.99) == _wilson_by_hand(k, n, 0.99), (k, n)
    assert stats.wilson.cache_info().hits > 0
    assert stats.wilson(0, 0) == (None, None)


def test_sql_wilson_is_the_same_for_every_argument_type(conn):
    for n in (1, 7, 10, 253, 1000):
        for k in sorted({0, 1, n // 3, n - 1, n}):
            expected = _wilson_by_hand(k, n)
            for args in ((k, n), (float(k), float(n)), (str(k), str(n)), (float(k), n)):
                assert conn.execute("select framing_wilson_low(?, ?), framing_wilson_high(?, ?)", (*args, *args)).fetchone() == expected, args
    assert conn.execute("select framing_wilson_low(null, null), framing_wilson_high(3, null)").fetchone() == (None, None)


def test_sql_wilson_errors_are_raised_every_time(conn):
    for _ in range(2):
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("select framing_wilson_low(5, 3)").fetchone()
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("select framing_wilson_high('x', 3)").fetchone()
