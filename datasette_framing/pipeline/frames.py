"""Frames and other sentence signals: news frames, hedges, boosters, loaded language.

Each sentence is scanned against four documented lexicons kept as data files
(``data/frames.yml``, ``hedges.txt``, ``boosters.txt``, ``loaded.txt``; see the
headers there for sources and licences, and ``docs/methods.md`` for the method).
What is stored is not only a flag but the matched words, so every frame count
in the database can be traced back to the words that produced it.

Speed matters because this runs on every sentence of every article: each
lexicon is compiled once per :class:`Lexicon` into a single regular expression
shaped as a character trie (so the regex engine never tries hundreds of
alternatives at each position), and a match is mapped back to its categories by
dictionary lookup.  Cost is linear in the sentence length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Iterable, Sequence

from .lexicon import Lexicon, LexiconError
from .records import Sentence

#: Frame names in display order (the keys of ``frames.yml``; a user file may add more).
FRAMES = ("conflict", "responsibility", "economic", "human_interest", "morality", "security", "diplomacy")

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Signals:
    """What one sentence signals: frame -> matched words, and the hedges, boosters, loaded words found."""

    frames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hedges: tuple[str, ...] = ()
    boosters: tuple[str, ...] = ()
    loaded: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    category: str
    case_sensitive: str | None  # the exact form required, for '=' terms


class TermMatcher:
    """One compiled regex for a set of categorised terms, plus the lookup back to categories.

    Term syntax (shared by all lexicon files): case-insensitive; a space matches any
    whitespace; a trailing ``*`` matches any word ending; a leading ``=`` requires the
    exact case.  Matching is leftmost-longest on word boundaries, so a phrase such as
    "held accountable" wins over its parts.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]):
        self.exact: dict[str, list[_Entry]] = {}
        self.stems: dict[str, list[_Entry]] = {}
        trie: dict = {}
        for category, raw in terms:
            term = raw.strip()
            if not term:
                continue
            case_sensitive = None
            if term.startswith("="):
                term = term[1:]
                case_sensitive = _WS.sub(" ", term.rstrip("*"))
            star = term.endswith("*")
            body = _WS.sub(" ", term.rstrip("*").strip())
            if not body:
                raise LexiconError(f"empty term {raw!r} in category {category!r}")
            key = body.lower()
            entry = _Entry(category, case_sensitive)
            (self.stems if star else self.exact).setdefault(key, []).append(entry)
            node = trie
            for ch in key:
                node = node.setdefault(ch, {})
            node["*" if star else ""] = True
        self.max_stem = max((len(s) for s in self.stems), default=0)
        self.min_stem = min((len(s) for s in self.stems), default=1)
        self._cache: dict[str, list[tuple[_Entry, str]]] = {}
        pattern = _trie_pattern(trie) if trie else r"(?!x)x"
        pattern = r"(?<!\w)(?:" + pattern + r")(?!\w)"
        # scanning lower-cased text with a case-sensitive regex is twice as fast as re.IGNORECASE
        self.regex = re.compile(pattern)
        self.regex_ignorecase = re.compile(pattern, re.IGNORECASE)

    def find(self, text: str) -> list[tuple[str, str, int, int]]:
        """(category, matched words lower-cased, start, end) for every match in ``text``.

        A match also counts for every shorter term it begins with, cut at a word
        boundary ("must be" is a responsibility phrase and also the booster "must";
        "war crimes" is morality and also the conflict word "war"), so one scan
        serves all lexicons without one hiding another.
        """
        out = []
        lowered = text.lower()
        if len(lowered) == len(text):
            found = self.regex.finditer(lowered)
        else:  # a few characters change length when lower-cased; keep offsets right
            found = self.regex_ignorecase.finditer(text)
        for m in found:
            start, end = m.span()
            written = text[start:end]
            norm = written.lower()
            if not norm.isalnum():  # a phrase: any run of whitespace counts as one space
                norm = _WS.sub(" ", norm)
            entries = self._entries(norm)
            if len(entries) == 1:  # the usual case: one term, nothing to de-duplicate
                entry, words = entries[0]
                if entry.case_sensitive is None or written.startswith(entry.case_sensitive):
                    out.append((entry.category, words, start, start + len(words)))
                continue
            seen: set[str] = set()
            for entry, words in entries:
                if entry.category in seen:
                    continue
                if entry.case_sensitive is not None and not written.startswith(entry.case_sensitive):
                    continue
                seen.add(entry.category)
                out.append((entry.category, words, start, start + len(words)))
        return out

    def _entries(self, norm: str) -> list[tuple[_Entry, str]]:
        # matched forms repeat a lot (news vocabulary is small), so lookups are memoised
        cached = self._cache.get(norm)
        if cached is None:
            cached = self._lookup(norm)
            if len(self._cache) < 200_000:
                self._cache[norm] = cached
        return cached

    def _lookup(self, norm: str) -> list[tuple[_Entry, str]]:
        found: list[tuple[_Entry, str]] = []
        n = len(norm)
        # word ends inside the match: the full match and every shorter prefix ending at a boundary
        ends = [i for i in range(1, n) if not _is_word(norm[i]) and _is_word(norm[i - 1])] + [n]
        for end in reversed(ends):
            for e in self.exact.get(norm[:end], ()):
                found.append((e, norm[:end]))
        if self.stems:
            for k in range(min(n, self.max_stem), self.min_stem - 1, -1):
                hit = self.stems.get(norm[:k])
                if hit:
                    end = k
                    while end < n and _is_word(norm[end]):
                        end += 1
                    found.extend((e, norm[:end]) for e in hit)
        return found


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _unit(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def _trie_pattern(node: dict) -> str:
    """A regex for the words in a character trie: shared prefixes are written once."""
    alternatives = []
    for ch in sorted(k for k in node if k not in ("", "*")):
        alternatives.append(_unit(ch) + _trie_pattern(node[ch]))
    if node.get("*"):
        alternatives.append(r"\w*")
    optional = bool(node.get("")) and not node.get("*")
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not optional:
        return alternatives[0]
    body = "(?:" + "|".join(alternatives) + ")"
    return body + "?" if optional else body


@dataclass(frozen=True)
class FrameDefinition:
    name: str
    label: str
    description: str
    source: str
    questions: tuple[str, ...]
    terms: tuple[str, ...]


def frame_definitions(lexicon: Lexicon) -> tuple[FrameDefinition, ...]:
    """The frames of ``frames.yml`` (or the user's override), validated."""
    data = lexicon.load("frames.yml")
    frames = (data or {}).get("frames") if isinstance(data, dict) else None
    if not isinstance(frames, dict) or not frames:
        raise LexiconError(f"{lexicon.path('frames.yml')}: expected a 'frames:' mapping of frame name to terms")
    out = []
    for name, spec in frames.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("terms"), list) or not spec["terms"]:
            raise LexiconError(f"{lexicon.path('frames.yml')}: frame {name!r} needs a non-empty 'terms' list")
        if not all(isinstance(t, str) for t in spec["terms"]):
            raise LexiconError(
                f"{lexicon.path('frames.yml')}: frame {name!r} has a term that is not text"
                " (YAML reads bare yes/no/on/off as true/false and numbers as numbers: quote them)"
            )
        out.append(
            FrameDefinition(
                name=str(name),
                label=str(spec.get("label") or name),
                description=str(spec.get("description") or ""),
                source=str(spec.get("source") or ""),
                questions=tuple(str(q) for q in spec.get("questions") or ()),
                terms=tuple(str(t) for t in spec["terms"]),
            )
        )
    return tuple(out)


