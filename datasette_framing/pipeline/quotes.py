"""Quotes: who is quoted, saying what, introduced by which cue word.

Rule based and linear in the length of the article (no model, no parser), in
four passes over the document text:

1. **Quotation marks.**  Every paragraph is scanned once for straight and curly,
   double and single marks.  Marks are classified by their neighbours (an
   apostrophe between letters, as in "you’re" or "Russia’s", is no mark; a
   closing single mark after a letter, as in "countries’", only closes a single
   quote that is open).  Nested quotes stay inside the outer one.  A quote left
   open at the end of a paragraph continues only when the next paragraph opens
   with a quotation mark (the news convention for multi-paragraph quotes);
   otherwise it is capped at the paragraph end, so an unbalanced mark never
   swallows the rest of the article.
2. **Masking.**  The content of every quote is masked so that cue words and
   names inside a quote are never taken for the frame ("I"/"we" inside a quote
   are never speakers) and sentence punctuation inside a quote does not cut
   the frame around it.
3. **Frames.**  Cue words (``data/cue_verbs.yml``: "said", "warned", "according
   to", ...) are found in the masked text.  A quote takes the cue right after
   it (", she said", "said Biden") or right before it ("Biden said: ...").  A
   quote that starts a sentence or follows a colon or a cue is *direct*; a
   quoted fragment inside a sentence is *partial* and takes the cue and speaker
   of the reported clause around it.  Every other cue with a subject and a
   complement clause is *indirect* speech: "Russia denies it is planning an
   attack", "..., the agency said.", "according to X, ...", and participial
   cues ("..., cautioning that ...") that take the subject of the sentence.  A
   paragraph that is only a quote, with no cue, is a *floating* quote given to
   the speaker of the quote before it; a quoted phrase of four words or more
   with no cue goes to the subject of its sentence; a shorter one (a scare
   quote, a title) is dropped.
4. **Speakers.**  The written speaker (a name, a pronoun, a role description)
   is kept as written (``speaker_text`` and offsets) and resolved to an actor
   key through the mentions found by ``actors.py``: a mention under the
   speaker gives its actor ("named", or "metonym" for "Washington", "the
   Kremlin"); a pronoun takes the most recently named compatible actor outside
   quotes (a person for he/she, an organisation or country for it/they), and a
   relative "who" the noun phrase before it; a definite role description ("the
   US president") takes the mention the actors stage gave it, else the nearest
   person named before ("role").

Known limits are listed in ``docs/quotes.md`` together with the measured accuracy.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lexicon import Lexicon, LexiconError
from .records import Actor, Document, Mention, Quote, Sentence

CUE_FILE = "cue_verbs.yml"
#: Stands in for every character of quoted content in the masked text: not a
#: word character, not punctuation any rule looks for.
MASK = "\u2591"

CLASSES = ("neutral", "endorsing", "distancing", "conceding", "warning", "emotive")
RESOLUTIONS = ("named", "pronoun", "role", "metonym", "floating", "none")

_OPEN_D = "\u201c\u201e\u00ab"  # “ „ «
_CLOSE_D = "\u201d\u00bb"  # ” »
_OPEN_S = "\u2018\u201a\u2039"  # ‘ ‚ ‹
_CLOSE_S = "\u2019\u203a"  # ’ ›
_MARKS = _OPEN_D + _CLOSE_D + _OPEN_S + _CLOSE_S + "\"'"
#: Two straight apostrophes stand for a double mark in some archives (''like this'').
_MARK_RE = re.compile("''|[" + re.escape(_MARKS) + "]")
_LEFT_EDGE = set(" \t\n\r([{\u2014\u2013-/") | set(_OPEN_D + _OPEN_S)
_RIGHT_EDGE = set(" \t\n\r.,;:!?)]}\u2014\u2013-\u2026") | set(_CLOSE_D + _CLOSE_S)

_PERSON_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
_THING_PRONOUNS = {"it", "they"}
_SELF_PRONOUNS = {"i", "we", "you"}
_PRONOUNS = set(_PERSON_PRONOUNS) | _THING_PRONOUNS | _SELF_PRONOUNS

#: Words after which a cue form is a noun or an adjective, not a verb.
_NOUN_GUARD = frozenset(
    "the a an his her its their our my your this these those whose such no any every each "
    "new first latest recent previous initial earlier own same".split()
)
#: Words after which a cue form is passive or infinitive: "was told", "to say".
_PASSIVE_GUARD = frozenset(
    "is was were are be been being to would will could can might may should must shall".split()
)
#: Words that end a subject noun phrase when walking back from a cue.
_NP_STOP = frozenset(
    "that which who whom whose when where while after before because since if as but so than "
    "then though although unless until whether once is was were are be been being has have had "
    "will would can could should may might must do does did in on at to from with by about "
    "into over under against during without through between among via per not also".split()
)
_NEXT_WORD = re.compile(r"\s*([\w’'\u2591]+|[,.;:)\]]|[\u201c\u2018\"'])")
#: Words after which a form like "demands" is a plural noun, not a verb.
_AFTER_NOUN = frozenset(
    "are were have had will would could can may might should must do did of for and or to which from in "
    "on by with about against over is was , . ; : ) ] been be".split()
)
_TALK_LEMMAS = frozenset(("speak", "talk about", "discuss"))
_TALK_PREPS = frozenset(("with", "to", "at", "on", "in", "for", "by"))


def _word_at(masked: str, pos: int) -> str:
    m = _WORD.match(masked, pos)
    return m.group(0).lower() if m else ""


_SUFFIXES = frozenset(("Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"))
_LEAD_WORDS = frozenset(
    "of for and but also later earlier meanwhile then still yet however now so instead separately "
    "afterwards finally".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your some many several one another two three".split()
)
#: Adverbials stripped between a subject and its cue: "Biden on Wednesday said".
#: Words that can end an adverbial of _ADVERBIAL_END (a cheap test before the pattern).
_ADVERBIAL_LAST = frozenset(
    "also later then again previously reportedly repeatedly once further recently publicly privately simply "
    "just too still even only now often never always already has have had is are was were long twice "
    "instead time statement interview tweet speech letter fact particular part however would will could "
    "should may might must did does do not seldom rarely frequently sometimes usually first soon swiftly "
    "monday tuesday wednesday thursday friday saturday sunday week month year morning afternoon evening "
    "night weekend day january february march april may june july august september october november "
    "december yesterday today tonight earlier afterward afterwards here there".split()
)
_ADVERBIAL_END = re.compile(
    r"\s+(?:"
    r"(?:also|later|then|again|previously|reportedly|repeatedly|once|further|recently|publicly|"
    r"privately|simply|just|too|still|even|only|now|often|never|always|already|has|have|had|"
    r"is|are|was|were|long|twice|instead|at\s+the\s+time|in\s+(?:a|an|his|her|their|its)\s+"
    r"(?:statement|interview|tweet|speech|letter)|in\s+fact|in\s+particular|for\s+(?:his|her|its|their)\s+part|however|"
    r"would|will|could|should|may|might|must|did|does|do|not|n[’']t|[a-z]+ly)"
    r"|seldom|rarely|frequently|sometimes|usually|once|first|later|soon|swiftly"
    r"|(?:on|last|this|next|early|late|earlier|later)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|week|month|year|morning|afternoon|evening|night|weekend|day)"
    r"|(?:on|in)\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?:\s+\d{1,2})?"
    r"|yesterday|today|tonight|earlier|afterwards?|here|there"
    r")\s*$"
)
#: Adjuncts stripped after a cue before its complement: "said on Thursday that ...".
_ADJUNCT_START = re.compile(
    r"\s*,?\s*(?:"
    r"(?:on|last|this|next|early|late|earlier|later)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|week|month|year|morning|afternoon|evening|night|weekend|day)"
    r"|(?:on|in)\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?:\s+\d{1,2})?"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|yesterday|today|tonight|earlier|later|also|again|repeatedly|publicly|privately|recently|"
    r"then|now|previously|[a-z]+ly(?=\s)"
    r"|in\s+(?:a|an|his|her|their|its)\s+(?:\w+\s+){0,2}?(?:statement|interview|tweet|post|speech|"
    r"letter|release|conference|briefing|message|email|e-mail|video|op-ed|column|memo|report|remarks|"
    r"appearance|broadcast|address)"
    r"|in\s+remarks|on\s+(?:Twitter|Facebook|X|Instagram|television|TV|radio|CNN|Fox(?:\s+News)?|MSNBC)"
    r"|(?:to|with)\s+(?:the\s+)?(?:[A-Z][\w.’'&-]*\s+){0,3}(?:reporters|journalists|supporters|"
    r"the\s+press|the\s+media|lawmakers|students|a\s+crowd|an\s+audience)"
    r"|at\s+(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:conference|briefing|rally|event|meeting|summit|hearing|"
    r"debate|forum|ceremony|session|appearance|news conference|press conference)"
    r"(?:\s+(?:in|at|alongside|with)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)?"
    r")(?=[\s,.;:]|$)"
)
_THAT = re.compile(r"\s*,?\s*that\b\s*")
_UP_TO_THAT = re.compile(
    r"\s+([\w’'.-]+),?(?:\s+[\w’'.-]+,?){0,7}?\s+that\b(?!\s+(?:is|was|are|were|has|have|had|will|would)\b)"
)
_ADJUNCT_WORDS = frozenset(
    "on in at to during via with after before from over through earlier later last this at "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight".split()
)
_RECIPIENT = re.compile(r"\s+(?:[A-Z][\w’'.-]*\s+)*[A-Z][\w’'.-]*|\s+(?:reporters|him|her|them|us|me)\b")
#: Cues whose object is the person spoken to: "told reporters that ...".
_RECIPIENT_LEMMAS = frozenset(
    "tell ask warn urge assure inform remind caution advise brief implore press challenge call on".split()
)
_WORD = re.compile(r"[\w\u2591][\w\u2591’'.&-]*")
_ABBREV = frozenset(
    "mr mrs ms dr sen rep gov gen lt col st jr sr inc co corp no vs prof rev sgt capt maj adm pres supt "
    "jan feb mar apr jun jul aug sep sept oct nov dec ft mt".split()
)
_SENT_END = re.compile(r"[.!?\u2026]+[\u201d\u2019\"')\]]*(?=\s+(?:''|[\u201c\u2018\"'(\[])?[A-Z0-9\u2591])")
_LEAD = re.compile(
    # a dateline ("WASHINGTON (AP) —"), then a lead-in adverbial or conjunction
    r"(?:[A-Z][A-Z .'-]{2,}(?:\([^)]{1,20}\))?(?:,[^\u2014\u2013]{0,40})?\s*[\u2014\u2013-]+\s*)?"
    r"(?:(?:But|And|Yet|So|Still|Meanwhile|However|Instead|Now|Then|Also|Separately|Earlier|Later|"
    r"Today|Tomorrow|Yesterday|Tonight|"
    r"(?:On|In|At|During|After|Before|Last|This|As|When|While|Asked|Speaking|[A-Z][a-z]+ing)\s+[^,]{1,80}),\s*"
    r"|(?:But|And|Yet|So)\s+)?"
)


@dataclass(frozen=True)
class CueInfo:
    """What the cue list says about one inflected form."""

    lemma: str
    cls: str
    type: str  # speech | belief | evidence
    noun: bool = False  # the -s form is often a plural noun ("claims", "demands")


@dataclass(frozen=True)
class QuoteRules:
    """Compiled cue list: built once per Lexicon (see :func:`rules`)."""

    forms: dict[str, CueInfo]
    cue_re: re.Pattern[str]  # every form, as one trie-shaped alternation
    according_re: re.Pattern[str]
    according: CueInfo
    role_nouns: frozenset[str]


@lru_cache(maxsize=32)
def rules(lexicon: Lexicon) -> QuoteRules:
    """Compile the cue list of ``lexicon`` (cached: a Lexicon is hashable)."""
    data = lexicon.load(CUE_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("verbs"), list):
        raise LexiconError(f"{lexicon.path(CUE_FILE)}: expected a mapping with a 'verbs' list")
    forms: dict[str, CueInfo] = {}
    for entry in data["verbs"]:
        try:
            lemma, cls = str(entry["lemma"]), str(entry["class"])
            entry_forms = [str(f).lower() for f in entry.get("forms") or [lemma]]
        except (KeyError, TypeError) as e:
            raise LexiconError(f"{lexicon.path(CUE_FILE)}: bad verb entry {entry!r}") from e
        if cls not in CLASSES:
            raise LexiconError(f"{lexicon.path(CUE_FILE)}: {lemma}: class {cls!r} is not one of {CLASSES}")
        info = CueInfo(lemma, cls, str(entry.get("type", "speech")), bool(entry.get("noun")))
        for form in entry_forms:
            forms.setdefault(form, info)
    according = CueInfo("according to", "neutral", "speech")
    for entry in data.get("multiword") or []:
        if entry.get("position") == "source_after" and entry.get("lemma") == "according to":
            according = CueInfo("according to", str(entry.get("class", "neutral")), "speech")
    cue_re = re.compile(r"\b" + _trie_pattern(sorted(forms)) + r"(?![\w-])")
    # a literal first, so the engine can jump to candidates (no look-behind)
    according_re = re.compile(r"[Aa]ccording\s+to\b")
    role_nouns = frozenset(str(r).lower() for r in data.get("speaker_roles") or ())
    return QuoteRules(forms, cue_re, according_re, according, role_nouns)


def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, shaped as a prefix trie so that matching stays fast."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# ---------------------------------------------------------------------------
# Pass 1: quotation marks


@dataclass
class _Span:
    """A top-level quotation: marks at ``open``/``close`` (``close`` None when capped)."""

    open: int
    close: int | None
    end: int  # content end (exclusive)
    block: int
    family: str  # "d" double, "s" single
    olen: int = 1  # length of the opening mark (2 for '')
    clen: int = 1  # length of the closing mark


def _classify(text: str, i: int, lo: int, hi: int, n: int = 1) -> tuple[str, str] | None:
    """(role, family) of the mark at ``i``: role is open, close or either; None: no mark."""
    ch = text[i] if n == 1 else '"'
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + n] if i + n < hi else " "
    left = prev in _LEFT_EDGE
    right = nxt in _RIGHT_EDGE
    if ch in _OPEN_D:
        return ("open", "d")
    if ch in _CLOSE_D:
        return ("close", "d")
    if ch == '"':
        if left and not right:
            return ("open", "d")
        if right and not left:
            return ("close", "d")
        return ("either", "d")
    if ch in _OPEN_S:
        if nxt.isspace():
            return None
        if nxt.isdigit():  # ‘90s written with the wrong mark
            return None
        return ("open", "s")
    # ’ › and straight '
    if prev.isalnum() and nxt.isalnum():
        return None  # apostrophe: you’re, Russia’s, O’Neill
    if ch == "'" and left and nxt.isalpha():
        if text[i + 1 : i + 4].lower() in ("em ", "n' ", "til", "cau") or text[i + 1 : i + 3] == "s ":
            return None
        return ("open", "s")
    if ch in _CLOSE_S or ch == "'":
        if prev.isspace() or i == lo:
            return None  # ’em, ’90s
        return ("closeish", "s")  # only closes a single quote that is open
    return None


def _scan_block(text: str, lo: int, hi: int, block: int) -> list[_Span]:
    spans: list[_Span] = []
    stack: list[tuple[int, str, int]] = []
    for m in _MARK_RE.finditer(text, lo, hi):
        i = m.start()
        n = m.end() - i
        kind = _classify(text, i, lo, hi, n)
        if kind is None:
            continue
        role, fam = kind
        if not stack:
            if role in ("open", "either"):
                stack.append((i, fam, n))
            continue
        top_fam = stack[-1][1]
        if fam == top_fam and role in ("close", "either", "closeish"):
            pos, _, olen = stack.pop()
            if not stack:
                spans.append(_Span(pos, i, i, block, fam, olen, n))
        elif role == "open" and fam == top_fam == "d" and len(stack) == 1:
            # A second opening double mark while one is open: the first was never
            # closed.  Cap it at the last clause end before this mark.
            pos, _, olen = stack[0]
            cut = max(text.rfind(c, pos + olen, i) for c in ".,!?;")
            if cut > pos:
                spans.append(_Span(pos, None, cut + 1, block, "d", olen, 0))
            stack = [(i, "d", n)]
        elif role == "open":
            stack.append((i, fam, n))
        elif role == "close" and any(f == fam for _, f, _ in stack):
            while stack and stack[-1][1] != fam:
                stack.pop()
            pos, _, olen = stack.pop()
            if not stack:
                spans.append(_Span(pos, i, i, block, fam, olen, n))
        # any other mark: a stray closing mark or an apostrophe; ignore it
    if stack and stack[0][1] == "d":
        spans.append(_Span(stack[0][0], None, hi, block, "d", stack[0][2], 0))
    return spans


def scan_quotes(document: Document) -> list[_Span]:
    """Top-level quotations of the document, multi-paragraph quotes merged."""
    text = document.text
    per_block = [_scan_block(text, b.start, b.end, b.index) for b in document.blocks]
    out: list[_Span] = []
    carry: _Span | None = None
    for bi, spans in enumerate(per_block):
        block = document.blocks[bi]
        if carry is not None:
            first = spans[0] if spans else None
            if first is not None and first.open == block.start and first.family == "d":
                carry.close, carry.end, carry.clen = first.close, first.end, first.clen
                spans = spans[1:]
                if carry.close is not None:
                    out.append(carry)
                    carry = None
                elif spans:  # opened again later in the same paragraph: keep what we have
                    carry.end = spans[0].open
                    out.append(carry)
                    carry = None
                else:
                    carry.end = block.end
                    continue
            else:
                out.append(carry)
                carry = None
        for span in spans:
            if span.close is None and span is spans[-1] and span.end == block.end:
                carry = span
            else:
                out.append(span)
    if carry is not None:
        out.append(carry)
    return out


# ---------------------------------------------------------------------------
# Pass 2: masked text and sentence windows


def _mask(text: str, spans: list[_Span]) -> str:
    pieces: list[str] = []
    pos = 0
    for s in spans:
        a, b = s.open + s.olen, s.end
        if b <= a:
            continue
        keep_last = text[b - 1] in ".!?,"
        pieces.append(text[pos:a])
        pieces.append(MASK * (b - a - (1 if keep_last else 0)))
        if keep_last:
            pieces.append(text[b - 1])
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _windows(masked: str, document: Document) -> list[tuple[int, int]]:
    """Sentence-like windows over the masked text (quote content cannot cut them)."""
    out: list[tuple[int, int]] = []
    for b in document.blocks:
        start = b.start
        for m in _SENT_END.finditer(masked, b.start, b.end):
            word = masked[max(b.start, m.start() - 6) : m.start()].rsplit(None, 1)[-1:] or [""]
            w = word[0].strip("(\"“‘").lower()
            if w in _ABBREV or (len(w) == 1 and w.isalpha()) or _DOTTED.fullmatch(w):
                continue
            out.append((start, m.end()))
            start = m.end()
            while start < b.end and masked[start].isspace():
                start += 1
        if start < b.end:
            out.append((start, b.end))
    return out


# ---------------------------------------------------------------------------
# Pass 3: cues, subjects and complements


@dataclass
class _Cue:
    start: int
    end: int
    info: CueInfo
    window: int
    used: bool = False
    speaker: tuple[int, int] | None = None
    ing: bool = False  # a participle: "cautioning", "saying"


@dataclass
class _Found:
    """An attribution before speaker-key resolution."""

    start: int
    end: int
    kind: str
    cue: _Cue | None
    speaker: tuple[int, int] | None
    resolution: str | None = None  # set for floating quotes
    inherit: "_Found | None" = None
    antecedent: tuple[int, int] | None = None  # what a relative "who" stands for


def _prev_word(masked: str, pos: int, lo: int) -> str:
    """The word before ``pos`` (lower case, without surrounding punctuation)."""
    words = masked[max(lo, pos - 30) : pos].split()
    while words:
        word = words[-1].strip(_PUNCT)
        if word:
            return word.lower()
        words.pop()
    return ""


_PUNCT = "\"'“”‘’()[],.;:!?\u2014\u2013-"
_TO = re.compile(r"\s+to\b")
_BY = re.compile(r"\s+by\b")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_DOTTED_OR_LETTER = re.compile(r"(?:[a-z]\.)*[a-z]")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_NON_LETTERS = re.compile(r"[^A-Za-z]")
_LETTER_RUNS = re.compile(r"[A-Za-z]+")
_CONJUNCT = re.compile(r"\s+and\s+|,")
_TOKENS = re.compile(r"[\w’'-]+")
_CLAUSE_JOIN = re.compile(
    r"(?:\s*[,;\u2014\u2013]\s*(?:before|after|while|and|who|which)?|\s+(?:before|after|while|and))$"
)


def _find_cues(masked: str, r: QuoteRules, windows: list[tuple[int, int]], starts: list[int]) -> list[_Cue]:
    cues: list[_Cue] = []
    for m in r.cue_re.finditer(masked):
        if m.start() and masked[m.start() - 1] in "’'-":
            continue  # so-called, o'clock
        w = bisect.bisect_right(starts, m.start()) - 1
        lo = windows[w][0] if w >= 0 else 0
        prev = _prev_word(masked, m.start(), lo)
        progressive = prev in ("is", "are", "was", "were", "been") and m.group(0).split()[0].endswith("ing")
        if prev in _NOUN_GUARD or prev in _PASSIVE_GUARD and not progressive or prev.endswith(("’s", "'s", "’", "s'")):
            continue
        form = m.group(0)
        if " " in form or "\n" in form:
            form = " ".join(form.split())
        info = r.forms[form]
        if info.noun and form.endswith("s") and not form.endswith("ss"):
            # "claims", "demands": a verb after a name or a pronoun, a noun when a
            # verb or a preposition follows ("its security demands are met")
            raw = masked[max(lo, m.start() - 30) : m.start()].split()
            named = raw and (raw[-1][:1].isupper() or prev in ("he", "she", "it", "who", "that", "which"))
            following = _NEXT_WORD.match(masked, m.end())
            after_det = len(raw) >= 2 and raw[-2].lower() in ("the", "a", "an", "this", "that")
            if not named and (
                not after_det or not following or following.group(1).lower() in _AFTER_NOUN
            ):
                continue  # "other controversial comments made", "its security demands are met"
        if form.endswith("ed") and _BY.match(masked, m.end()):
            continue  # "accused by the news media": a passive participle
        if info.type == "belief" and _TO.match(masked, m.end()):
            continue  # "expected to", "hopes to": plans, not attributions
        if prev.endswith("ly") and prev not in ("italy",):
            before = masked[lo : m.start()].rstrip()
            before = before[: len(before) - len(prev)]
            if _prev_word(masked, lo + len(before), lo) in _PASSIVE_GUARD:
                continue
        cues.append(_Cue(m.start(), m.end(), info, w, ing=form.split(" ", 1)[0].endswith("ing")))
    return cues


def _strip_right(masked: str, lo: int, hi: int) -> int:
    """Move ``hi`` left past adverbials and spaces: "Biden on Wednesday said" -> "Biden"."""
    while hi > lo:
        base = max(lo, hi - 40)  # adverbials are short: search only the tail
        words = masked[base:hi].split()
        if not words:
            break
        last = words[-1].lower()
        if not (last in _ADVERBIAL_LAST or last.endswith(("ly", "n’t", "n't")) or last.isdigit()):
            break  # the common case, a name: no need to run the pattern
        m = _ADVERBIAL_END.search(masked, base, hi)
        if m and m.start() > lo:
            hi = m.start()
            continue
        break
    while hi > lo and masked[hi - 1].isspace():
        hi -= 1
    return hi


def _strip_paren(masked: str, lo: int, hi: int) -> int:
    """Drop a parenthetical after a name: "Ted Cruz (R-Texas) said"."""
    if hi > lo and masked[hi - 1] == ")":
        op = masked.rfind("(", lo, hi)
        if op > lo:
            hi = op
            while hi > lo and masked[hi - 1].isspace():
                hi -= 1
    return hi


def _subject_left(masked: str, lo: int, cue_start: int, r: QuoteRules) -> tuple[int, int] | None:
    """The subject noun phrase that ends right before a cue, or None."""
    lo = max(lo, cue_start - 240)
    hi = _strip_right(masked, max(lo, cue_start - 120), cue_start)
    if hi <= lo:
        return None
    hi = _strip_paren(masked, lo, hi)
    # An appositive or a relative clause between commas: "X, chief of Y, said".
    # Several may follow each other: "Woodrow Benford, 58, who lives nearby, says".
    # A capitalised name between commas is the subject itself ("..., Gov. John
    # Kasich (R-OH), said").
    skipped = 0
    while hi > lo and masked[hi - 1] in ",\u2014\u2013":
        comma = masked.rfind(masked[hi - 1] if masked[hi - 1] != "," else ",", lo, hi - 1)
        dash = max(masked.rfind("\u2014", lo, hi - 1), masked.rfind("\u2013", lo, hi - 1))
        cut = max(comma, dash)
        inner = masked[cut + 1 : hi - 1] if cut >= lo else masked[lo : hi - 1]
        inner_words = inner.split()
        if not inner_words or len(inner_words) > 18 or MASK in inner:
            return None
        first = inner_words[0]
        name_like = first[:1].isupper() and first.lower() not in _DETERMINERS and all(
            w[:1].isupper() or w.lower() in ("of", "de", "von", "der", "van", "da", "al", "bin", "la", "le")
            or w.startswith("(") or w.endswith(")") for w in inner_words
        )
        if name_like and skipped == 0:
            hi = hi - 1
            while hi > lo and masked[hi - 1].isspace():
                hi -= 1
            if masked[hi - 1] == ")":
                op = masked.rfind("(", lo, hi)
                if op > lo:
                    hi = op
                    while hi > lo and masked[hi - 1].isspace():
                        hi -= 1
            lo = max(lo, cut + 1)
            break
        if cut < lo:
            return None
        hi = cut
        skipped += 1
        while hi > lo and masked[hi - 1].isspace():
            hi -= 1
        if hi <= lo:
            return None
        hi = _strip_paren(masked, lo, hi)
    words = list(_WORD.finditer(masked, max(lo, hi - 80), hi))
    if words and words[0].start() > lo and masked[words[0].start() - 1] not in " \n":
        words = words[1:]  # cut inside a word by the window
    if not words or words[-1].end() != hi:
        return None
    start = None
    taken = 0
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        token = w.group(0)
        low = token.lower().rstrip(".")
        gap = masked[w.end() : (words[k + 1].start() if k + 1 < len(words) else hi)]
        if gap.strip() and gap.strip() not in ("’s", "'s", "’", "'"):
            if not (gap.strip() == "," and k + 1 < len(words) and words[k + 1].group(0) in _SUFFIXES):
                break  # but "Joseph R. Biden, Jr." is one name
        if MASK in token:
            break
        if (low in _NP_STOP or low in r.forms) and not (low in ("of", "for", "and") and taken):
            break
        if low == "and":
            # "US and European officials", "The United States and its allies";
            # "... in Houston and told them" is a second verb, not a subject
            prev_tok = words[k - 1].group(0) if k else ""
            if not prev_tok[:1].isupper() or not taken:
                break
        start = w.start()
        taken += 1
        if taken >= 8:
            break
        if low in _PRONOUNS and taken == 1:
            break  # a pronoun is a whole noun phrase
    if start is None:
        return None
    # Do not start on a linking word or a sentence adverb ("Later the president").
    seg_words = _WORD.findall(masked[start:hi])
    while len(seg_words) > 1 and seg_words[0].lower() in _LEAD_WORDS:
        start = masked.index(seg_words[0], start) + len(seg_words[0])
        while masked[start].isspace():
            start += 1
        seg_words = seg_words[1:]
    if not seg_words:
        return None
    head = seg_words[-1]
    if head.lower() in _DETERMINERS or head[-1:] in ("’", "'"):
        return None
    return (start, hi)


def _invertible(cue: _Cue) -> bool:
    """Whether the noun phrase after this cue can be its subject ("said Biden"), not
    the person addressed ("told reporters") or an object ("telling the crowd")."""
    return cue.info.lemma not in _RECIPIENT_LEMMAS and not cue.info.lemma.startswith("call") and not cue.ing


def _subject_right(masked: str, cue_end: int, hi: int) -> tuple[int, int] | None:
    """An inverted subject after the cue: "said Biden", "says the report"."""
    pos = cue_end
    while pos < hi and masked[pos].isspace():
        pos += 1
    start = pos
    end = None
    for w in _WORD.finditer(masked, pos, hi):
        gap = masked[pos : w.start()]
        if gap.strip():
            break
        token = w.group(0)
        low = token.lower()
        if MASK in token or (low in _NP_STOP and low not in ("of",)) or low in ("on", "in", "at"):
            break
        if not (token[:1].isupper() or low in _DETERMINERS or end is not None):
            break
        end = w.end()
        pos = w.end()
    if end is None:
        return None
    return (start, _trim_period(masked, start, end))


def _trim_period(masked: str, start: int, end: int) -> int:
    """Drop a sentence's full stop from a name at its end ("said Sergei Shoigu.")."""
    if end > start and masked[end - 1] == ".":
        last = masked[start:end].split()[-1].rstrip(".").lower()
        if last not in _ABBREV and not _DOTTED_OR_LETTER.fullmatch(last):
            return end - 1
    return end


