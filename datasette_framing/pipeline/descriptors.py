"""Descriptors: the words a text attaches to each actor mention.

Word choice is framing: the same person can be "US Secretary of State", "the top
US diplomat" or "Washington's hawk".  For each mention this stage reads the words
around it, without a parser, and stores what it finds on ``Mention.descriptors``
as short labels (lower-cased, plural head nouns made singular; acronyms and proper
names keep their capitals):

* **titles** before a name, inside or just outside the mention
  ("US Secretary of State Antony Blinken" -> ``US secretary of state``) and role
  descriptions used as the mention itself ("the US president" -> ``US president``);
* **appositives** ("Ursula von der Leyen, chief of the European Union's executive
  arm," -> ``chief of the European Union's executive arm``);
* **pre-modifiers** back to a determiner ("the Washington-led NATO" -> ``Washington-led``;
  "the so-called transatlantic quad" -> ``so-called``);
* **noun modifiers**: the noun phrase an actor's name or demonym modifies
  ("Russian aggression" -> ``aggression`` for Russia; "NATO military alliance" ->
  ``military alliance``; "Moscow's top diplomats" -> ``top diplomat``);
* **relative clauses** with an object ("Zelenskyy, who issued an unusually blunt
  public riposte" -> ``unusually blunt public riposte``).

Closed word classes come from ``data/descriptors.yml``, offices from ``titles.yml``
and verbs from ``verbs.txt``; everything is one tokenisation of the sentence and
a few dictionary lookups per mention.  Limits are in docs/methods.md
("Descriptors and log-odds").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Sequence

from .lexicon import Lexicon, LexiconError
from .records import Document, Mention, Sentence

#: Punctuation that is always a token of its own.  Padding it with spaces lets str.split()
#: tokenise: several times faster than a regex tokeniser, and this runs on every mention.
_PUNCT = tuple((c, f" {c} ") for c in ',;:“”"()[]—–?!‘')


def _tokens(s: str) -> list[str]:
    """Words and punctuation: 'Kyiv’s' and 'Washington-led' stay whole; a final full stop is split off."""
    for c, padded in _PUNCT:
        if c in s:
            s = s.replace(c, padded)
    parts = s.split()
    if parts:
        last = parts[-1]
        if len(last) > 1 and last.endswith(".") and last.count(".") == 1:
            parts[-1:] = [last[:-1], "."]
    return parts
_POSSESSIVE = re.compile(r"^['’]s?(?!\w)")
#: Longest appositive or noun chain kept, in words.
MAX_APPOSITIVE = 12
MAX_CHAIN = 4


@dataclass(frozen=True)
class _Words:
    determiners: frozenset[str]
    stopwords: frozenset[str]
    clause_words: frozenset[str]
    relatives: frozenset[str]
    adjective_suffixes: tuple[str, ...]
    demonym_suffixes: tuple[str, ...]
    role_words: frozenset[str]  # single lower-case words that head a title or role
    offices_by_last: dict[str, tuple[tuple[str, ...], ...]]  # last word -> office forms, longest first
    verbs: frozenset[str]
    plurals: dict[str, str]
    never_names: frozenset[str]

    def __hash__(self) -> int:  # only ever used as a cache value
        return id(self)


def _list(data: Any, key: str, source: str) -> list[str]:
    value = data.get(key, []) if isinstance(data, dict) else []
    if not isinstance(value, list):
        raise LexiconError(f"{source}: '{key}' must be a list")
    if any(isinstance(v, bool) for v in value):
        raise LexiconError(f"{source}: '{key}' holds a bare yes/no/on/off, which YAML reads as true/false: quote it")
    return [str(v) for v in value]


@lru_cache(maxsize=32)
def words(lexicon: Lexicon) -> _Words:
    """The word classes for one Lexicon, built once."""
    data = lexicon.load("descriptors.yml")
    src = str(lexicon.path("descriptors.yml"))
    if not isinstance(data, dict):
        raise LexiconError(f"{src}: expected a mapping of word classes")
    offices: set[tuple[str, ...]] = set()
    role_words = {w.lower() for w in _list(data, "role_nouns", src)}
    never: set[str] = set()
    try:  # titles.yml and actor_words.yml belong to the actors stage; read them if present
        titles = lexicon.load("titles.yml") or {}
        for forms in (titles.get("offices") or {}).values():
            for form in forms:
                offices.add(tuple(form.lower().split()))
    except (LexiconError, AttributeError):
        pass
    try:
        never = {str(w) for w in (lexicon.load("actor_words.yml") or {}).get("never_names") or ()}
    except (LexiconError, AttributeError):
        pass
    for w in role_words:
        offices.add((w,))
    role_words |= {form[-1] for form in offices}
    verbs: set[str] = set()
    try:
        for line in lexicon.load("verbs.txt") or ():
            parts = str(line).split()
            if parts:
                verbs.update(parts)
                verbs.update(_inflections(parts[0]))
    except LexiconError:
        pass
    plurals = data.get("plural_exceptions") or {}
    return _Words(
        determiners=frozenset(w.lower() for w in _list(data, "determiners", src)),
        stopwords=frozenset(w.lower() for w in _list(data, "stopwords", src)),
        clause_words=frozenset(w.lower() for w in _list(data, "clause_words", src)),
        relatives=frozenset(w.lower() for w in _list(data, "relatives", src)),
        adjective_suffixes=tuple(_list(data, "adjective_suffixes", src)),
        demonym_suffixes=tuple(_list(data, "demonym_suffixes", src)),
        role_words=frozenset(role_words),
        offices_by_last=_by_last(offices),
        verbs=frozenset(verbs),
        plurals={str(k).lower(): str(v) for k, v in plurals.items()},
        never_names=frozenset(never),
    )


def _by_last(forms: set[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        out.setdefault(form[-1], []).append(form)
    return {k: tuple(v) for k, v in out.items()}


def _inflections(base: str) -> set[str]:
    out = {base + "s", base + "ed", base + "d", base + "ing", base + "es"}
    if base.endswith("y"):
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if base.endswith("e"):
        out.add(base[:-1] + "ing")
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        out |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return out


class _Tok(str):
    """A token: a str with the few views the patterns need (cheap to make, no offsets)."""

    __slots__ = ()

    @property
    def text(self) -> str:
        return str(self)

    @property
    def low(self) -> str:
        return self.lower().replace("’", "'")

    @property
    def is_word(self) -> bool:
        return self[:1].isalnum()

    @property
    def capitalised(self) -> bool:
        return self[:1].isupper()


#: Context read on each side of a mention, in characters (enough for an appositive).
LEFT_WINDOW = 120
RIGHT_WINDOW = 200


def attach(
    document: Document, sentences: Sequence[Sentence], mentions: Sequence[Mention], lexicon: Lexicon
) -> tuple[Mention, ...]:
    """Fill ``descriptors`` on every mention (a new tuple; the input is not changed)."""
    w = words(lexicon)
    text = document.text
    by_index = {s.index: s for s in sentences}
    out = []
    for m in mentions:
        s = by_index.get(m.sentence)
        if s is None or not (s.start <= m.start <= m.end <= s.end):
            out.append(m)
            continue
        # tokenise only a window around the mention, split at its edges
        left = _tokens(text[max(s.start, m.start - LEFT_WINDOW) : m.start])[-10:]
        inside = _tokens(text[m.start : m.end])
        right = _tokens(text[m.end : min(s.end, m.end + RIGHT_WINDOW)])[:24]
        toks = list(map(_Tok, left + inside + right))
        labels = describe(text, toks, len(left), len(left) + len(inside), m, w)
        if labels:
            merged = tuple(dict.fromkeys(tuple(m.descriptors) + tuple(labels)))
            m = _described(m, merged)
        out.append(m)
    return tuple(out)


# ``_described`` sets one field of a plain frozen dataclass (checked at import).
if "descriptors" not in {f.name for f in fields(Mention)} or hasattr(Mention, "__post_init__"):
    raise RuntimeError("records.Mention changed: update descriptors._described")


def _described(m: Mention, descriptors: tuple[str, ...]) -> Mention:
    """``dataclasses.replace(m, descriptors=descriptors)``, built cheaper.

    Why: ``replace`` re-runs the frozen dataclass's ``__init__`` (every field through
    ``object.__setattr__``) for about a third of the mentions.  Copying the instance dict
    and setting the one field gives an equal object with the same attribute order, so
    equality, hashing, ``asdict`` and pickles are unchanged (as ``sentiment._scored``)."""
    new = object.__new__(type(m))
    d = new.__dict__
    d.update(m.__dict__)
    d["descriptors"] = descriptors
    return new


def describe(text: str, toks: list[_Tok], first: int, after: int, m: Mention, w: _Words) -> list[str]:
    """The labels for one mention; ``toks[first:after]`` are the mention's own tokens."""
    inside = toks[first:after]
    labels: list[str] = []
    demonym = _is_demonym(m.surface, w)
    compound = text[m.start - 1 : m.start] == "-" or text[m.end : m.end + 1] == "-"  # "Blinken-Lavrov talks"

    title = _title_inside(inside, w)
    if title:
        labels.append(title)
    else:
        left = _title_left(toks, first, w)
        if left:
            labels.append(left[0])
            first -= left[1]  # pre-modifiers stand before the title

    own_determiner = bool(inside) and inside[0].low in w.determiners  # "the President": words before are another phrase
    if not demonym and not compound and m.role != "modifier" and not own_determiner:
        # a modifier's adjectives belong to the noun it modifies ("the former | Soviet | republic")
        labels.extend(_premodifiers(toks, first, w))

    nxt = toks[after] if after < len(toks) else None
    if nxt is None or compound:
        return list(dict.fromkeys(labels))
    if _POSSESSIVE.match(text[m.end : m.end + 3].replace("’", "'")):
        start = after + 1  # past the apostrophe ...
        if start < len(toks) and toks[start].low == "s":
            start += 1  # ... and the s
        chain = _chain(toks, start, w)
        if chain:
            labels.append(chain)
    elif nxt.text == ",":
        appositive = _appositive(toks, after + 1, w)
        if appositive:
            labels.append(appositive)
        else:
            rel = _relative_object(toks, after + 1, w)
            if rel:
                labels.append(rel)
    elif demonym or m.role == "modifier":
        chain = _chain(toks, after, w)
        if chain:
            labels.append(chain)
    elif (own_determiner or _after_determiner(toks, first, w)) and nxt.low not in w.verbs:
        # "the Washington-led NATO military alliance"; but not "the U.S. presents", "Russia known as"
        chain = _chain(toks, after, w)
        if chain:
            labels.append(chain)
    return list(dict.fromkeys(l for l in labels if l))


