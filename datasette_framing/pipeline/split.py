"""Split stage: a :class:`Document` -> its :class:`Sentence` spans.

A rule-based splitter made for news, chosen after measuring it against pysbd
and syntok (``benchmarks/splitters.py``; figures in ``docs/cleaning.md``): it
is some hundred times faster than pysbd and makes fewer errors on news text.

Rules, applied inside each block (a sentence never crosses blocks):

- a sentence ends at ``.``, ``!``, ``?``, ``…`` or ``...`` (with any closing
  quotes and brackets after it) followed by white space and a word that does
  not start in lower case; CJK full stops end a sentence without a space;
- a full stop after an abbreviation from ``data/abbreviations.yml`` does not
  end the sentence (``Mr.``, ``Gen.``, ``No. 1``), nor after a single capital
  (an initial: ``Joseph R. Biden``); after an abbreviation that may close a
  sentence (``U.S.``, ``Inc.``, ``Jan.``, ``p.m.``) it ends only when a usual
  sentence opener follows (``in the U.S. The ...``);
- a quotation that runs into its attribution stays whole: in
  ``“A. B,” he said.`` or ``“... existential,” she told reporters`` the full
  stops inside the quotation do not end the sentence (for quotations of up
  to ``MAX_JOINED_QUOTE`` characters);
- titles and subheadings are one sentence each, full stop or not.

Offsets index into ``document.text`` and are trimmed of white space; no
sentence is empty.  The cost is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, default_lexicon
from .records import Document, Sentence

ABBREVIATIONS_FILE = "abbreviations.yml"
#: Longest quotation (characters) kept in one sentence with its attribution.
MAX_JOINED_QUOTE = 1000

_CLOSERS = "\"'’”»)]}›"
_OPENERS = "\"'‘“«([{‹"
# One character class up front keeps the scan fast; the match is checked after.
_CANDIDATE = re.compile(r"[.!?…。！？]+[\"'’”»)\]}›」』]*\s*")
_CJK_STOPS = "。！？"
_TOKEN_CHARS = ".'’-_"
_NEXT_WORD = re.compile(r"[\"'‘“«(\[]*(\w+)")
_SPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class Abbreviations:
    never_final: frozenset[str]
    before_number: frozenset[str]
    may_end: frozenset[str]
    starters: frozenset[str]


@lru_cache(maxsize=16)
def abbreviations_for(lexicon: Lexicon) -> Abbreviations:
    """The splitter's word lists, loaded once per lexicon."""
    data = lexicon.load(ABBREVIATIONS_FILE) or {}

    def words(key: str) -> frozenset[str]:
        value = data.get(key) or ""
        items = value.split() if isinstance(value, str) else [str(w) for w in value]
        return frozenset(w.lower().rstrip(".") for w in items)

    return Abbreviations(
        words("never_final"), words("before_number"), words("may_end"), words("sentence_starters")
    )


def split(document: Document, lexicon: Lexicon | None = None) -> tuple[Sentence, ...]:
    """The sentences of every block of ``document``, in order."""
    abbr = abbreviations_for(lexicon or default_lexicon())
    text = document.text
    out: list[Sentence] = []
    for block in document.blocks:
        if block.kind in ("title", "heading"):
            spans = [(block.start, block.end)]
        else:
            spans = sentence_spans(text, block.start, block.end, abbr)
        for start, end in spans:
            start, end = _trim(text, start, end)
            if start < end:
                out.append(Sentence(len(out), start, end, block.index, block.kind))
    return tuple(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int, end: int, abbr: Abbreviations) -> list[tuple[int, int]]:
    """(start, end) of the sentences in ``text[start:end]``, untrimmed."""
    quiet = _joined_quotes(text, start, end) if _has_quote(text, start, end) else ()
    spans: list[tuple[int, int]] = []
    sentence_start = start
    q = 0
    for m in _CANDIDATE.finditer(text, start, end):
        next_start = m.end()
        if next_start >= end:
            break
        if not text[next_start - 1].isspace() and text[m.start()] not in _CJK_STOPS:
            continue  # "3.5", "U.S.", "word.Next": no space, no boundary
        mark = m.start()
        while q < len(quiet) and quiet[q][1] <= mark:
            q += 1
        if q < len(quiet) and quiet[q][0] < mark:
            continue  # inside a quotation that runs on into its attribution
        if not _is_boundary(text, sentence_start, m, next_start, end, abbr):
            continue
        spans.append((sentence_start, m.end()))
        sentence_start = next_start
    if sentence_start < end:
        spans.append((sentence_start, end))
    return spans