def _complement(masked: str, cue: _Cue, hi: int, cue_starts: list[int], cues: list[_Cue]) -> tuple[int, int] | None:
    """The reported clause after a cue, up to the window end or the next cue clause."""
    pos = cue.end
    while True:
        m = _ADJUNCT_START.match(masked, pos, hi)
        if not m or m.end() == pos:
            break
        pos = m.end()
    m = _UP_TO_THAT.match(masked, pos, hi)
    if m and cue.info.lemma not in _RECIPIENT_LEMMAS and m.group(1).lower() not in _ADJUNCT_WORDS:
        m = None  # "say there are measures that have not been tried": a relative clause
    if m:
        # "told customers at a breakfast spot that ...", "said on his Twitter feed that ..."
        pos = m.end()
    elif cue.info.lemma in _RECIPIENT_LEMMAS:
        m = _RECIPIENT.match(masked, pos, hi)
        if m and cue.info.lemma in ("tell", "ask", "assure", "inform", "remind", "brief"):
            pos = m.end()
        while True:
            m = _ADJUNCT_START.match(masked, pos, hi)
            if not m or m.end() == pos:
                break
            pos = m.end()
    m = _THAT.match(masked, pos, hi)
    if m:
        pos = m.end()
    while pos < hi and masked[pos] in " \t\n,:":
        pos += 1
    end = hi
    # Stop before a following cue clause of the same speaker: "..., cautioning
    # that ...", "... before warning that ...", "... and called for an inquiry".
    k = bisect.bisect_right(cue_starts, pos)
    while k < len(cues) and cues[k].start < end:
        tail = masked[max(pos, cues[k].start - 20) : cues[k].start].rstrip()
        m = _CLAUSE_JOIN.search(tail)
        if m:
            end = max(pos, cues[k].start - 20) + m.start()
            break
        k += 1
    colon = masked.find(": ", pos, end)
    if colon > pos:
        end = colon  # "asserted that France had lost its identity: “...”"
    while end > pos and masked[end - 1] in " \t\n.,;:!?\u2014\u2013":
        end -= 1
    if end <= pos:
        return None
    n_words = sum(2 if MASK in w else 1 for w in _WORD.findall(masked, pos, end))
    if n_words < 2:
        return None
    return (pos, end)


