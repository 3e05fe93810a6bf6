"""Page-side helpers over :mod:`datasette_framing.stats`: one row's interval, shares, rankings.

The maths (Student-t interval, minimum-count guard, Monroe et al. log-odds)
lives in ``stats.py`` so that pages, summary tables and the SQL functions give
the same figures; this module only shapes aggregate rows for the pages.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from typing import Any, Iterable

from . import stats

#: Default minimum-count guard when no config is given (config.DEFAULTS["min_mentions"]).
MIN_COUNT = 5


def share(part: float | None, whole: float | None) -> float | None:
    if not whole:
        return None
    return (part or 0) / whole


def top(counts: dict[str, int], k: int = 3) -> list[dict[str, Any]]:
    """The ``k`` largest entries of a count, largest first, ties by name."""
    total = sum(counts.values())
    items: Iterable[tuple[str, int]] = counts.items()
    if 0 < k < len(counts):
        # Only entries at least as large as the k-th largest count can be among the first k
        # (ties at it are still ordered by name below): an actor's labels in one outlet run to
        # hundreds, and the actor page asks for the top of each outlet's.
        floor = heapq.nlargest(k, counts.values())[-1]
        items = [kv for kv in items if kv[1] >= floor]
    ranked = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:k]
    return [{"name": name, "n": n, "share": share(n, total)} for name, n in ranked]


def group_counts(rows: Iterable[dict[str, Any]], key: str, item: str, value: str = "n") -> dict[Any, dict[str, int]]:
    """``{row[key]: {row[item]: row[value]}}`` from flat count rows."""
    out: dict[Any, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row[key]][row[item]] = out[row[key]].get(row[item], 0) + row[value]
    return dict(out)


def distinctive_labels(
    counts: dict[str, dict[str, int]], *, z_min: float = 1.96, k: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """Labels each group (outlet) uses more than all other groups together.

    ``stats.log_odds_z`` (Monroe, Colaresi & Quinn 2008, informative Dirichlet prior: the
    label's count over every group) of each group against the rest; a label is distinctive
    at z >= ``z_min``.  Only labels the group uses can be over-used, so only those are
    scored.  With one group there is nothing to compare, so nothing is distinctive.
    """
    if len(counts) < 2:
        return {group: [] for group in counts}
    totals: dict[str, int] = defaultdict(int)
    for labels in counts.values():
        for label, n in labels.items():
            totals[label] += n
    n_all = sum(totals.values())
    out: dict[str, list[dict[str, Any]]] = {}
    log, sqrt = math.log, math.sqrt
    for group, labels in counts.items():
        n_i = sum(labels.values())
        scored = []
        # stats.log_odds_z written out (same operations in the same order, so the same
        # floats): a top actor's page scores about 3,900 labels, and the call and its
        # per-call checks cost as much as the arithmetic.  Its None cases: no rest to
        # compare with (n_j <= 0), a label nobody uses, or a non-positive term.
        n_j, a0 = n_all - n_i, float(n_all)
        if n_all <= 0 or n_i <= 0 or n_j <= 0:
            out[group] = []
            continue
        # Below this unrounded z, z rounded to 6 places is below z_min too: no round() needed.
        z_floor = z_min - 1e-6
        for label, y in labels.items():
            y_w = totals[label]
            # Not over-represented in the group (share no higher than overall) means z <= 0.
            if y <= 0 or (z_min > 0 and y * n_all <= y_w * n_i) or y_w <= 0:
                continue
            y_jw = y_w - y
            a_w = a0 * y_w / n_all
            num_i, den_i = y + a_w, n_i + a0 - y - a_w
            num_j, den_j = y_jw + a_w, n_j + a0 - y_jw - a_w
            if num_i <= 0 or den_i <= 0 or num_j <= 0 or den_j <= 0:
                continue
            delta = log(num_i / den_i) - log(num_j / den_j)
            z = delta / sqrt(1.0 / num_i + 1.0 / num_j)
            if z < z_floor:
                continue
            z = round(z, 6)
            if z < z_min:
                continue
            scored.append({"label": label, "n": y, "log_odds": round(delta, 6), "z": z})
        scored.sort(key=lambda d: (-d["z"], d["label"]))
        out[group] = scored[:k]
    return out


#: Count columns shared out of the scored mentions and of all mentions, with their share's key.
_OF_SCORED = tuple((key, f"{key}_share") for key in ("negative", "neutral", "positive"))
_OF_MENTIONS = tuple((key, f"{key}_share") for key in ("agent", "patient", "headline"))


def with_interval(row: dict[str, Any], min_count: int = MIN_COUNT, level: float = stats.LEVEL) -> dict[str, Any]:
    """Add the mean's interval, shares and the too-few flag to an aggregate row (a new dict).

    The shares are :func:`share` written out, as the share keys are spelled out once above:
    a dashboard bounds about 185 rows per request."""
    out = dict(row)
    n = out.get("scored") or 0
    mean = out.get("sentiment_mean")
    sumsq = out.pop("sentiment_sumsq", None)
    out["sentiment_low"], out["sentiment_high"] = stats.interval_from_moments(n, (mean or 0.0) * n, sumsq or 0.0, level)
    out["too_few"] = n < min_count
    mentions = out.get("mentions") or 0
    out["voice_share"] = (out.get("quotes") or 0) / mentions if mentions else None
    for key, name in _OF_SCORED:
        if key in out:
            out[name] = (out[key] or 0) / n if n else None
    for key, name in _OF_MENTIONS:
        if key in out:
            out[name] = (out[key] or 0) / mentions if mentions else None
    return out