# --- patterns ------------------------------------------------------------------------------


def _is_demonym(surface: str, w: _Words) -> bool:
    """A one-word capitalised adjective of place or people: Russian, Chinese, Israeli, Western."""
    s = surface.strip()
    if " " in s or not s[:1].isupper() or s.isupper():
        return False
    low = s.lower()
    return low.endswith(w.demonym_suffixes) and low not in w.role_words


def _find_office(low: list[str], w: _Words) -> tuple[int, int] | None:
    """(start, end) token positions of the rightmost office form in ``low`` (longest at that end)."""
    for end in range(len(low), 0, -1):
        for form in w.offices_by_last.get(low[end - 1], ()):
            begin = end - len(form)
            if begin >= 0 and tuple(low[begin:end]) == form:
                return (begin, end)
    return None


def _title_inside(inside: list[_Tok], w: _Words) -> str | None:
    """A title written inside the mention: 'US Secretary of State Antony Blinken', 'the US president'."""
    words_ = [t for t in inside if t.is_word]
    if len(words_) < 2 and not (words_ and words_[0].low in w.role_words and len(inside) > 1):
        return None
    low = [t.low for t in words_]
    hit = _find_office(low, w)
    if hit is None:
        return None
    start, end = hit
    rest = words_[end:]
    if rest and not all(t.capitalised for t in rest):
        return None  # "President of Russia": an office named by a phrase, not a title
    if not rest and start == 0 and len(words_) == 1:
        return None
    lead = 1 if low[0] in w.determiners else 0
    parts = words_[lead:end]
    if not parts or (not rest and lead == 0):
        # no name after the office and no determiner before it: the mention is a name that
        # ends in a role noun ("Treasury Department", "Trilateral Contact Group"), not a title
        return None
    return _normalise(parts, office=(start - lead, end - lead))