# ---------------------------------------------------------------------------
# Pass 4: speaker keys


@dataclass(frozen=True)
class _Resolver:
    mentions: tuple[Mention, ...]
    starts: list[int]
    actors: dict[str, Actor]
    in_quote: Any  # callable(pos) -> bool

    def at(self, start: int, end: int) -> list[Mention]:
        k = bisect.bisect_left(self.starts, start)
        out = []
        j = max(0, k - 3)
        while j < len(self.mentions) and self.mentions[j].start < end:
            m = self.mentions[j]
            if m.end > start and m.start < end:
                out.append(m)
            j += 1
        return out

    def before(self, pos: int, limit: int = 200):
        """Mentions before ``pos`` outside quotes, nearest first (at most ``limit``)."""
        k = bisect.bisect_left(self.starts, pos) - 1
        stop = max(-1, k - limit)
        while k > stop:
            m = self.mentions[k]
            if m.end <= pos and not self.in_quote(m.start):
                yield m
            k -= 1


def _metonym(surface: str, actor: Actor) -> bool:
    if actor.kind not in ("country", "organisation"):
        return False
    s = _ARTICLE.sub("", surface).strip()
    name = actor.name
    if s.lower() == name.lower() or s.lower() in name.lower() or name.lower() in s.lower():
        return False
    letters = _NON_LETTERS.sub("", s)
    if letters.isupper() and len(letters) <= 6:
        return False  # an abbreviation: US, UK, EU, NATO
    initials = "".join(w[0] for w in _LETTER_RUNS.findall(name) if w[0].isupper())
    if letters.upper() == initials.upper():
        return False
    # a demonym ("Russian", "American") is the state, not a metonym
    if s[:1].isupper() and (name[:4].lower() == s[:4].lower()):
        return False
    return s[:1].isupper()


