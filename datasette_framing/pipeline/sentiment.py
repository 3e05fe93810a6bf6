"""Sentiment: VADER per sentence, and the sentiment a sentence expresses toward each mention.

Two scores live here (``docs/sentiment.md`` explains both):

* **Sentence sentiment** (``score_sentences``): VADER's ``polarity_scores``
  on the sentence text, unchanged, so that it can be compared with any other
  study that uses VADER.

* **Mention sentiment** (``mention_sentiment`` / ``score_mentions``): the
  sentiment toward the actor at ``sentence[start:end]``, not the sentence as
  a whole.  A rule-based, target-dependent feature extractor reads VADER's
  lexicon word by word and sorts every sentiment word by where it stands
  relative to the mention: in the mention's own clause or another one,
  before or after it, across a contrast ("but", "although"), in the
  narrator's voice or a quoted speaker's, and whether the mention is the
  agent or the patient of an act ("Russia attacked Ukraine": aggressor and
  victim, ``data/sentiment_verbs.yml``).  Lower-case words are also read
  relative to the mention (side, distance, clause, voice; ``_word_keys``),
  where the mention stands (``_shape_keys``), and the function words,
  punctuation and names right next to it (``_window_keys``).
  A multinomial logistic regression (weights in
  ``data/sentiment_model.json``, trained by ``benchmarks/train_sentiment.py``
  on NewsMTSC, its logits calibrated there so that ``polarity()``'s fixed
  cut points suit it) turns the features into class probabilities; the
  score is P(positive) - P(negative).

Everything is dictionary lookups over one regex tokenisation per sentence,
cached per sentence text, so that scoring a mention costs a few tens of
microseconds and never re-runs VADER.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import compress
from typing import Any, Iterable, Sequence

from .lexicon import Lexicon, LexiconError, default_lexicon
from .records import Mention, Quote, Sentence

#: Scores at or above this are positive (``polarity`` returns 1).
POSITIVE_THRESHOLD = 0.25
#: Scores at or below this are negative (``polarity`` returns -1).
NEGATIVE_THRESHOLD = -0.25

#: Data files this module reads through :class:`Lexicon` (user-overridable).
VERBS_FILE = "sentiment_verbs.yml"
OVERRIDES_FILE = "sentiment_overrides.yml"
MODEL_FILE = "sentiment_model.json"
DOMAIN_FILE = "sentiment_domain.json"

#: A negated act says less than the act: "Russia did not attack" is not praise.
ROLE_NEGATION = -0.3
#: How far (in tokens) a verb's object may reach, as in "condemned the brutal attacks".
OBJECT_REACH = 5

#: Most evidence words kept per mention.
MAX_EVIDENCE = 6
#: Least pull (change in the positive-minus-negative logit) that makes a word evidence.
EVIDENCE_MIN_PULL = 0.1
#: Words known only from the learned domain table need more to be shown: many are common words.
EVIDENCE_MIN_DOMAIN_PULL = 0.25

# VADER's own constants (Hutto & Gilbert 2014), used the way VADER uses them.
_N_SCALAR = -0.74
_B_INCR = 0.293
_B_DECR = -0.293

#: Possessive repeats (``++``, ``*+``): the same tokens as without them (nothing follows a
#: word that giving characters back could match), found with less backtracking bookkeeping.
_TOKEN = re.compile(r"[A-Za-z0-9]++(?:[-'\u2019][A-Za-z0-9]++)*+|[^\sA-Za-z0-9]")
_CLAUSE_PUNCT = frozenset(",;:()[]\u2014\u2013")
_CLAUSE_WORDS = frozenset(
    "but although though while whereas however yet because since unless if when "
    "after before who whom whose which where despite that whether nevertheless nonetheless".split()
)
_CONTRAST = frozenset("but although though however yet whereas while despite nevertheless nonetheless".split())
#: Contrast words that open a subordinate clause, ended by a comma ("Although X, Y").
_SUBORDINATE_CONTRAST = frozenset("although though while whereas despite".split())
_BE = frozenset("is are was were be been being get gets got gotten getting".split())
#: Words that may stand between a subject and its verb ("Russia has also repeatedly attacked").
_AUX = frozenset(
    "is are was were be been being has have had having will would could should may might must "
    "can did does do to also not never just then already still even again further reportedly "
    "allegedly apparently openly publicly sharply strongly recently now and or".split()
)
_RELATIVE = frozenset(("who", "which", "that"))
_TITLES = frozenset(
    "sen senator rep representative president the former gov governor secretary mr ms mrs dr "
    "minister prime chancellor spokesman spokeswoman spokesperson ambassador general gen".split()
)
_IRREGULAR_PP = frozenset(
    "shot hurt struck misled overthrown beaten forgiven lost won fled withstood overcome said told "
    "written thought led".split()
)

FEATURES: tuple[str, ...] = (
    "sent_compound",   # VADER-style compound of the whole sentence (target-blind)
    "clause_before_pos", "clause_before_neg",  # sentiment words in the mention's clause, before it
    "clause_after_pos", "clause_after_neg",    # ... after it
    "near_pos", "near_neg",                    # distance-weighted, same voice, whole sentence
    "other_clause_pos", "other_clause_neg",    # other clauses, no contrast in between
    "contrast_pos", "contrast_neg",            # across "but", "although", ...
    "other_voice_pos", "other_voice_neg",      # inside a quotation the mention is not in
    "speaker_pos", "speaker_neg",              # what the mention, as speaker, says
    "modifier_pos", "modifier_neg",            # words right before the mention ("embattled X")
    "self_pos", "self_neg",                    # words inside the mention ("the terrorists")
    "agent_pos", "agent_neg",                  # mention is agent of a framed act
    "patient_pos", "patient_neg",              # mention is patient of a framed act
    "victim",                                  # mention is the patient of a harmful act
    "is_speaker",
    "in_quote",
)
#: Features from the news-domain word table (``data/sentiment_domain.json``).
DOMAIN_FEATURES: tuple[str, ...] = (
    "domain_clause_neg", "domain_clause_pos",      # learned word table, the mention's clause and neighbours
    "domain_sentence_neg", "domain_sentence_pos",  # ... the rest of the sentence
)
FEATURES = FEATURES + DOMAIN_FEATURES
BASE_FEATURES = FEATURES[: -len(DOMAIN_FEATURES)]


# --- sentence level: exactly VADER ------------------------------------------------------------


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_sentences(text: str, sentences: Iterable[Sentence]) -> list[dict[str, float]]:
    """VADER's ``polarity_scores`` (compound, pos, neu, neg) on each sentence's text."""
    analyzer = _analyzer()
    return [analyzer.polarity_scores(text[s.start : s.end]) for s in sentences]


# --- resources built once per Lexicon ---------------------------------------------------------


@dataclass(frozen=True)
class _RoleVerb:
    cls: str
    agent: float
    patient: float
    victim: bool
    noun: bool
    participle: bool  # may head a passive ("was attacked")


@dataclass(frozen=True)
class _Resources:
    valence: dict[str, float]
    boosters: dict[str, float]
    negators: frozenset[str]
    roles: dict[str, _RoleVerb]
    say: frozenset[str]
    marked: frozenset[str]  # every word that needs a second look: one set test per token


class _Model:
    """Trained weights: one row per class (-1, 0, 1), and per feature its pull toward positive."""

    __slots__ = ("weights", "bias", "pull", "words", "temperature", "by_word")

    def __init__(
        self,
        weights: tuple[tuple[float, ...], ...],
        bias: tuple[float, ...],
        words: dict[str, tuple[float, float, float]] | None = None,
        temperature: float = 1.0,
    ) -> None:
        self.weights = weights
        self.bias = bias
        #: how much a unit of each feature moves the positive logit against the negative one
        self.pull = {f: weights[2][k] - weights[0][k] for k, f in enumerate(FEATURES)}
        #: target-relative word features (``word_keys``) and what each adds to the three logits
        self.words = words or {}
        #: the calibration's temperature, folded into the weights by the trainer (``mention_score``)
        self.temperature = temperature
        #: ``words`` regrouped by word, for scoring (``_word_extra``): per word, the weights of its
        #: keys in ``_WORD_SLOTS`` order (None where the table has no such key), so a mention
        #: looks each word up once instead of building and hashing three key strings per word
        grouped: dict[str, list[tuple[float, float, float] | None]] = {}
        for key, w in self.words.items():
            for slot, prefix in enumerate(_WORD_SLOTS):
                if key.startswith(prefix):
                    word = key[len(prefix) :]
                    if word not in _FUNCTION_WORDS:  # never a single-word key (``_word_keys``)
                        grouped.setdefault(word, [None] * len(_WORD_SLOTS))[slot] = w
                    break
        self.by_word = {word: tuple(slots) for word, slots in grouped.items()}


def _inflect(lemma: str) -> tuple[set[str], set[str]]:
    """Regular verb forms of ``lemma`` and the subset that can be past participles."""
    forms = {lemma}
    past: set[str] = set()
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma[:-1] + "ing"}
        past.add(lemma + "d")
    elif lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma + "ing"}
        past.add(lemma[:-1] + "ied")
    else:
        forms |= {lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s"), lemma + "ing"}
        past.add(lemma + "ed")
        if (
            len(lemma) >= 3
            and lemma[-1] not in "aeiouwxy"
            and lemma[-2] in "aeiou"
            and lemma[-3] not in "aeiou"
        ):
            # both spellings: "banned" and "visited"; the wrong one never occurs
            past.add(lemma + lemma[-1] + "ed")
            forms.add(lemma + lemma[-1] + "ing")
    return forms | past, past


def _verb_entries(items: Any, name: str) -> Iterable[tuple[str, list[str]]]:
    for item in items or ():
        if isinstance(item, str):
            yield item.lower(), []
        elif isinstance(item, dict) and len(item) == 1:
            (lemma, extra), = item.items()
            yield str(lemma).lower(), [str(f).lower() for f in (extra or ())]
        else:
            raise LexiconError(f"{VERBS_FILE}: class {name!r}: cannot read entry {item!r}")


@lru_cache(maxsize=8)
def _resources(lexicon: Lexicon) -> _Resources:
    from vaderSentiment import vaderSentiment as vs

    valence = dict(_analyzer().lexicon)
    overrides = lexicon.load(OVERRIDES_FILE) or {}
    if not isinstance(overrides, dict):
        raise LexiconError(f"{OVERRIDES_FILE}: expected a mapping of word to valence")
    for word, value in overrides.items():
        valence[str(word).lower()] = float(value)
    valence = {w: v for w, v in valence.items() if v}

    roles: dict[str, _RoleVerb] = {}
    say: set[str] = set()
    data = lexicon.load(VERBS_FILE) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{VERBS_FILE}: expected a mapping of class name to its verbs")
    for name, spec in data.items():
        if not isinstance(spec, dict):
            raise LexiconError(f"{VERBS_FILE}: class {name!r} must be a mapping")
        if name == "say":
            for lemma, extra in _verb_entries(spec.get("verbs"), name):
                say |= _inflect(lemma)[0] | set(extra)
            continue
        patient_spec = spec.get("patient", 0)
        victim = patient_spec == "victim"
        try:
            agent = float(spec.get("agent", 0))
            patient = 0.0 if victim else float(patient_spec)
        except (TypeError, ValueError) as e:
            raise LexiconError(f"{VERBS_FILE}: class {name!r}: agent/patient must be numbers or 'victim'") from e
        for lemma, extra in _verb_entries(spec.get("verbs"), name):
            forms, past = _inflect(lemma)
            past |= {f for f in extra if f.endswith(("ed", "en", "n", "t")) or f in _IRREGULAR_PP}
            for form in forms | set(extra):
                roles.setdefault(form, _RoleVerb(name, agent, patient, victim, False, form in past))
        for noun in spec.get("nouns") or ():
            noun = str(noun).lower()
            for form in (noun, noun if noun.endswith("s") else noun + "s"):
                roles.setdefault(form, _RoleVerb(name, agent, patient, victim, True, False))

    negators = frozenset(vs.NEGATE) | {"no"}
    boosters = {w: v for w, v in vs.BOOSTER_DICT.items() if " " not in w}
    marked = frozenset(valence) | frozenset(roles) | frozenset(say) | _CLAUSE_WORDS | _CLAUSE_PUNCT | {"but"}
    return _Resources(valence, boosters, negators, roles, frozenset(say), marked)


@lru_cache(maxsize=8)
def _model(lexicon: Lexicon) -> _Model:
    data = lexicon.load(MODEL_FILE)
    if not isinstance(data, dict) or tuple(data.get("features", ())) != FEATURES:
        raise LexiconError(
            f"{MODEL_FILE}: its features do not match this version's; retrain it with "
            "benchmarks/train_sentiment.py"
        )
    try:
        weights = tuple(tuple(float(w) for w in row) for row in data["weights"])
        bias = tuple(float(b) for b in data["bias"])
    except (KeyError, TypeError, ValueError) as e:
        raise LexiconError(f"{MODEL_FILE}: cannot read weights and bias: {e}") from e
    if len(weights) != 3 or len(bias) != 3 or any(len(row) != len(FEATURES) for row in weights):
        raise LexiconError(f"{MODEL_FILE}: expected 3 rows of {len(FEATURES)} weights and 3 biases")
    try:
        words = {str(k): (float(v[0]), float(v[1]), float(v[2])) for k, v in (data.get("words") or {}).items()}
    except (TypeError, ValueError, IndexError, AttributeError) as e:
        raise LexiconError(f"{MODEL_FILE}: 'words' must map a word feature to 3 weights: {e}") from e
    return _Model(weights, bias, words, _temperature(data, MODEL_FILE))


def _temperature(data: dict[str, Any], name: str) -> float:
    """The calibration temperature a model file records (1: none)."""
    try:
        t = float((data.get("calibration") or {}).get("temperature", 1.0))
    except (TypeError, ValueError, AttributeError) as e:
        raise LexiconError(f"{name}: 'calibration' must hold a numeric 'temperature': {e}") from e
    if not 0.0 < t <= 1.0:
        raise LexiconError(f"{name}: calibration temperature must be in (0, 1], not {t}")
    return t


@lru_cache(maxsize=8)
def _domain(lexicon: Lexicon) -> dict[str, tuple[float, float]]:
    data = lexicon.load(DOMAIN_FILE)
    try:
        return {str(w): (float(v[0]), float(v[1])) for w, v in data["words"].items()}
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise LexiconError(f"{DOMAIN_FILE}: expected {{'words': {{word: [neg, pos], ...}}}}: {e}") from e


@lru_cache(maxsize=8)
def _common_words(lexicon: Lexicon) -> frozenset[str]:
    """Words that, capitalised at the start of a sentence or quotation, are still ordinary words.

    ``lowercase_words`` of the domain file: words that NewsMTSC's text (text
    only, never its labels) writes in lower case inside sentences.  Any other
    capitalised word is taken for a name, wherever it stands, so "Trump said"
    gives no word feature "trump".
    """
    data = lexicon.load(DOMAIN_FILE)
    try:
        listed = data.get("lowercase_words") or ()
        return frozenset(str(w) for w in listed) | _FUNCTION_WORDS | _CLAUSE_WORDS
    except (TypeError, AttributeError) as e:
        raise LexiconError(f"{DOMAIN_FILE}: 'lowercase_words' must be a list of words: {e}") from e


def model_from_dict(data: dict[str, Any]) -> _Model:
    """A model from trained weights (used by the benchmarks to score held-out folds)."""
    words = {k: (float(v[0]), float(v[1]), float(v[2])) for k, v in (data.get("words") or {}).items()}
    return _Model(
        tuple(tuple(map(float, r)) for r in data["weights"]),
        tuple(map(float, data["bias"])),
        words,
        _temperature(data, "model"),
    )


# --- per sentence: tokens, voices, clauses, valences (cached by sentence text) ---------------


class _Parsed:
    """One sentence, read once: tokens and where its sentiment and role words stand."""

    __slots__ = (
        "starts", "ends", "words", "possessive", "caps", "clause", "contrast", "voice",
        "sentiment", "roles", "says", "compound", "plain", "in_table",
    )

    def __init__(
        self, *, starts: list[int], ends: list[int], words: list[str], possessive: list[bool], caps: list[bool],
        clause: list[int], contrast: list[int], voice: list[int], sentiment: list[tuple[int, float]],
        roles: list[tuple[int, _RoleVerb, bool]], says: list[int], compound: float, plain: list[int],
        in_table: list[tuple[int, float, float]],
    ) -> None:
        # plain assignments, not a setattr loop: one of these is built for every sentence with a mention
        self.starts, self.ends, self.words, self.possessive, self.caps = starts, ends, words, possessive, caps
        self.clause, self.contrast, self.voice = clause, contrast, voice
        self.sentiment, self.roles, self.says, self.compound = sentiment, roles, says, compound
        self.plain, self.in_table = plain, in_table

    starts: list[int]
    ends: list[int]
    words: list[str]            # lower case, curly apostrophe straightened, "'s" removed
    possessive: list[bool]
    caps: list[bool]            # written with a capital (names, titles)
    clause: list[int]           # clause number of each token
    contrast: list[int]         # segment between contrast words ("but", "although")
    voice: list[int]            # 0 narrator, k > 0 inside the k-th quotation
    sentiment: list[tuple[int, float]]         # (token, VADER valence after boosters and negation)
    roles: list[tuple[int, _RoleVerb, bool]]  # (token, role verb, negated)
    says: list[int]             # tokens that are verbs of saying
    compound: float             # VADER-style compound of the whole sentence
    plain: list[int]            # lower-case words (not names): the domain table's context
    in_table: list[tuple[int, float, float]]  # the plain words the shipped domain table knows, with its entry


_OPEN_QUOTES = frozenset(("\u201c", "\u2018", "\u00ab"))
_CLOSE_QUOTES = frozenset(("\u201d", "\u00bb"))
_QUOTE_CHARS = ('"', "\u201c", "\u201d", "\u2018", "\u00ab", "\u00bb")
#: Every token ``_quote_voices`` acts on (the right single quote only after a left one).
_QUOTE_TOKENS = frozenset(_QUOTE_CHARS) | {"'"}
#: Tokens after which a capital letter starts a quotation rather than marking a name.
_OPENERS = frozenset(('"', "\u201c", "\u2018", "\u00ab"))


def _quote_voices(sentence: str, starts: Sequence[int], words: Sequence[str]) -> list[int]:
    """Quotation region of each token: 0 outside quotes, k inside the k-th quotation.

    Curly quotes say which way they face; a straight quote opens when it
    follows a space (or starts the text) and closes otherwise.  A closing mark
    with no opener means the sentence began inside a quotation opened in an
    earlier sentence; an opener never closed runs to the end of the sentence.
    A right single quote closes only a quotation opened by a left one, since
    it is more often an apostrophe.
    """
    n = len(words)
    voice = [0] * n
    if not any(q in sentence for q in _QUOTE_CHARS):
        return voice
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opener = ""
    for i in [i for i, w in enumerate(words) if w in _QUOTE_TOKENS]:  # only these can open or close
        w = words[i]
        if w == '"':
            before = sentence[starts[i] - 1] if starts[i] else " "
            opening = before.isspace() or before in "([{\u2014-"
        elif w in _OPEN_QUOTES:
            opening = True
        elif w in _CLOSE_QUOTES or (w == "'" and opener == "\u2018"):
            opening = False
        else:
            continue
        if opening:
            if open_at is None:
                open_at, opener = i, w
        elif open_at is not None:
            spans.append((open_at + 1, i))
            open_at, opener = None, ""
        elif not spans and w != "'":
            spans.append((0, i))
    if open_at is not None:
        spans.append((open_at + 1, n))
    for region, (a, b) in enumerate(spans, 1):
        if b > a:
            voice[a:b] = [region] * (b - a)
    return voice


def _negated(words: list[str], clause: list[int], i: int, negators: frozenset[str]) -> bool:
    """A negator among the three words before token ``i``, in its clause (VADER's window)."""
    for j in range(i - 1, max(i - 4, -1), -1):
        if clause[j] != clause[i]:
            return False
        w = words[j]
        if w in negators or w.endswith("n't"):
            return True
    return False


def _parse_sentence(sentence: str, lexicon: Lexicon) -> _Parsed:
    res = _resources(lexicon)
    table = _domain(lexicon)
    valence, boosters, negators, role_words, say_words, marked = (
        res.valence, res.boosters, res.negators, res.roles, res.say, res.marked,
    )
    # list comprehensions rather than one loop with many appends: this runs for every sentence
    matches = list(_TOKEN.finditer(sentence))
    n = len(matches)
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    low = sentence.lower()
    if len(low) == len(sentence):
        words = [low[a:b] for a, b in zip(starts, ends)]
    else:  # a letter whose lower case is longer ("İ"): lower token by token
        words = [m.group().lower() for m in matches]
    caps = [sentence[a].isupper() for a in starts]
    possessive = [False] * n
    if "'" in sentence or "\u2019" in sentence:
        for i in [i for i, w in enumerate(words) if "'" in w or "\u2019" in w]:
            w = words[i].replace("\u2019", "'")
            if w.endswith("'s") and len(w) > 2:
                w, possessive[i] = w[:-2], True
            words[i] = w
    interesting = [i for i, w in enumerate(words) if w in marked]
    # lower-case words, and capitalised ones at the start of the sentence or of a quotation
    # that are ordinary words ("The", "Officials"); never names ("Trump said")
    common = _common_words(lexicon)
    plain = [
        i for i, w in enumerate(words)
        if w[0].isalpha() and (not caps[i] or ((i == 0 or words[i - 1] in _OPENERS) and w in common))
    ]

    clause = [0] * n
    contrast = [0] * n
    c = k = 0
    c_from = k_from = 0
    pending = False  # inside "although ...": the contrast ends at the next comma
    for i in interesting:
        w = words[i]
        if w in _CLAUSE_PUNCT or w in _CLAUSE_WORDS:
            clause[c_from:i] = [c] * (i - c_from)
            c, c_from = c + 1, i
            if w in _CONTRAST or (pending and w == ","):
                contrast[k_from:i] = [k] * (i - k_from)
                k, k_from = k + 1, i
                pending = w in _SUBORDINATE_CONTRAST
    clause[c_from:] = [c] * (n - c_from)
    contrast[k_from:] = [k] * (n - k_from)

    sentiment: list[tuple[int, float]] = []
    roles: list[tuple[int, _RoleVerb, bool]] = []
    says: list[int] = []
    total = 0.0
    but_at = -1
    for i in interesting:
        w = words[i]
        if w == "but" and but_at < 0:
            but_at = i
        rv = role_words.get(w)
        if rv is not None:
            roles.append((i, rv, _negated(words, clause, i, negators)))
        if w in say_words:
            says.append(i)
        v = valence.get(w)
        if v is None or w in boosters:
            continue
        for back, damp in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = i - back
            if j < 0:
                break
            b = boosters.get(words[j])
            if b is not None and words[j] not in valence:
                v += (b if v > 0 else -b) * damp
        if _negated(words, clause, i, negators):
            v *= _N_SCALAR
        sentiment.append((i, v))
    for i, v in sentiment:
        # VADER's "but" rule: what follows "but" weighs three times what precedes it
        total += v if but_at < 0 else v * (0.5 if i < but_at else 1.5 if i > but_at else 1.0)
    return _Parsed(
        starts=starts, ends=ends, words=words, possessive=possessive, caps=caps,
        clause=clause, contrast=contrast, voice=_quote_voices(sentence, starts, words),
        sentiment=sentiment, roles=roles, says=says,
        compound=total / math.sqrt(total * total + 15.0),
        plain=plain,
        in_table=[(i, *table[words[i]]) for i in plain if words[i] in table],
    )


#: The one-sentence entry points (``mention_sentiment()``, the SQL functions) meet the same
#: sentence again for each of its mentions, row after row: they share a small cache.
_parse = lru_cache(maxsize=1024)(_parse_sentence)


# --- per mention: features ----------------------------------------------------------------


def _target_tokens(p: _Parsed, start: int, end: int) -> tuple[int, int]:
    """Token range [a, b) covering characters [start, end); an empty range sits where it would be."""
    a = bisect_right(p.ends, start)
    b = max(a, bisect_left(p.starts, end))
    return a, b


def _agent_gap_ok(p: _Parsed, b: int, verb: int) -> bool:
    """The mention ending before token ``b`` can be the subject of the verb at ``verb``."""
    if b <= 0 or verb - b > 6:
        return False
    for j in range(b, verb):
        w = p.words[j]
        if w in _AUX or w in _RELATIVE or w.endswith(("ly", "n't")):
            continue
        if w == "," and j + 1 < verb and p.words[j + 1] in _RELATIVE:
            continue  # "Russia, which attacked ..."
        return False
    return True


def _passive(p: _Parsed, verb: int) -> bool:
    for back in (1, 2, 3):
        j = verb - back
        if j < 0:
            return False
        w = p.words[j]
        if w in _BE:
            return True
        if not (w.endswith("ly") or w in ("not", "never", "also", "reportedly", "allegedly") or w.endswith("n't")):
            return False
    return False


def _role(p: _Parsed, a: int, b: int, verb: int, rv: _RoleVerb) -> str | None:
    """'agent', 'patient' or None: the mention's slot for the verb or noun at ``verb``."""
    if a <= verb < b:
        return None
    if rv.noun:
        if b <= verb:
            # "Russia's attack", "the Russian invasion"
            if (p.possessive[b - 1] and verb - b <= 2) or verb == b:
                return "agent"
            return None
        gap = p.words[verb + 1 : a]
        if len(gap) > 4 or p.clause[a] != p.clause[verb]:
            return None
        if "by" in gap:
            return "agent"
        if gap and gap[0] in ("on", "against", "of", "at", "to", "for", "into", "toward", "towards", "over"):
            return "patient"
        return None
    passive = rv.participle and _passive(p, verb)
    if b <= verb:
        if not _agent_gap_ok(p, b, verb):
            return None
        return "patient" if passive else "agent"
    if p.clause[a] != p.clause[verb] or a - verb > 5:
        return None
    gap = p.words[verb + 1 : a]
    if passive:
        return "agent" if "by" in gap else None
    return "patient"


_QUOTE_END = frozenset((",", '"', "\u201d", "'"))


def _speaker_content(p: _Parsed, a: int, b: int) -> tuple[bool, set[int]]:
    """Whether the mention is the speaker of a verb of saying, and the tokens it says.

    Handles "Biden said (that) ...", '"...," Biden said', '"...," said Sen. X'
    and "according to X".
    """
    content: set[int] = set()
    speaker = False
    if not p.says:
        return speaker, content
    n = len(p.words)
    words = p.words
    for i in p.says:
        if a <= i < b:
            continue
        if words[i] == "according":
            if i + 1 < n and words[i + 1] == "to" and 0 <= a - (i + 2) <= 2:
                speaker = True
                content |= {j for j in range(n) if p.clause[j] != p.clause[a] and j != i}
        elif b <= i:
            if _agent_gap_ok(p, b, i) and not _passive(p, i):
                speaker = True
                content |= set(range(i + 1, n))
                if a >= 1 and words[a - 1] in _QUOTE_END:
                    content |= set(range(0, a - 1))
        elif a - i <= 5 and all(p.caps[j] or words[j] in _TITLES or words[j] == "." for j in range(i + 1, a)):
            prev = i - 1
            while prev >= 0 and words[prev] in _QUOTE_END:
                prev -= 1
            if prev < i - 1:
                speaker = True
                content |= set(range(0, prev + 1))
    return speaker, content


_PLAIN = frozenset(("sent_compound", "is_speaker", "in_quote"))
#: Sums are squashed into (-1, 1) by x / sqrt(x^2 + c), as VADER normalises its compound:
#: c = 4 for word sums, c = 1 for roles (few and strong: one role counts for most of what several can).
_ROLE_FEATURES = frozenset(("agent_pos", "agent_neg", "patient_pos", "patient_neg", "victim"))
#: Per base feature, its c (0: kept as it is).  ``_features`` sums into a list by these
#: positions rather than a dict by name: it runs for every mention.
_SQUASH = tuple(0.0 if f in _PLAIN else 1.0 if f in _ROLE_FEATURES else 4.0 for f in BASE_FEATURES)
_AT = {f: k for k, f in enumerate(BASE_FEATURES)}


def _by_sign(name: str) -> tuple[int, int]:
    """Positions of ``name``'s negative and positive feature: index it with ``value > 0``."""
    return _AT[name + "_neg"], _AT[name + "_pos"]


_SELF, _SPEAKER, _OTHER_VOICE, _NEAR = (_by_sign(n) for n in ("self", "speaker", "other_voice", "near"))
_MODIFIER, _CONTRAST_AT, _OTHER_CLAUSE = (_by_sign(n) for n in ("modifier", "contrast", "other_clause"))
_CLAUSE_BEFORE, _CLAUSE_AFTER = _by_sign("clause_before"), _by_sign("clause_after")
_AGENT, _PATIENT = _by_sign("agent"), _by_sign("patient")


def _features(
    p: _Parsed, a: int, b: int, speaker_spans: Sequence[tuple[int, int]] = ()
) -> tuple[list[float], list[tuple[int, str, float]], set[int]]:
    """The feature vector of the mention at tokens [a, b), each word's contribution, and the role words.

    Contributions are (token, feature, amount added to the feature): the
    evidence.  Role words (the verbs that gave the mention a role, and the
    objects of its acts) are returned so that the domain table skips them too.
    """
    n = len(p.words)
    sums = [0.0] * len(BASE_FEATURES)
    sums[_AT["sent_compound"]] = p.compound
    contrib: list[tuple[int, str, float]] = []
    if a >= n:  # the mention is past the last token: only the sentence score is known
        return sums, contrib, set()

    names = BASE_FEATURES
    clause, voice, contrast = p.clause, p.voice, p.contrast
    role_tokens: set[int] = set()
    for i, rv, negated in p.roles:
        role = _role(p, a, b, i, rv)
        if role is None:
            continue
        role_tokens.add(i)
        factor = ROLE_NEGATION if negated else 1.0
        if role == "agent" and (rv.victim or rv.patient < 0):
            # the object of a hostile act is described by the role, not the
            # agent: "Ukraine repelled the brutal attack" says nothing bad of Ukraine
            for j in range(i + 1, min(i + 1 + OBJECT_REACH, n)):
                if clause[j] != clause[i]:
                    break
                role_tokens.add(j)
        if role == "agent":
            value = rv.agent * factor
            if value:
                k = _AGENT[value > 0]
                sums[k] += abs(value)
                contrib.append((i, names[k], abs(value)))
        else:
            if rv.victim:
                sums[_AT["victim"]] += factor
                contrib.append((i, "victim", factor))
            value = rv.patient * factor
            if value:
                k = _PATIENT[value > 0]
                sums[k] += abs(value)
                contrib.append((i, names[k], abs(value)))

    speaker, content = _speaker_content(p, a, b)
    if speaker_spans:
        speaker = True
        for s, e in speaker_spans:
            # the tokens wholly inside [s, e): starts and ends both ascend
            content |= set(range(bisect_left(p.starts, s), bisect_right(p.ends, e)))
    sums[_AT["is_speaker"]] = 1.0 if speaker else 0.0
    t_voice = voice[a]
    sums[_AT["in_quote"]] = 1.0 if t_voice else 0.0
    t_clause_a = clause[a]
    t_clause_b = clause[b - 1] if b > a else t_clause_a
    t_contrast = contrast[a]

    for i, v in p.sentiment:
        if i in role_tokens:
            continue
        positive = v > 0
        amount = abs(v)
        if a <= i < b:
            k = _SELF[positive]
        elif i in content:
            k = _SPEAKER[positive]
        elif voice[i] != t_voice:
            k = _OTHER_VOICE[positive]
        else:
            d = a - i if i < a else i - b + 1
            if contrast[i] == t_contrast:
                sums[_NEAR[positive]] += amount / (1.0 + d / 3.0)
            if t_clause_a <= clause[i] <= t_clause_b:
                if i < a and d <= 2:
                    k = _MODIFIER[positive]
                    sums[k] += amount
                    contrib.append((i, names[k], amount))
                k = (_CLAUSE_BEFORE if i < a else _CLAUSE_AFTER)[positive]
            elif contrast[i] != t_contrast:
                k = _CONTRAST_AT[positive]
            else:
                k = _OTHER_CLAUSE[positive]
        sums[k] += amount
        contrib.append((i, names[k], amount))

    sqrt = math.sqrt
    return (
        [x / sqrt(x * x + c) if x and c else x for x, c in zip(sums, _SQUASH)],
        contrib,
        role_tokens,
    )


#: Tokens this close to the mention count as its context even across a clause break.
CONTEXT_REACH = 3


def _context(
    p: _Parsed, a: int, b: int, skip: set[int], candidates: list[int] | None = None
) -> tuple[list[int], list[int]]:
    """Lower-case words near the mention (its clauses, or within reach) and the rest of the sentence.

    ``skip`` holds the role words, whose effect the roles already carry;
    ``candidates`` narrows the words looked at (default: every plain word).
    """
    near: list[int] = []
    rest: list[int] = []
    if a >= len(p.words):
        return near, rest
    ca = p.clause[a]
    cb = p.clause[b - 1] if b > a else ca
    clause, contrast, k = p.clause, p.contrast, p.contrast[a]
    for i in p.plain if candidates is None else candidates:
        if a <= i < b or i in skip:
            continue
        if ca <= clause[i] <= cb or (a - CONTEXT_REACH <= i < b + CONTEXT_REACH and contrast[i] == k):
            near.append(i)
        else:
            rest.append(i)
    return near, rest


def _domain_features(
    p: _Parsed,
    near: list[int],
    rest: list[int],
    table: dict[str, tuple[float, float]],
    pull: dict[str, float] | None = None,
) -> tuple[list[float], list[tuple[int, float]]]:
    """Sums of the learned table's class deviations (P(class | word) - P(class)), squashed by tanh.

    With ``pull`` (the model's), also each word's pull toward positive: the evidence.
    """
    out: list[float] = []
    pulls: list[tuple[int, float]] = []
    words = p.words
    for indices, neg_name, pos_name in (
        (near, "domain_clause_neg", "domain_clause_pos"),
        (rest, "domain_sentence_neg", "domain_sentence_pos"),
    ):
        neg = pos = 0.0
        found = [(i, table[words[i]]) for i in indices if words[i] in table]
        for _, dev in found:
            neg += dev[0]
            pos += dev[1]
        if pull is not None and found:
            pn, pp = pull[neg_name], pull[pos_name]
            pulls += [(i, pn * dev[0] + pp * dev[1]) for i, dev in found]
        out += [math.tanh(neg), math.tanh(pos)]
    return out, pulls


def _domain_fast(
    p: _Parsed, a: int, b: int, skip: set[int], pull: dict[str, float]
) -> tuple[list[float], dict[int, float]]:
    """``_context`` and ``_domain_features`` in one pass over the words the shipped table knows.

    The table is the lexicon's own (``_domain``), read into ``p.in_table`` by ``_parse``.

    Returns the four domain features and the evidence pulls of the words
    strong enough to be shown.  Must agree with the two-step path used in training.
    """
    near_neg = near_pos = rest_neg = rest_pos = 0.0
    shown: dict[int, float] = {}
    if a < len(p.words):
        ca = p.clause[a]
        cb = p.clause[b - 1] if b > a else ca
        clause, contrast, k = p.clause, p.contrast, p.contrast[a]
        cn, cp = pull["domain_clause_neg"], pull["domain_clause_pos"]
        sn, sp = pull["domain_sentence_neg"], pull["domain_sentence_pos"]
        for i, dn, dp in p.in_table:
            if a <= i < b or i in skip:
                continue
            if ca <= clause[i] <= cb or (a - CONTEXT_REACH <= i < b + CONTEXT_REACH and contrast[i] == k):
                near_neg += dn
                near_pos += dp
                w = cn * dn + cp * dp
            else:
                rest_neg += dn
                rest_pos += dp
                w = sn * dn + sp * dp
            if w >= EVIDENCE_MIN_DOMAIN_PULL or w <= -EVIDENCE_MIN_DOMAIN_PULL:
                shown[i] = w
    tanh = math.tanh
    return [tanh(near_neg), tanh(near_pos), tanh(rest_neg), tanh(rest_pos)], shown


def domain_vector(
    near: Sequence[str], rest: Sequence[str], table: dict[str, tuple[float, float]]
) -> list[float]:
    """The domain features from word lists (as ``context_words`` gives them); for training."""
    out: list[float] = []
    for words in (near, rest):
        devs = [table[w] for w in words if w in table]
        out += [math.tanh(sum(d[0] for d in devs)), math.tanh(sum(d[1] for d in devs))]
    return out


def context_words(sentence: str, start: int, end: int, lexicon: Lexicon | None = None) -> tuple[list[str], list[str]]:
    """The words the domain table reads for this mention: (near, rest of the sentence); for training."""
    p = _parse(sentence, lexicon or default_lexicon())
    a, b = _target_tokens(p, start, end)
    near, rest = _context(p, a, b, _features(p, a, b)[2])
    return [p.words[i] for i in near], [p.words[i] for i in rest]


#: Distance buckets (in tokens from the mention) of the word features: next word, 2-3, 4-7, further.
_WORD_BUCKETS = (0, 1, 2, 2, 3, 3, 3, 3)
_LEFT = tuple(f"l{n}:" for n in _WORD_BUCKETS)
_RIGHT = tuple(f"r{n}:" for n in _WORD_BUCKETS)
#: The single-word key prefixes, in the slot order of ``_Model.by_word``.
_WORD_SLOTS = ("l1:", "l2:", "l3:", "l4:", "r1:", "r2:", "r3:", "r4:", "c:", "o:", "q:", "t:")
#: Slot of a word ``d`` tokens left of the mention (``d < 8``; further: slot 3); right: add 4.
_LEFT_SLOT = tuple(_WORD_SLOTS.index(f"l{n}:") if n else -1 for n in _WORD_BUCKETS)
_CLAUSE_SLOT, _OTHER_SLOT, _VOICE_SLOT, _INSIDE_SLOT = 8, 9, 10, 11
#: Word pairs are read this close to the mention only.
BIGRAM_REACH = 4
#: Function words get no single-word feature: what they pick up in one corpus ("is", "but",
#: "she") is its annotators' and topics' habit, not framing.  They still count inside word pairs.
_FUNCTION_WORDS = frozenset(
    """a an the this that these those is are was were be been being am has have had do does did
    and or but so yet if as of to in on at by for with from into than then there here it its
    he him his she her hers they them their theirs we us our ours i me my you your who whom whose
    which what will would can could should may might must shall""".split()
)


def _word_keys(p: _Parsed, a: int, b: int) -> dict[str, int]:
    """The target-relative word features of the mention at tokens [a, b), each with the token it comes from.

    Lower-case words only (names never: the model learns how news words
    frame, not who is mentioned): inside the mention (``t:``); left or right
    of it by distance bucket (``l1:`` ... ``r4:``); in its own clause or
    another (``c:`` / ``o:``); in another voice than the mention's (``q:``);
    and adjacent word pairs near it (``lb:`` / ``rb:``).  Function words only
    inside pairs.  Binary: a key counts once.
    """
    keys: dict[str, int] = {}
    if a >= len(p.words):
        return keys
    words, clause, voice = p.words, p.clause, p.voice
    ca = clause[a]
    cb = clause[b - 1] if b > a else ca
    va = voice[a]
    prev = -2
    for i in p.plain:
        w = words[i]
        if a <= i < b:
            if w not in _FUNCTION_WORDS:
                keys.setdefault("t:" + w, i)
            prev = -2
            continue
        if i < a:
            d = a - i
            side = "l"
            where = _LEFT[d] if d < 8 else "l4:"
        else:
            d = i - b + 1
            side = "r"
            where = _RIGHT[d] if d < 8 else "r4:"
        if w not in _FUNCTION_WORDS:
            keys.setdefault(where + w, i)
            keys.setdefault(("c:" if ca <= clause[i] <= cb else "o:") + w, i)
            if voice[i] != va:
                keys.setdefault("q:" + w, i)
        if prev == i - 1:
            # the pair ends at i; its distance is that of the word nearer the mention
            near = d if side == "l" else d - 1
            if near <= BIGRAM_REACH and not (a <= prev < b):
                keys.setdefault(f"{side}b:{words[prev]}_{w}", i if side == "l" else prev)
        prev = i
    return keys


#: What ``_word_extra`` needs of a sentence beyond its parse, built once per sentence by ``_known_words``.
_Known = tuple  # (positions, items, repeated words); see _known_words


def _known_words(p: _Parsed, model: _Model) -> _Known:
    """The sentence's plain words that the model has single-word keys for, once per sentence.

    Returns their token positions (for bisection), (position, word,
    ``by_word`` entry, False) items in the shape ``_word_extra`` walks, and
    the plain words written more than once (only their keys can repeat).
    """
    by_word, plain = model.by_word, p.plain
    plain_words = list(map(p.words.__getitem__, plain))
    # one pass, and an item built only for the words the model knows
    items = [(i, w, slots, False) for i, w in zip(plain, plain_words) if (slots := by_word.get(w)) is not None]
    repeated = set()
    if len(set(plain_words)) < len(plain_words):
        seen: set[str] = set()
        for w in plain_words:
            if w in seen:
                repeated.add(w)
            seen.add(w)
    return [item[0] for item in items], items, repeated


def _word_extra(
    p: _Parsed,
    a: int,
    b: int,
    model: _Model,
    weighted: dict[int, float],
    known: _Known | None = None,
) -> list[float]:
    """What the mention's word features add to the three class logits; adds each word's pull to ``weighted``.

    The same keys as ``_word_keys``, met in the same order (so the sums are
    the same to the last bit), but only those the model can know are looked
    at: far from the mention, only the words ``by_word`` knows (``known``,
    from ``_known_words``), each looked up once; near it (where word pairs
    can end), every plain word.  Word pairs alone are spelled out as strings.
    A key counts once: only the keys of repeated words and of pairs can recur.
    """
    if a >= len(p.words):
        return [0.0, 0.0, 0.0]
    positions, entries, repeated = known or _known_words(p, model)
    by_word, table = model.by_word, model.words
    words, clause, voice, plain = p.words, p.clause, p.voice, p.plain
    ca = clause[a]
    cb = clause[b - 1] if b > a else ca
    va = voice[a]
    # a word pair can end only at tokens lo..hi (``BIGRAM_REACH`` either side)
    lo, hi = a - BIGRAM_REACH, b + BIGRAM_REACH
    k0, k1 = bisect_left(plain, lo), bisect_right(plain, hi)
    near = [
        (i, words[i], by_word.get(words[i]), k > 0 and plain[k - 1] == i - 1)
        for k, i in zip(range(k0, k1), plain[k0:k1])
    ]
    e0 = e1 = e2 = 0.0
    seen: set[Any] = set()  # keys of repeated words, and pair keys, already counted
    left_slot = _LEFT_SLOT
    # Words far from the mention (before lo, after hi) are never inside it and end no pair
    # that counts, so only the words the model knows are visited there; the three runs keep
    # the order of the keys, so the sums are still the same to the last bit.
    far_left, far_right = entries[: bisect_left(positions, lo)], entries[bisect_right(positions, hi) :]
    for run, far in ((far_left, True), (near, False), (far_right, True)):
        for i, w, slots, after_plain in run:  # every entry of a far run has slots
            inside = not far and a <= i < b
            if slots is not None:
                once = w not in repeated
                if inside:
                    used: tuple[int, ...] = (_INSIDE_SLOT,)
                else:
                    if i < a:
                        d = a - i
                        slot = left_slot[d] if d < 8 else 3
                    else:
                        d = i - b + 1
                        slot = (left_slot[d] if d < 8 else 3) + 4
                    used = (slot, _CLAUSE_SLOT if ca <= clause[i] <= cb else _OTHER_SLOT)
                    if voice[i] != va:
                        used += (_VOICE_SLOT,)
                # in this order, so the sums come out as _word_keys lists the keys
                for slot in used:
                    x = slots[slot]
                    if x is not None and (once or (slot, w) not in seen):
                        if not once:
                            seen.add((slot, w))
                        e0 += x[0]
                        e1 += x[1]
                        e2 += x[2]
                        weighted[i] = weighted.get(i, 0.0) + x[2] - x[0]
            if far or inside:
                continue
            if after_plain and not (a <= i - 1 < b):
                # the pair (i - 1, i), within BIGRAM_REACH of the mention by the choice of lo..hi
                left = i < a
                key = f"{'l' if left else 'r'}b:{words[i - 1]}_{w}"
                x = table.get(key)
                if x is not None and key not in seen:
                    seen.add(key)
                    j = i if left else i - 1
                    e0 += x[0]
                    e1 += x[1]
                    e2 += x[2]
                    weighted[j] = weighted.get(j, 0.0) + x[2] - x[0]
    return [e0, e1, e2]


# the position features' names, built once (this runs for every mention)
_X_LENGTH = tuple(f"x:n{k}" for k in range(5))
_X_SPAN = tuple(f"x:tl{k}" for k in range(5))
_X_CLAUSE = tuple(f"x:cl{k}" for k in range(4))
_X_CLAUSES = tuple(f"x:ncl{k}" for k in range(5))


def _shape_keys(p: _Parsed, a: int, b: int) -> list[str]:
    """Where the mention stands, not what it says: features that tell neutral mentions apart.

    Its position (first, within the first three tokens, further; at the end
    or not), the sentence's length and clause count, the mention's length,
    clause number and voice, a possessive ending, a pronoun standing alone,
    and a quotation opening just before it.  All "x:" keys with no word of
    their own (never evidence).
    """
    n = len(p.words)
    if a >= n:
        return []
    keys = [
        "x:start" if a == 0 else "x:start2" if a <= 2 else "x:mid",
        "x:end" if b >= n - 2 else "x:notend",
        _X_LENGTH[min(4, n // 10)],
        _X_SPAN[min(4, b - a)],
        _X_CLAUSE[min(3, p.clause[a])],
        _X_CLAUSES[min(4, p.clause[-1])],
        "x:v1" if p.voice[a] else "x:v0",
    ]
    if b > a and p.possessive[b - 1]:
        keys.append("x:poss")
    if b == a + 1 and p.words[a] in _FUNCTION_WORDS:
        keys.append("x:pron:" + p.words[a])
    if a and p.words[a - 1] in ('"', "\u201c"):
        keys.append("x:afterquote")
    return keys


#: Prefix of the window features (``_window_keys``); the trainer drops them if its inner CV finds no use.
WINDOW_PREFIX = "x:w"
_WINDOW = ((-2, "x:w-2:"), (-1, "x:w-1:"), (0, "x:w+1:"), (1, "x:w+2:"))


def _window_keys(p: _Parsed, a: int, b: int) -> list[str]:
    """The two tokens on each side of the mention, where the word features are silent.

    The word features skip function words and punctuation, and names; but
    "X, who", "X is", "the X" or "by X" right next to a mention say much of
    how it is framed.  So each of the two tokens before and after it gives a
    key when it is a function word (as written, lower-cased), punctuation,
    a number (``<num>``) or a capitalised non-function word (``<cap>``: a name,
    never which one).  Content words already have their ``l1:`` ... keys.
    Never evidence (``x:`` keys).
    """
    n = len(p.words)
    if a >= n:
        return []
    words, caps = p.words, p.caps
    keys = []
    for offset, prefix in _WINDOW:
        j = a + offset if offset < 0 else b + offset
        if not 0 <= j < n:
            continue
        w = words[j]
        if w in _FUNCTION_WORDS:
            keys.append(prefix + w)
        elif not w[0].isalpha():
            keys.append(prefix + ("<num>" if w[0].isdigit() else w))
        elif caps[j]:
            keys.append(prefix + "<cap>")
    return keys


def word_keys(sentence: str, start: int, end: int, lexicon: Lexicon | None = None) -> list[str]:
    """The word, position and window features of a mention (as the model reads them); for training."""
    p = _parse(sentence, lexicon or default_lexicon())
    a, b = _target_tokens(p, start, end)
    return list(_word_keys(p, a, b)) + _shape_keys(p, a, b) + _window_keys(p, a, b)


def _word_logits(keys: Iterable[str], model: _Model) -> list[float]:
    """What the mention's word features add to the three class logits."""
    table = model.words
    out = [0.0, 0.0, 0.0]
    for k in keys:
        w = table.get(k)
        if w is not None:
            out[0] += w[0]
            out[1] += w[1]
            out[2] += w[2]
    return out


def _predict(
    vector: Sequence[float], model: _Model, extra: Sequence[float] = (0.0, 0.0, 0.0)
) -> tuple[float, float, float]:
    """Class probabilities (negative, neutral, positive) of a feature vector.

    Most features are zero for any one mention, so only the others are
    multiplied, in order: a zero adds nothing to a sum but (at most) the sign
    of a zero, so the logits are those of the full dot products.
    """
    (w0, w1, w2), (b0, b1, b2) = model.weights, model.bias
    s0 = s1 = s2 = 0.0
    for k in compress(range(len(vector)), vector):
        x = vector[k]
        s0 += w0[k] * x
        s1 += w1[k] * x
        s2 += w2[k] * x
    z0, z1, z2 = b0 + extra[0] + s0, b1 + extra[1] + s1, b2 + extra[2] + s2
    top = max(z0, z1, z2)
    exp = math.exp
    e0, e1, e2 = exp(z0 - top), exp(z1 - top), exp(z2 - top)
    total = e0 + e1 + e2
    return e0 / total, e1 / total, e2 / total


#: P(positive) - P(negative) at the positive cut point, on the log-odds scale of ``mention_score``.
_CUT = math.atanh(POSITIVE_THRESHOLD)


def mention_score(neg: float, neu: float, pos: float, temperature: float = 1.0) -> float:
    """The mention score from the calibrated class probabilities: P(positive) - P(negative), de-sharpened.

    The trainer sharpens the model (logits divided by ``temperature`` < 1) so
    that ``polarity()``'s fixed cut points give the best classes; that alone
    would push most scores to -1, 0 or 1 and rank a strong framing no higher
    than a moderate one.  So the class comes from the calibrated difference
    d = P(pos) - P(neg), and how far beyond the cut point the score goes is
    read on the unsharpened scale: with q = atanh(d) (exactly
    ln((2 pos + neu) / (2 neg + neu)) / 2), a polar score is
    tanh(cut + temperature * (|q| - cut)).  The same class as d, always;
    with ``temperature`` 1, d itself.
    """
    d = pos - neg
    if temperature == 1.0 or NEGATIVE_THRESHOLD < d < POSITIVE_THRESHOLD:
        return max(-1.0, min(1.0, d))
    tiny = 1e-300  # a class whose probability underflowed
    q = 0.5 * math.log(max(2.0 * pos + neu, tiny) / max(2.0 * neg + neu, tiny))
    s = math.tanh(_CUT + temperature * (abs(q) - _CUT))
    return s if d > 0 else -s


def mention_features(
    sentence: str,
    start: int,
    end: int,
    lexicon: Lexicon | None = None,
    domain: dict[str, tuple[float, float]] | None = None,
) -> list[float]:
    """The feature vector (in ``FEATURES`` order); training passes its own ``domain`` table."""
    lexicon = lexicon or default_lexicon()
    p = _parse(sentence, lexicon)
    a, b = _target_tokens(p, start, end)
    table = _domain(lexicon) if domain is None else domain
    vector, _, skip = _features(p, a, b)
    return vector + _domain_features(p, *_context(p, a, b, skip), table)[0]


def mention_evidence(
    sentence: str,
    start: int,
    end: int,
    lexicon: Lexicon | None = None,
    speaker_spans: Sequence[tuple[int, int]] = (),
    model: _Model | None = None,
) -> tuple[float, tuple[str, ...]]:
    """The mention's score and the words that produced it, strongest first.

    ``speaker_spans`` are character ranges of the sentence that the mention is
    known (from quote attribution) to have said; their words are then kept in
    the speaker's voice.  Evidence words are the sentence's own surface forms.
    """
    lexicon = lexicon or default_lexicon()
    p = _parse(sentence, lexicon)
    return _evidence(sentence, p, *_target_tokens(p, start, end), speaker_spans, model or _model(lexicon))


def _evidence(
    sentence: str,
    p: _Parsed,
    a: int,
    b: int,
    speaker_spans: Sequence[tuple[int, int]],
    model: _Model,
    known: tuple[list[int], list[tuple[int, str, Any, bool]]] | None = None,
) -> tuple[float, tuple[str, ...]]:
    """``mention_evidence`` for the mention at tokens [a, b) of a parsed sentence (``known``: ``_known_words``)."""
    pull = model.pull
    vector, contrib, skip = _features(p, a, b, speaker_spans)
    domain_vector, weighted = _domain_fast(p, a, b, skip, pull)
    extra = [0.0, 0.0, 0.0]
    if model.words:
        table = model.words
        extra = _word_extra(p, a, b, model, weighted, known)
        for key in _shape_keys(p, a, b) + _window_keys(p, a, b):
            w = table.get(key)
            if w is not None:
                extra[0] += w[0]
                extra[1] += w[1]
                extra[2] += w[2]
    neg, neu, pos = _predict(vector + domain_vector, model, extra)
    score = round(mention_score(neg, neu, pos, model.temperature), 4)

    # a word's pull toward positive: the class-weight difference of its features
    for i, feature, amount in contrib:
        weighted[i] = weighted.get(i, 0.0) + pull[feature] * amount
    direction = polarity(score)
    # strongest first, ties by position: sorting (-|pull|, token) pairs
    ranked = sorted(
        (-abs(w), i)
        for i, w in weighted.items()
        if abs(w) >= EVIDENCE_MIN_PULL and (direction == 0 or (w > 0) == (direction > 0))
    )
    starts, ends = p.starts, p.ends
    return score, tuple(sentence[starts[i] : ends[i]] for _, i in ranked[:MAX_EVIDENCE])


def mention_sentiment(sentence: str, start: int, end: int, lexicon: Lexicon | None = None) -> float:
    """The sentiment ``sentence`` expresses toward the actor at ``sentence[start:end]``, in [-1, 1].

    Public API (``datasette_framing.mention_sentiment``).  Not the sentence's
    overall tone: "Russia attacked Ukraine" is negative toward Russia and not
    toward Ukraine.  ``polarity()`` turns the score into -1, 0 or 1.
    """
    if not 0 <= start <= end <= len(sentence):
        raise ValueError(f"mention offsets {start}:{end} are outside the sentence (length {len(sentence)})")
    return mention_evidence(sentence, start, end, lexicon)[0]


def polarity(score: float) -> int:
    """-1, 0 or 1 for a mention score, by ``NEGATIVE_THRESHOLD`` and ``POSITIVE_THRESHOLD``.

    Public API (``datasette_framing.polarity``).
    """
    if score >= POSITIVE_THRESHOLD:
        return 1
    if score <= NEGATIVE_THRESHOLD:
        return -1
    return 0


def score_mentions(
    text: str,
    sentences: Sequence[Sentence],
    mentions: Iterable[Mention],
    quotes: Iterable[Quote],
    lexicon: Lexicon,
) -> tuple[Mention, ...]:
    """Every mention with ``sentiment`` and ``sentiment_evidence`` filled.

    A mention that is the attributed speaker of a quote gets the quote's
    words (within this sentence) kept in its own voice, even for indirect
    speech with no quotation marks.
    """
    by_index = {s.index: s for s in sentences}
    # per sentence, the (speaker span, quote span) pairs whose quote reaches into it
    ordered = sorted(sentences, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    spoken: dict[int, list[tuple[int, int, int, int]]] = {}
    for q in quotes:
        if q.speaker_start is None or q.speaker_end is None:
            continue
        k = bisect_right(starts, q.speaker_start) - 1
        if 0 <= k:
            spoken.setdefault(ordered[k].index, []).append((q.speaker_start, q.speaker_end, q.start, q.end))
    model = _model(lexicon)
    # each sentence read once, for all its mentions
    parsed: dict[int, tuple[str, _Parsed, tuple[list[int], list[tuple[int, str, Any, bool]]]]] = {}
    out = []
    for m in mentions:
        s = by_index.get(m.sentence)
        if s is None or not (s.start <= m.start <= m.end <= s.end):
            out.append(m)
            continue
        known = parsed.get(s.index)
        if known is None:
            sentence = text[s.start : s.end]
            # Memoised per article (``parsed``), not across articles: a loader's articles
            # rarely share sentences, while the benchmark corpus (resampled from seeds/) shares
            # most of them, and a shared cache would flatter the load figures.
            p = _parse_sentence(sentence, lexicon)
            known = parsed[s.index] = (sentence, p, _known_words(p, model))
        sentence, p, words = known
        spans = [
            (max(qs, s.start) - s.start, min(qe, s.end) - s.start)
            for ss, se, qs, qe in spoken.get(s.index, ())
            if ss <= m.start and m.end <= se and qs < s.end and qe > s.start
        ]
        a, b = _target_tokens(p, m.start - s.start, m.end - s.start)
        score, evidence = _evidence(sentence, p, a, b, spans, model, words)
        out.append(_scored(m, score, evidence))
    return tuple(out)


# The last two fields of Mention are the ones ``_scored`` fills (checked at import).
if [f.name for f in fields(Mention)][-2:] != ["sentiment", "sentiment_evidence"] or hasattr(Mention, "__post_init__"):
    raise RuntimeError("records.Mention changed: update sentiment._scored")


def _scored(m: Mention, score: float, evidence: tuple[str, ...]) -> Mention:
    """``dataclasses.replace(m, sentiment=score, sentiment_evidence=evidence)``, built cheaper.

    Why: ``replace`` re-runs the frozen dataclass's ``__init__``, which sets all ten fields
    through ``object.__setattr__`` (a fifteenth of this stage's time).  Copying the
    instance dict and setting the two fields gives an equal object with the same attribute
    order, so equality, hashing, ``asdict`` and pickles are unchanged (as ``actors._mention``)."""
    new = object.__new__(type(m))
    d = new.__dict__
    d.update(m.__dict__)
    d["sentiment"] = score
    d["sentiment_evidence"] = evidence
    return new