def _title_left(toks: list[_Tok], first: int, w: _Words) -> tuple[str, int] | None:
    """A title just before the mention ('Kremlin spokesman | Dmitry Peskov')."""
    i = first - 1
    taken: list[_Tok] = []
    while i >= 0 and len(taken) < 8:
        t = toks[i]
        if not t.is_word:
            break
        if t.low in w.role_words or (t.capitalised and t.text not in w.never_names):
            taken.append(t)
        elif t.low in ("of", "the") and taken:
            taken.append(t)
        else:
            break
        i -= 1
    taken.reverse()
    while taken and taken[0].low in ("of", "the"):
        taken.pop(0)
    if not taken or taken[-1].low not in w.role_words:
        return None
    low = [t.low for t in taken]
    hit = _find_office(low, w)
    if hit is None or hit[1] != len(taken):
        return None
    return _normalise(taken, office=hit), len(taken)


def _after_determiner(toks: list[_Tok], first: int, w: _Words) -> bool:
    """True when a determiner opens the phrase the mention stands in ('the [Washington-led] NATO ...')."""
    i = first - 1
    steps = 0
    while i >= 0 and steps < 4:
        t = toks[i]
        if t.low in w.determiners:
            return True
        if not t.is_word or t.low in w.stopwords or (t.low in w.verbs and not t.capitalised):
            return False
        i -= 1
        steps += 1
    return False


