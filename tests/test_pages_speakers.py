"""Dashboard figures read from the summaries in a cheaper way than before; each must equal the
slow way.  Each outlet's most-quoted speakers over dates: the bounded ranking (page_queries.
_top_speakers_bounded) gives the rows of the full sum, or declines; never other rows."""

from __future__ import annotations

import pytest
import pytest_asyncio
from datasette.app import Datasette

from datasette_framing import page_queries as q

RANGES = [
    ("2022-01-01", "2022-12-31"),
    ("2022-01-03", "2022-02-25"),  # months less days at both ends
    ("2022-01-10", None),
    (None, "2022-02-20"),
    ("2022-02-14", "2022-02-16"),  # days only: declined
    ("2000-01-01", "2100-12-31"),
]


@pytest_asyncio.fixture
async def db(seeded_db_path):
    ds = Datasette([str(seeded_db_path)])
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
@pytest.mark.parametrize("candidates", [1, 10])
async def test_bounded_speakers_are_the_full_sum_or_nothing(db, monkeypatch, since, until, candidates):
    monkeypatch.setattr(q, "SPEAKER_CANDIDATES", candidates)
    filters = q.Filters(since=since, until=until)
    for top in (1, 3):
        bounded = await q._top_speakers_bounded(db, filters, top)
        full = await _full(db, filters, top, monkeypatch)
        if bounded is not None:
            assert bounded == full, (since, until, top)
        assert await q.speakers_by_outlet(db, filters, top=top) == full


@pytest.mark.asyncio
async def test_bounded_speakers_prove_a_whole_year_and_decline_days(db, monkeypatch):
    year = q.Filters(since="2022-01-01", until="2022-12-31")
    full = await _full(db, year, 3, monkeypatch)
    assert full and await q._top_speakers_bounded(db, year, 3) == full
    assert await q._top_speakers_bounded(db, q.Filters(since="2022-02-14", until="2022-02-16"), 3) is None


@pytest.mark.asyncio
async def test_bounded_speakers_decline_when_a_left_out_speaker_could_win(db, monkeypatch):
    """Al Jazeera's January 2022 statements by speaker are 6, 6, 3, 3, 2, ...: with three
    candidates its third (3) is not above the first speaker left out (3), so the bounded
    ranking cannot prove its top 3; with ten candidates it can."""
    january = q.Filters(outlets=("Al Jazeera",), since="2022-01-01", until="2022-01-31")
    full = await _full(db, january, 3, monkeypatch)
    assert [r["quotes"] for r in full] == [6, 6, 3]
    monkeypatch.setattr(q, "SPEAKER_CANDIDATES", 0)
    assert await q._top_speakers_bounded(db, january, 3) is None
    assert await q.speakers_by_outlet(db, january, top=3) == full
    monkeypatch.setattr(q, "SPEAKER_CANDIDATES", 10)
    assert await q._top_speakers_bounded(db, january, 3) == full


@pytest.mark.asyncio
async def test_date_range_from_outlet_stats_equals_the_articles(db, monkeypatch):
    fast = await q.date_range(db)

    async def no_summaries(db_):
        return False

    monkeypatch.setattr(q, "has_summaries", no_summaries)
    raw = await q.date_range(db)
    assert fast["articles"] > 0 and fast == raw
