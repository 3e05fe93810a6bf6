"""Plain records passed between the pipeline stages.

Data flows one way: ingest -> clean -> split -> extract -> score -> write.
Each stage takes the records of the stage before and returns its own; none
of them mutates its input.  Every offset is a character offset into
``Document.text``, the stored article text, so that anything the tool reports
can be traced back to the very characters behind it.

The ``Analysis.to_dict()`` shape is a public interface (``docs/analysis-format.md``):
add keys if you must, never rename or remove them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Block kinds, in reading order of a typical article.
BLOCK_KINDS = ("title", "standfirst", "heading", "paragraph")
#: Grammatical roles a mention can take.
ROLES = ("agent", "patient", "speaker", "modifier", "other")
#: Where in the article a mention stands.
PROMINENCES = ("headline", "standfirst", "first_paragraph", "body")
#: Kinds of actor.
ACTOR_KINDS = ("person", "organisation", "country", "group")
#: Kinds of quote.
QUOTE_KINDS = ("direct", "partial", "indirect")


@dataclass(frozen=True)
class Source:
    """One article as read from an input file, before any text logic.

    ``record`` names the record inside a multi-record file (JSONL line, CSV
    row, JSON array index) and is ``None`` for one-article files.
    """

    path: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    record: str | None = None
    format: str = "txt"


@dataclass(frozen=True)
class LoadError:
    """An input that could not be read or analysed, and why."""

    path: str
    reason: str
    record: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph-level span of the stored text: title, standfirst, heading or paragraph."""

    index: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Document:
    """A cleaned article: the kept text, its blocks and its metadata.

    ``text`` is made of verbatim pieces of the input (blocks joined by a blank
    line); boilerplate and photo captions are not in it.  ``removed`` keeps the
    dropped lines so that cleaning can be audited.
    """

    text: str
    blocks: tuple[Block, ...]
    metadata: dict[str, Any]
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    block: str  # one of BLOCK_KINDS

    @property
    def is_heading(self) -> bool:
        return self.block in ("title", "heading")


@dataclass(frozen=True)
class Actor:
    """A canonical actor: ``key`` is stable across articles and databases."""

    key: str
    name: str
    kind: str  # one of ACTOR_KINDS
    affiliation: str | None = None  # key of the actor it belongs to (Blinken -> united-states)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    actor: str  # Actor.key
    start: int
    end: int
    surface: str
    sentence: int
    role: str = "other"  # one of ROLES
    prominence: str = "body"  # one of PROMINENCES
    descriptors: tuple[str, ...] = ()
    sentiment: float | None = None
    sentiment_evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # one of QUOTE_KINDS
    sentence: int
    speaker: str | None = None  # Actor.key
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # the cue word(s) as written
    cue_lemma: str | None = None
    cue_class: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    resolution: str | None = None  # named, pronoun, role, floating, metonym, none


@dataclass(frozen=True)
class SentenceScores:
    """Scores of one sentence; ``frames`` maps frame name to matched words."""

    compound: float
    pos: float
    neu: float
    neg: float
    frames: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hedges: tuple[str, ...] = ()
    boosters: tuple[str, ...] = ()
    loaded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """The full analysis of one article: a pure function of its text and metadata."""

    article: dict[str, Any]
    text: str
    paragraphs: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    scores: tuple[SentenceScores, ...]
    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]

    def to_dict(self) -> dict[str, Any]:
        """The documented, JSON-serialisable form (``docs/analysis-format.md``)."""
        sentences = []
        for sentence, score in zip(self.sentences, self.scores):
            sentences.append(
                {
                    "index": sentence.index,
                    "start": sentence.start,
                    "end": sentence.end,
                    "text": self.text[sentence.start : sentence.end],
                    "paragraph": sentence.paragraph,
                    "block": sentence.block,
                    "is_heading": sentence.is_heading,
                    "compound": score.compound,
                    "pos": score.pos,
                    "neu": score.neu,
                    "neg": score.neg,
                    "frames": {k: list(v) for k, v in score.frames.items()},
                    "hedges": list(score.hedges),
                    "boosters": list(score.boosters),
                    "loaded": list(score.loaded),
                }
            )
        return {
            "article": dict(self.article),
            "text": self.text,
            "paragraphs": [asdict(b) for b in self.paragraphs],
            "sentences": sentences,
            "actors": [
                {
                    "key": a.key,
                    "name": a.name,
                    "kind": a.kind,
                    "affiliation": a.affiliation,
                    "aliases": list(a.aliases),
                }
                for a in self.actors
            ],
            "mentions": [
                {
                    "actor": m.actor,
                    "start": m.start,
                    "end": m.end,
                    "surface": m.surface,
                    "sentence": m.sentence,
                    "role": m.role,
                    "prominence": m.prominence,
                    "descriptors": list(m.descriptors),
                    "sentiment": m.sentiment,
                    "sentiment_evidence": list(m.sentiment_evidence),
                }
                for m in self.mentions
            ],
            "quotes": [asdict(q) for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Analysis":
        """Rebuild an Analysis from ``to_dict()`` output (``load --from-analyses``)."""
        sentences = tuple(
            Sentence(s["index"], s["start"], s["end"], s["paragraph"], s["block"])
            for s in data["sentences"]
        )
        scores = tuple(
            SentenceScores(
                s["compound"],
                s["pos"],
                s["neu"],
                s["neg"],
                {k: tuple(v) for k, v in s.get("frames", {}).items()},
                tuple(s.get("hedges", ())),
                tuple(s.get("boosters", ())),
                tuple(s.get("loaded", ())),
            )
            for s in data["sentences"]
        )
        return cls(
            article=dict(data["article"]),
            text=data["text"],
            paragraphs=tuple(Block(**b) for b in data["paragraphs"]),
            sentences=sentences,
            scores=scores,
            actors=tuple(
                Actor(a["key"], a["name"], a["kind"], a.get("affiliation"), tuple(a.get("aliases", ())))
                for a in data["actors"]
            ),
            mentions=tuple(
                Mention(
                    m["actor"],
                    m["start"],
                    m["end"],
                    m["surface"],
                    m["sentence"],
                    m.get("role", "other"),
                    m.get("prominence", "body"),
                    tuple(m.get("descriptors", ())),
                    m.get("sentiment"),
                    tuple(m.get("sentiment_evidence", ())),
                )
                for m in data["mentions"]
            ),
            quotes=tuple(Quote(**q) for q in data["quotes"]),
        )


@dataclass(frozen=True)
class Extraction:
    """What the extract stage finds in one document."""

    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
