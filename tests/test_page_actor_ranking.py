"""The dashboard's default listing (page_queries.actor_summary_page) ranks the actors on two
sums and reads every column for the first ``limit`` only; with no outlet or date chosen it
ranks actor_stats' rows directly.  Either way it must give the first rows of the full
summary (actor_summary, ordered) and its length."""

from __future__ import annotations

import pytest

from datasette_framing import page_queries as q

FILTERS = [
    q.Filters(),
    q.Filters(kind="person"),
    q.Filters(kind="country"),
    q.Filters(kind="group"),
    q.Filters(outlets=("The White House",)),
    q.Filters(since="2022-01-03", until="2022-02-20"),
    q.Filters(kind="organisation", since="2022-02-01"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("limit", [1, 3, 25, 1000])
async def test_actor_summary_page_is_the_head_of_the_full_summary(db, filters, limit):
    full = await q.actor_summary(db, filters)
    rows, total = await q.actor_summary_page(db, filters, limit)
    assert total == len(full)
    assert rows == full[:limit]


@pytest.mark.asyncio
async def test_the_seeds_rank_several_actors_with_ties(db):
    """The ranking is worth testing here: many actors, and equal mention counts to order."""
    full = await q.actor_summary(db, q.Filters())
    assert len(full) > 10
    mentions = [r["mentions"] for r in full]
    assert len(set(mentions)) < len(mentions)
