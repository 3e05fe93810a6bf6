"""Actors: find the people, organisations, countries and groups of an article
and every mention of them, with aliases merged.

Why this shape: users compare how outlets frame an actor, so "US", "the
United States", "Washington" and "the White House" must count as one actor,
and "US Secretary of State Antony Blinken", "Mr Blinken" and "Blinken's" as
another, with the same key in every article.  The method is dictionary and
pattern based (no parser, no model download) so that a whole corpus loads at
the speed of sentence sentiment; ``docs/actors.md`` describes it and its
limits.

Three passes over the sentences of one article:

1. Each sentence is tokenised once and scanned left to right for, in order of
   preference: role descriptions ("the US president"), titled people
   ("Russian Foreign Minister Sergey Lavrov"), gazetteer entries (countries,
   demonyms, capitals, seats of power, organisations, groups, known people)
   and runs of capitalised words (candidate names and organisations).  The
   scan is greedy and leftmost-longest, so spans never overlap.
2. The article's people are settled: full names give canonical names and
   surnames; titles, "of X" phrases and appositives give offices and
   affiliations; lone surnames ("Blinken") and role descriptions attach to
   the person the article named; capitals used as places ("talks in
   Moscow") and anaphors with no antecedent ("the bloc" before any EU) drop.
3. Each remaining span becomes a :class:`Mention` with its grammatical role
   (from the words around it) and prominence (from its block).

All word lists are data files in ``datasette_framing/data`` loaded through the
:class:`Lexicon`, which also replays the user's ``--actors`` file.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, compress
from operator import itemgetter, or_
import unicodedata
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from typing import Any, Iterable

from .lexicon import Lexicon, LexiconError
from .records import ACTOR_KINDS, Actor, Document, Mention, Sentence

# Tokens: dotted abbreviations (U.S., D.C.), a possessive 's, words (with
# inner apostrophes: O'Brien), and a hyphen between two word characters so
# that "Washington-led" and "Secretary-General" can be matched as n-grams.
# Every alternative starts with a character class (the hyphen's look-behind comes
# after it), so the regex engine skips the spaces between tokens with a set test
# instead of trying each alternative there: the split is about a fifth faster.
_TOKEN = re.compile(
    r"[A-Za-z]\.(?:[A-Za-z]\.)+"
    r"|['’]s\b"
    r"|[\w\u0300-\u036f][\w\u0300-\u036f]*(?:['’](?!s\b)[\w\u0300-\u036f]+)*"
    r"|[-‐](?<=[\w.][-‐])(?=\w)"
)
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_POSSESSIVE = frozenset(("'s", "’s"))
_HYPHENS = frozenset(("-", "‐"))
_THE = frozenset(("the", "The", "THE"))  # THE: transcripts' speaker labels ("THE PRESIDENT:")
# Lowercase words that are adjectives or common nouns far more often than titles
# ("a major Muslim group", "the general public", "head Coach").
_LOWER_NOT_TITLES = frozenset("major general head chief captain father justice deputy chair judge".split())
# Offices whose one-word titles are also common surnames (King, Major, Judge).
_SURNAME_OFFICES = frozenset(("commander", "cleric", "judge", "official", "monarch", "chair"))
# A lowercase run then a capital inside one word: scraped text glued together
# ("MikhailPrime Minister", "MaransFlagShareLikeReply"), never a name word.
# (McCain, DeSantis, MacArthur have at most three lowercase letters first.)
_GLUED = re.compile(r"[^\W\d_]*[a-zß-ÿ]{4}[A-ZÀ-Þ]")
_FIRST = itemgetter(0)
_CONTRACTIONS = ("'ve", "’ve", "'m", "’m", "'ll", "’ll", "'re", "’re", "'d", "’d", "n't", "n’t")
_TIME_WORDS = frozenset(
    "morning afternoon evening night week weekend month year day today tonight"
    " yesterday tomorrow".split()
)


@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    """The stable actor key of a canonical name: 'United States' -> 'united-states'.

    Cached (names repeat in every article); ASCII names skip the accent folding, which
    leaves them unchanged."""
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of every token of ``text[start:end]``, offsets into ``text``."""
    end = len(text) if end is None else end
    out: list[tuple[int, int, str]] = []
    append, find, pos = out.append, text.find, start
    # findall plus str.find is faster than building match objects with finditer
    for word in _TOKEN.findall(text, start, end):
        pos = find(word, pos)
        append((pos, pos + len(word), word))
        pos += len(word)
    return out


def _tokens(text: str, start: int, end: int) -> tuple[list[int], list[int], list[str]]:
    """Token starts, ends and texts of ``text[start:end]`` (parallel lists: cheaper than tuples).

    Why split: it yields gap, token, gap, token, ..., gap in one call, and the running sum of
    their lengths gives every offset, so no Python code runs per token."""
    parts = _TOKEN_SPLIT.split(text[start:end])
    offsets = list(accumulate(map(len, parts), initial=start))
    return offsets[1:-1:2], offsets[2::2], parts[1::2]


@lru_cache(maxsize=65536)
def _key_of(phrase: str) -> tuple[str, ...]:
    return tuple(t[2] for t in tokenize(phrase))


# ---------------------------------------------------------------------------
# The compiled lexicon: built once per Lexicon (it is hashable).


@dataclass(frozen=True)
class Entry:
    """What a gazetteer n-gram stands for."""

    key: str
    form: str  # name, demonym, people, capital, seat, metonym, anaphor, person


