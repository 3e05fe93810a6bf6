"""page_queries._rows turns Datasette's rows into dicts by zipping them with the column names;
that must give exactly what dict(row) gives (keys, order, values), also when a name comes
twice or differs only in case (dict(row) keeps the first column then)."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest

from datasette_framing import page_queries as q

QUERIES = [
    "SELECT 1 AS a, 'x' AS b, NULL AS c, 2.5 AS d",
    "SELECT 1 AS a, 2 AS a",  # the same name twice
    "SELECT 1 AS Name, 2 AS name",  # names that differ in case only
    "SELECT 1 AS a, 2 AS b WHERE 0",  # no rows
    "SELECT value AS v, value * 2 AS w, 'é' AS É FROM json_each('[1,2,3]')",
    "SELECT 1, 2 + 3, 'a' || 'b'",  # names from the expressions
]


@pytest.mark.parametrize("sql", QUERIES)
def test_rows_as_dicts_equal_dict_of_each_row(sql):
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    cur = conn.execute(sql)
    rows = cur.fetchall()
    got = q._as_dicts(SimpleNamespace(rows=rows, description=cur.description))
    want = [dict(r) for r in rows]
    assert got == want
    assert [list(d.items()) for d in got] == [list(d.items()) for d in want]


def test_rows_without_a_description_are_converted_by_name():
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT 1 AS a, 2 AS a").fetchall()
    assert q._as_dicts(SimpleNamespace(rows=rows)) == [{"a": 1}]
