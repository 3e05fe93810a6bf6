"""Score stage: sentence sentiment, mention sentiment, frames and signals, readability.

Composes ``sentiment``, ``frames`` and ``readability`` into the final
:class:`Analysis`.  Pure: the same document always gives the same scores.
"""

from __future__ import annotations

from typing import Any, Callable

from . import frames as frames_mod
from . import readability as readability_mod
from . import sentiment as sentiment_mod
from .lexicon import Lexicon
from .records import Analysis, Document, Extraction, Sentence, SentenceScores


def score(
    document: Document,
    sentences: tuple[Sentence, ...],
    extraction: Extraction,
    lexicon: Lexicon,
    article_id: Callable[[str, dict[str, Any]], str],
) -> Analysis:
    text = document.text
    vader = sentiment_mod.score_sentences(text, sentences)
    signals = frames_mod.sentence_signals(text, sentences, lexicon)
    scores = tuple(
        SentenceScores(
            compound=v["compound"],
            pos=v["pos"],
            neu=v["neu"],
            neg=v["neg"],
            frames=s.frames,
            hedges=s.hedges,
            boosters=s.boosters,
            loaded=s.loaded,
        )
        for v, s in zip(vader, signals)
    )
    mentions = sentiment_mod.score_mentions(text, sentences, extraction.mentions, extraction.quotes, lexicon)
    readability = readability_mod.article_scores(document, sentences)
    compounds = [s.compound for s in scores]
    article = {
        **{k: v for k, v in document.metadata.items() if k != "removed"},
        **readability,
        "sentence_count": len(sentences),
        "paragraph_count": sum(1 for b in document.blocks if b.kind == "paragraph"),
        "compound_mean": round(sum(compounds) / len(compounds), 4) if compounds else None,
    }
    article["id"] = article_id(text, document.metadata)
    return Analysis(
        article=article,
        text=text,
        paragraphs=document.blocks,
        sentences=sentences,
        scores=scores,
        actors=extraction.actors,
        mentions=mentions,
        quotes=extraction.quotes,
    )
