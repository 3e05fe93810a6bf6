"""The compare page's label totals over dates (page_queries.actor_label_totals) are summed from
the per-outlet counts directly: they must be the totals of actor_labels_by_outlet's rows (the
way they were summed before), label for label."""

from __future__ import annotations

import pytest

from datasette_framing import page_queries as q

RANGES = [
    ("2022-01-01", "2022-12-31"),
    ("2022-01-03", "2022-02-25"),  # months less days at both ends
    ("2022-01-10", None),
    (None, "2022-02-20"),
    ("2022-02-14", "2022-02-16"),  # days only
    ("2000-01-01", "2000-01-31"),  # nothing
]


@pytest.mark.asyncio
@pytest.mark.parametrize("since,until", RANGES)
async def test_dated_label_totals_are_the_sums_of_the_outlet_rows(db, since, until):
    actors = [r["actor_id"] for r in (await q.actor_summary(db, q.Filters()))[:6]]
    outlets = await q.outlets(db)
    nonempty = 0
    for outlet_choice in ((), tuple(outlets[:1]), tuple(outlets[1:3])):
        filters = q.Filters(outlets=outlet_choice, since=since, until=until)
        for actor_id in actors:
            totals = await q.actor_label_totals(db, filters, actor_id)
            want: dict[str, int] = {}
            for r in await q.actor_labels_by_outlet(db, filters, actor_id):
                want[r["label"]] = want.get(r["label"], 0) + r["n"]
            assert len(totals) == len({t["label"] for t in totals})
            assert {t["label"]: t["n"] for t in totals} == want, (filters, actor_id)
            nonempty += bool(want)
    if since == "2022-01-01":
        assert nonempty  # the seeds have labels over the year: the comparison is not vacuous
