"""Aggregates with uncertainty: intervals, shares, the minimum-count guard, log-odds.

Pure functions (no database), plus SQLite function classes that expose the same
maths to SQL.  ``register(conn)`` installs them; the plugin's
``prepare_connection`` and the loader's summary builder both call it, so the
figures in the summary tables and those a user computes in their own query agree.

Methods (docs/methods.md, "Aggregates and intervals"):

* Mean mention sentiment: Student-t interval, mean +/- t(n-1) * s / sqrt(n),
  clipped to the score's range [-1, 1].  Closed form, so it costs O(1) per group
  and can be computed from n, sum and sum of squares in plain SQL: summary
  tables over millions of mentions stay cheap, and results are deterministic.
  (A percentile bootstrap would need the raw values and random draws.)
* Shares (negative / neutral / positive, agent / patient ...): Wilson score
  interval, which behaves at 0 and 1 and for small n where the normal
  approximation does not.
* Minimum-count guard: groups with fewer than ``MIN_MENTIONS`` mentions are
  flagged ``too_few``; pages and queries say so instead of ranking them.
* Which labels an outlet uses for an actor more than other outlets do: the
  log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn
  (2008) "Fightin' words", Political Analysis 16(4), eqs. 16-22, reported as a
  z-score.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Any, Iterable, Mapping

#: Below this many mentions a group's mean and shares are shown but flagged 'too few'.
MIN_MENTIONS = 10
#: Default confidence level of every interval.
LEVEL = 0.95
#: Range of mention sentiment; intervals are clipped to it.
BOUNDS = (-1.0, 1.0)
#: Method names stored beside the figures.
MEAN_METHOD = "t-interval"
SHARE_METHOD = "wilson"


# --- Student t quantiles ------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


#: From this many degrees of freedom the Cornish-Fisher expansion alone is exact to 1e-10.
EXPANSION_DF = 100


@lru_cache(maxsize=65536)
def t_quantile(p: float, df: int) -> float:
    """The p-quantile of Student's t (exact inversion of the CDF; cached per (p, df))."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be in (0, 1)")
    if df < 1:
        raise ValueError("df must be >= 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    # Start from the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5), then polish with
    # Newton steps on the exact CDF: a few CDF evaluations instead of a long bisection,
    # because the pages and SQL functions meet a new df for nearly every group they show.
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    t = z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4
    if df >= EXPANSION_DF:
        return t  # the expansion's error is O(df**-5): below 1e-10 from here on
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(50):
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = (t_cdf(t, df) - p) / density
        t -= step
        if abs(step) < 1e-13 * max(1.0, abs(t)):
            break
    return t


@lru_cache(maxsize=64)
def _z(level: float) -> float:
    """The two-sided normal quantile of ``level`` (cached: a NormalDist per call cost 1.5 us)."""
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


# --- means with intervals -------------------------------------------------------------


@dataclass(frozen=True)
class MeanCI:
    """A mean with its interval; ``ci_low``/``ci_high`` are None below two values."""

    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    level: float = LEVEL
    method: str = MEAN_METHOD
    too_few: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ci_from_moments(
    n: int, total: float, total_sq: float, level: float = LEVEL, bounds: tuple[float, float] | None = BOUNDS
) -> MeanCI:
    """Mean and t-interval from count, sum and sum of squares (what SQL can give in one pass)."""
    n = int(n or 0)
    if n <= 0:
        return MeanCI(0, None, None, None, None, level, MEAN_METHOD, True)
    mean = total / n
    if n == 1:
        return MeanCI(1, _r(mean), None, None, None, level, MEAN_METHOD, too_few(1))
    sd, low, high = _t_interval(n, mean, total_sq, level, bounds)
    return MeanCI(n, _r(mean), _r(sd), _r(low), _r(high), level, MEAN_METHOD, too_few(n))


def interval_from_moments(
    n: int, total: float, total_sq: float, level: float = LEVEL, bounds: tuple[float, float] | None = BOUNDS
) -> tuple[float | None, float | None]:
    """``(ci_low, ci_high)`` of :func:`ci_from_moments`, the same floats, without the rest.

    A page bounds a few hundred aggregate rows per request and shows only the interval;
    building a frozen MeanCI for each (eight guarded attribute sets) cost more than the maths.
    """
    n = int(n or 0)
    if n <= 1:
        return None, None
    _, low, high = _t_interval(n, total / n, total_sq, level, bounds)
    return round(low, 6), round(high, 6)


def _t_interval(
    n: int, mean: float, total_sq: float, level: float, bounds: tuple[float, float] | None
) -> tuple[float, float, float]:
    """Standard deviation and the unrounded t-interval of a mean over n >= 2 values."""
    var = max(0.0, (total_sq - n * mean * mean) / (n - 1))
    sd = math.sqrt(var)
    half = t_quantile(1 - (1 - level) / 2, n - 1) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return sd, low, high


def mean_ci(values: Iterable[float | None], level: float = LEVEL, bounds: tuple[float, float] | None = BOUNDS) -> MeanCI:
    """Mean of the non-null ``values`` with a Student-t interval (see module docstring)."""
    acc = _Welford()
    for v in values:
        acc.add(v)
    return acc.result(level, bounds)


class _Welford:
    """Running mean and variance (numerically stable one pass)."""

    __slots__ = ("n", "mean", "m2")

    def __init__(self) -> None:
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def add(self, value: float | None) -> None:
        if value is None:
            return
        x = float(value)
        self.n += 1
        d = x - self.mean
        self.mean += d / self.n
        self.m2 += d * (x - self.mean)

    def result(self, level: float = LEVEL, bounds: tuple[float, float] | None = BOUNDS) -> MeanCI:
        if self.n == 0:
            return MeanCI(0, None, None, None, None, level, MEAN_METHOD, True)
        # sum of squares rebuilt from the stable moments
        return ci_from_moments(self.n, self.mean * self.n, self.m2 + self.n * self.mean**2, level, bounds)


# --- shares ---------------------------------------------------------------------------------


#: Distinct (k, n, level) intervals :func:`wilson` remembers.  Counts are small whole numbers
#: that repeat (an actor's 20 outlets, the same page asked again), so a query that bounds
#: thousands of shares computes each interval once.
WILSON_CACHE = 65_536


@lru_cache(maxsize=WILSON_CACHE)
def wilson(k: int, n: int, level: float = LEVEL) -> tuple[float | None, float | None]:
    """Wilson score interval for a share k/n; (None, None) when n is 0.

    Cached (the result is an immutable tuple and depends only on the arguments): the
    roles_by_outlet query bounds two shares on each of up to 1,001 rows, and the arithmetic
    below cost about 3 us a call."""
    if not n:
        return (None, None)
    if k < 0 or k > n:
        raise ValueError(f"share {k}/{n} is not a proportion")
    z = _z(level)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (_r(max(0.0, centre - half)), _r(min(1.0, centre + half)))


def polarity_shares(polarities: Iterable[int | None], level: float = LEVEL) -> dict[str, Any]:
    """Shares of negative (-1), neutral (0) and positive (1) mentions with Wilson intervals."""
    counts = {-1: 0, 0: 0, 1: 0}
    for p in polarities:
        if p is None:
            continue
        if p not in counts:
            raise ValueError(f"polarity must be -1, 0 or 1, not {p!r}")
        counts[p] += 1
    n = sum(counts.values())
    out: dict[str, Any] = {"n": n, "too_few": too_few(n)}
    for name, key in (("neg", -1), ("neu", 0), ("pos", 1)):
        out[f"{name}_share"] = _r(counts[key] / n) if n else None
        out[f"{name}_ci"] = wilson(counts[key], n, level)
    return out


def too_few(n: int | None, minimum: int = MIN_MENTIONS) -> bool:
    """The minimum-count guard: True when a group is too small to compare."""
    return (n or 0) < minimum


# --- log-odds with an informative Dirichlet prior -------------------------------------------


@dataclass(frozen=True)
class LogOdds:
    label: str
    count: int  # y_iw: uses of the label in the group
    other: int  # y_jw: uses in the rest
    delta: float  # log-odds ratio, group vs rest
    z: float  # delta / sd


def log_odds_z(
    y_iw: float, n_i: float, y_w: float, n: float, alpha_0: float | None = None
) -> tuple[float, float] | None:
    """(delta, z) of label w in group i against the rest, Monroe et al. 2008 eqs. 16-22.

    ``y_iw``: uses of w in group i; ``n_i``: all label uses in group i; ``y_w`` and ``n``:
    the same over the whole corpus (group i included).  The prior is the corpus itself,
    scaled to ``alpha_0`` pseudo-counts: alpha_w = alpha_0 * y_w / n (default alpha_0 = n,
    i.e. the corpus counts).  None when there is no 'rest' to compare with.
    """
    y_jw, n_j = y_w - y_iw, n - n_i
    if n <= 0 or n_i <= 0 or n_j <= 0 or y_w <= 0:
        return None
    a0 = float(n if alpha_0 is None else alpha_0)
    a_w = a0 * y_w / n
    num_i, den_i = y_iw + a_w, n_i + a0 - y_iw - a_w
    num_j, den_j = y_jw + a_w, n_j + a0 - y_jw - a_w
    if min(num_i, den_i, num_j, den_j) <= 0:
        return None
    delta = math.log(num_i / den_i) - math.log(num_j / den_j)
    var = 1.0 / num_i + 1.0 / num_j
    return (delta, delta / math.sqrt(var))


def log_odds(
    group: Mapping[str, int], rest: Mapping[str, int], alpha_0: float | None = None
) -> list[LogOdds]:
    """Log-odds of every label in ``group`` against ``rest``, most over-used first."""
    n_i, n_j = sum(group.values()), sum(rest.values())
    out = []
    for label in set(group) | set(rest):
        y_i, y_j = group.get(label, 0), rest.get(label, 0)
        r = log_odds_z(y_i, n_i, y_i + y_j, n_i + n_j, alpha_0)
        if r is not None:
            out.append(LogOdds(label, y_i, y_j, _r(r[0]), _r(r[1])))
    return sorted(out, key=lambda x: (-x.z, x.label))


# --- SQLite functions -------------------------------------------------------------------------------


class _MeanAggregate:
    """Shared step for the interval aggregates: values, optional level as second argument."""

    def __init__(self) -> None:
        self.acc = _Welford()
        self.level = LEVEL

    def step(self, value: Any, level: Any = None) -> None:
        if level is not None:
            self.level = float(level)
        if value is None:
            return
        try:
            self.acc.add(float(value))
        except (TypeError, ValueError):
            return  # text that is not a number is ignored, as SQLite's avg() does

    def _result(self) -> MeanCI:
        return self.acc.result(self.level)


class MeanCIAggregate(_MeanAggregate):
    """``framing_mean_ci(value [, level])``: JSON {n, mean, sd, ci_low, ci_high, level, method, too_few}."""

    def finalize(self) -> str:
        return json.dumps(self._result().to_dict())


class CILowAggregate(_MeanAggregate):
    """``framing_ci_low(value [, level])``: lower bound of the t-interval of the mean."""

    def finalize(self) -> float | None:
        return self._result().ci_low


class CIHighAggregate(_MeanAggregate):
    """``framing_ci_high(value [, level])``: upper bound of the t-interval of the mean."""

    def finalize(self) -> float | None:
        return self._result().ci_high


# The summaries call these twice on every actor x article row (115,000 on 10,000 articles):
# interval_from_moments gives the same floats without building a MeanCI for each call.
def _moments_low(n: Any, total: Any, total_sq: Any) -> float | None:
    return interval_from_moments(int(n or 0), float(total or 0), float(total_sq or 0))[0]


def _moments_high(n: Any, total: Any, total_sq: Any) -> float | None:
    return interval_from_moments(int(n or 0), float(total or 0), float(total_sq or 0))[1]


# The SQL forms are cached too, on the values SQLite passes (equal numbers give equal
# results: 3 and 3.0 both become 3), so a repeated (k, n) costs one dictionary look-up
# instead of two conversions and a call.  Errors are not cached: they are raised each time.
@lru_cache(maxsize=WILSON_CACHE)
def _wilson_low(k: Any, n: Any) -> float | None:
    return wilson(int(k or 0), int(n or 0))[0]


@lru_cache(maxsize=WILSON_CACHE)
def _wilson_high(k: Any, n: Any) -> float | None:
    return wilson(int(k or 0), int(n or 0))[1]


def _sql_log_odds(y_iw: Any, n_i: Any, y_w: Any, n: Any, alpha_0: Any = None) -> float | None:
    if None in (y_iw, n_i, y_w, n):
        return None
    r = log_odds_z(float(y_iw), float(n_i), float(y_w), float(n), None if alpha_0 is None else float(alpha_0))
    return None if r is None else _r(r[1])


def _sql_too_few(n: Any, minimum: Any = None) -> int:
    return int(too_few(int(n or 0), MIN_MENTIONS if minimum is None else int(minimum)))


#: (name, number of arguments, function) of the scalar functions; -1 arguments = any.
SCALARS = (
    ("framing_t_low", 3, _moments_low),
    ("framing_t_high", 3, _moments_high),
    ("framing_wilson_low", 2, _wilson_low),
    ("framing_wilson_high", 2, _wilson_high),
    ("framing_log_odds", 4, _sql_log_odds),
    ("framing_log_odds", 5, _sql_log_odds),
    ("framing_too_few", 1, _sql_too_few),
    ("framing_too_few", 2, _sql_too_few),
)
#: (name, number of arguments, aggregate class).
AGGREGATES = (
    ("framing_mean_ci", 1, MeanCIAggregate),
    ("framing_mean_ci", 2, MeanCIAggregate),
    ("framing_ci_low", 1, CILowAggregate),
    ("framing_ci_low", 2, CILowAggregate),
    ("framing_ci_high", 1, CIHighAggregate),
    ("framing_ci_high", 2, CIHighAggregate),
)


def register(conn: Any) -> None:
    """Install the statistics functions on a sqlite3 connection (idempotent)."""
    for name, nargs, fn in SCALARS:
        conn.create_function(name, nargs, fn, deterministic=True)
    for name, nargs, cls in AGGREGATES:
        conn.create_aggregate(name, nargs, cls)


def _r(x: float) -> float:
    return round(x, 6)