def _head_mention(cands: list[Mention], text: str, span: tuple[int, int]) -> Mention | None:
    """The mention that heads a subject: first conjunct, rightmost non-possessive mention."""
    s, e = span
    seg = text[s:e]
    m = _CONJUNCT.search(seg)
    limit = s + m.start() if m else e
    best = None
    for c in cands:
        if c.start >= limit and best is not None:
            continue
        after = text[c.end : c.end + 2]
        if after in ("’s", "'s") or after[:1] in ("’", "'") and c.end < e:
            continue
        if best is None or c.start < limit and c.start >= best.start:
            best = c
    return best


def _resolve(
    found: _Found, text: str, res: _Resolver, genders: dict[str, str], r: QuoteRules
) -> tuple[str | None, str]:
    """(actor key, resolution) of an attribution's written speaker."""
    if found.speaker is None:
        return None, "none"
    s, e = found.speaker
    written = text[s:e]
    low = written.lower()
    if low in _SELF_PRONOUNS:
        return None, "none"
    if found.antecedent is not None:
        cands = res.at(*found.antecedent)
        m = _head_mention(cands, text, found.antecedent) if cands else None
        return (m.actor if m else None), "pronoun"
    if low in _PERSON_PRONOUNS or low in _THING_PRONOUNS:
        want_person = low in _PERSON_PRONOUNS
        gender = _PERSON_PRONOUNS.get(low)
        # Prefer the speaker of the last attribution when it fits and is recent.
        for m in res.before(s):
            actor = res.actors.get(m.actor)
            kind = actor.kind if actor else "person"
            if want_person and kind != "person":
                continue
            if not want_person and kind == "person":
                continue
            if want_person and gender and genders.get(m.actor, gender) != gender:
                continue
            if low == "they" and kind not in ("country", "organisation", "group"):
                continue
            if want_person and gender:
                genders.setdefault(m.actor, gender)
            return m.actor, "pronoun"
        return None, "pronoun"
    cands = res.at(s, e)
    if cands:
        m = _head_mention(cands, text, (s, e))
        if m is not None:
            actor = res.actors.get(m.actor)
            bare = _ARTICLE.sub("", m.surface)
            head = _TOKENS.findall(written)
            if bare[:1].islower() or head and head[-1] in r.role_nouns:
                return m.actor, "role"  # "the US president", tied to Biden by the actors stage
            if actor is not None and _metonym(m.surface, actor):
                return m.actor, "metonym"
            return m.actor, "named"
    head = _TOKENS.findall(low)
    if head and head[-1] in r.role_nouns and head[0] in ("the", "his", "her", "their", "its"):
        # a definite description ("the US president") points back to someone named;
        # an indefinite one ("one former aide", "a senior adviser") is someone new
        for m in res.before(s):
            actor = res.actors.get(m.actor)
            if actor is not None and actor.kind == "person":
                return m.actor, "role"
        return None, "role"
    return None, "none"