def _premodifiers(toks: list[_Tok], first: int, w: _Words) -> list[str]:
    """Adjectives between a determiner and the mention ('the Washington-led NATO')."""
    i = first - 1
    mods: list[_Tok] = []
    while i >= 0 and len(mods) < 3:
        t = toks[i]
        if t.low in w.determiners:
            break
        if not t.is_word or t.low in w.stopwords:
            return []
        if t.capitalised and "-" not in t.text:
            return []  # another name ("Washington and Moscow") is not a modifier
        mods.append(t)
        i -= 1
    else:
        if i < 0 or toks[i].low not in w.determiners:
            return []
    if i < 0:
        return []
    out = []
    for t in reversed(mods):
        if t.low in w.verbs and "-" not in t.text:
            return []
        out.append(t.text.replace("’", "'") if t.capitalised else t.low)
    return out


def _adjectival(t: _Tok, w: _Words) -> bool:
    low = t.low
    return len(low) > 3 and low.endswith(w.adjective_suffixes)


def _name_like(t: _Tok, w: _Words) -> bool:
    """A capitalised word that is neither a demonym nor an acronym: part of a name."""
    return t.capitalised and not _is_demonym(t.text, w) and not (t.text.isupper() and len(t.text) > 1)


def _chain(toks: list[_Tok], i: int, w: _Words) -> str | None:
    """The noun phrase starting at token i: adjectives and nouns up to its head.

    A word joins the phrase after an adjective-like word ("military | alliance",
    "unusually | blunt"); after a noun, a verb form ends it ("Russian units | move").
    A phrase running into a name is not a descriptor ("Crimean | Peninsula").
    """
    chain: list[_Tok] = []
    into_name = False
    while i < len(toks) and len(chain) < MAX_CHAIN:
        t = toks[i]
        if not t.is_word or t.low in w.stopwords or t.text[0].isdigit():
            break
        if _name_like(t, w):
            into_name = True
            break
        if chain and not _adjectival(chain[-1], w) and (t.low in w.verbs or t.low.endswith("ed")):
            break
        chain.append(t)
        i += 1
    if not chain or (into_name and _adjectival(chain[-1], w)):
        return None
    if len(chain) == 1 and chain[0].low in w.verbs and chain[0].low.endswith(("ed", "ing")):
        return None  # "Russia | announced": a verb, not a noun the name modifies
    return _normalise(chain, singular_head=True)


