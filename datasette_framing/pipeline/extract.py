"""Extract stage: actors and their mentions, quotes and their speakers, descriptors.

Composes ``actors``, ``quotes`` and ``descriptors``; each is a pure function of
the document, its sentences and the lexicon.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from . import actors as actors_mod
from . import descriptors as descriptors_mod
from . import quotes as quotes_mod
from .lexicon import Lexicon
from .records import Document, Extraction, Mention, Quote, Sentence


def extract(document: Document, sentences: tuple[Sentence, ...], lexicon: Lexicon) -> Extraction:
    actors, mentions = actors_mod.find_actors(document, sentences, lexicon)
    quotes = quotes_mod.find_quotes(document, sentences, actors, mentions, lexicon)
    mentions = mark_speakers(mentions, quotes)
    mentions = descriptors_mod.attach(document, sentences, mentions, lexicon)
    return Extraction(actors=actors, mentions=mentions, quotes=quotes)


def mark_speakers(mentions: tuple[Mention, ...], quotes: tuple[Quote, ...]) -> tuple[Mention, ...]:
    """A mention that lies inside the written speaker of a quote takes the role 'speaker'.

    Speaker spans are sorted once and searched by bisection, so long articles with
    many quotes stay linear-logarithmic rather than mentions x quotes.
    """
    spans = sorted({(q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None})
    if not spans:
        return tuple(mentions)
    starts = [s for s, _ in spans]
    # reach[i]: the furthest end among spans[0..i], all of which start at or before
    # spans[i][0]; a mention starting there is inside one of them iff it ends by reach[i].
    reach, longest = [], -1
    for _, e in spans:
        longest = max(longest, e)
        reach.append(longest)
    out = []
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and reach[i] >= m.end:
            m = replace(m, role="speaker")
        out.append(m)
    return tuple(out)

