"""The framing_* SQL functions, on a plain sqlite3 connection (as datasette-jellyfish tests its own).

Expected values come from the pipeline functions the SQL functions must agree
with, or from VADER/textstat directly: a score computed in SQL must match the
score the loader stores for the same text.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import textstat
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from datasette_framing import sql_functions
from datasette_framing.pipeline import sentiment

VADER = SentimentIntensityAnalyzer()
SQLITE_DETERMINISTIC = 0x800


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    sql_functions.register(c)
    yield c
    c.close()


def one(conn, sql, *params):
    return conn.execute(sql, params).fetchone()[0]


def test_every_function_registered_and_deterministic(conn):
    rows = conn.execute(
        "select name, narg, flags from pragma_function_list where name like 'framing_%' and type = 's'"
    ).fetchall()
    found = {name: (narg, flags) for name, narg, flags in rows}
    for name, (nargs, _purpose) in sql_functions.FUNCTIONS.items():
        assert name in found, name
        assert found[name][0] == nargs
        assert found[name][1] & SQLITE_DETERMINISTIC, f"{name} is not registered as deterministic"


@pytest.mark.parametrize(
    "text",
    [
        "Russia brutally attacked the peaceful city.",
        "The talks were a great success, officials said.",
        "The meeting took place on Friday.",
        "Blinken warned of a swift, severe, united response!",
    ],
)
def test_framing_vader_on_one_sentence_is_vaders_compound(conn, text):
    assert one(conn, "select framing_vader(?)", text) == VADER.polarity_scores(text)["compound"]


def test_framing_vader_signs(conn):
    assert one(conn, "select framing_vader('a wonderful, generous and successful agreement')") > 0.5
    assert one(conn, "select framing_vader('a brutal, horrific and deadly attack')") < -0.5


def test_framing_vader_averages_sentences(conn):
    text = "The agreement is wonderful. The attack was horrific."
    first = VADER.polarity_scores("The agreement is wonderful.")["compound"]
    second = VADER.polarity_scores("The attack was horrific.")["compound"]
    assert one(conn, "select framing_vader(?)", text) == pytest.approx((first + second) / 2, abs=1e-4)


def test_framing_vader_json_has_all_four_scores(conn):
    text = "The talks were a great success."
    got = json.loads(one(conn, "select framing_vader_json(?)", text))
    want = VADER.polarity_scores(text)
    assert set(got) == {"neg", "neu", "pos", "compound"}
    for key in got:
        assert got[key] == pytest.approx(want[key], abs=1e-4)


def test_long_unbroken_text_is_scored_in_pieces(conn):
    # One 60,000-character "sentence": VADER on it whole would take seconds (quadratic).
    text = ("terrible " * 6_000) + ("wonderful " * 666)
    pieces = sql_functions._pieces(text)
    assert len(pieces) > 1
    assert max(p.end - p.start for p in pieces) <= sql_functions.PIECE_CHARS
    assert "".join(text[p.start : p.end] for p in pieces).split() == text.split()
    assert one(conn, "select framing_vader(?)", text) < 0


@pytest.mark.parametrize(
    "name",
    ["framing_vader", "framing_vader_json", "framing_flesch", "framing_grade", "framing_frames", "framing_signals", "framing_polarity"],
)
def test_null_in_null_out(conn, name):
    assert one(conn, f"select {name}(null)") is None


@pytest.mark.parametrize("name", ["framing_vader", "framing_vader_json", "framing_flesch", "framing_grade"])
def test_text_without_words_has_no_score(conn, name):
    assert one(conn, f"select {name}('   ')") is None


EASY = "The cat sat on the mat. It was a sunny day. We had fun."
HARD = (
    "Notwithstanding considerable institutional disagreements, international organisations "
    "systematically underestimated the geopolitical ramifications of unprecedented militarisation."
)


def test_framing_flesch_and_grade_match_textstat(conn):
    # The readability stage stores scores rounded to 2 decimals.
    assert one(conn, "select framing_flesch(?)", EASY) == pytest.approx(textstat.flesch_reading_ease(EASY), abs=0.006)
    assert one(conn, "select framing_grade(?)", HARD) == pytest.approx(textstat.flesch_kincaid_grade(HARD), abs=0.006)
    assert one(conn, "select framing_flesch(?)", EASY) > one(conn, "select framing_flesch(?)", HARD)
    assert one(conn, "select framing_grade(?)", EASY) < one(conn, "select framing_grade(?)", HARD)


def test_framing_frames_lists_frames_with_their_words(conn):
    got = json.loads(one(conn, "select framing_frames(?)", "Troops attacked the city and the economy suffered under sanctions."))
    assert "attacked" in got["conflict"]
    assert {"economy", "sanctions"} <= set(got["economic"])
    assert json.loads(one(conn, "select framing_frames('The cat sat on the mat.')")) == {}


def test_framing_frames_agrees_with_the_frames_stage(conn):
    from datasette_framing.pipeline import frames
    from datasette_framing.pipeline.lexicon import default_lexicon
    from datasette_framing.pipeline.records import Sentence

    text = "Ukraine accused Moscow of aggression as diplomats met in Geneva to avert war."
    stage = frames.sentence_signals(text, (Sentence(0, 0, len(text), 0, "paragraph"),), default_lexicon())[0]
    got = json.loads(one(conn, "select framing_frames(?)", text))
    assert got == {k: list(v) for k, v in stage.frames.items()}
    assert got, "the sentence should carry at least one frame"


def test_framing_signals(conn):
    got = json.loads(one(conn, "select framing_signals(?)", "Russia may reportedly invade, clearly a brutal regime."))
    assert set(got) == {"hedges", "boosters", "loaded"}
    assert {"may", "reportedly"} <= set(got["hedges"])
    assert "clearly" in got["boosters"]
    assert "brutal" in got["loaded"]


@pytest.mark.parametrize("score", [-1.0, -0.5, -0.16, -0.15, -0.05, 0.0, 0.05, 0.15, 0.16, 0.5, 1.0, "0.9", 1])
def test_framing_polarity_is_the_documented_polarity(conn, score):
    assert one(conn, "select framing_polarity(?)", score) == sentiment.polarity(float(score))


def test_framing_polarity_extremes(conn):
    assert one(conn, "select framing_polarity(0.9)") == 1
    assert one(conn, "select framing_polarity(-0.9)") == -1
    assert one(conn, "select framing_polarity(0)") == 0


def test_framing_mention_sentiment_is_the_public_function(conn):
    sentence = "Russia brutally attacked Ukraine, which bravely defended itself."
    for start, end in [(0, 6), (25, 32)]:
        assert one(conn, "select framing_mention_sentiment(?, ?, ?)", sentence, start, end) == pytest.approx(
            sentiment.mention_sentiment(sentence, start, end)
        )


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (6, 2), (0, 999), ("a", 3)])
def test_framing_mention_sentiment_rejects_bad_offsets(conn, start, end):
    with pytest.raises(sqlite3.OperationalError):
        one(conn, "select framing_mention_sentiment('Russia attacked Ukraine.', ?, ?)", start, end)


def test_text_over_the_limit_is_refused():
    c = sqlite3.connect(":memory:")
    sql_functions.register(c, max_text_chars=50)
    assert one(c, "select framing_vader(?)", "good " * 10) is not None
    for name in ("framing_vader", "framing_flesch", "framing_frames"):
        with pytest.raises(sqlite3.OperationalError):
            one(c, f"select {name}(?)", "good " * 11)
    with pytest.raises(sqlite3.OperationalError):
        one(c, "select framing_mention_sentiment(?, 0, 4)", "good " * 11)


def test_function_errors_carry_a_clear_message():
    funcs = sql_functions.make_functions(max_text_chars=10)
    with pytest.raises(sql_functions.TextTooLong, match="framing_vader: text is 11 characters, above the limit of 10"):
        funcs["framing_vader"]("x" * 11)
    with pytest.raises(ValueError, match="need 0 <= start < end <= 3"):
        funcs["framing_mention_sentiment"]("abc", 2, 9)
    with pytest.raises(TypeError, match="blob"):
        funcs["framing_vader"](b"bytes")


def test_functions_work_over_a_table(conn):
    conn.execute("create table t (id integer primary key, body text)")
    conn.executemany(
        "insert into t (body) values (?)",
        [("A wonderful, successful agreement.",), ("A brutal, deadly attack.",), (None,)],
    )
    rows = conn.execute("select id, framing_polarity(framing_vader(body)) from t order by id").fetchall()
    assert rows == [(1, 1), (2, -1), (3, None)]


@pytest.mark.asyncio
async def test_functions_available_in_datasette(ds):
    response = await ds.client.get(
        "/framing.json",
        params={"sql": "select framing_vader('a wonderful success') as v, framing_polarity(-0.8) as p", "_shape": "array"},
    )
    assert response.status_code == 200
    assert response.json() == [
        {"v": VADER.polarity_scores("a wonderful success")["compound"], "p": -1}
    ]


def test_statistics_functions_are_registered_too(conn):
    from datasette_framing import stats

    conn.execute("create table v (x real)")
    conn.executemany("insert into v values (?)", [(-0.6,), (0.0,), (-0.3,), (-0.2,)])
    low, high = conn.execute("select framing_ci_low(x), framing_ci_high(x) from v").fetchone()
    ci = stats.mean_ci([-0.6, 0.0, -0.3, -0.2])
    assert (low, high) == pytest.approx((ci.ci_low, ci.ci_high))
    assert one(conn, "select framing_t_low(4, -1.1, 0.49)") == pytest.approx(ci.ci_low, abs=1e-6)
    assert one(conn, "select framing_too_few(3)") == 1
