"""page_stats.top keeps only the entries that can rank among the first k before sorting: it must
give exactly what sorting every entry gives."""

from __future__ import annotations

import random

from datasette_framing import page_stats as st


def _sorted_top(counts: dict[str, int], k: int) -> list[dict]:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return [{"name": name, "n": n, "share": st.share(n, total)} for name, n in ranked]


def test_top_equals_sorting_every_entry() -> None:
    rnd = random.Random(6)
    for _ in range(3000):
        counts = {f"label {rnd.randrange(40)}": rnd.choice([0, 1, 1, 2, 3, rnd.randrange(60)]) for _ in range(rnd.randrange(30))}
        for k in (0, 1, 2, 3, 5, 100, -1):
            assert st.top(counts, k) == _sorted_top(counts, k), (counts, k)


def test_top_breaks_ties_at_the_cut_by_name() -> None:
    counts = {"d": 2, "c": 5, "b": 2, "a": 2, "e": 1}
    assert [r["name"] for r in st.top(counts, 3)] == ["c", "a", "b"]
    assert st.top({}, 3) == []