@dataclass
class Index:
    """Everything the scanner needs, precomputed from the data files."""

    actors: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> name, kind, affiliation
    grams: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    gram_first: dict[str, int] = field(default_factory=dict)  # first token -> longest gram
    title_first: dict[str, int] = field(default_factory=dict)
    role_first: dict[str, int] = field(default_factory=dict)
    # The same tables as tries (word -> [value, children]): the scanner walks forward
    # only while the words so far begin some entry, instead of trying every length.
    gram_trie: dict[str, list[Any]] = field(default_factory=dict)
    start_flags: dict[str, int] = field(default_factory=dict)  # word -> _SKIP | _GRAM | ...: what it may start
    title_trie: dict[str, list[Any]] = field(default_factory=dict)
    role_trie: dict[str, list[Any]] = field(default_factory=dict)
    starters: frozenset[str] = frozenset()  # lowercase tokens where a span can start
    titles: dict[tuple[str, ...], str] = field(default_factory=dict)  # capitalised form -> office ('' honorific)
    roles: dict[tuple[str, ...], str] = field(default_factory=dict)  # lowercased form -> office
    leader_offices: frozenset[str] = frozenset()
    title_modifiers: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    title_words: frozenset[str] = frozenset()  # "President", "Minister": never part of a name
    title_abbrevs: frozenset[str] = frozenset()  # "Mr", "Gen": titles written with a full stop
    never_names: frozenset[str] = frozenset()
    name_breakers: frozenset[str] = frozenset()
    org_heads: frozenset[str] = frozenset()
    org_stop: frozenset[str] = frozenset()  # never in an organisation's name either
    org_tails: tuple[tuple[str, ...], ...] = ()
    org_tail_first: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()
    speech_verbs: frozenset[str] = frozenset()
    person_names: dict[tuple[str, ...], str] = field(default_factory=dict)  # variant -> canonical
    place_preps: frozenset[str] = frozenset()
    place_name_nouns: frozenset[str] = frozenset()  # "the Minsk agreements": a name, not the state
    place_nouns_of: frozenset[str] = frozenset()  # "the city of Minsk": a place
    place_heads: frozenset[str] = frozenset()  # "Western Europe": a place, not the West
    place_prefixes: frozenset[str] = frozenset()  # "San", "Fort": the next word is a place's
    movement: frozenset[str] = frozenset()
    patient_preps: frozenset[str] = frozenset()
    agent_preps: frozenset[str] = frozenset()
    adverbs: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    be_forms: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    participles: frozenset[str] = frozenset()
    verb_memo: dict[str, bool] = field(default_factory=dict)
    name_memo: dict[str, bool] = field(default_factory=dict)
    name_word_memo: dict[str, bool] = field(default_factory=dict)
    honorifics: frozenset[str] = frozenset()  # one-word titles with no office: "Mr", "Ms"
    demonym_of: dict[str, str] = field(default_factory=dict)  # country key -> "Russian"
    national_heads: frozenset[str] = frozenset()  # "Ministry": an institution every state has

    def add_actor(self, name: str, kind: str, affiliation: str | None = None) -> str:
        key = slug(name)
        old = self.actors.get(key, {})
        self.actors[key] = {
            "name": name,
            "kind": kind,
            "affiliation": affiliation if affiliation is not None else old.get("affiliation"),
        }
        return key

    def add_gram(self, phrase: str, key: str, form: str) -> None:
        gram = _key_of(phrase)
        if not gram:
            return
        self.grams[gram] = Entry(key, form)
        self.gram_first[gram[0]] = max(self.gram_first.get(gram[0], 0), len(gram))

    def is_verb(self, word: str) -> bool:
        """Whether a lowercase word is a form of a known verb (memoised: words repeat)."""
        known = self.verb_memo.get(word)
        if known is None:
            known = self.verb_memo[word] = self._is_verb(word)
        return known

    def _is_verb(self, word: str) -> bool:
        if word in self.verbs:
            return True
        verbs = self.verbs
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                             ("d", ""), ("ing", ""), ("ing", "e")):
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                stem = word[: -len(suffix)] + repl
                if stem in verbs:
                    return True
                if suffix in ("ed", "ing") and repl == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                    if stem[:-1] in verbs:  # planned, stopping
                        return True
        return False

    def can_be_name(self, word: str) -> bool:
        """Whether a capitalised word may be part of a person's name: not glued scraped text
        ("MikhailPrime"), not a capitalised auxiliary, pronoun contraction or function word."""
        known = self.name_memo.get(word)
        if known is None:
            lower = word.lower()
            known = self.name_memo[word] = not (
                _GLUED.match(word) or lower in self.auxiliaries or lower in _FUNCTION_WORDS
                or lower.endswith(_CONTRACTIONS)
            )
        return known

    def name_word(self, word: str) -> bool:
        """Whether a capitalised word may be a word of a name at all (memoised: the scanner
        asks for every word of every name run): not a never-name, organisation head, name
        breaker or title word, and :meth:`can_be_name`."""
        known = self.name_word_memo.get(word)
        if known is None:
            known = self.name_word_memo[word] = not (
                word in self.never_names or word in self.org_heads or word in self.name_breakers
                or word in self.title_words
            ) and self.can_be_name(word)
        return known

    def is_surname_gram(self, entry: Entry) -> bool:
        return self.actors.get(entry.key, {}).get("kind") in ("country", "organisation")

    def is_participle(self, word: str) -> bool:
        return word in self.participles or (word.endswith("ed") and self.is_verb(word))


def _words(data: dict[str, Any], name: str) -> frozenset[str]:
    return frozenset(str(w) for w in data.get(name) or ())


def _resolve_affiliation(index: Index, value: Any) -> str | None:
    """Affiliation given as a key, a name or an alias -> actor key."""
    if not value:
        return None
    value = str(value)
    if value in index.actors:
        return value
    entry = index.grams.get(_key_of(value))
    if entry is not None:
        return entry.key
    return slug(value)


@lru_cache(maxsize=32)
def compile_index(lexicon: Lexicon) -> Index:
    """Build the scanner's tables from the data files and the user's actors file."""
    index = Index()
    _add_countries(index, lexicon)
    _add_organisations(index, lexicon)
    _add_persons(index, lexicon.load("persons.yml").get("persons", []))

    titles = lexicon.load("titles.yml")
    index.title_abbrevs = frozenset(
        _key_of(str(f))[-1] for forms in [titles.get("honorifics", []), *(titles.get("offices") or {}).values()]
        for f in forms if str(f).endswith(".")
    )
    for form in titles.get("honorifics", []):
        gram = _key_of(str(form))
        index.titles[gram] = ""
        index.titles[tuple(t.upper() for t in gram)] = ""
    for office, forms in (titles.get("offices") or {}).items():
        for form in forms:
            gram = _key_of(str(form))
            index.titles.setdefault(gram, str(office))
            index.roles.setdefault(tuple(t.lower() for t in gram), str(office))
        index.roles.setdefault(_key_of(str(office)), str(office))
    for table, first in ((index.titles, index.title_first), (index.roles, index.role_first)):
        for gram in table:
            first[gram[0]] = max(first.get(gram[0], 0), len(gram))
    index.title_words = frozenset(
        g[0] for g, office in index.titles.items()
        if len(g) == 1 and office and office not in _SURNAME_OFFICES
    )
    index.honorifics = frozenset(g[0] for g, office in index.titles.items() if len(g) == 1 and office == "")
    index.leader_offices = frozenset(str(o) for o in titles.get("leader_offices", []))
    index.title_modifiers = _words(titles, "modifiers")

    words = lexicon.load("actor_words.yml")
    index.never_names = _words(words, "never_names")
    index.name_breakers = _words(words, "name_breakers")
    index.org_heads = _words(words, "org_heads")
    index.org_stop = index.never_names - index.org_heads - _words(words, "org_name_words")
    index.org_tails = tuple(sorted((_key_of(t) for t in words.get("org_tails", [])), key=len, reverse=True))
    index.org_tail_first = frozenset(t[0] for t in index.org_tails)
    index.national_heads = _words(words, "national_institutions")
    index.particles = _words(words, "name_particles")
    index.suffixes = _words(words, "name_suffixes")
    index.speech_verbs = _words(words, "speech_verbs")
    index.place_preps = _words(words, "place_prepositions")
    index.place_name_nouns = _words(words, "place_name_nouns")
    index.place_nouns_of = _words(words, "place_nouns_of")
    index.place_heads = _words(words, "place_heads")
    index.place_prefixes = _words(words, "place_prefixes")
    index.movement = _words(words, "movement_verbs")
    index.patient_preps = _words(words, "patient_prepositions")
    index.agent_preps = _words(words, "agent_prepositions")
    index.adverbs = _words(words, "adverbs")
    index.auxiliaries = _words(words, "auxiliaries")
    index.be_forms = _words(words, "be_forms")
    index.first_names = frozenset(lexicon.load("firstnames.txt"))

    verbs, participles = set(), set()
    for line in lexicon.load("verbs.txt"):
        forms = line.split()
        verbs.update(forms)
        participles.update(forms[1:])
    index.verbs = frozenset(verbs)
    index.participles = frozenset(participles)

    _add_user_actors(index, lexicon.user_actors(), lexicon)
    index.starters = frozenset(
        w for w in (*index.gram_first, *index.title_first, *index.title_modifiers, *index.particles, "the",
                    *index.role_first)
        if not _is_cap(w)
    )
    for entry in index.actors.values():
        entry["affiliation"] = _resolve_affiliation(index, entry["affiliation"])
    index.gram_trie = _trie(index.grams)
    index.start_flags = _start_flags(index)
    index.title_trie = _trie(index.titles)
    index.role_trie = _trie(index.roles)
    return index