# ---------------------------------------------------------------------------
# The stage


def find_quotes(
    document: Document,
    sentences: tuple[Sentence, ...],
    actors: tuple[Actor, ...],
    mentions: tuple[Mention, ...],
    lexicon: Lexicon,
) -> tuple[Quote, ...]:
    """Every quote and reported statement of the document, with cue and speaker."""
    text = document.text
    if not text or not document.blocks:
        return ()
    r = rules(lexicon)
    spans = scan_quotes(document)
    masked = _mask(text, spans)
    windows = _windows(masked, document)
    wstarts = [w[0] for w in windows]
    cues = _find_cues(masked, r, windows, wstarts)
    cue_starts = [c.start for c in cues]
    found = _frame_quotes(text, masked, spans, windows, wstarts, cues, cue_starts, document, r)
    found += _indirect(text, masked, windows, wstarts, cues, cue_starts, found, r)
    _inherit_partials(found)
    for f in found:
        if f.kind == "partial" and f.speaker is None and f.inherit is None and len(_WORD.findall(text, f.start, f.end)) >= 4:
            # No cue: "The Florida senator likes “The Walking Dead”": the subject of
            # the sentence is the best guess at whose words these are.
            w = _window_of(wstarts, f.start)
            sp = _sentence_subject(masked, windows[w][0], max(windows[w][0], f.start - 1), r)
            if sp is not None and sp[1] < f.start:
                f.speaker = sp
    found.sort(key=lambda f: (f.start, f.end))

    qstarts = [s.open for s in spans]

    def in_quote(pos: int) -> bool:
        k = bisect.bisect_right(qstarts, pos) - 1
        return k >= 0 and spans[k].open < pos < spans[k].end

    ordered = tuple(sorted(mentions, key=lambda m: (m.start, m.end)))
    res = _Resolver(ordered, [m.start for m in ordered], {a.key: a for a in actors}, in_quote)
    sent_starts = [s.start for s in sentences]
    genders: dict[str, str] = {}
    resolved: dict[int, tuple[str | None, str]] = {}
    out: list[Quote] = []
    for f in found:
        if f.kind == "partial" and f.speaker is None and f.inherit is None and len(_WORD.findall(text, f.start, f.end)) < 4:
            continue  # a quoted word or two nobody is said to have said: scare quotes, titles
        src = f
        while src.inherit is not None:
            src = src.inherit
        key, resolution = resolved.get(id(src)) or _resolve(src, text, res, genders, r)
        resolved[id(src)] = (key, resolution)
        if f.resolution == "floating":
            resolution = "floating"
        cue = src.cue
        si = max(0, bisect.bisect_right(sent_starts, f.start) - 1) if sentences else 0
        sp = src.speaker
        out.append(
            Quote(
                start=f.start,
                end=f.end,
                text=text[f.start : f.end],
                kind=f.kind,
                sentence=si,
                speaker=key,
                speaker_text=text[sp[0] : sp[1]] if sp else None,
                speaker_start=sp[0] if sp else None,
                speaker_end=sp[1] if sp else None,
                cue=text[cue.start : cue.end] if cue else None,
                cue_lemma=cue.info.lemma if cue else None,
                cue_class=cue.info.cls if cue else None,
                cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None,
                resolution=resolution,
            )
        )
    return tuple(out)