def _appositive(toks: list[_Tok], i: int, w: _Words) -> str | None:
    """', chief of the European Union's executive arm,' right after the mention."""
    j = i
    body: list[_Tok] = []
    while j < len(toks) and toks[j].text not in (",", "–", "—", ")", ";", ":", ".", "“", "”", '"'):
        body.append(toks[j])
        j += 1
        if len(body) > MAX_APPOSITIVE + 6:
            return None
    if j >= len(toks) or toks[j].text not in (",", "–", "—", ")"):
        return None  # an appositive is closed before the sentence goes on
    if not body or not body[0].is_word:
        return None
    # cut at a relative clause
    for k, t in enumerate(body):
        if k and t.low in w.relatives:
            body = body[:k]
            break
    if any(t.low in w.clause_words for t in body):
        return None
    head = body[0]
    opener = head.low in ("a", "an", "the")
    possessive = len(body) > 1 and body[1].text in ("'", "’", "'s", "’s") or head.low.endswith(("'s", "’s"))
    role = head.low in w.role_words or (len(body) > 1 and body[1].low in w.role_words and _is_demonym(head.text, w))
    if not (opener or possessive or role):
        return None
    if opener:
        body = body[1:]
    body = [t for t in body if t.is_word or t.text in ("'", "’")]
    if not body or len(body) > MAX_APPOSITIVE:
        return None
    if all(t.capitalised for t in body if t.is_word) and not any(t.low in w.role_words for t in body):
        return None  # a list of names, not a description
    office = _find_office([t.low for t in body], w)
    if office and office[1] < len(body) and all(t.capitalised for t in body[office[1]:]):
        return None  # "..., German Chancellor Olaf Scholz, ...": another titled person in a list
    return _normalise(body)


def _relative_object(toks: list[_Tok], i: int, w: _Words) -> str | None:
    """', who issued an unusually blunt public riposte': the object noun phrase."""
    if i + 1 >= len(toks) or toks[i].low not in ("who", "which"):
        return None
    verb = toks[i + 1]
    if not verb.is_word or verb.low in w.stopwords - {"said", "told"} or verb.capitalised:
        return None
    j = i + 2
    if j < len(toks) and toks[j].low in ("a", "an", "the"):
        j += 1
    return _chain(toks, j, w)


# --- normalising ----------------------------------------------------------------------------


def _normalise(parts: list[_Tok], office: tuple[int, int] | None = None, singular_head: bool = False) -> str:
    """Lower-case except acronyms and proper names; office words always lower-case."""
    out = []
    for k, t in enumerate(parts):
        word = t.text.replace("’", "'")
        in_office = office is not None and office[0] <= k < office[1]
        if in_office or not t.capitalised:
            word = word.lower()
        out.append(word)
    if singular_head and out:
        out[-1] = singular(out[-1])
    label = " ".join(out)
    return re.sub(r"\s+(['’]s?)\b", r"\1", label).replace(" '", "'")


@lru_cache(maxsize=8192)
def _singular_rules(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ics")):
        return word
    return word[:-1]


def singular(word: str, lexicon: Lexicon | None = None) -> str:
    """Singular of a plural noun by rule, with the exceptions of descriptors.yml."""
    if not word or not word[-1:].isalpha() or word != word.lower():
        return word
    exceptions = words(lexicon or Lexicon()).plurals
    if word in exceptions:
        return exceptions[word]
    return _singular_rules(word)
