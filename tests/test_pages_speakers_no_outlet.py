"""The bounded top-speakers ranking (page_queries._top_speakers_bounded) reads the day rows
taken away at the ends of a range only for its candidates' groups, and a group is the
outlet *as shown*: NULL and '' are both "(no outlet)".  Articles without an outlet, split
between the two, with the days taken away under one and most months under the other,
must still give the rows of the full sum (or a decline)."""

from __future__ import annotations

import sqlite3

import pytest
import pytest_asyncio
from datasette.app import Datasette

from datasette_framing import page_queries as q
from datasette_framing import summaries

RANGES = [
    ("2022-01-03", "2022-02-20"),  # January and February less Feb 21-28 (the NULL articles' days)
    ("2022-01-03", "2022-02-23"),
    ("2022-01-20", "2022-02-28"),
    ("2022-01-01", "2022-02-28"),
]


@pytest_asyncio.fixture
async def db(seeded_db_copy):
    # The White House's articles lose their outlet: those of Feb 24 become NULL, the rest ''.
    conn = sqlite3.connect(seeded_db_copy)
    with conn:
        changed = conn.execute(
            "UPDATE articles SET outlet = CASE WHEN published >= '2022-02-24' THEN NULL ELSE '' END "
            "WHERE outlet = 'The White House'"
        ).rowcount
    assert changed
    summaries.rebuild(conn)
    conn.commit()
    late = conn.execute(
        "SELECT count(*) FROM outlet_speaker_days WHERE outlet IS NULL AND day >= '2022-02-21' AND statements > 0"
    ).fetchone()[0]
    conn.close()
    assert late, "the test needs statements on the NULL outlet's late days"
    ds = Datasette([str(seeded_db_copy)])
    await ds.invoke_startup()
    return ds.get_database("framing")


async def _full(db, filters, top, monkeypatch):
    async def declined(*args):
        return None

    with monkeypatch.context() as m:
        m.setattr(q, "_top_speakers_bounded", declined)
        return await q.speakers_by_outlet(db, filters, top=top)


@pytest.mark.asyncio
@pytest.mark.parametrize("since,until", RANGES)
@pytest.mark.parametrize("candidates", [1, 3, 10])
async def test_bounded_speakers_group_no_outlet_as_shown(db, monkeypatch, since, until, candidates):
    monkeypatch.setattr(q, "SPEAKER_CANDIDATES", candidates)
    filters = q.Filters(since=since, until=until)
    for top in (1, 2, 3):
        full = await _full(db, filters, top, monkeypatch)
        assert any(r["outlet"] == q.NO_OUTLET for r in full)
        bounded = await q._top_speakers_bounded(db, filters, top)
        if bounded is not None:
            assert bounded == full, (since, until, top)
        assert await q.speakers_by_outlet(db, filters, top=top) == full


@pytest.mark.asyncio
async def test_a_candidate_under_one_no_outlet_is_summed_under_both(db, monkeypatch):
    """With three candidates, the United States is a candidate of the '' articles' months
    only, yet has statements in the NULL articles too: its proven count is over both."""
    monkeypatch.setattr(q, "SPEAKER_CANDIDATES", 3)
    filters = q.Filters(since="2022-01-03", until="2022-02-23")
    full = await _full(db, filters, 2, monkeypatch)
    bounded = await q._top_speakers_bounded(db, filters, 2)
    assert bounded is not None
    assert bounded == full
    assert {"outlet": q.NO_OUTLET, "actor_id": "united-states", "name": "United States", "quotes": 14} in full