def _content(text: str, span: _Span) -> tuple[int, int]:
    a, b = span.open + span.olen, span.end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _window_of(wstarts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(wstarts, pos) - 1)


def _frame_quotes(text, masked, spans, windows, wstarts, cues, cue_starts, document, r) -> list[_Found]:
    """Direct and partial quotes in quotation marks, with the cue that frames them."""
    found: list[_Found] = []
    block_of = {b.index: b for b in document.blocks}
    last_direct: _Found | None = None
    last_block = -10
    prev_span: _Span | None = None
    for n, span in enumerate(spans):
        cs, ce = _content(text, span)
        if ce <= cs:
            continue
        block = block_of[span.block]
        w_open = _window_of(wstarts, span.open)
        w_lo = max(windows[w_open][0], prev_span.end + 1 if prev_span and prev_span.block == span.block else 0)
        nxt = spans[n + 1] if n + 1 < len(spans) else None
        close = span.close if span.close is not None else span.end
        w_close = _window_of(wstarts, max(close - 1, span.open))
        w_hi = windows[w_close][1]
        if nxt is not None and nxt.open < w_hi:
            w_hi = nxt.open
        w_hi = min(w_hi, max(block.end, close))
        pre = masked[w_lo : span.open]
        after = close + span.clen
        post = masked[after:w_hi] if span.close is not None else ""
        pre_s = pre.strip()
        cue, speaker = None, None
        # ", she said" / "Biden told reporters" / "said Biden" right after the quote
        # (the first cue that has a subject: in "the senator, who asked not to be
        # named, said" that is "said", not "asked")
        k = bisect.bisect_left(cue_starts, after)
        for c in cues[k : k + 3]:
            if c.start >= w_hi or c.used or c.info.type == "belief":
                break
            gap = masked[after : c.start]
            if len(_WORD.findall(gap)) > (8 if "," not in gap.strip(" ,") else 20) or MASK in gap:
                break
            sp = _subject_left(masked, after, c.start, r) if gap.strip(" ,\u2014\u2013") else None
            if sp is None and not gap.strip(" ,\u2014\u2013"):
                sp = _subject_right(masked, c.end, w_hi) if _invertible(c) else None
            if sp is not None:
                cue, speaker = c, sp
                break
        if cue is None and span.close is not None and not post.strip(" .,;:!?") and w_close + 1 < len(windows):
            # “... are missing.” Trump said.  The frame is a short sentence of its own.
            n_lo, n_hi = windows[w_close + 1]
            k = bisect.bisect_left(cue_starts, n_lo)
            if n_lo - after <= 3 and n_hi <= block.end and k < len(cues) and cues[k].start < n_hi:
                c = cues[k]
                lead = masked[n_lo : c.start]
                tail = masked[c.end : n_hi]
                if (
                    not c.used
                    and c.info.type != "belief"
                    and MASK not in lead + tail
                    and len(lead.split()) <= 6
                    and len(tail.split()) <= 8
                ):
                    sp = _subject_left(masked, n_lo, c.start, r) if lead.strip() else (
                        _subject_right(masked, c.end, n_hi) if _invertible(c) else None)
                    if sp is not None:
                        cue, speaker = c, sp
        # “We will,” he said, “do it.”: the second part of an interrupted quote
        prev_f = found[-1] if found else None
        if (
            cue is None
            and prev_f is not None
            and prev_span is not None
            and prev_span.block == span.block
            and prev_f.cue is not None
            and prev_f.kind == "direct"
            and prev_f.cue.start > prev_span.end
            and prev_f.speaker is not None
            and max(prev_f.cue.end, prev_f.speaker[1]) <= span.open
            and len(_WORD.findall(masked, max(prev_f.cue.end, prev_f.speaker[1]), span.open)) <= 4
            and "." not in masked[max(prev_f.cue.end, prev_f.speaker[1]) : span.open]
        ):
            f = _Found(cs, ce, "direct", None, None)
            f.inherit = prev_f
            found.append(f)
            prev_span = span
            continue
        # "Biden said:" / "According to X, ..." / "X said, ..." right before the quote
        if cue is None and pre_s:
            k = bisect.bisect_left(cue_starts, span.open) - 1
            if k >= 0 and cues[k].start >= w_lo and not cues[k].used:
                c = cues[k]
                between = masked[c.end : span.open]
                tail = between.strip()
                if pre_s.endswith((":", ",")) or not tail or len(_WORD.findall(between)) <= 6:
                    sp = _subject_left(masked, w_lo, c.start, r)
                    if sp is None and _prev_word(masked, c.start, w_lo) in ("and", "but", "then"):
                        sp = _sentence_subject(masked, w_lo, c.start, r)
                    if sp is None and _invertible(c):
                        sp = _subject_right(masked, c.end, span.open)
                    if sp is None and pre_s.endswith((":", ",")):
                        sp = _sentence_subject(masked, w_lo, c.start, r)
                    if sp is not None:
                        cue, speaker = c, sp
            if cue is None and pre_s.endswith(":"):
                # "X had one message: “...”": the colon frames the quote
                sp = _sentence_subject(masked, w_lo, w_lo + len(pre.rstrip()) - 1, r)
                if sp is not None and sp[1] < span.open:
                    speaker = sp
            if cue is None:
                am = None
                for am in r.according_re.finditer(masked, w_lo, span.open):
                    pass  # the last "according to" before the quote
                if am is not None:
                    sp = _subject_right(masked, am.end(), span.open)
                    if sp is not None:
                        cue = _Cue(am.start(), am.end(), r.according, w_open, True)
                        speaker = sp
        starts_clause = (
            not pre_s
            or pre_s.endswith(":")
            or (cue is not None and cue.end <= span.open and (
                pre_s.endswith(",") or not masked[cue.end : span.open].strip() and text[cs : cs + 1].isupper()))
            or (cue is not None and cue.start > close and not pre_s)
        )
        if not pre_s and cue is None and post.strip() and not post.lstrip().startswith(("(",)) and span.close is not None:
            # "“Fake news” is a term ...": a quoted phrase that opens a sentence.
            rest = post.strip()
            starts_with_cue = bool(r.cue_re.match(rest))
            if not starts_with_cue and rest[:1].isalpha() and rest[:1].islower() or rest[:1].isupper() and len(text[cs:ce].split()) <= 4 and text[ce - 1 : ce] not in ".,!?":
                starts_clause = False
        kind = "direct" if starts_clause else "partial"
        f = _Found(cs, ce, kind, cue, speaker)
        if cue is not None and kind == "direct":
            cue.used = True
            cue.speaker = speaker
        if kind == "direct" and cue is None and speaker is None:
            # No cue of its own: a floating quote, or the continuation of the
            # quote just before it in the same paragraph ("..." he said. "...").
            ends = text[ce - 1 : ce] in ".?!\u2026" or post.strip()[:1] in (".", "?", "!")
            if last_direct is not None and block.index - last_block <= 2 and block.kind == "paragraph":
                whole_par = not pre_s and not post.strip(" .?!") and ends or block.index == last_block
                if whole_par:
                    f.inherit = last_direct
                    f.resolution = None if block.index == last_block else "floating"
        if kind == "direct" and cue is None and speaker is None and f.inherit is None:
            if not pre_s and not post.strip(" .") and len(text[cs:ce].split()) >= 3:
                f.resolution = "none"  # a quoted sentence, speaker unknown
            elif len(text[cs:ce].split()) < 4:
                kind = f.kind = "partial"
        found.append(f)
        if kind == "direct" and (speaker is not None or f.inherit is not None):
            last_direct = f if f.inherit is None else f.inherit
            last_block = block.index
        prev_span = span
    return found