_MISSING = object()  # a trie node that only begins longer entries
# What a word may start (Index.start_flags): the scanner reads one dict per candidate
# word instead of testing it against six sets.
_SKIP, _GRAM, _THE_FLAG, _TITLED, _PARTICLE = 1, 2, 4, 8, 16


def _start_flags(index: Index) -> dict[str, int]:
    flags: dict[str, int] = {}
    for words, flag in ((index.gram_first, _GRAM), (_THE, _THE_FLAG), (index.title_first, _TITLED),
                        (index.title_modifiers, _TITLED), (index.role_first, _TITLED), (index.particles, _PARTICLE)):
        for w in words:
            flags[w] = flags.get(w, 0) | flag
    for w in index.never_names:  # "But", "Monday": start nothing (unless an organisation follows)
        if w not in index.gram_first and w not in _THE and w not in index.title_first:
            flags[w] = flags.get(w, 0) | _SKIP
    return flags


def _trie(table: dict[tuple[str, ...], Any]) -> dict[str, list[Any]]:
    """Word n-grams -> nested dicts, each step [value or _MISSING, children]."""
    root: dict[str, list[Any]] = {}
    for gram, value in table.items():
        node = root
        for word in gram[:-1]:
            node = node.setdefault(word, [_MISSING, {}])[1]
        node.setdefault(gram[-1], [_MISSING, {}])[0] = value
    return root


def _longest(trie: dict[str, list[Any]], words: list[str], i: int, lower: bool = False) -> tuple[int, Any] | None:
    """(end, value) of the longest entry of ``trie`` that ``words[i:]`` begins with."""
    step = trie.get(words[i].lower() if lower else words[i])
    if step is None:
        return None
    value, node = step
    hit = (i + 1, value) if value is not _MISSING else None
    k, n = i + 1, len(words)
    while node and k < n:  # most entries are one word: this loop rarely runs
        step = node.get(words[k].lower() if lower else words[k])
        if step is None:
            break
        value, node = step
        k += 1
        if value is not _MISSING:
            hit = (k, value)
    return hit


def _add_countries(index: Index, lexicon: Lexicon) -> None:
    import pycountry  # imported here: only the loader needs it

    overrides = (lexicon.load("countries.yml") or {}).get("countries", {})
    for country in pycountry.countries:
        code = country.alpha_2
        extra = overrides.get(code) or {}
        names = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names = [n for n in names if n and "," not in n and "(" not in n]
        canonical = extra.get("name") or (names[0] if names else country.name)
        key = index.add_actor(canonical, "country")
        if not extra.get("skip_iso_names"):
            for n in names:
                index.add_gram(n, key, "name")
    for code, extra in overrides.items():
        extra = extra or {}
        if "name" not in extra:
            continue
        key = index.add_actor(extra["name"], extra.get("kind", "country"), extra.get("affiliation"))
        _add_forms(index, key, extra, str(extra["name"]))


def _add_forms(index: Index, key: str, entry: dict[str, Any], name: str) -> None:
    index.add_gram(name, key, "name")
    for alias in entry.get("aliases") or ():
        index.add_gram(str(alias), key, "name")
    for demonym in entry.get("demonyms") or ():
        index.add_gram(str(demonym), key, "demonym")
        if "-" not in str(demonym):
            index.demonym_of.setdefault(key, str(demonym))
    for capital in entry.get("capitals") or ():
        index.add_gram(str(capital), key, "capital")
    for seat in entry.get("seats") or ():
        index.add_gram(str(seat), key, "seat")
    for metonym in entry.get("metonyms") or ():
        index.add_gram(str(metonym), key, "capital")
    for anaphor in entry.get("anaphors") or ():
        anaphor = str(anaphor)
        index.add_gram(anaphor, key, "anaphor")
        index.add_gram(anaphor[:1].upper() + anaphor[1:], key, "anaphor")
        index.add_gram(" ".join(w[:1].upper() + w[1:] for w in anaphor.split()), key, "anaphor")
    for people in entry.get("people") or ():
        group = index.add_actor(str(people), "group", key)
        index.add_gram(str(people), group, "name")


def _add_organisations(index: Index, lexicon: Lexicon) -> None:
    for entry in (lexicon.load("organisations.yml") or {}).get("organisations", []):
        key = index.add_actor(entry["name"], entry.get("kind", "organisation"), entry.get("affiliation"))
        _add_forms(index, key, entry, entry["name"])


def _add_persons(index: Index, persons: Iterable[dict[str, Any]]) -> None:
    for entry in persons:
        name = str(entry["name"])
        key = index.add_actor(name, "person", entry.get("affiliation"))
        for form in [name, *(str(a) for a in entry.get("aliases") or ())]:
            index.person_names[_key_of(form)] = name
            index.add_gram(form, key, "person")


def _add_user_actors(index: Index, entries: list[dict[str, Any]], lexicon: Lexicon) -> None:
    """Replay the user's --actors file over the defaults: its entries win."""
    for entry in entries:
        kind = entry.get("kind", "person")
        if kind not in ACTOR_KINDS:
            raise LexiconError(
                f"{lexicon.actors_file}: actor {entry['name']!r} has kind {kind!r};"
                f" expected one of {', '.join(ACTOR_KINDS)}"
            )
        if kind == "person":
            _add_persons(index, [entry])
            continue
        key = index.add_actor(str(entry["name"]), kind, entry.get("affiliation"))
        _add_forms(index, key, entry, str(entry["name"]))


# ---------------------------------------------------------------------------
# Pass 1: scan a sentence into candidate spans.


@dataclass(slots=True)  # slots: thousands are made per article, and read often
class Span:
    """A candidate mention: tokens [i, j) of sentence ``sent``."""

    sent: int
    i: int
    j: int
    start: int
    end: int
    form: str  # entity forms of Entry, or 'person', 'role', 'surname', 'org'
    key: str | None = None  # gazetteer key when known
    name: str | None = None  # canonical name candidate (persons, orgs)
    office: str | None = None
    affiliation: str | None = None
    full: bool = False  # a person's full name (first and last)
    capital: bool = False  # a role written as a title ("the President"): the text's own office holder
    former: bool = False  # "the former president": not whoever holds the office now


def _name_gap(gap: str, before: str) -> bool:
    """Whether two tokens this far apart can be one name: one space or line break,
    or an initial's full stop ("Joseph R. Biden", "Mr. Blinken")."""
    if len(gap) == 1:
        return gap.isspace()
    return len(gap) == 2 and gap[0] == "." and gap[1].isspace() and len(before) <= 2


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() and not tok.isdigit()


