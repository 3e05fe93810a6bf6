"""The extract stage's own logic: marking the mentions that are a quote's written speaker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_framing.pipeline.extract import mark_speakers
from datasette_framing.pipeline.records import Mention, Quote


def quote(speaker_start, speaker_end):
    return Quote(0, 1, "x", "direct", 0, speaker_start=speaker_start, speaker_end=speaker_end)


def test_mention_inside_a_speaker_span_becomes_speaker_and_others_keep_their_role():
    mentions = (
        Mention("joe-biden", 10, 15, "Biden", 0, role="agent"),
        Mention("russia", 30, 36, "Russia", 0, role="patient"),
        Mention("united-states", 50, 52, "US", 1, role="modifier"),
    )
    quotes = (quote(47, 60), quote(None, None))  # "the US president"; one quote with no speaker
    roles = [m.role for m in mark_speakers(mentions, quotes)]
    assert roles == ["agent", "patient", "speaker"]


spans = st.tuples(st.integers(0, 300), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(spans, max_size=20), st.lists(st.one_of(st.none(), spans), max_size=10))
def test_speaker_marking_equals_the_plain_definition(mention_spans, speaker_spans):
    mentions = tuple(Mention("a", s, e, "x", 0) for s, e in mention_spans)
    quotes = tuple(quote(*(s or (None, None))) for s in speaker_spans)
    got = [m.role for m in mark_speakers(mentions, quotes)]
    inside = [
        any(s is not None and s[0] <= m.start and m.end <= s[1] for s in speaker_spans) for m in mentions
    ]
    assert got == ["speaker" if i else "other" for i in inside]
