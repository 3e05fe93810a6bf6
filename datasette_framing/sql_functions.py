"""SQL functions that score any text inside a query: ``select framing_vader('...')``.

Registered on every Datasette connection by the ``prepare_connection`` hook (and
usable on a plain ``sqlite3`` connection through :func:`register`).  Each is a
thin wrapper over the very pipeline function that produced the stored scores,
so a number computed in SQL matches the number the loader stored for the same
text.  The NLP libraries are imported on first call, not when the plugin loads.

They stay cheap: each scores only the text it is given, refuses text longer
than ``max_text_chars`` (SQLite cannot interrupt a running function, so one huge
value could otherwise hold a connection past Datasette's time limit), and caches
recent results so that ``framing_vader`` and ``framing_vader_json`` on the same
text score it once.  All are deterministic for a given lexicon, so SQLite may
use them in indexes and generated columns.
"""

from __future__ import annotations

import importlib
import json
import re
import sqlite3
from functools import lru_cache
from typing import Any, Callable

from .config import DEFAULTS

#: Name, number of arguments and one-line purpose of every function (docs and tests read this).
FUNCTIONS: dict[str, tuple[int, str]] = {
    "framing_vader": (1, "VADER compound score of the text, in [-1, 1]"),
    "framing_vader_json": (1, "JSON object of VADER's neg, neu, pos and compound scores"),
    "framing_flesch": (1, "Flesch reading ease (textstat): higher is easier"),
    "framing_grade": (1, "Flesch-Kincaid grade level (textstat)"),
    "framing_frames": (1, "JSON object: each news frame found in the text and the words that signalled it"),
    "framing_signals": (1, "JSON object of the hedges, boosters and loaded words found in the text"),
    "framing_polarity": (1, "-1, 0 or 1: a sentiment score after the documented thresholds"),
    "framing_mention_sentiment": (3, "Sentiment a sentence expresses toward the words at [start, end)"),
}


class TextTooLong(ValueError):
    """The text passed to a framing_* function is longer than ``max_text_chars``."""


def _text(name: str, value: Any, limit: int) -> str | None:
    """The argument as text (NULL stays NULL); refuses blobs and over-long text."""
    if value is None:
        return None
    if isinstance(value, bytes):
        raise TypeError(f"{name}: expected text, got a blob")
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        raise TextTooLong(f"{name}: text is {len(text)} characters, above the limit of {limit} (max_text_chars)")
    return text


def _one_block(text: str):
    """The text as a one-paragraph Document, so pipeline stages can score it as they score articles."""
    from .pipeline.records import Block, Document

    return Document(text=text, blocks=(Block(0, 0, len(text), "paragraph"),), metadata={})


def _whole(text: str):
    """One sentence spanning the whole text (VADER and the frame lexicons score it as one unit)."""
    from .pipeline.records import Sentence

    return (Sentence(0, 0, len(text), 0, "paragraph"),)


#: VADER's cost grows with the square of the length of what it scores (20,000 characters take
#: a third of a second), so text is scored sentence by sentence and any run without sentence
#: breaks is cut into pieces of at most this many characters, at a space where possible.
PIECE_CHARS = 1_000
#: framing_mention_sentiment scores one sentence; longer input is not a sentence.
SENTENCE_MAX_CHARS = 5_000


#: A sentence end followed by more text, or a blank line: only then is the splitter needed.
_INNER_BREAK = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+\S|\n\s*\n")


def _pieces(text: str):
    """The text's sentences (the loader's splitter), long ones cut at spaces into bounded pieces."""
    from .pipeline import split
    from .pipeline.records import Sentence

    if not text.strip():
        return ()
    if len(text) <= PIECE_CHARS and not _INNER_BREAK.search(text):
        return _whole(text)  # one sentence: the common case in SQL, without running the splitter
    out = []
    for sentence in split.split(_one_block(text)):
        start, end = sentence.start, sentence.end
        while end - start > PIECE_CHARS:
            cut = text.rfind(" ", start + 1, start + PIECE_CHARS)
            if cut <= start:
                cut = start + PIECE_CHARS
            out.append(Sentence(len(out), start, cut, 0, "paragraph"))
            start = cut
        if text[start:end].strip():
            out.append(Sentence(len(out), start, end, 0, "paragraph"))
    return tuple(out)


@lru_cache(maxsize=256)
def _vader(text: str) -> dict[str, float] | None:
    """VADER's four scores, averaged over the sentences (one sentence: VADER's own scores); None if no words."""
    from .pipeline import sentiment

    pieces = _pieces(text)
    if not pieces:
        return None
    scored = sentiment.score_sentences(text, pieces)
    return {k: round(sum(s[k] for s in scored) / len(scored), 4) for k in ("neg", "neu", "pos", "compound")}