class _Scanner:
    """Scans one sentence's tokens; methods return the end token index or None."""

    __slots__ = ("x", "headline", "text", "starts", "ends", "words", "sent", "memo", "title_case", "caps", "orgs")

    def __init__(self, index: Index, text: str, toks: tuple[list[int], list[int], list[str]], sent: int,
                 headline: bool = False):
        self.x = index
        self.headline = headline  # a title or heading block: capitalised verbs are common there
        self.text = text
        self.starts, self.ends, self.words = toks
        self.sent = sent
        self.memo: dict[int, Any] = {}
        self.title_case: bool | None = None
        # caps[k]: whether token k starts with a capital (_is_cap: a token is never empty, and
        # one starting with a capital is never all digits); computed once, read everywhere.
        self.caps: list[bool] = list(map(str.isupper, map(_FIRST, self.words)))
        # Whether any organisation head ("Ministry", "Council") is in the sentence: without one,
        # no organisation name can end here, so those searches are skipped.
        self.orgs = not index.org_heads.isdisjoint(self.words)

    def is_title_case(self) -> bool:
        """Whether the sentence is a headline in title case (capitals there say nothing)."""
        if self.title_case is None:
            long_words = list(map((3).__lt__, map(len, self.words)))  # len(w) > 3, without a Python loop
            count = sum(long_words)
            self.title_case = count >= 6 and sum(compress(self.caps, long_words)) >= 0.7 * count
        return self.title_case

    def gram(self, i: int) -> tuple[int, Entry] | None:
        """The longest gazetteer entry at i (memoised: the scan and its methods ask again)."""
        hit = self.memo.get(i, _MISSING)
        if hit is _MISSING:
            hit = self.memo[i] = _longest(self.x.gram_trie, self.words, i)
        return hit

    def title(self, i: int, lower: bool = False) -> tuple[int, str] | None:
        """The longest title ('Foreign Minister', 'Mr') at i; lowercased, the longest role ('foreign minister')."""
        word = self.words[i]
        if lower:
            if word.lower() not in self.x.role_trie:
                return None  # most words begin no role or title: skip the walk
            return _longest(self.x.role_trie, self.words, i, lower=True)
        if word not in self.x.title_trie:
            return None
        return _longest(self.x.title_trie, self.words, i)

    def affiliation(self, i: int) -> tuple[int, str] | None:
        """A state or organisation naming whom a title belongs to: 'US', 'Russian', "Russia's"."""
        hit = self.gram(i)
        if hit is None or hit[1].form in ("person", "anaphor"):
            return None
        j, entry = hit
        if j < len(self.words) and self.words[j] in _POSSESSIVE:
            j += 1
        return j, entry.key

    def of_affiliation(self, i: int) -> tuple[int, str] | None:
        """'of the United States', 'of Ukraine' after a title."""
        words = self.words
        if i < len(words) and words[i] == "of":
            k = i + 1
            if k < len(words) and words[k] in _THE:
                k += 1
            hit = self.gram(k) if k < len(words) else None
            if hit is not None and hit[1].form in ("name", "capital", "seat"):
                return hit[0], hit[1].key
        return None

    def name_run(self, i: int, allow_caps: bool = False, titled: bool = False) -> int:
        """End of a run of capitalised name tokens starting at i (i when none)."""
        x, words, starts, ends, text, caps = self.x, self.words, self.starts, self.ends, self.text, self.caps
        name_ok = x.name_word_memo
        j = i
        n = len(words)
        # headline case: "Hillary Clinton Reassures House Democrats" keeps two name words
        core = 0
        while j < n:
            w = words[j]
            if core >= 2 and w not in x.suffixes and (len(w) > 1 or not w.isupper()) and w not in _HYPHENS \
                    and self.is_title_case():
                break
            if w in x.particles and j > i:  # "Frans van der Berg"
                k = j
                while k < n and words[k] in x.particles:
                    k += 1
                if k < n and caps[k] and all(text[ends[m - 1] : starts[m]] == " " for m in range(j, k + 1)):
                    j = k
                    continue
                if k + 1 < n and words[k] in _HYPHENS and caps[k + 1] and ends[k - 1] == starts[k] \
                        and ends[k] == starts[k + 1] and text[ends[j - 1] : starts[j]] == " ":
                    j = k + 1  # "Bashar al-Assad"
                    continue
                break
            if not caps[j] or not (name_ok[w] if w in name_ok else x.name_word(w)) \
                    or (j > i and w in x.honorifics):
                break  # (an honorific starts the next name: "Later Ms Kallas")
            if len(w) > 3 and w[1:].islower() and w not in x.first_names and x.is_verb(w.lower()) and (
                    self.headline or self.is_title_case() or w.endswith(("s", "ed", "ing"))) \
                    and (j > i or self.headline or self.is_title_case()):
                break  # headline case: "Biden Announcing Response", "Trump Praises Marco Rubio"
            if j > i and w == words[j - 1]:
                break  # "Mishustin Mishustin": a scraped caption repeats the name
            if j == i + 1 and words[i] in x.first_names and len(w) > 3 and w[1:].islower() \
                    and j + 1 < n and not caps[j + 1]:
                hit = x.grams.get((w,))
                if hit is not None and hit.form in ("name", "capital") and x.is_surname_gram(hit):
                    j += 1  # "Michael Bloomberg", "George Washington": a one-word gazetteer name as a surname
                    core += 1
                    continue
            if w.isupper() and len(w) > 1 and not allow_caps and w not in x.suffixes:
                break  # acronyms are not names (NATO, EU), except in transcripts after MR./MS.
            hit = x.grams.get((w,))
            if hit is not None and hit.form != "person" and not (j == i and w in x.first_names and
                                                                  j + 1 < n and caps[j + 1]):
                break
            if j > i:
                gap = text[ends[j - 1] : starts[j]]
                # names do not span punctuation or line breaks, except after an initial ("Joseph R. Biden")
                if not (_name_gap(gap, words[j - 1]) or (gap == "" and words[j - 1] in _HYPHENS)):
                    break
            j += 1
            core += 1
            if hit is not None and hit.form == "person" and j - i >= 1 and len(_key_of(
                    x.person_names.get((w,), "") or "")) > 1:
                break  # a known surname ends the name: "Biden Announcing ..."
            if j < n and words[j] in _HYPHENS and (titled or words[j - 1] in x.first_names) and j + 1 < n and \
                    caps[j + 1]:
                j += 1  # Jean-Claude, King Willem-Alexander (but not "Blinken-Lavrov talks")
        while j > i and (words[j - 1] in _HYPHENS or words[j - 1] in x.particles):
            j -= 1
        return j

    def scan(self) -> list[Span]:
        spans: list[Span] = []
        words = self.words
        n = len(words)
        nxt = 0
        x = self.x
        starters, flags, orgs = x.starters, x.start_flags, self.orgs
        # Only capitalised words and a few lowercase starters ("the", "former") can start a
        # span: find them with C-level maps instead of a Python test per word.
        caps = self.caps
        candidates = compress(range(n), map(or_, caps, map(starters.__contains__, words)))
        for i in candidates:
            if i < nxt:
                continue  # inside the span found last
            w = words[i]
            f = flags.get(w, 0)
            if f & _SKIP and (not orgs or x.org_heads.isdisjoint(words[i + 1 : i + 7])):
                continue  # "But", "Monday": can start nothing
            # Cheap guards first: most capitalised words start nothing but a name run.
            hit = self.gram(i) if f & _GRAM else None
            span = None
            if f & _THE_FLAG:
                span = self.role_description(i)
            elif hit is not None:
                # Outside "the ...", a description starts only at a possessive state ("Russia's
                # president"): role_description would return None unless a possessive ends it.
                end = hit[0]
                if hit[1].form not in ("person", "anaphor") and (
                        words[end - 1] in _POSSESSIVE or (end < n and words[end] in _POSSESSIVE)):
                    span = self.role_description(i)
            if span is None and (hit is not None or f & _TITLED):
                span = self.titled_person(i)
            if span is None and hit is not None:
                span = self.gazetteer(i)
            if span is None and (caps[i] or f & _PARTICLE):
                span = self.capitalised(i)
            if span is None:
                continue
            spans.append(span)
            nxt = span.j
        return spans

    def make(self, i: int, j: int, form: str, **kw: Any) -> Span:
        return Span(self.sent, i, j, self.starts[i], self.ends[j - 1], form, **kw)

    def role_description(self, i: int) -> Span | None:
        """'the US president', 'the Russian leader', 'the President of Ukraine', "Russia's president"."""
        words = self.words
        k = i
        affil = None
        if words[i] in _THE:
            k = i + 1
            if k >= len(words):
                return None
            nxt = words[k]
            if nxt not in self.x.gram_first and nxt.lower() not in self.x.role_first \
                    and nxt not in self.x.title_modifiers:
                return None
            hit = self.affiliation(k) if k < len(words) else None
            if hit is not None:
                k, affil = hit
        else:
            hit = self.affiliation(i)
            if hit is None or words[hit[0] - 1] not in _POSSESSIVE:
                return None
            k, affil = hit
        former = False
        while k < len(words) and words[k] in self.x.title_modifiers:
            former = former or words[k].lower() == "former"
            k += 1
        role = self.title(k, lower=True) if k < len(words) else None
        if role is None or not role[1]:
            return None
        j, office = role
        capital = words[j - 1][:1].isupper() and not self.is_title_case()
        if affil is None:
            of = self.of_affiliation(j)
            if of is not None:
                j, affil = of
        if j < len(words) and (self.name_run(j) > j or words[j] in _HYPHENS):
            return None  # a name follows: a titled person, not a description
        if affil is None and words[i] not in _THE:
            return None
        return self.make(i, j, "role", office=office, affiliation=affil, capital=capital, former=former)

    def titled_person(self, i: int) -> Span | None:
        """'[US] [Deputy] Secretary of State [of X] Antony Blinken', 'Mr Blinken', 'MS. PSAKI'."""
        x, words = self.x, self.words
        k, affil = i, None
        hit = self.affiliation(i)
        if hit is not None and hit[0] < len(words) and self.text[self.ends[hit[0] - 1] : self.starts[hit[0]]] == " ":
            k, affil = hit  # "US Secretary", not "America,'' Mr. Brown"
        former = False
        while k < len(words) and words[k] in x.title_modifiers:
            former = former or words[k].lower() == "former"
            k += 1
        title = self.title(k) if k < len(words) else None
        lowercase = False
        if title is None and k < len(words) and words[k].islower() and words[k] not in _LOWER_NOT_TITLES:
            title = self.title(k, lower=True)  # "presidential candidate Ted Cruz"
            lowercase = True
        if title is None:
            return None
        k, office = title
        if k < len(words) and words[k] == ".":
            k += 1
        of = self.of_affiliation(k)
        if of is not None:
            k, affil = of
        caps = office == "" and words[title[0] - 1].isupper()
        if k >= len(words) or not _name_gap(self.text[self.ends[k - 1] : self.starts[k]],
                                            "M" if words[k - 1] in x.title_abbrevs else words[k - 1]):
            return None  # "Mr. President —  THE PRESIDENT", "the Judge. Is it": no name right after the title
        j = self.name_run(k, allow_caps=caps, titled=True)
        if j == k:
            return None
        m = j
        while m < min(len(words), j + 4) and self.caps[m] and self.text[self.ends[m - 1] : self.starts[m]] == " ":
            if words[m] in x.org_heads:
                return None  # "King Solomon Missionary Baptist Church": an organisation named after someone
            m += 1
        if affil is None:
            after = self.of_affiliation(j)  # "President Volodymyr Zelenskyy of Ukraine"
            if after is not None:
                affil = after[1]
        name_words = words[k:j]
        full = _is_full(x, name_words)
        if lowercase and not full:
            return None  # "candidate Texas": a lowercase title needs a full name after it
        return self.make(i, j, "person", name=_person_name(x, name_words), office=office or None, former=former,
                         affiliation=affil, full=full)

    def gazetteer(self, i: int) -> Span | None:
        hit = self.gram(i)
        if hit is None:
            return None
        j, entry = hit
        words, caps = self.words, self.caps
        # "Jordan Peterson", "Georgia Meloni": a first name that is also a state.
        if j == i + 1 and entry.form == "name" and words[i] in self.x.first_names and j < len(words) \
                and caps[j] and words[j] not in self.x.never_names and self.x.grams.get((words[j],)) is None:
            return None
        if entry.form == "person":
            name = self.x.person_names.get(tuple(words[i:j]))
            return self.make(i, j, "person", key=entry.key, name=name,
                             full=bool(name and len(name.split()) > 1))
        kind = self.x.actors[entry.key]["kind"]
        if entry.form == "name" and kind == "organisation":
            org = self.organisation(j)
            if org is not None:  # "Al Jazeera Media Network": still Al Jazeera
                return self.make(i, org[0], entry.form, key=entry.key)
            tail = self.org_tail(j)
            if tail:  # "the Interfax news agency"
                return self.make(i, tail, entry.form, key=entry.key)
        if entry.form == "demonym" and j < len(words) and words[j] in self.x.place_heads \
                and self.ends[j - 1] + 1 == self.starts[j]:
            return None  # "Western Europe", "the Western Hemisphere": a place named after a side
        span = self.make(i, j, entry.form, key=entry.key)
        if entry.form in ("demonym", "name") and self.x.actors[entry.key]["kind"] == "country":
            org = self.organisation(j)
            if org is not None:  # "Russian Security Council"
                end, name = org
                return self.make(i, end, "org", name=f"{' '.join(words[i:j])} {name}", affiliation=entry.key)
        return span

    def organisation(self, i: int) -> tuple[int, str] | None:
        """A run of capitalised words ending in an organisation head ('Ministry of Defence')."""
        if not self.orgs:
            return None  # no head anywhere in the sentence, so no run can end in one
        x, words, caps = self.x, self.words, self.caps
        j = i
        n = min(len(words), i + 12)  # no organisation name is longer: keeps long capitalised runs linear
        while j < n and caps[j] and words[j] not in x.org_stop and not _GLUED.match(words[j]) \
                and (j == i or _name_gap(self.text[self.ends[j - 1] : self.starts[j]], "")):
            j += 1
            # "National Security and Defense Council"
            if j + 1 < n and words[j] == "and" and caps[j + 1] and words[j + 1] not in x.org_stop \
                    and not x.org_heads.isdisjoint(words[j + 1 : j + 4]):
                j += 1
        if j == i or words[j - 1] not in x.org_heads:
            return None
        # "Ministry of Defence", "Office of the President of Ukraine"
        for _ in range(2):
            k = j + 1
            if k < len(words) and words[j] in ("of", "for", "on") and words[k] in _THE:
                k += 1
            start = k
            while k < len(words) and caps[k] and (words[k] not in x.org_stop or words[k] in x.title_words) \
                    and _name_gap(self.text[self.ends[k - 1] : self.starts[k]], "") and not _GLUED.match(words[k]):
                if k > start and words[k] in x.first_names and k + 1 < len(words) and caps[k + 1]:
                    break  # "of the Presidential Executive Office Dmitry Kozak": a person's name follows
                k += 1
            if j < len(words) and words[j] in ("of", "for", "on") and k > start:
                j = k
            else:
                break
        if j - i < 2:
            return None  # a lone "Office" or "Alliance" says too little to be an actor
        name = self.text[self.starts[i] : self.ends[j - 1]]
        return j, name

    def capitalised(self, i: int) -> Span | None:
        x, words = self.x, self.words
        if self.orgs and not x.org_heads.isdisjoint(words[i : i + 7]):
            org = self.organisation(i)
            if org is not None:
                j, name = org
                return self.make(i, j, "org", name=name)
        elif words[i] in x.never_names:
            return None
        start = i
        if words[i] in x.particles:  # "van der Berg" as a surname keeps its particles
            k = i
            while k < len(words) and words[k] in x.particles:
                k += 1
            j = self.name_run(k) if k < len(words) else k
            if j == k:
                return None
        else:
            j = self.name_run(i)
        if j == start:
            return None
        if start == 0 and j - start >= 2 and words[0] not in x.first_names and words[0] not in x.particles:
            start = 1  # "Later van der Berg said": a sentence's first word is no evidence of a name
        if start == i and i > 0 and words[i - 1] in x.place_prefixes and self.ends[i - 1] + 1 == self.starts[i]:
            start += 1  # "San Francisco Supervisor Jane Kim": the rest of a place's name
            if start >= j:
                return None
        if j - start >= 3 and words[start] not in x.first_names and words[start + 1] in x.first_names and (
                words[start].endswith(("s", "or", "er", "man", "woman", "ist")) or x.is_verb(words[start].lower())):
            start += 1  # "Trump Praises Marco Rubio", "Supervisor of Elections Susan Bucher"
        name_words = words[start:j]
        # "the Interfax news agency": a name followed by an organisation tail.
        tail = self.org_tail(j)
        if tail and len(name_words) <= 3:
            return self.make(start, tail, "org", name=" ".join(name_words))
        anchored = start > 0 and (words[start - 1] in _THE or x.grams.get((words[start - 1],)) is not None)
        if len(name_words) >= 2 and (name_words[0] in x.first_names or
                                     (not anchored and (self._speaks(j) or self._appositive(j)))):
            return self.make(start, j, "person", name=_person_name(x, name_words), full=_is_full(x, name_words))
        return self.make(start, j, "surname", name=" ".join(name_words))

    def org_tail(self, j: int) -> int | None:
        """End of a lowercase organisation tail at j ('news agency'), or None."""
        if j >= len(self.words) or self.words[j] not in self.x.org_tail_first:
            return None
        for tail in self.x.org_tails:
            if tuple(self.words[j : j + len(tail)]) == tail:
                return j + len(tail)
        return None

    def _speaks(self, j: int) -> bool:
        return j < len(self.words) and self.words[j] in self.x.speech_verbs

    def _appositive(self, j: int) -> tuple[str, str | None] | None:
        """', chief of the European Union's executive arm,' / ', the Russian foreign minister' -> office, affil."""
        words = self.words
        if j >= len(words) or self.text[self.ends[j - 1] : self.starts[j]].strip() != ",":
            return None
        k = j
        if k < len(words) and words[k] in _THE:
            k += 1
        end = min(len(words), k + 8)
        affil = None
        office = None
        m = k
        while m < end:
            if m > k and self.text[self.ends[m - 1] : self.starts[m]].strip() not in ("",):
                break
            if affil is None:
                hit = self.affiliation(m)
                if hit is not None:
                    m, affil = hit
                    continue
            role = self.title(m, lower=True)
            if role is not None and role[1] and office is None and m <= k + 3:
                office = role[1]
                m = role[0]
                continue
            m += 1
        if office is None:
            return None
        return office, affil