def _indirect(text, masked, windows, wstarts, cues, cue_starts, found, r) -> list[_Found]:
    """Reported speech without quotation marks, and the frames of partial quotes."""
    out: list[_Found] = []
    antecedents: dict[tuple[int, int], tuple[int, int]] = {}
    main_speaker: dict[int, tuple[int, int]] = {}
    for c in cues:
        if c.used and c.speaker is not None:
            main_speaker.setdefault(c.window, c.speaker)
    for c in cues:
        if c.used:
            continue
        lo, hi = windows[c.window]
        participle = c.ing and (
            masked[lo : c.start].rstrip(" \n\u201d\u2019\"'").endswith((",", " before", " after", " while", " by", "\u2014"))
        )
        speaker = None
        content = None
        if participle:
            speaker = main_speaker.get(c.window) or _sentence_subject(masked, lo, c.start, r)
            content = _complement(masked, c, hi, cue_starts, cues)
        else:
            speaker = _subject_left(masked, lo, c.start, r)
            if speaker is None and _prev_word(masked, c.start, lo) in ("who", "which"):
                # "Govs. Bush and Christie, who say ...": the relative pronoun's antecedent
                rel = masked.rfind(_prev_word(masked, c.start, lo), lo, c.start)
                end_np = rel
                while end_np > lo and masked[end_np - 1] in " ,":
                    end_np -= 1
                if end_np > lo:
                    antecedent = _subject_left(masked, lo, end_np, r)
                    if antecedent is not None:
                        # the speaker as written is "who"; its key comes from the antecedent
                        speaker = (rel, rel + 3 if masked.startswith("who", rel) else rel + 5)
                        antecedents[speaker] = antecedent
            if speaker is None and _prev_word(masked, c.start, lo) in ("and", "but", "then"):
                # "X downplayed the attack and said ...": the subject of the sentence
                speaker = main_speaker.get(c.window) or _sentence_subject(masked, lo, c.start, r)
            if speaker is not None:
                content = _complement(masked, c, hi, cue_starts, cues)
                if content is None:
                    # "..., the agency said." : the clause comes first.
                    before = masked[lo : speaker[0]].rstrip()
                    if before.endswith(","):
                        a, b = lo, len(before) + lo - 1
                        a = _skip_lead(masked, a, b)
                        if len(_WORD.findall(masked, a, b)) >= 3:
                            content = (a, b)
            elif masked[lo : c.start].rstrip(" \n\u201d\u2019\"'").endswith(","):
                # "..., said Smith." : inversion after the clause
                sp = _subject_right(masked, c.end, hi) if _invertible(c) else None
                tail = masked[sp[1] : hi].strip(" .,;") if sp else "x"
                if sp is not None and len(tail.split()) <= 4:
                    speaker = sp
                    b = len(masked[lo : c.start].rstrip()) + lo - 1
                    a = _skip_lead(masked, lo, b)
                    if len(_WORD.findall(masked, a, b)) >= 3:
                        content = (a, b)
        if speaker is None or content is None:
            continue
        if c.info.lemma in _TALK_LEMMAS and content[0] > c.start and _word_at(masked, content[0]) in _TALK_PREPS:
            continue  # "spoke with Zelenskyy", "spoke to reporters": who was talked to, not what was said
        c.used = True
        c.speaker = speaker
        main_speaker.setdefault(c.window, speaker)
        out.append(_Found(content[0], content[1], "indirect", c, speaker, antecedent=antecedents.get(speaker)))
    # A cue inside the reported clause of another ("Biden said he expected ...")
    # is part of what was reported, not a second attribution.
    out = _drop_nested(out)
    # according to X, ...
    for m in r.according_re.finditer(masked):
        w = _window_of(wstarts, m.start())
        lo, hi = windows[w]
        sp = _subject_right(masked, m.end(), hi)
        if sp is None:
            continue
        cue = _Cue(m.start(), m.end(), r.according, w, True, sp)
        if any(f.cue is not None and f.cue.start == m.start() for f in found):
            continue
        before = masked[lo : m.start()].rstrip()
        if before.endswith(",") or not before.strip():
            if before.strip():
                a, b = _skip_lead(masked, lo, lo + len(before) - 1), lo + len(before) - 1
            else:
                a = sp[1]
                while a < hi and masked[a] in " ,":
                    a += 1
                b = hi
                while b > a and masked[b - 1] in " .,;:":
                    b -= 1
            if len(_WORD.findall(masked, a, b)) >= 3:
                out.append(_Found(a, b, "indirect", cue, sp))
    return out


