"""Extract stage: actors and their mentions, quotes and their speakers, descriptors.

Composes ``actors``, ``quotes`` and ``descriptors``; each is a pure function of
the document, its sentences and the lexicon.
"""

from __future__ import annotations

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
    """A mention that is the written speaker of a quote takes the role 'speaker'."""
    spans = {(q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None}
    out = []
    for m in mentions:
        if any(s <= m.start and m.end <= e for s, e in spans):
            m = replace(m, role="speaker")
        out.append(m)
    return tuple(out)