def _strip_name(x: Index, words: list[str]) -> list[str]:
    out = [w for w in words if not (len(w) == 1 and w.isupper()) and w not in x.suffixes and w not in _HYPHENS]
    return out or list(words)


def _person_name(x: Index, words: list[str]) -> str:
    """Canonical name for the written name: known variants merge, transcripts' CAPS are title-cased."""
    for candidate in (tuple(words), tuple(_strip_name(x, words))):
        known = x.person_names.get(candidate)
        if known:
            return known
    parts = []
    for w in words:
        if w in _HYPHENS:
            parts.append(w)
            continue
        if w.isupper() and len(w) > 1 and w not in x.suffixes:
            w = w.capitalize()
        parts.append(w if not (len(w) == 1 and w.isupper()) else w + ".")
    name = " ".join(parts).replace(" - ", "-")
    return x.person_names.get(_key_of(name), name)


def _is_full(x: Index, words: list[str]) -> bool:
    core = [w for w in _strip_name(x, words) if w not in x.particles]
    known = x.person_names.get(tuple(words))
    return len(core) >= 2 or bool(known and len(known.split()) >= 2)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _fold(words: Iterable[str]) -> tuple[str, ...]:
    """Words without diacritics, so that 'Niinistö' finds the 'Sauli Niinisto' named before."""
    words = tuple(words)
    if all(map(str.isascii, words)):
        return words  # nothing to fold (the usual case)
    return tuple(_fold_word(w) for w in words)


