"""The dashboard's article list writes its date conditions in only when chosen (so the
published index is walked over the range alone); it must list the same rows, in the same
order, as the conditions that test each bound for NULL in SQL."""

from __future__ import annotations

import pytest

from datasette_framing import page_queries as q
from datasette_framing.statements import is_statement

REFERENCE = f"""
SELECT articles.id AS article_id, coalesce(nullif(articles.outlet, ''), '(no outlet)') AS outlet,
       articles.published, articles.title, articles.word_count,
       (SELECT count(*) FROM mentions WHERE mentions.article_id = articles.id) AS mentions,
       (SELECT count(*) FROM quotes q WHERE q.article_id = articles.id AND {is_statement("q")}) AS quotes
FROM articles
WHERE (coalesce(:outlets, '') = '' OR coalesce(nullif(articles.outlet, ''), '(no outlet)') IN (SELECT value FROM json_each(:outlets)))
  AND (coalesce(:since, '') = '' OR articles.published >= :since)
  AND (coalesce(:until, '') = '' OR articles.published <= :until || 'z')
ORDER BY articles.published DESC, articles.outlet, articles.title
LIMIT :limit
"""

FILTERS = [
    q.Filters(),
    q.Filters(since="2022-02-01"),
    q.Filters(until="2022-02-01"),
    q.Filters(since="2022-01-20", until="2022-02-10"),
    q.Filters(since="2022-02-24", until="2022-02-24"),  # one day: the 'z' keeps its timestamps
    q.Filters(since="2022-03-01"),  # nothing
    q.Filters(outlets=("The White House",), since="2022-01-25"),
    q.Filters(outlets=("Al Jazeera", q.NO_OUTLET), until="2022-02-24"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("limit", [5, 50, -1])
async def test_article_list_equals_the_null_tested_conditions(db, filters, limit):
    listed = await q.article_list(db, filters, limit=limit)
    reference = [dict(r) for r in (await db.execute(REFERENCE, {**filters.params(), "limit": limit})).rows]
    assert listed == reference
    if filters == q.Filters() and limit == -1:
        assert len(listed) > 20  # every seed article


@pytest.mark.asyncio
async def test_article_list_bounds_the_published_walk(db, monkeypatch):
    seen = []
    orig = q._rows

    async def spy(db_, sql, params=None):
        seen.append((sql, params))
        return await orig(db_, sql, params)

    monkeypatch.setattr(q, "_rows", spy)
    await q.article_list(db, q.Filters(since="2022-02-01", until="2022-02-10"), limit=5)
    sql, params = seen[0]
    plan = " ".join(r["detail"] for r in (await db.execute("EXPLAIN QUERY PLAN " + sql, params)).rows)
    assert "published>? AND published<?" in plan, plan