def _vader_of(text: str | None) -> dict[str, float] | None:
    return None if text is None else _vader(text)


@lru_cache(maxsize=256)
def _readability(text: str) -> dict[str, Any]:
    from .pipeline import readability, split

    document = _one_block(text)
    return dict(readability.article_scores(document, split.split(document)))


@lru_cache(maxsize=256)
def _signals(text: str, lexicon: Any):
    from .pipeline import frames

    return frames.sentence_signals(text, _whole(text), lexicon)[0]


def _lexicon(lexicon_dir: str | None):
    from .pipeline.lexicon import Lexicon, default_lexicon

    return Lexicon(data_dir=lexicon_dir) if lexicon_dir else default_lexicon()


def make_functions(
    max_text_chars: int = DEFAULTS["max_text_chars"], lexicon_dir: str | None = None
) -> dict[str, Callable[..., Any]]:
    """The SQL functions bound to one configuration, by name."""
    limit = max_text_chars

    def framing_vader(value: Any) -> float | None:
        scores = _vader_of(_text("framing_vader", value, limit))
        return None if scores is None else scores["compound"]

    def framing_vader_json(value: Any) -> str | None:
        scores = _vader_of(_text("framing_vader_json", value, limit))
        if scores is None:
            return None
        return json.dumps({k: scores[k] for k in ("neg", "neu", "pos", "compound")})

    def framing_flesch(value: Any) -> float | None:
        text = _text("framing_flesch", value, limit)
        if text is None or not text.strip():
            return None
        return _readability(text)["flesch_reading_ease"]

    def framing_grade(value: Any) -> float | None:
        text = _text("framing_grade", value, limit)
        if text is None or not text.strip():
            return None
        return _readability(text)["flesch_kincaid_grade"]

    def framing_frames(value: Any) -> str | None:
        text = _text("framing_frames", value, limit)
        if text is None:
            return None
        found = _signals(text, _lexicon(lexicon_dir)).frames
        return json.dumps({frame: list(words) for frame, words in sorted(found.items())}, ensure_ascii=False)

    def framing_signals(value: Any) -> str | None:
        text = _text("framing_signals", value, limit)
        if text is None:
            return None
        s = _signals(text, _lexicon(lexicon_dir))
        return json.dumps(
            {"hedges": list(s.hedges), "boosters": list(s.boosters), "loaded": list(s.loaded)},
            ensure_ascii=False,
        )

    def framing_polarity(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bytes):
            raise TypeError("framing_polarity: expected a number, got a blob")
        from .pipeline import sentiment

        return sentiment.polarity(float(value))

    def framing_mention_sentiment(sentence: Any, start: Any, end: Any) -> float | None:
        text = _text("framing_mention_sentiment", sentence, min(limit, SENTENCE_MAX_CHARS))
        if text is None or start is None or end is None:
            return None
        if not (isinstance(start, int) and isinstance(end, int)):
            raise TypeError("framing_mention_sentiment: start and end must be whole numbers")
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"framing_mention_sentiment: need 0 <= start < end <= {len(text)}, got start={start}, end={end}"
            )
        from .pipeline import sentiment

        return sentiment.mention_sentiment(text, start, end, _lexicon(lexicon_dir))

    return {
        "framing_vader": framing_vader,
        "framing_vader_json": framing_vader_json,
        "framing_flesch": framing_flesch,
        "framing_grade": framing_grade,
        "framing_frames": framing_frames,
        "framing_signals": framing_signals,
        "framing_polarity": framing_polarity,
        "framing_mention_sentiment": framing_mention_sentiment,
    }


def register(
    conn: sqlite3.Connection, max_text_chars: int = DEFAULTS["max_text_chars"], lexicon_dir: str | None = None
) -> None:
    """Register every framing_* function and the statistics aggregates on ``conn``."""
    functions = make_functions(max_text_chars, lexicon_dir)
    for name, (nargs, _purpose) in FUNCTIONS.items():
        conn.create_function(name, nargs, functions[name], deterministic=True)
    register_aggregates(conn)


def register_aggregates(conn: sqlite3.Connection) -> None:
    """The interval and log-odds aggregates of ``datasette_framing.stats`` (the framing statistics)."""
    try:
        stats = importlib.import_module(f"{__package__}.stats")
    except ModuleNotFoundError as e:
        # Integration point: stats.py (interval / log-odds aggregates) is built separately;
        # until it exists there are no aggregates to add.  Any other import error is a bug: raise it.
        if e.name != f"{__package__}.stats":
            raise
        return
    stats.register(conn)