def _surname(x: Index, name: str) -> tuple[str, ...]:
    """Surname tokens (diacritics folded): the last word, with any particles before it ('von der Leyen')."""
    words = [w for w in _key_of(name) if w not in x.suffixes and not (len(w) == 1 and w.isupper())]
    k = len(words) - 1
    while k > 1 and words[k - 1] in x.particles:
        k -= 1
    return _fold(words[k:]) if words else ()


# ---------------------------------------------------------------------------
# Pass 2: settle people, drop places and unanchored anaphors.


@dataclass
class _Person:
    name: str
    key: str
    affiliation: str | None = None
    offices: set[str] = field(default_factory=set)
    former: set[str] = field(default_factory=set)  # offices the article says the person held once


def find_actors(
    document: Document, sentences: tuple[Sentence, ...], lexicon: Lexicon
) -> tuple[tuple[Actor, ...], tuple[Mention, ...]]:
    """All actors of the article and their mentions, sorted by start, non-overlapping."""
    x = compile_index(lexicon)
    text = document.text
    scanned: list[tuple[_Scanner, list[Span]]] = []  # only sentences with spans: the rest need no more work
    for s in sentences:
        toks = _tokens(text, s.start, s.end)
        scanner = _Scanner(x, text, toks, s.index, s.block in ("title", "heading"))
        spans = scanner.scan()
        if spans:
            scanned.append((scanner, spans))

    persons: dict[str, _Person] = {}
    by_surname: dict[tuple[str, ...], list[tuple[int, str]]] = {}  # surname -> (position, person key)

    by_ends: dict[tuple[str, str], str] = {}  # (first, last name) -> person key

    def person_for(name: str, span: Span) -> _Person:
        key = slug(name)
        words = _strip_name(x, list(_key_of(name)))
        ends = (words[0], words[-1])
        if key not in persons and len(words) > 1 and ends in by_ends:
            key = by_ends[ends]  # "Hillary Rodham Clinton" is the "Hillary Clinton" named before
        p = persons.get(key)
        if p is None:
            p = persons[key] = _Person(name, key, x.actors.get(key, {}).get("affiliation"))
            if len(words) > 1:
                by_ends.setdefault(ends, key)
        if span.affiliation:
            p.affiliation = span.affiliation
        if span.office:
            p.offices.add(span.office)
            if span.former:
                p.former.add(span.office)
        return p

    # Full names first: they anchor surnames anywhere in the article (headlines
    # often say "Blinken" before the body gives "Antony Blinken").
    for scanner, spans in scanned:
        for span in spans:
            if span.form == "person" and span.full and span.name:
                p = person_for(span.name, span)
                span.key = p.key
                by_surname.setdefault(_surname(x, p.name), []).append((span.start, p.key))
                appositive = scanner._appositive(span.j)
                if appositive is not None:
                    office, affil = appositive
                    p.offices.add(office)
                    if affil and not span.affiliation:
                        p.affiliation = affil

    def nearest(candidates: list[tuple[int, str]], pos: int) -> str:
        before = [c for c in candidates if c[0] <= pos]
        return (before[-1] if before else candidates[0])[1]

    # Lone surnames and titled surnames.
    for scanner, spans in scanned:
        for span in spans:
            if span.key is not None and span.form != "surname":
                continue
            if span.form == "person" or span.form == "surname":
                words = tuple(scanner.words[span.i : span.j])
                name_words = _key_of(span.name or "")
                candidates = by_surname.get(_fold(name_words)) or by_surname.get(_fold(words))
                if candidates:
                    p = persons[nearest(candidates, span.start)]
                    if span.affiliation and not p.affiliation:
                        p.affiliation = span.affiliation
                    if span.office:
                        p.offices.add(span.office)
                        if span.former:
                            p.former.add(span.office)
                    span.key = p.key
                    span.form = "person"
                elif span.form == "person" and span.name:
                    p = person_for(span.name, span)
                    span.key = p.key
                    by_surname.setdefault(_surname(x, p.name), []).append((span.start, p.key))

    # Where every person was mentioned, for role descriptions.
    positions: list[tuple[int, str]] = sorted(
        (span.start, span.key) for _, spans in scanned for span in spans
        if span.form == "person" and span.key in persons
    )
    position_starts = [pos for pos, _ in positions]

    def resolve_role(span: Span) -> str | None:
        if span.former:
            # "the former president" is not the president the article names, only someone it
            # introduced as "former secretary of state Hillary Clinton".
            held = [k for k, p in persons.items() if span.office in p.former
                    and not (span.affiliation and p.affiliation and span.affiliation != p.affiliation)]
            if len(held) > 1:
                held = [key for pos, key in positions if key in held and pos < span.start][-1:]
            return held[0] if held else None
        def fits(p: _Person) -> bool:
            if span.affiliation and p.affiliation and span.affiliation != p.affiliation:
                return False
            if span.affiliation and not p.affiliation:
                return False
            if span.office in p.offices:
                return True
            return span.office in x.leader_offices and bool(p.offices & x.leader_offices)

        fitting = {k for k, p in persons.items() if fits(p)}
        if fitting and span.capital and not span.affiliation:
            # "the President" written as a title is the text's own office holder (in a White
            # House transcript Biden, in a Kremlin readout Putin), not the last foreign president
            # named: the one named in this sentence, else the first holder the text names.
            # A speaker label ("THE PRESIDENT:") is never someone else named in the sentence.
            sentence_start = span.start if text[span.start : span.end].isupper() else sentence_of[span.sent].start
            for idx in range(bisect.bisect_left(position_starts, span.start) - 1, -1, -1):
                if positions[idx][0] < sentence_start:
                    break
                if positions[idx][1] in fitting:
                    return positions[idx][1]
            first = next((key for _, key in positions if key in fitting), None)
            if first is not None:
                return first
        if not fitting:
            # "the US president" when the article said only "President Joe Biden":
            # the one president without an affiliation takes it from the description.
            loose = [p for p in persons.values() if not p.affiliation and span.affiliation and
                     (span.office in p.offices or (span.office in x.leader_offices and p.offices & x.leader_offices))]
            if len(loose) == 1:
                loose[0].affiliation = span.affiliation
                return loose[0].key
            return None
        for idx in range(bisect.bisect_left(position_starts, span.start) - 1, -1, -1):
            if positions[idx][1] in fitting:
                return positions[idx][1]  # the latest fitting person named before
        return next(iter(fitting)) if len(fitting) == 1 else None

    first_seen: dict[str, int] = {}
    for _, spans in scanned:
        for span in spans:
            if span.key and span.form not in ("anaphor", "surname", "role"):
                first_seen.setdefault(span.key, span.start)

    mentions: list[Mention] = []
    actors: dict[str, Actor] = {}
    last_country: str | None = None  # the state most recently mentioned, for "the Ministry of Defence"
    last_agent: tuple[str, int] | None = None  # the state that last acted, and in which sentence
    aliases: dict[str, dict[str, None]] = {}
    first_paragraph = next((b.index for b in document.blocks if b.kind == "paragraph"), None)
    sentence_of = {s.index: s for s in sentences}

    for scanner, spans in scanned:
        roles = _roles(x, scanner, spans)
        sentence = sentence_of[scanner.sent]
        prominence = _prominence(sentence, first_paragraph)
        previous: Span | None = None
        for span, role in zip(spans, roles):
            key = span.key
            before, previous = previous, span
            if span.form == "surname":
                continue
            if span.form == "role":
                if before is not None and before.form == "person" and text[before.end : span.start].strip() == ",":
                    continue  # "Amina Odhiambo, the Kenyan foreign minister": one reference, not two
                key = resolve_role(span)
            elif span.form == "anaphor":
                if key not in first_seen or first_seen[key] > span.start:
                    key = None
            elif span.form in ("capital", "seat") and _is_place(x, scanner, span):
                key = None
            elif span.form == "org":
                name, affil = span.name or "", span.affiliation
                words = _key_of(name)
                if affil is None:
                    # "Ministry of Defence of Ukraine" names its state ...
                    inner = (x.grams[w].key for w in zip(words) if w in x.grams)
                    affil = next((k for k in inner if x.actors[k]["kind"] == "country"), None)
                    if affil is None and not x.national_heads.isdisjoint(words):
                        # ... "the Ministry of Defence said" in a story about Russia's navy does not:
                        # the state that last acted (within three sentences), else the last one named.
                        recent = last_agent if last_agent and last_agent[1] >= scanner.sent - 3 else None
                        affil = recent[0] if recent else last_country
                        demonym = x.demonym_of.get(affil or "")
                        if demonym:
                            name = f"{demonym} {name}"
                head, of, tail = name.rpartition(" of ")
                state = x.grams.get(_key_of(tail[4:] if tail.startswith("the ") else tail)) if of else None
                if state is not None and x.actors[state.key]["kind"] == "country" and state.key in x.demonym_of \
                        and not x.national_heads.isdisjoint(head.split()):  # not "Bank of America"
                    name = f"{x.demonym_of[state.key]} {head}"  # "Armed Forces of Ukraine" = "Ukrainian Armed Forces"
                known = x.grams.get(_key_of(name))
                key = known.key if known is not None else slug(name)
                if key not in actors and key not in x.actors:
                    actors.setdefault(key, Actor(key, name or key, "organisation", affil))
                if affil and x.actors.get(affil, {}).get("kind") == "country":
                    last_country = affil
            if not key:
                continue
            if key not in actors:
                actors[key] = _actor(x, key, persons)
            actor = actors[key]
            state = key if actor.kind == "country" else actor.affiliation
            if state and x.actors.get(state, {}).get("kind") == "country":
                if actor.kind == "country":
                    last_country = key
                if role == "agent":  # "Lavrov said", "the Armed Forces of Ukraine said": that state acts
                    last_agent = (state, scanner.sent)
            surface = text[span.start : span.end]
            aliases.setdefault(key, {})[surface] = None
            mentions.append(_mention(key, span.start, span.end, surface, scanner.sent, role, prominence))

    mentions.sort(key=lambda m: m.start)
    used = {m.actor for m in mentions}
    out_actors = []
    for key, actor in actors.items():
        if key not in used:
            continue
        if actor.kind == "person" and key in persons:
            actor = Actor(key, actor.name, actor.kind, persons[key].affiliation or actor.affiliation)
        out_actors.append(Actor(actor.key, actor.name, actor.kind, actor.affiliation, tuple(aliases[key])))
    return tuple(out_actors), tuple(mentions)


