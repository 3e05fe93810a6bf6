"""The dashboard's default listing reads the listed actors' rows and their per-outlet numbers at
once, from the ranking's ids (page_data.dashboard with ``rows``): it must give what the whole
ranking gives (``rows=None``, every actor summed, then cut), for every kind of scope."""

from __future__ import annotations

import pytest

from datasette_framing import page_data
from datasette_framing import page_queries as q

FILTERS = [
    q.Filters(),
    q.Filters(kind="person"),
    q.Filters(since="2022-01-03", until="2022-02-25"),  # months less days at both ends
    q.Filters(since="2022-02-14", until="2022-02-16"),  # days only
    q.Filters(since="2022-01-10"),
    q.Filters(until="2022-02-20", kind="organisation"),
    q.Filters(outlets=("(no outlet)",)),
    q.Filters(since="2000-01-01", until="2000-01-31"),  # nothing in range
]


class Links:
    def __getattr__(self, name):
        return lambda *a, **k: "/x"


@pytest.mark.asyncio
@pytest.mark.parametrize("filters", FILTERS, ids=repr)
@pytest.mark.parametrize("rows", [1, 5, 25])
async def test_listing_is_the_head_of_the_whole_ranking(db, monkeypatch, filters, rows):
    outlets = await q.outlets(db)
    scopes = [filters, q.Filters(**{**filters.__dict__, "outlets": tuple(outlets[:2])})]
    per_actor = page_data._per_actor
    reads = []

    async def counted(*args):
        reads.append(args[2:])
        return await per_actor(*args)

    monkeypatch.setattr(page_data, "_per_actor", counted)
    for f in scopes:
        reads.clear()
        listed = await page_data.dashboard(db, f, Links(), 5, rows=rows)
        assert len(reads) == 1, reads  # the ids the ranking foresaw were the summary's: read once
        whole = await page_data.dashboard(db, f, Links(), 5)
        assert listed["actors"] == whole["actors"][:rows], f
        assert listed["actors_total"] == whole["actors_total"] == len(whole["actors"])
        for key in ("chart_actors", "chart_names", "actor_outlet", "outlets", "frame_mix"):
            assert listed[key] == whole[key], (f, key)


@pytest.mark.asyncio
async def test_listing_reads_the_rows_again_when_the_ranking_disagrees(db, monkeypatch):
    """Should the ranking's ids not be the summary's (a chart actor the sums would not pick),
    the per-outlet numbers are read again for the summary's own actors."""
    f = q.Filters(since="2022-01-03", until="2022-02-25")
    whole = await page_data.dashboard(db, f, Links(), 5)
    ranking = q.actor_ranking

    async def shifted(db_, filters, limit):
        ranked = await ranking(db_, filters, limit)
        return [{**r, "mentions": 0} if i == 0 else r for i, r in enumerate(ranked)]

    monkeypatch.setattr(q, "actor_ranking", shifted)
    listed = await page_data.dashboard(db, f, Links(), 5, rows=25)
    assert listed["actors"] == whole["actors"][:25]
    assert listed["chart_actors"] == whole["chart_actors"] and listed["actor_outlet"] == whole["actor_outlet"]
