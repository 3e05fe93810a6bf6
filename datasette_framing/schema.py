"""The database schema: the single source of truth for tables, keys, indexes and column meanings.

The loader creates tables from here, ``metadata.yml`` and ``docs/schema.md`` carry the
same descriptions (a test keeps them in step), and the Datasette views read only
what is declared here.  Identifiers used in SQL come from this module, never from
request parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # SQLite type: TEXT, INTEGER, REAL
    description: str
    not_null: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    pk: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    indexes: tuple[tuple[str, ...], ...] = ()
    fts: tuple[str, ...] = ()  # columns indexed for full-text search
    summary: bool = False  # rebuilt by the loader from the data tables

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def create_sql(self) -> str:
        lines = []
        for c in self.columns:
            lines.append(f"  [{c.name}] {c.type}{' NOT NULL' if c.not_null else ''}")
        lines.append(f"  PRIMARY KEY ({', '.join(f'[{k}]' for k in self.pk)})")
        for col, other, other_col in self.foreign_keys:
            lines.append(f"  FOREIGN KEY ([{col}]) REFERENCES [{other}]([{other_col}])")
        body = ",\n".join(lines)
        return f"CREATE TABLE IF NOT EXISTS [{self.name}] (\n{body}\n)"

    def index_sql(self) -> list[str]:
        out = []
        for cols in self.indexes:
            name = f"idx_{self.name}_{'_'.join(cols)}"
            out.append(
                f"CREATE INDEX IF NOT EXISTS [{name}] ON [{self.name}] ({', '.join(f'[{c}]' for c in cols)})"
            )
        return out


C = Column

ARTICLES = Table(
    "articles",
    "One row per article: its metadata, the stored text every offset indexes into, and article-level scores.",
    (
        C("id", "TEXT", "Content hash of the stored text and metadata: the same article loaded twice gets the same id.", True),
        C("source", "TEXT", "Where the article came from: file path, plus '#record' for multi-record files. A changed article from the same source replaces the old one.", True),
        C("format", "TEXT", "Input format: txt, html, json, jsonl or csv."),
        C("title", "TEXT", "Headline, from the header block, the record or recovered from the page text."),
        C("standfirst", "TEXT", "The summary line under the headline, when the page has one."),
        C("outlet", "TEXT", "Publishing outlet (from --outlet, the header, the record, the copyright line or the URL domain)."),
        C("published", "TEXT", "Publication date, ISO 8601 (YYYY-MM-DD)."),
        C("url", "TEXT", "Address of the original article."),
        C("author", "TEXT", "Byline."),
        C("licence", "TEXT", "Licence or attribution line given with the text."),
        C("caption", "TEXT", "Photo caption and credit set apart from the text (not analysed for actors)."),
        C("text", "TEXT", "The stored article text: verbatim blocks of the input, boilerplate removed, blocks joined by a blank line. All offsets index into it."),
        C("paragraph_count", "INTEGER", "Number of body paragraphs (headline, standfirst and subheadings excluded)."),
        C("sentence_count", "INTEGER", "Number of sentences, headings included."),
        C("word_count", "INTEGER", "Number of words in the stored text (textstat lexicon count)."),
        C("flesch_reading_ease", "REAL", "Flesch reading ease (textstat): higher is easier; 60-70 is plain English, below 30 is very difficult."),
        C("flesch_kincaid_grade", "REAL", "Flesch-Kincaid grade level (textstat): US school grade needed to read the text."),
        C("gunning_fog", "REAL", "Gunning fog index (textstat): years of schooling needed on first reading."),
        C("smog_index", "REAL", "SMOG grade (textstat), from polysyllable counts."),
        C("compound_mean", "REAL", "Mean VADER compound score of the article's sentences, in [-1, 1]."),
        C("run_id", "INTEGER", "The load run that wrote this article (_framing_runs.id)."),
    ),
    pk=("id",),
    foreign_keys=(("run_id", "_framing_runs", "id"),),
    indexes=(("source",), ("outlet", "published"), ("published",)),
    fts=("title", "text"),
)

SENTENCES = Table(
    "sentences",
    "One row per sentence (headings included) with its offsets and sentence-level scores.",
    (
        C("id", "TEXT", "Article id and sentence index, 'article:index'.", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("idx", "INTEGER", "Position of the sentence in the article, from 0.", True),
        C("start", "INTEGER", "Start offset of the sentence in articles.text.", True),
        C("end", "INTEGER", "End offset (exclusive) of the sentence in articles.text.", True),
        C("paragraph", "INTEGER", "Index of the block (title, standfirst, heading or paragraph) that holds the sentence."),
        C("block", "TEXT", "Kind of block: title, standfirst, heading or paragraph."),
        C("is_heading", "INTEGER", "1 for the headline and subheadings."),
        C("text", "TEXT", "The sentence text (articles.text[start:end])."),
        C("compound", "REAL", "VADER compound sentiment of the whole sentence, in [-1, 1]; target-blind."),
        C("pos", "REAL", "VADER share of positive weight in the sentence."),
        C("neu", "REAL", "VADER share of neutral weight in the sentence."),
        C("neg", "REAL", "VADER share of negative weight in the sentence."),
        C("hedges", "TEXT", "JSON list of hedging words found (may, reportedly, appear to ...)."),
        C("boosters", "TEXT", "JSON list of certainty boosters found (clearly, will, undoubtedly ...)."),
        C("loaded", "TEXT", "JSON list of loaded-language words found."),
        C("hedge_count", "INTEGER", "Number of hedging words."),
        C("booster_count", "INTEGER", "Number of certainty boosters."),
        C("loaded_count", "INTEGER", "Number of loaded-language words."),
    ),
    pk=("id",),
    foreign_keys=(("article_id", "articles", "id"),),
    indexes=(("article_id", "idx"),),
    fts=("text",),
)

ACTORS = Table(
    "actors",
    "Canonical actors (people, organisations, countries, groups) across the whole database.",
    (
        C("id", "TEXT", "Stable key of the actor, e.g. 'joe-biden', 'russia'.", True),
        C("name", "TEXT", "Canonical name.", True),
        C("kind", "TEXT", "person, organisation, country or group."),
        C("affiliation", "TEXT", "Key of the actor this one belongs to (Blinken -> united-states), for rolling up to a side."),
    ),
    pk=("id",),
    indexes=(("kind",), ("affiliation",)),
)

ALIASES = Table(
    "aliases",
    "Surface forms that resolve to an actor: defaults, user overrides and forms seen in articles.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("alias", "TEXT", "The surface form, e.g. 'Kremlin', 'the US president'.", True),
        C("source", "TEXT", "default (package data), user (--actors file) or article (seen in a loaded article)."),
    ),
    pk=("actor_id", "alias"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("alias",),),
)

MENTIONS = Table(
    "mentions",
    "Every mention of an actor, with its role, prominence, descriptors and the sentiment expressed toward it.",
    (
        C("id", "TEXT", "Article id and mention index, 'article:m:index'.", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("sentence_id", "TEXT", "The sentence holding the mention (sentences.id).", True),
        C("actor_id", "TEXT", "The actor mentioned (actors.id).", True),
        C("start", "INTEGER", "Start offset of the surface form in articles.text.", True),
        C("end", "INTEGER", "End offset (exclusive) of the surface form in articles.text.", True),
        C("surface", "TEXT", "The words as written (articles.text[start:end])."),
        C("role", "TEXT", "Grammatical role: agent (acts), patient (acted upon), speaker, modifier (Russian troops) or other."),
        C("prominence", "TEXT", "headline, standfirst, first_paragraph or body."),
        C("descriptors", "TEXT", "JSON list of labels attached to the mention: titles, appositives, adjectives, noun modifiers."),
        C("sentiment", "REAL", "Sentiment the sentence expresses toward this actor, in [-1, 1] (mention_sentiment; see docs/methods.md)."),
        C("polarity", "INTEGER", "-1, 0 or 1: the sentiment after the documented thresholds (polarity())."),
        C("evidence", "TEXT", "JSON list of the words that produced the sentiment score."),
    ),
    pk=("id",),
    foreign_keys=(
        ("article_id", "articles", "id"),
        ("sentence_id", "sentences", "id"),
        ("actor_id", "actors", "id"),
    ),
    indexes=(("actor_id", "article_id"), ("article_id", "start"), ("sentence_id",)),
)

QUOTES = Table(
    "quotes",
    "Quotes and reported speech with their speaker and cue verb.",
    (
        C("id", "TEXT", "Article id and quote index, 'article:q:index'.", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("sentence_id", "TEXT", "The sentence where the quote starts (sentences.id)."),
        C("start", "INTEGER", "Start offset of the quoted content in articles.text.", True),
        C("end", "INTEGER", "End offset (exclusive) of the quoted content.", True),
        C("text", "TEXT", "The quoted or reported content."),
        C("kind", "TEXT", "direct (a whole quoted utterance), partial (a quoted fragment in reported speech) or indirect (reported speech without quotation marks)."),
        C("speaker_id", "TEXT", "The speaker (actors.id), when resolved."),
        C("speaker_text", "TEXT", "The speaker as written (a name, a pronoun, a role)."),
        C("speaker_start", "INTEGER", "Start offset of speaker_text."),
        C("speaker_end", "INTEGER", "End offset of speaker_text."),
        C("cue", "TEXT", "The cue word(s) as written (said, told, according to)."),
        C("cue_lemma", "TEXT", "Base form of the cue verb (say, tell, warn)."),
        C("cue_class", "TEXT", "Connotation of the cue: neutral, endorsing, distancing, conceding, warning or emotive (docs/methods.md)."),
        C("cue_start", "INTEGER", "Start offset of the cue."),
        C("cue_end", "INTEGER", "End offset of the cue."),
        C("resolution", "TEXT", "How the speaker was found: named, pronoun, role, metonym, floating (previous speaker) or none."),
    ),
    pk=("id",),
    foreign_keys=(
        ("article_id", "articles", "id"),
        ("sentence_id", "sentences", "id"),
        ("speaker_id", "actors", "id"),
    ),
    indexes=(("speaker_id", "article_id"), ("article_id", "start"), ("cue_class",)),
    fts=("text",),
)

FRAMES = Table(
    "frames",
    "News frames found in each sentence, with the words that signalled them.",
    (
        C("sentence_id", "TEXT", "The sentence (sentences.id).", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("frame", "TEXT", "conflict, responsibility, economic, human_interest, morality, security or diplomacy.", True),
        C("terms", "TEXT", "JSON list of the lexicon words matched in the sentence."),
        C("term_count", "INTEGER", "Number of matched words."),
    ),
    pk=("sentence_id", "frame"),
    foreign_keys=(("sentence_id", "sentences", "id"), ("article_id", "articles", "id")),
    indexes=(("article_id", "frame"), ("frame",)),
)

RUNS = Table(
    "_framing_runs",
    "One row per load: version, options, counts and time.",
    (
        C("id", "INTEGER", "Run number.", True),
        C("started", "TEXT", "UTC time the run started, ISO 8601."),
        C("finished", "TEXT", "UTC time the run finished (empty if it was interrupted)."),
        C("version", "TEXT", "datasette-framing version that ran the load."),
        C("options", "TEXT", "JSON of the command-line options and lexicon versions used."),
        C("paths", "TEXT", "JSON list of the input paths."),
        C("loaded", "INTEGER", "Articles written (new or changed)."),
        C("unchanged", "INTEGER", "Articles already in the database, skipped."),
        C("failed", "INTEGER", "Inputs that could not be loaded (see load_errors)."),
        C("sentences", "INTEGER", "Sentences written."),
        C("quotes", "INTEGER", "Quotes written."),
        C("mentions", "INTEGER", "Mentions written."),
        C("seconds", "REAL", "Wall-clock duration of the run."),
        C("status", "TEXT", "running (still loading, or killed: counts are those committed), finished, or interrupted (stopped with Ctrl-C; committed articles kept)."),
    ),
    pk=("id",),
)

LOAD_ERRORS = Table(
    "load_errors",
    "Inputs that could not be loaded, with the reason; the rest of the load went on.",
    (
        C("id", "INTEGER", "Row number.", True),
        C("run_id", "INTEGER", "The run (_framing_runs.id)."),
        C("path", "TEXT", "The file."),
        C("record", "TEXT", "The record inside the file (line, row or index), if any."),
        C("reason", "TEXT", "Why it failed."),
    ),
    pk=("id",),
    foreign_keys=(("run_id", "_framing_runs", "id"),),
    indexes=(("run_id",),),
)

DATA_TABLES: tuple[Table, ...] = (
    ARTICLES,
    SENTENCES,
    ACTORS,
    ALIASES,
    MENTIONS,
    QUOTES,
    FRAMES,
)
BOOKKEEPING_TABLES: tuple[Table, ...] = (RUNS, LOAD_ERRORS)
#: Summary tables are appended by the writer/framing work (actor x outlet, actor x article, outlet).
SUMMARY_TABLES: tuple[Table, ...] = ()


def all_tables() -> tuple[Table, ...]:
    return BOOKKEEPING_TABLES + DATA_TABLES + SUMMARY_TABLES


def table(name: str) -> Table:
    for t in all_tables():
        if t.name == name:
            return t
    raise KeyError(name)