# Every field of Mention with its default, in field order (checked at import: each field
# left out below needs a plain default).
_MENTION_DEFAULTS = {f.name: f.default for f in fields(Mention)}
if MISSING in list(_MENTION_DEFAULTS.values())[7:] or list(_MENTION_DEFAULTS)[:7] != [
        "actor", "start", "end", "surface", "sentence", "role", "prominence"]:
    raise RuntimeError("records.Mention changed its fields: update actors._mention")


def _mention(actor: str, start: int, end: int, surface: str, sentence: int, role: str, prominence: str) -> Mention:
    """``Mention(actor, start, end, ...)``, the same object built about three times faster.

    Why: a frozen dataclass's ``__init__`` sets each of its ten fields through
    ``object.__setattr__``, which was a tenth of this stage's time; filling the
    instance dict directly (fields in their order, defaults for the rest) gives an
    equal object with the same attribute order, so equality, hashing, ``asdict`` and
    pickles are unchanged."""
    m = object.__new__(Mention)
    d = m.__dict__
    d.update(_MENTION_DEFAULTS)
    d["actor"], d["start"], d["end"], d["surface"] = actor, start, end, surface
    d["sentence"], d["role"], d["prominence"] = sentence, role, prominence
    return m


def _actor(x: Index, key: str, persons: dict[str, _Person]) -> Actor:
    if key in persons:
        p = persons[key]
        return Actor(key, p.name, "person", p.affiliation)
    info = x.actors.get(key)
    if info is None:
        return Actor(key, key, "organisation")
    return Actor(key, info["name"], info["kind"], info["affiliation"])