#: Category names the signal lists take inside the shared matcher (frames are 'frame:<name>').
HEDGE, BOOSTER, LOADED = "hedge", "booster", "loaded"


@lru_cache(maxsize=32)
def matchers(lexicon: Lexicon) -> tuple[TermMatcher, tuple[str, ...]]:
    """The compiled matcher for one Lexicon (all four lists in one regex) and the frame order."""
    definitions = frame_definitions(lexicon)
    terms: list[tuple[str, str]] = [("frame:" + d.name, t) for d in definitions for t in d.terms]
    terms += [(HEDGE, t) for t in _word_list(lexicon, "hedges.txt")]
    terms += [(BOOSTER, t) for t in _word_list(lexicon, "boosters.txt")]
    terms += [(LOADED, t) for t in _word_list(lexicon, "loaded.txt")]
    return TermMatcher(terms), tuple(d.name for d in definitions)


def _word_list(lexicon: Lexicon, name: str) -> list[str]:
    data = lexicon.load(name)
    if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
        raise LexiconError(f"{lexicon.path(name)}: expected one term per line")
    return data


def text_signals(sentence: str, lexicon: Lexicon) -> Signals:
    """The signals of one piece of text (also behind the ``framing_frames()`` SQL function)."""
    matcher, order = matchers(lexicon)
    return _signals(sentence, matcher, _frame_keys(order))


