"""canned_queries._EDGE_DAY_LIST lists the days at the ends of a date range that the whole
months leave out: exactly the days _first_days / _last_days select, for any way of writing the
dates, so a query may seek each listed day instead of testing every row in a range."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from datasette_framing import canned_queries as cq

#: Every calendar day from December 2020 to February 2024 (leap day included).
DAYS = [str(date(2020, 12, 1) + timedelta(days=i)) for i in range((date(2024, 3, 1) - date(2020, 12, 1)).days)]

RANGES = [
    ("", ""),
    ("2022-03-05", "2022-06-20"),  # part months at both ends
    ("2022-03-01", "2022-06-30"),  # whole months only
    ("2022-03-05", ""),
    ("", "2022-06-20"),
    ("2022-03-05", "2022-03-10"),  # within one month
    ("2022-03-31", "2022-04-01"),
    ("2022-06-20", "2022-03-05"),  # reversed
    ("2022", "2022"),
    ("2022-03", "2022-06"),
    ("2022-12-31", "2023-01-01"),  # across a year end
    ("2024-02-28", "2024-02-29"),  # leap day
    ("2022-02-30", "2022-06-31"),  # not calendar dates
    ("2022-03-05T10:00:00", "2022-06-20T08:00:00"),  # date-times
    ("2022-03-01T10:00:00", "2022-06-30T08:00:00"),  # date-times on a month's first and last day
    ("2022-03-05", "2022-06-20z"),
    ("0001", "9999"),
]


@pytest.fixture(scope="module")
def conn():
    c = sqlite3.connect(":memory:")
    c.execute("create table t (day text)")
    c.executemany("insert into t values (?)", [(d,) for d in DAYS])
    yield c
    c.close()


@pytest.mark.parametrize("date_from,date_to", RANGES)
def test_listed_edge_days_are_the_days_the_conditions_select(conn, date_from, date_to):
    params = {"date_from": date_from, "date_to": date_to}
    with_ = f"with {cq._BOUNDS},\n{cq._EDGE_DAY_LIST}\n"
    expected = [r[0] for r in conn.execute(
        f"{with_}select s.day from bounds b join t s on ({cq._first_days('s', 'day')}) or ({cq._last_days('s', 'day')}) "
        "order by 1",
        params,
    )]
    listed = [r[0] for r in conn.execute(f"{with_}select s.day from t s where s.day in (select d from edge_days) order by 1", params)]
    assert listed == expected
    assert conn.execute(f"{with_}select count(*) from days", params).fetchone()[0] <= 62
    if (date_from, date_to) == ("2022-03-05", "2022-06-20"):
        assert expected[0] == "2022-03-05" and expected[-1] == "2022-06-20" and len(expected) == 27 + 20