def _prominence(sentence: Sentence, first_paragraph: int | None) -> str:
    if sentence.block == "title":
        return "headline"
    if sentence.block == "standfirst":
        return "standfirst"
    if sentence.block == "paragraph" and sentence.paragraph == first_paragraph:
        return "first_paragraph"
    return "body"


def _is_place(x: Index, scanner: _Scanner, span: Span) -> bool:
    """A capital or seat of power meant as a place or a name: 'in Moscow', 'at the White House',
    'flew to Kyiv', 'the city of Minsk', 'the Minsk agreements'."""
    words = scanner.words
    if span.j < len(words) and words[span.j].lower() in x.place_name_nouns:
        return True
    k = span.i - 1
    if k >= 0 and words[k] in _THE:
        k -= 1
    if k < 0:
        return False
    prev = words[k]
    if prev in x.place_preps:
        return True
    if prev == "of" and k > 0 and words[k - 1].lower() in x.place_nouns_of:
        return True
    if prev in x.movement:
        return True
    if prev in ("to", "from", "for") and k > 0 and words[k - 1] in x.movement:
        return True
    return False


# ---------------------------------------------------------------------------
# Pass 3: grammatical roles from the words around a mention.


def _roles(x: Index, scanner: _Scanner, spans: list[Span]) -> list[str]:
    roles = [_role(x, scanner, span) for span in spans]
    # Conjoined mentions share a role: "the US and NATO", "Washington and its allies could".
    for a in range(len(spans) - 1):
        left, right = spans[a], spans[a + 1]
        between = scanner.words[left.j : right.i]
        if between and between[0] in ("and", "or") and len(between) <= 2:
            b = left.i - 1
            if b >= 0 and scanner.words[b] in _THE:
                b -= 1
            if b >= 0 and (scanner.words[b] in _NON_SUBJECT_PREPS or scanner.words[b] in x.patient_preps):
                roles[a + 1] = roles[a]  # "between Washington and Moscow": one prepositional object
            elif roles[a] == "other" and roles[a + 1] in ("agent", "patient"):
                roles[a] = roles[a + 1]
            elif roles[a + 1] == "other" and roles[a] in ("agent", "patient"):
                roles[a + 1] = roles[a]
    return roles


def _skip_to_verb(x: Index, scanner: _Scanner, j: int) -> int:
    """Index of the first word after a mention that can carry its verb."""
    words, starts, ends, text = scanner.words, scanner.starts, scanner.ends, scanner.text
    n = len(words)
    skipped = False
    while j < n:
        w = words[j]
        if w in x.adverbs:
            j += 1
            continue
        # "on Thursday", "last week", "this month"
        if w in ("on", "last", "this", "next", "earlier", "later") and j + 1 < n and (
            words[j + 1] in x.never_names or words[j + 1] in _TIME_WORDS
        ):
            j += 2
            continue
        if j > 0 and text[ends[j - 1] : starts[j]].strip() == "," and not skipped:
            skipped = True
            if w in ("who", "which"):  # ", who issued a riposte": the mention acts
                j += 1
                continue
            # An appositive between commas: ", chief of the bloc's executive arm, said"
            k, limit = j, min(n, j + 15)
            while k + 1 < limit and text[ends[k] : starts[k + 1]].strip() != ",":
                k += 1
            if k + 1 < limit:
                j = k + 1
                continue
            return n
        if w in ("who", "which"):
            j += 1
            continue
        return j
    return j


def _role(x: Index, scanner: _Scanner, span: Span) -> str:
    words, starts, ends, text = scanner.words, scanner.starts, scanner.ends, scanner.text
    n = len(words)
    if span.form == "demonym":
        return "modifier"
    j = span.j
    if j < n and starts[j] == span.end and (words[j] in _POSSESSIVE or words[j] in _HYPHENS):
        return "modifier"
    if span.i > 0 and words[span.i - 1] in _HYPHENS and ends[span.i - 1] == span.start:
        return "modifier"  # the second half of "Blinken-Lavrov talks"
    # Look behind, past a determiner: a mention inside a prepositional phrase is
    # not the subject of the verb that follows ("an expert on Russia said").
    b = span.i - 1
    if b >= 0 and words[b] in _THE:
        b -= 1
    prev = words[b] if b >= 0 else ""
    if prev == "by" or (prev == "to" and b > 0 and words[b - 1] == "according"):
        return "agent"  # "remarks by Biden", "according to Reuters"
    if prev in x.patient_preps:
        return "patient"
    nested = prev in _NON_SUBJECT_PREPS
    k = n if nested else _skip_to_verb(x, scanner, j)
    if k < n:
        w = words[k]
        if w in x.auxiliaries:
            m = k
            passive = False
            while m < n and (words[m] in x.auxiliaries or words[m] in x.adverbs or words[m] == "not"):
                passive = passive or words[m] in x.be_forms
                m += 1
            if passive and m < n and x.is_participle(words[m]):
                return "patient"
            return "agent"
        if w.islower() and (x.is_verb(w) or (w.endswith("ed") and len(w) > 4)) and not w.endswith("ing"):
            return "agent"
    # A conjoined subject: "Washington and its allies could argue".
    if j < n and words[j] in ("and", "or") and not nested:
        for k in range(j + 1, min(n, j + 5)):
            w = words[k]
            if text[ends[k - 1] : starts[k]].strip():
                break  # punctuation: not one noun phrase
            if w in x.auxiliaries or (w.islower() and x.is_verb(w) and not w.endswith("ing") and k > j + 1):
                return "agent"
    # After a verb: "attacked Ukraine" (not "Washington-led NATO").
    if prev and prev.islower() and x.is_verb(prev) and prev not in x.auxiliaries \
            and not (b > 0 and words[b - 1] in _HYPHENS):
        return "patient"
    if j < n and starts[j] == span.end + 1 and _is_content_word(words[j]) and words[j] not in x.auxiliaries \
            and not (nested and x.is_verb(words[j])):
        return "modifier"  # "US officials", "NATO military alliance"
    return "other"


# Prepositions whose object is neither agent nor patient of the next verb.
_NON_SUBJECT_PREPS = frozenset(
    "of from about in between among than like over under across near within without via through"
    " throughout amid despite behind beyond".split()
)

_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in at by from with as is was are were be to for on into onto over under"
    " since if when while that which who whom whose than then so because after before until about"
    " against between among through during without within per via its their his her our"
    " this these those there here not no towards toward across near around amid despite like unlike"
    " up down out off upon beyond behind above below along alongside"
    " also still just even only too very".split()
)


def _is_content_word(word: str) -> bool:
    """A lowercase noun or adjective that a name can modify ('US officials'), roughly."""
    return word.islower() and word not in _FUNCTION_WORDS and not word.endswith(("ing", "ly"))