def _is_boundary(text: str, sentence_start: int, m: re.Match[str], next_start: int, end: int, abbr: Abbreviations) -> bool:
    first = text[next_start]
    if first.islower():
        return False
    punct = m.group(0).rstrip().rstrip(_CLOSERS + "」』")
    if punct[:1] in _CJK_STOPS:
        return True
    if punct != ".":
        # "!", "?", "…", "...", "?!": a boundary whenever the next word is not lower case.
        return True
    if not (first.isupper() or first.isdigit() or first in _OPENERS or not first.isalpha()):
        return False
    mark = m.start()
    i = mark
    floor = max(sentence_start, mark - 40)
    while i > floor and (text[i - 1].isalnum() or text[i - 1] in _TOKEN_CHARS):
        i -= 1
    token = text[i:mark].lstrip(_TOKEN_CHARS)
    if not token:
        return True
    lowered = token.lower()
    next_word = _NEXT_WORD.match(text, next_start, min(end, next_start + 40))
    following = next_word.group(1).lower() if next_word else ""
    if len(token) == 1 and token.isupper():
        return False  # an initial: "Joseph R. Biden"
    if lowered in abbr.never_final:
        return False
    dotted = "." in lowered and _is_dotted(lowered)
    if first.isdigit() and (lowered in abbr.may_end or lowered in abbr.before_number or dotted):
        return False  # "Jan. 20", "No. 1"
    if dotted or lowered in abbr.may_end:
        # "U.S.", "p.m.", "Inc.": a boundary only before a usual sentence opener.
        return following in abbr.starters
    if token.isdigit() and len(token) <= 2 and text[sentence_start:mark].strip() == token:
        return False  # a list number: "1. First ..."
    return True


def _is_dotted(token: str) -> bool:
    """An abbreviation with inner full stops ("u.s", "p.m", "ph.d"), not "1.2bn" or "site.com"."""
    parts = token.split(".")
    return all(part.isalpha() and len(part) <= 4 for part in parts if part) and len(parts) > 1


_QUOTE_CHARS = frozenset("\"“”«»")
_QUOTE_RE = re.compile("[\"“”«»]")


def _has_quote(text: str, start: int, end: int) -> bool:
    return _QUOTE_RE.search(text, start, end) is not None


def _joined_quotes(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Spans of quotations that run on into their attribution (no split inside).

    Pairs “ with ”, « with » and straight double quotes by position (an
    opening mark follows a space or the start, a closing one precedes a
    space, punctuation or the end).  A quotation runs on when its closing
    mark follows a comma, or is followed by a lower-case word (``,” she
    said``, ``” he added``).
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    open_char = ""
    pairs = {"“": "”", "«": "»", '"': '"'}
    for found in _QUOTE_RE.finditer(text, start, end):
        i = found.start()
        ch = text[i]
        if open_at < 0:
            if ch in pairs and (ch != '"' or _opens(text, i, start, end)):
                open_at, open_char = i, ch
            continue
        closes = ch == pairs[open_char] and (ch != '"' or not _opens(text, i, start, end))
        if closes:
            if i - open_at <= MAX_JOINED_QUOTE and _runs_on(text, i, end):
                spans.append((open_at, i))
            open_at = -1
        elif ch == open_char and ch != '"':
            open_at = i  # a new quotation opened before the last one closed: restart there
    return tuple(spans)


def _opens(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before.isspace() or before in "([{—–-‘'") and not after.isspace()


def _runs_on(text: str, close: int, end: int) -> bool:
    before = text[close - 1] if close > 0 else ""
    if before == ",":
        return True
    m = _SPACE.match(text, close + 1, end)
    nxt = m.end() if m else close + 1
    return nxt < end and text[nxt].islower() and m is not None and m.end() > close + 1
