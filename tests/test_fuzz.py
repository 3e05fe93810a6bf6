"""Property-based tests of the whole analysis and of each stage over random and hostile text.

The default suite runs a few hundred cases per property; the ``slow`` run
(``scripts/test``, CI) raises that to well over 10,000 in all.  Properties:
no exception, every offset inside the text, no empty span, determinism.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasette_framing.pipeline import clean, split
from datasette_framing.pipeline.analyze import analyze
from datasette_framing.pipeline.records import Source

QUICK = int(os.environ.get("FRAMING_FUZZ_QUICK", "150"))
LONG = int(os.environ.get("FRAMING_FUZZ_LONG", "3500"))

# Pieces that news text and scrapers really produce, and the ones that break parsers.
FRAGMENTS = [
    "“", "”", "‘", "’", '"', "'", "«", "»", "„", "‹", "›", "…", "...", ".", ",", ";", ":", "?", "!",
    " said", " told reporters", " according to", " he said.", " she warned", " insisted",
    "Mr.", " U.S.", " Gen.", " Jan.", "Russia", " the Kremlin", " Moscow", " Washington", " Biden",
    " the US president", " NATO", " EU", " Ukrainian", " he", " she", " it", " they", " I", " we",
    "\n", "\n\n", "\r\n", "\r", "\t", "\u2028", "\u2029", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066",
    "\x00", "\x07", "\x1b[31m", "<script>alert(1)</script>", "<p>", "</p>", "<b", "&amp;", "&#x27;",
    "{{7*7}}", "${x}", "javascript:alert(1)", "' OR 1=1 --", "مرحبا بالعالم", "שלום", "Привет, мир.",
    "中文句子。", "😀", "\U0001f1fa\U0001f1f8", "e\u0301", "Skip to Content", "© 2022 Outlet Network",
    "Follow Outlet:", "20 Jan 2022", "title: x", "\ntitle: Fuzz\noutlet: O\n\n",
]

adversarial = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60).map("".join)
random_text = st.text(max_size=400)
nested_quotes = st.integers(min_value=1, max_value=200).map(
    lambda n: "He said " + "“‘\"" * n + " deep " + "”’" * (n // 2) + " end."
)
enormous_line = st.integers(min_value=2_000, max_value=60_000).map(lambda n: ("word, " * n)[:n])
texts = adversarial | random_text | nested_quotes | enormous_line


def _check_analysis(text: str) -> None:
    d = analyze(text).to_dict()
    stored = d["text"]
    n = len(stored)
    for b in d["paragraphs"]:
        assert 0 <= b["start"] < b["end"] <= n
    for s in d["sentences"]:
        assert 0 <= s["start"] < s["end"] <= n, s
        assert stored[s["start"] : s["end"]].strip(), s
        assert -1.0 <= s["compound"] <= 1.0
    for m in d["mentions"]:
        assert 0 <= m["start"] < m["end"] <= n
        assert stored[m["start"] : m["end"]] == m["surface"]
        assert 0 <= m["sentence"] < len(d["sentences"])
        if m["sentiment"] is not None:
            assert -1.0 <= m["sentiment"] <= 1.0
    for q in d["quotes"]:
        assert 0 <= q["start"] < q["end"] <= n, q
        assert stored[q["start"] : q["end"]] == q["text"]
        for a, b in (("speaker_start", "speaker_end"), ("cue_start", "cue_end")):
            if q[a] is not None:
                assert 0 <= q[a] < q[b] <= n, q
    keys = {a["key"] for a in d["actors"]}
    assert {m["actor"] for m in d["mentions"]} <= keys
    assert {q["speaker"] for q in d["quotes"] if q["speaker"]} <= keys
    json.dumps(d)  # serialisable
    # Deterministic: the same input always gives the same analysis.
    assert analyze(text).to_dict() == d


def _check_stages(text: str) -> None:
    document = clean.clean(Source(path="fuzz.txt", text=text))
    n = len(document.text)
    previous_end = -1
    for b in document.blocks:
        assert 0 <= b.start < b.end <= n
        assert b.start >= previous_end
        previous_end = b.end
    for s in split.split(document):
        assert 0 <= s.start < s.end <= n
        assert document.text[s.start : s.end].strip()


def fuzz_settings(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@fuzz_settings(QUICK)
@given(texts)
def test_analysis_properties_quick(text):
    _check_analysis(text)


@fuzz_settings(QUICK)
@given(texts)
def test_stage_properties_quick(text):
    _check_stages(text)


@pytest.mark.slow
@fuzz_settings(LONG)
@given(texts)
def test_analysis_properties_long(text):
    _check_analysis(text)


@pytest.mark.slow
@fuzz_settings(LONG)
@given(adversarial | random_text)
def test_stage_properties_long(text):
    _check_stages(text)


@pytest.mark.slow
@fuzz_settings(LONG)
@given(adversarial)
def test_mention_sentiment_properties_long(text):
    from datasette_framing.pipeline.sentiment import mention_sentiment, polarity

    if not text:
        return
    start = len(text) // 3
    end = max(start + 1, 2 * len(text) // 3)
    score = mention_sentiment(text, start, min(end, len(text)))
    assert -1.0 <= score <= 1.0
    assert polarity(score) in (-1, 0, 1)