def _drop_nested(found: list[_Found]) -> list[_Found]:
    """Drop attributions whose cue lies inside the reported clause of another one."""
    by_start = sorted(found, key=lambda f: f.start)
    starts = [f.start for f in by_start]
    keep = []
    for f in found:
        cue = f.cue.start
        k = bisect.bisect_right(starts, cue)
        nested = False
        # clauses are short and rarely overlap: look at the few that start before the cue
        for o in reversed(by_start[max(0, k - 6) : k]):
            if o is not f and o.start <= cue < o.end and not (f.start <= o.cue.start < f.end):
                nested = True
                break
        if not nested:
            keep.append(f)
    return keep


def _skip_lead(masked: str, a: int, b: int) -> int:
    while a < b and masked[a].isspace():
        a += 1
    return a


def _sentence_subject(masked: str, lo: int, hi: int, r: QuoteRules) -> tuple[int, int] | None:
    """The subject of a sentence: its first noun phrase after any lead-in adverbial."""
    seg = masked[lo:hi]
    m = _LEAD.match(seg)
    a = lo + (m.end() if m else 0)
    words = list(_WORD.finditer(masked, a, hi))
    if not words:
        return None
    first = words[0].group(0)
    if first.lower() in _PRONOUNS:
        return (words[0].start(), words[0].end())
    end = None
    taken = 0
    lower_run = 0
    for i, w in enumerate(words):
        token = w.group(0)
        low = token.lower()
        gap = masked[(end or w.start()) : w.start()]
        if gap.strip():
            break
        if MASK in token or low in _NP_STOP or low in r.forms:
            break
        if taken and token[:1].islower() and low not in ("of",) and low not in _DETERMINERS:
            # a common noun after a determiner ("The foundation did"); a verb-like
            # word ends the phrase
            after_name = words[i - 1].group(0)[:1].isupper() and i > 0 and words[i - 1].group(0).lower() not in _DETERMINERS
            if lower_run >= 2 or low.endswith("ed") or (after_name or first.lower() not in _DETERMINERS and not lower_run) and low not in r.role_nouns:
                break
            lower_run += 1
        end = w.end()
        taken += 1
        if taken >= 6:
            break
        if low in r.role_nouns and not (i + 1 < len(words) and words[i + 1].group(0)[:1].isupper()):
            break  # "the US president sought ...", but "nominee Hillary Clinton"
    if end is None:
        return None
    return (words[0].start(), end)


def _inherit_partials(found: list[_Found]) -> None:
    """A partial quote inside a reported clause takes that clause's cue and speaker."""
    indirect = sorted((f for f in found if f.kind == "indirect"), key=lambda f: f.start)
    starts = [f.start for f in indirect]
    for f in found:
        if f.kind != "partial":
            continue
        k = bisect.bisect_right(starts, f.start) - 1
        while k >= 0:
            host = indirect[k]
            if host.start <= f.start and f.end <= host.end + 2:
                f.inherit = host
                break
            if host.end < f.start - 400:
                break
            k -= 1