@lru_cache(maxsize=32)
def _frame_keys(order: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(frame name, its category in the shared matcher) in frame order, spelled out once."""
    return tuple((name, "frame:" + name) for name in order)


# ``_new_signals`` fills a plain frozen dataclass's fields directly (checked at import).
if [f.name for f in fields(Signals)] != ["frames", "hedges", "boosters", "loaded"] or hasattr(
        Signals, "__post_init__"):
    raise RuntimeError("Signals changed: update frames._new_signals")


def _new_signals(
    frames: dict[str, tuple[str, ...]], hedges: tuple[str, ...], boosters: tuple[str, ...], loaded: tuple[str, ...]
) -> Signals:
    """``Signals(frames, hedges, boosters, loaded)``, built about three times faster.

    Why: the frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    and one is built for every sentence.  Filling the instance dict in field order gives an
    equal object with the same attribute order (equality, ``asdict``, pickles unchanged)."""
    new = object.__new__(Signals)
    d = new.__dict__
    d["frames"], d["hedges"], d["boosters"], d["loaded"] = frames, hedges, boosters, loaded
    return new


def _signals(sentence: str, matcher: TermMatcher, keys: tuple[tuple[str, str], ...]) -> Signals:
    found: dict[str, list[str]] = {}
    for category, words, _s, _e in matcher.find(sentence):
        found.setdefault(category, []).append(words)
    if not found:  # most sentences of a long article signal nothing
        return _new_signals({}, (), (), ())
    frames = {name: tuple(found[key]) for name, key in keys if key in found}
    return _new_signals(
        frames,
        tuple(found.get(HEDGE, ())),
        tuple(found.get(BOOSTER, ())),
        tuple(found.get(LOADED, ())),
    )


def sentence_signals(text: str, sentences: Sequence[Sentence], lexicon: Lexicon) -> list[Signals]:
    """Signals for each sentence of an article, in order (one :class:`Signals` per sentence).

    The matcher is looked up once per article, not once per sentence (the lookup hashes the Lexicon).
    """
    matcher, order = matchers(lexicon)
    keys = _frame_keys(order)
    return [_signals(text[s.start : s.end], matcher, keys) for s in sentences]


def article_frames(signals: Sequence[Signals]) -> dict[str, dict[str, int]]:
    """Frame -> {'sentences': n, 'terms': n}: the article-level frame mix of its sentences."""
    out: dict[str, dict[str, int]] = {}
    for s in signals:
        for name, words in s.frames.items():
            row = out.setdefault(name, {"sentences": 0, "terms": 0})
            row["sentences"] += 1
            row["terms"] += len(words)
    return out
