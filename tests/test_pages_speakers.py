"""Dashboard figures read from the summaries in a cheaper way than before; each must equal the
slow way.  Each outlet's most-quoted speakers over dates: the bounded ranking (page_queries.
_top_speakers_bounded) gives the rows of the full sum, or declines; never other rows."""

from __future__ import annotations

import pytest

from datasette_framing import page_queries as q

RANGES = [
    ("2022-01-01", "2022-12-31"),
    ("2022-01-03", "2022-02-25"),  # months less days at both ends
    ("2022-01-10", None),
    (None, "2022-02-20"),
    ("2022-02-14", "2022-02-16"),  # days only: declined
    ("2000-01-01", "2100-12-31"),
]


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


def _counted(rows):
    counts = {}
    for r in rows:
        if r["mentions"]:
            counts[r["actor_id"]] = counts.get(r["actor_id"], 0) + 1
    return counts


@pytest.mark.asyncio
@pytest.mark.parametrize("since,until", RANGES + [(None, None)])
@pytest.mark.parametrize("outlets,kind", [((), None), (("Daily Planet", "(no outlet)"), None), ((), "person")])
async def test_outlet_counts_equal_the_per_outlet_rows(db, monkeypatch, since, until, outlets, kind):
    """actor_outlet_counts (two sums) counts the outlets actor_outlet_summary's rows (all
    seventeen) say mention each actor, from the summaries and from the raw rows."""
    filters = q.Filters(outlets=outlets, kind=kind, since=since, until=until)
    ids = tuple(r["actor_id"] for r in await q.actor_summary(db, q.Filters()))
    assert len(ids) > 5
    full = _counted(await q.actor_outlet_summary(db, filters, ids))
    assert await q.actor_outlet_counts(db, filters, ids) == full
    assert await q.actor_outlet_counts(db, filters, ids[:3]) == {k: v for k, v in full.items() if k in ids[:3]}
    assert await q.actor_outlet_counts(db, filters, ()) == {}

    async def no_summaries(db_):
        return False

    monkeypatch.setattr(q, "has_summaries", no_summaries)
    assert await q.actor_outlet_counts(db, filters, ids) == _counted(await q.actor_outlet_summary(db, filters, ids))


@pytest.mark.asyncio
@pytest.mark.parametrize("sort", [None, "-outlets"])
async def test_dashboard_outlets_over_dates_count_every_listed_actor(db, sort):
    """The dashboard reads every per-outlet number for its chart actors only, and counts the
    outlets of the others: each listed actor's count must equal its per-outlet rows'."""
    from datasette_framing import page_data

    class Links:
        def __getattr__(self, name):
            return lambda *a, **k: "/x"

    filters = q.Filters(since="2022-01-03", until="2022-02-25")
    data = await page_data.dashboard(db, filters, Links(), 5, sort=sort, rows=25)
    ids = tuple(r["actor_id"] for r in data["actors"])
    full = _counted(await q.actor_outlet_summary(db, filters, ids))
    assert len(ids) > page_data.CHART_ACTORS
    assert {r["actor_id"]: r["outlets"] for r in data["actors"]} == {i: full.get(i, 0) for i in ids}
    assert {r["actor_id"] for r in data["actor_outlet"]} == set(data["chart_actors"])
