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

    def index_name(self, cols: tuple[str, ...]) -> str:
        return f"idx_{self.name}_{'_'.join(c.lstrip('-') + ('_desc' if c.startswith('-') else '') for c in cols)}"

    def index_sql(self) -> list[str]:
        """CREATE INDEX statements; a column written '-name' is indexed in descending order."""
        out = []
        for cols in self.indexes:
            spec = ", ".join(f"[{c[1:]}] DESC" if c.startswith("-") else f"[{c}]" for c in cols)
            out.append(f"CREATE INDEX IF NOT EXISTS [{self.index_name(cols)}] ON [{self.name}] ({spec})")
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
        C("input_hash", "TEXT", "Hash of the raw input (text, metadata, format) and of the analysis code and word lists that produced these rows: a reload skips an input whose hash is stored without analysing it again, and rewrites the article when the code or lists changed. Empty for articles loaded from analyses."),
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
        C("boosters", "TEXT", "JSON list of certainty boosters found (clearly, certainly, undoubtedly ...; not the future 'will': docs/methods.md)."),
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
    # name: the canned queries walk every actor in name order over a date range
    indexes=(("kind",), ("affiliation",), ("name",)),
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
    "Quotes and reported speech with their speaker and cue verb, every kind (a partial quote inside reported speech is also inside its indirect row: count statements as docs/methods.md, Voice share, explains).",
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
    # sentence_id: the foreign key to sentences; without it every deleted sentence made
    # SQLite scan all quotes, and replacing an article cost seconds at 10,000 articles.
    indexes=(("speaker_id", "article_id"), ("article_id", "start"), ("cue_class",), ("sentence_id",)),
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
        C("options", "TEXT", "JSON of the command-line options and lexicon versions used, and under \"phases\" the wall seconds of each phase of the load (schema, analysis, write, indexes, fts, summaries, optimize)."),
        C("paths", "TEXT", "JSON list of the input paths."),
        C("loaded", "INTEGER", "Articles written (new or changed)."),
        C("unchanged", "INTEGER", "Articles already in the database, skipped."),
        C("failed", "INTEGER", "Inputs that could not be loaded (see load_errors)."),
        C("sentences", "INTEGER", "Sentences written."),
        C("quotes", "INTEGER", "Quotes written."),
        C("mentions", "INTEGER", "Mentions written."),
        C("seconds", "REAL", "Wall-clock duration of the run."),
        C("status", "TEXT", "running (still loading, or killed: counts are those committed), finished, interrupted (stopped with Ctrl-C; committed articles kept) or failed (stopped because a word list or alias table could not be read)."),
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


# --- Summary tables -----------------------------------------------------------------------
# Rebuilt by ``datasette_framing.summaries.rebuild()`` at the end of every load, so the
# Datasette pages read a few thousand pre-aggregated rows through covering indexes instead
# of scanning millions of mentions.  Sentiment sums and sums of squares are kept beside the
# means so that any roll-up (several outlets, a date range) can recompute an exact
# t-interval with framing_t_low(n, sum, sum_sq) / framing_t_high(...) (docs/methods.md).

_SENTIMENT_COLUMNS = (
    C("scored", "INTEGER", "Mentions with a sentiment score (the n of the interval)."),
    C("sentiment_sum", "REAL", "Sum of mention sentiment (for exact roll-ups of the mean and interval)."),
    C("sentiment_sumsq", "REAL", "Sum of squared mention sentiment (for exact roll-ups of the interval)."),
    C("mean_sentiment", "REAL", "Mean sentiment toward the actor over its scored mentions, in [-1, 1]."),
    C("ci_low", "REAL", "Lower bound of the 95% Student-t interval of mean_sentiment (clipped to -1; empty below 2 mentions)."),
    C("ci_high", "REAL", "Upper bound of the 95% Student-t interval of mean_sentiment (clipped to 1; empty below 2 mentions)."),
    C("neg", "INTEGER", "Mentions with polarity -1 (negative)."),
    C("neu", "INTEGER", "Mentions with polarity 0 (neutral)."),
    C("pos", "INTEGER", "Mentions with polarity 1 (positive)."),
    C("agent", "INTEGER", "Mentions in the agent role (the actor acts)."),
    C("patient", "INTEGER", "Mentions in the patient role (the actor is acted upon)."),
    C("speaker", "INTEGER", "Mentions as the written speaker of a quote."),
    C("quotes", "INTEGER", "Statements attributed to the actor (quotes.speaker_id): direct and indirect quotes, plus partial quotes not inside one of them (docs/methods.md, Voice share)."),
)

ACTOR_OUTLET_STATS = Table(
    "actor_outlet_stats",
    "Summary: one row per actor x outlet: how often and how each outlet covers each actor (rebuilt by the loader).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("actor_name", "TEXT", "Canonical name of the actor (copied from actors for sorting)."),
        C("actor_kind", "TEXT", "person, organisation, country or group (copied from actors for filtering)."),
        C("mentions", "INTEGER", "Mentions of the actor in this outlet's articles."),
        C("articles", "INTEGER", "Articles of this outlet that mention or quote the actor."),
        C("sentences", "INTEGER", "Sentences of this outlet that mention the actor (the base of the frame shares)."),
        *_SENTIMENT_COLUMNS,
        C("neg_share", "REAL", "Share of scored mentions that are negative (neg / scored)."),
        C("neu_share", "REAL", "Share of scored mentions that are neutral (neu / scored)."),
        C("pos_share", "REAL", "Share of scored mentions that are positive (pos / scored)."),
        C("agent_share", "REAL", "Share of mentions where the actor is the agent (agent / mentions)."),
        C("patient_share", "REAL", "Share of mentions where the actor is the patient (patient / mentions)."),
        C("voice_share", "REAL", "Voice share: statements by the actor (quotes) / mentions of the actor (can exceed 1 when statements are attributed through pronouns)."),
        C("headline", "INTEGER", "Mentions in headlines."),
        C("standfirst", "INTEGER", "Mentions in standfirsts."),
        C("first_paragraph", "INTEGER", "Mentions in the first body paragraph."),
        C("body", "INTEGER", "Mentions further down the body."),
        C("top_cue_classes", "TEXT", "JSON object cue class -> number of the actor's statements with a cue verb of that class, most frequent first."),
        C("top_frames", "TEXT", "JSON object frame -> number of sentences mentioning the actor that carry the frame, most frequent first."),
        C("top_labels", "TEXT", "JSON object label -> uses: the descriptors this outlet attaches to the actor most often (top 10)."),
        C("first_published", "TEXT", "Earliest publication date among the articles counted."),
        C("last_published", "TEXT", "Latest publication date among the articles counted."),
        C("too_few", "INTEGER", "1 when fewer than MIN_MENTIONS (10) scored mentions: the mean and shares are shown but should not be compared."),
    ),
    pk=("actor_id", "outlet"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("outlet", "actor_id"), ("mentions",), ("actor_kind", "mentions"), ("actor_name", "outlet")),
    summary=True,
)

ACTOR_ARTICLE_STATS = Table(
    "actor_article_stats",
    "Summary: one row per actor x article, with the article's outlet and date so that filtered roll-ups need no join (rebuilt by the loader).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("outlet", "TEXT", "Outlet of the article (copied from articles)."),
        C("published", "TEXT", "Publication date of the article (copied from articles)."),
        C("mentions", "INTEGER", "Mentions of the actor in the article."),
        C("sentences", "INTEGER", "Sentences of the article that mention the actor."),
        *_SENTIMENT_COLUMNS,
        C("headline", "INTEGER", "Mentions in the headline (0 when the actor is not in it)."),
        C("standfirst", "INTEGER", "Mentions in the standfirst."),
        C("first_paragraph", "INTEGER", "Mentions in the first body paragraph."),
        C("body", "INTEGER", "Mentions further down the body."),
        C("first_mention", "INTEGER", "Character offset of the first mention in articles.text (how early the actor appears)."),
        C("too_few", "INTEGER", "1 when fewer than MIN_MENTIONS (10) scored mentions in this article (nearly always: compare outlets, not single articles)."),
    ),
    pk=("actor_id", "article_id"),
    foreign_keys=(("actor_id", "actors", "id"), ("article_id", "articles", "id")),
    indexes=(
        ("article_id",),
        ("actor_id", "outlet", "published"),
        ("actor_id", "published"),
        ("outlet", "published"),
        ("published",),
        ("published", "quotes", "outlet", "actor_id"),  # covering: who is quoted over a few days
    ),
    summary=True,
)

OUTLET_STATS = Table(
    "outlet_stats",
    "Summary: one row per outlet: volume, readability, sentiment, hedging and who it quotes (rebuilt by the loader).",
    (
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("articles", "INTEGER", "Articles loaded from the outlet."),
        C("sentences", "INTEGER", "Sentences in those articles, headings included."),
        C("words", "INTEGER", "Words in those articles (sum of articles.word_count)."),
        C("mentions", "INTEGER", "Actor mentions in those articles."),
        C("quotes", "INTEGER", "Statements in those articles (docs/methods.md, Voice share; the quotes table holds every kind)."),
        C("attributed_quotes", "INTEGER", "Statements with a resolved speaker."),
        C("first_published", "TEXT", "Earliest publication date."),
        C("last_published", "TEXT", "Latest publication date."),
        C("mean_flesch_reading_ease", "REAL", "Mean Flesch reading ease of the articles (higher is easier)."),
        C("mean_flesch_kincaid_grade", "REAL", "Mean Flesch-Kincaid grade of the articles."),
        C("mean_gunning_fog", "REAL", "Mean Gunning fog index of the articles."),
        C("mean_smog_index", "REAL", "Mean SMOG grade of the articles that have one (3 sentences or more)."),
        C("mean_compound", "REAL", "Mean VADER compound score over all the outlet's sentences (target-blind)."),
        C("compound_ci_low", "REAL", "Lower bound of the 95% Student-t interval of mean_compound."),
        C("compound_ci_high", "REAL", "Upper bound of the 95% Student-t interval of mean_compound."),
        C("hedges_per_100_sentences", "REAL", "Hedging words per 100 sentences."),
        C("boosters_per_100_sentences", "REAL", "Certainty boosters per 100 sentences."),
        C("loaded_per_100_sentences", "REAL", "Loaded-language words per 100 sentences."),
        C("top_quoted", "TEXT", "JSON list of the most-quoted actors by statements: [{actor_id, name, quotes}], at most 10."),
        C("top_frames", "TEXT", "JSON object frame -> sentences carrying it, most frequent first."),
    ),
    pk=("outlet",),
    summary=True,
)

ARTICLE_FRAMES = Table(
    "article_frames",
    "Summary: the frame mix of each article: how many of its sentences carry each frame, and the words that signalled it.",
    (
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("frame", "TEXT", "conflict, responsibility, economic, human_interest, morality, security or diplomacy (data/frames.yml).", True),
        C("outlet", "TEXT", "Outlet of the article (copied from articles)."),
        C("published", "TEXT", "Publication date of the article (copied from articles)."),
        C("sentences", "INTEGER", "Sentences of the article that carry the frame."),
        C("share", "REAL", "sentences / all sentences of the article."),
        C("terms", "INTEGER", "Lexicon words matched for the frame in the article."),
        C("top_terms", "TEXT", "JSON object word -> uses, most frequent first: the evidence behind the count."),
    ),
    pk=("article_id", "frame"),
    foreign_keys=(("article_id", "articles", "id"),),
    # (published, outlet, frame, sentences, terms) covers the days at either end of a date range
    indexes=(("frame",), ("outlet", "frame"), ("published", "outlet", "frame", "sentences", "terms")),
    summary=True,
)

OUTLET_FRAMES = Table(
    "outlet_frames",
    "Summary: the frame mix per outlet: sentences and articles carrying each frame (rebuilt by the loader).",
    (
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("articles", "INTEGER", "Articles of the outlet with at least one sentence carrying the frame."),
        C("sentences", "INTEGER", "Sentences of the outlet carrying the frame."),
        C("share", "REAL", "sentences / all sentences of the outlet."),
        C("terms", "INTEGER", "Lexicon words matched for the frame."),
    ),
    pk=("outlet", "frame"),
    summary=True,
)

ACTOR_FRAMES = Table(
    "actor_frames",
    "Summary: the frame mix per actor x outlet: frames of the sentences that mention the actor.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences mentioning the actor that carry the frame."),
        C("share", "REAL", "sentences / all sentences mentioning the actor in this outlet."),
        C("terms", "INTEGER", "Lexicon words matched for the frame in those sentences."),
    ),
    pk=("actor_id", "outlet", "frame"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("outlet", "frame"),),
    summary=True,
)

ACTOR_CUES = Table(
    "actor_cues",
    "Summary: the cue-verb connotation classes of each actor's statements, per outlet (docs/quotes.md).",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("cue_class", "TEXT", "neutral, endorsing, distancing, conceding, warning, emotive; 'none' when the quote has no cue verb.", True),
        C("quotes", "INTEGER", "Statements by the actor with a cue of this class."),
        C("share", "REAL", "quotes / all the actor's statements in this outlet."),
        C("top_cues", "TEXT", "JSON object cue lemma -> uses, most frequent first."),
    ),
    pk=("actor_id", "outlet", "cue_class"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("outlet", "cue_class"),),
    summary=True,
)

LABELS = Table(
    "labels",
    "Summary: one row per descriptor attached to a mention (mentions.descriptors unnested), with outlet and date for counting.",
    (
        C("mention_id", "TEXT", "The mention (mentions.id).", True),
        C("label", "TEXT", "The descriptor: a title, appositive, adjective or noun modifier, lower-cased (acronyms and proper names keep their capitals).", True),
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("actor_id", "TEXT", "The actor the label is attached to (actors.id).", True),
        C("outlet", "TEXT", "Outlet of the article."),
        C("published", "TEXT", "Publication date of the article."),
    ),
    pk=("mention_id", "label"),
    # no foreign key to mentions: the writer deletes an article's mentions before this table's rows
    foreign_keys=(("article_id", "articles", "id"), ("actor_id", "actors", "id")),
    indexes=(("actor_id", "outlet", "label"), ("actor_id", "published"), ("article_id",), ("label",)),
    summary=True,
)

LABEL_LOG_ODDS = Table(
    "label_log_odds",
    "Summary: which labels an outlet uses for an actor more than other outlets do: log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet compared with all other outlets together."),
        C("label", "TEXT", "The descriptor (labels.label).", True),
        C("uses", "INTEGER", "Uses of the label for the actor in this outlet (y_iw)."),
        C("other_uses", "INTEGER", "Uses of the label for the actor in all other outlets (y_jw)."),
        C("outlet_labels", "INTEGER", "All label uses for the actor in this outlet (n_i)."),
        C("other_labels", "INTEGER", "All label uses for the actor in other outlets (n_j)."),
        C("log_odds", "REAL", "Log-odds ratio of the label in this outlet vs the rest, shrunk by the corpus prior (delta)."),
        C("z", "REAL", "log_odds divided by its standard error: above 1.96 the outlet uses the label distinctly more, below -1.96 distinctly less."),
    ),
    pk=("actor_id", "outlet", "label"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "outlet", "-z"),),
    summary=True,
)

ACTOR_LABEL_Z = Table(
    "actor_label_z",
    "Summary: per actor, the largest |z| in label_log_odds, so that distinctive_labels skips the actors with no label past its threshold (rebuilt with label_log_odds).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("max_abs_z", "REAL", "Largest absolute z among the actor's rows of label_log_odds."),
    ),
    pk=("actor_id",),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

_ROLLUP_DESC = (
    "Counts and sums only, so any roll-up is exact: mean = sentiment_sum / scored, interval = "
    "framing_t_low(scored, sentiment_sum, sentiment_sumsq) / framing_t_high(...)."
)

#: The additive columns every rolled-up actor table carries (no means: they do not add up).
_ROLLUP_COLUMNS = (
    C("mentions", "INTEGER", "Mentions of the actor."),
    C("articles", "INTEGER", "Articles that mention or quote the actor."),
    C("sentences", "INTEGER", "Sentences that mention the actor (the base of the frame shares)."),
    C("scored", "INTEGER", "Mentions with a sentiment score (the n of the interval)."),
    C("sentiment_sum", "REAL", "Sum of mention sentiment."),
    C("sentiment_sumsq", "REAL", "Sum of squared mention sentiment."),
    C("neg", "INTEGER", "Mentions with polarity -1 (negative)."),
    C("neu", "INTEGER", "Mentions with polarity 0 (neutral)."),
    C("pos", "INTEGER", "Mentions with polarity 1 (positive)."),
    C("agent", "INTEGER", "Mentions in the agent role (the actor acts)."),
    C("patient", "INTEGER", "Mentions in the patient role (the actor is acted upon)."),
    C("speaker", "INTEGER", "Mentions as the written speaker of a quote."),
    C("quotes", "INTEGER", "Statements attributed to the actor (docs/methods.md, Voice share)."),
    C("headline", "INTEGER", "Mentions in headlines."),
    C("standfirst", "INTEGER", "Mentions in standfirsts."),
    C("first_paragraph", "INTEGER", "Mentions in first body paragraphs."),
    C("body", "INTEGER", "Mentions further down the body."),
)
ROLLUP_COLUMNS = tuple(c.name for c in _ROLLUP_COLUMNS)

_MONTH = C("month", "TEXT", "Publication month, YYYY-MM (empty for undated articles, which no date range selects).")

ACTOR_STATS = Table(
    "actor_stats",
    "Summary: one row per actor over every outlet and date: the dashboard's ranking without filters (rebuilt by the loader).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("actor_name", "TEXT", "Canonical name of the actor (copied from actors)."),
        C("actor_kind", "TEXT", "person, organisation, country or group (copied from actors)."),
        *_ROLLUP_COLUMNS,
        C("outlets", "INTEGER", "Outlets whose articles mention the actor."),
        C("mean_sentiment", "REAL", "Mean sentiment toward the actor over its scored mentions, in [-1, 1]."),
        C("ci_low", "REAL", "Lower bound of the 95% Student-t interval of mean_sentiment."),
        C("ci_high", "REAL", "Upper bound of the 95% Student-t interval of mean_sentiment."),
        C("first_published", "TEXT", "Earliest publication date among the articles counted."),
        C("last_published", "TEXT", "Latest publication date among the articles counted."),
        C("too_few", "INTEGER", "1 when fewer than MIN_MENTIONS (10) scored mentions."),
    ),
    pk=("actor_id",),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("mentions",), ("actor_kind", "mentions")),
    summary=True,
)

ACTOR_MONTH_STATS = Table(
    "actor_month_stats",
    "Summary: one row per actor x publication month over every outlet: date ranges on the dashboard. " + _ROLLUP_DESC,
    (C("actor_id", "TEXT", "The actor (actors.id).", True), _MONTH, *_ROLLUP_COLUMNS),
    pk=("actor_id", "month"),
    foreign_keys=(("actor_id", "actors", "id"),),
    # Covering for the dashboard's ranking over dates (actor_summary_page sums mentions and
    # quotes of every actor of the months): read from the index alone, no lookup per row.
    indexes=(("month", "actor_id", "mentions", "quotes"),),
    summary=True,
)

_DAY = C("day", "TEXT", "Publication date, YYYY-MM-DD as published (empty for undated articles).")

ACTOR_DAY_STATS = Table(
    "actor_day_stats",
    "Summary: one row per actor x publication day over every outlet: the days at the ends of a date range on the dashboard. "
    + _ROLLUP_DESC,
    (C("actor_id", "TEXT", "The actor (actors.id).", True), _DAY, *_ROLLUP_COLUMNS),
    pk=("actor_id", "day"),
    foreign_keys=(("actor_id", "actors", "id"),),
    # Covering for the ranking's days at the ends of a range, as actor_month_stats' index.
    indexes=(("day", "actor_id", "mentions", "quotes"),),
    summary=True,
)

ACTOR_DAY_FRAMES = Table(
    "actor_day_frames",
    "Summary: the frames of the sentences mentioning each actor, per publication day over every outlet.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        _DAY,
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences mentioning the actor that carry the frame."),
    ),
    pk=("actor_id", "day", "frame"),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

ACTOR_DAY_CUES = Table(
    "actor_day_cues",
    "Summary: the cue-verb classes of each actor's statements, per publication day over every outlet.",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        _DAY,
        C("cue_class", "TEXT", "Connotation class of the cue verb; 'none' when the statement has none.", True),
        C("quotes", "INTEGER", "Statements by the actor with a cue of this class."),
    ),
    pk=("actor_id", "day", "cue_class"),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

ACTOR_OUTLET_MONTH_STATS = Table(
    "actor_outlet_month_stats",
    "Summary: one row per actor x outlet x publication month: date ranges on the actor, compare and dashboard pages. "
    + _ROLLUP_DESC,
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        *_ROLLUP_COLUMNS,
    ),
    pk=("actor_id", "outlet", "month"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("outlet", "month"), ("actor_id", "month"), ("month", "quotes", "outlet", "actor_id")),
    summary=True,
)

ACTOR_MONTH_FRAME_TOTALS = Table(
    "actor_month_frame_totals",
    "Summary: the frames of the sentences mentioning each actor, per publication month over every outlet "
    "(actor_day_frames added up): date ranges on the dashboard.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        _MONTH,
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences mentioning the actor that carry the frame."),
    ),
    pk=("actor_id", "month", "frame"),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

ACTOR_MONTH_CUE_CLASSES = Table(
    "actor_month_cue_classes",
    "Summary: the cue-verb classes of each actor's statements, per publication month over every outlet "
    "(actor_day_cues added up): date ranges on the dashboard.",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        _MONTH,
        C("cue_class", "TEXT", "Connotation class of the cue verb; 'none' when the statement has none.", True),
        C("quotes", "INTEGER", "Statements by the actor with a cue of this class."),
    ),
    pk=("actor_id", "month", "cue_class"),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

ACTOR_OUTLET_DAY_STATS = Table(
    "actor_outlet_day_stats",
    "Summary: one row per actor x outlet x publication day: the days at the ends of a date range on the actor, "
    "compare and dashboard pages (actor_outlet_month_stats adds these up). " + _ROLLUP_DESC,
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _DAY,
        *_ROLLUP_COLUMNS,
    ),
    # Written in key order, so an actor's days are neighbouring rows: the key's index finds
    # them and the rows follow it page by page (no covering index to build at load time).
    pk=("actor_id", "day", "outlet"),
    foreign_keys=(("actor_id", "actors", "id"),),
    summary=True,
)

ACTOR_MONTH_FRAMES = Table(
    "actor_month_frames",
    "Summary: the frames of the sentences mentioning each actor, per outlet and publication month.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences mentioning the actor that carry the frame."),
        C("terms", "INTEGER", "Lexicon words matched for the frame in those sentences."),
    ),
    pk=("actor_id", "outlet", "month", "frame"),
    foreign_keys=(("actor_id", "actors", "id"),),
    # covering: an actor's rows over a date range are read from the index alone
    indexes=(("actor_id", "month", "outlet", "frame", "sentences", "terms"),),
    summary=True,
)

ACTOR_MONTH_CUES = Table(
    "actor_month_cues",
    "Summary: the cue verbs of each actor's statements, per outlet and publication month (docs/quotes.md).",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        C("cue_class", "TEXT", "Connotation class of the cue verb; 'none' when the statement has none.", True),
        C("cue", "TEXT", "The cue verb's lemma (quotes.cue_lemma, else the cue as written); '(none)' without one.", True),
        C("quotes", "INTEGER", "Statements by the actor with this cue."),
        C("articles", "INTEGER", "Articles with such a statement."),
    ),
    pk=("actor_id", "outlet", "month", "cue_class", "cue"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "month", "outlet", "cue_class", "cue", "quotes"),),
    summary=True,
)

ACTOR_CUE_VERBS = Table(
    "actor_cue_verbs",
    "Summary: the cue verbs of each actor's statements, per outlet, over every date (actor_month_cues summed).",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("cue_class", "TEXT", "Connotation class of the cue verb; 'none' when the statement has none.", True),
        C("cue", "TEXT", "The cue verb's lemma (quotes.cue_lemma, else the cue as written); '(none)' without one.", True),
        C("quotes", "INTEGER", "Statements by the actor with this cue."),
        C("articles", "INTEGER", "Articles with such a statement."),
    ),
    pk=("actor_id", "outlet", "cue_class", "cue"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "outlet", "-quotes", "cue"),),
    summary=True,
)

ACTOR_OUTLET_LABELS = Table(
    "actor_outlet_labels",
    "Summary: how often each outlet attaches each label to each actor, over every date (the labels table counted).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("label", "TEXT", "The descriptor (labels.label).", True),
        C("mentions", "INTEGER", "Mentions carrying the label."),
        C("articles", "INTEGER", "Articles with such a mention."),
    ),
    pk=("actor_id", "outlet", "label"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "outlet", "-mentions", "label"),),
    summary=True,
)

OUTLET_MONTH_SPEAKERS = Table(
    "outlet_month_speakers",
    "Summary: statements per outlet x publication month x speaker, for speakers with any (who an outlet quotes over a date range).",
    (
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        C("speaker_id", "TEXT", "The speaker (actors.id).", True),
        C("statements", "INTEGER", "Statements by the speaker (docs/methods.md, Voice share)."),
    ),
    pk=("month", "outlet", "speaker_id"),
    # the second: an outlet's most-quoted speakers of a month, first (speakers over dates on the dashboard)
    indexes=(("month", "outlet", "speaker_id", "statements"), ("month", "outlet", "-statements", "speaker_id")),
    summary=True,
)

OUTLET_MONTH_FRAMES = Table(
    "outlet_month_frames",
    "Summary: sentences carrying each frame, per outlet and publication month.",
    (
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences of the outlet carrying the frame."),
        C("terms", "INTEGER", "Lexicon words matched for the frame in those sentences."),
    ),
    pk=("month", "outlet", "frame"),
    indexes=(("month", "outlet", "frame", "sentences", "terms"),),
    summary=True,
)

ACTOR_MONTH_LABELS = Table(
    "actor_month_labels",
    "Summary: how often each outlet attaches each label to each actor, per publication month.",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _MONTH,
        C("label", "TEXT", "The descriptor (labels.label).", True),
        C("mentions", "INTEGER", "Mentions carrying the label."),
        C("articles", "INTEGER", "Articles with such a mention."),
    ),
    pk=("actor_id", "outlet", "month", "label"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "month", "outlet", "label", "mentions"),),
    summary=True,
)

ARTICLE_STATS = Table(
    "article_stats",
    "Summary: one row per article: the sentence, mention and statement counts that outlet figures add up from.",
    (
        C("article_id", "TEXT", "The article (articles.id).", True),
        C("outlet", "TEXT", "Outlet of the article (copied from articles)."),
        C("published", "TEXT", "Publication date of the article (copied from articles)."),
        C("sentences", "INTEGER", "Sentences stored for the article, headings included."),
        C("words", "INTEGER", "Words in the article (articles.word_count)."),
        C("flesch_reading_ease", "REAL", "Flesch reading ease of the article (articles.flesch_reading_ease)."),
        C("flesch_kincaid_grade", "REAL", "Flesch-Kincaid grade of the article (articles.flesch_kincaid_grade)."),
        C("compound_n", "INTEGER", "Sentences with a VADER compound score."),
        C("compound_sum", "REAL", "Sum of the sentences' VADER compound scores."),
        C("compound_sumsq", "REAL", "Sum of their squares (for exact intervals over any set of articles)."),
        C("hedges", "INTEGER", "Hedging words in the article (sum of sentences.hedge_count)."),
        C("boosters", "INTEGER", "Certainty boosters in the article."),
        C("loaded", "INTEGER", "Loaded-language words in the article."),
        C("mentions", "INTEGER", "Actor mentions in the article."),
        C("statements", "INTEGER", "Statements in the article (docs/methods.md, Voice share)."),
        C("attributed", "INTEGER", "Statements with a resolved speaker."),
    ),
    pk=("article_id",),
    foreign_keys=(("article_id", "articles", "id"),),
    # (published, outlet, sentences): frame_mix_by_outlet sums sentences over a date range from it alone
    indexes=(("published", "outlet", "sentences"), ("outlet", "published")),
    summary=True,
)

OUTLET_SPEAKERS = Table(
    "outlet_speakers",
    "Summary: who each outlet quotes, over every date: statements by kind per outlet x speaker (speaker_id empty: unresolved).",
    (
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        C("speaker_id", "TEXT", "The speaker (actors.id); empty for statements whose speaker was not resolved."),
        C("statements", "INTEGER", "Statements by the speaker (direct, indirect, and partial quotes not inside one of them)."),
        C("direct", "INTEGER", "Direct quotes."),
        C("partial", "INTEGER", "Partial quotes counted as statements."),
        C("indirect", "INTEGER", "Indirect (reported) speech."),
        C("partial_inside", "INTEGER", "Quoted fragments inside a statement already counted."),
        C("articles", "INTEGER", "Articles with a statement by the speaker."),
    ),
    pk=("outlet", "speaker_id"),
    indexes=(("outlet", "-statements", "speaker_id"),),
    summary=True,
)

# --- By day, per outlet: the days at the ends of a date range in the canned queries --------
# The monthly tables answer whole months; these answer the days before the first and after
# the last whole month, a few hundred rows instead of the raw quotes, labels and frames of
# those days.  Each article has one date, so ``articles`` adds up over days and months.

ACTOR_OUTLET_DAY_CUES = Table(
    "actor_outlet_day_cues",
    "Summary: the cue verbs of each actor's statements, per outlet and publication day (actor_month_cues adds these up).",
    (
        C("actor_id", "TEXT", "The speaker (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _DAY,
        C("cue_class", "TEXT", "Connotation class of the cue verb; 'none' when the statement has none.", True),
        C("cue", "TEXT", "The cue verb's lemma (quotes.cue_lemma, else the cue as written); '(none)' without one.", True),
        C("quotes", "INTEGER", "Statements by the actor with this cue."),
        C("articles", "INTEGER", "Articles with such a statement."),
    ),
    pk=("actor_id", "day", "outlet", "cue_class", "cue"),
    foreign_keys=(("actor_id", "actors", "id"),),
    # covering: the target actors' rows over a few days come from the index alone
    indexes=(("actor_id", "day", "outlet", "cue_class", "cue", "quotes", "articles"),),
    summary=True,
)

ACTOR_OUTLET_DAY_LABELS = Table(
    "actor_outlet_day_labels",
    "Summary: how often each outlet attaches each label to each actor, per publication day (actor_month_labels adds these up).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _DAY,
        C("label", "TEXT", "The descriptor (labels.label).", True),
        C("mentions", "INTEGER", "Mentions carrying the label."),
        C("articles", "INTEGER", "Articles with such a mention."),
    ),
    pk=("actor_id", "day", "outlet", "label"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "day", "outlet", "label", "mentions", "articles"),),
    summary=True,
)

ACTOR_OUTLET_DAY_FRAMES = Table(
    "actor_outlet_day_frames",
    "Summary: the frames of the sentences mentioning each actor, per outlet and publication day (actor_month_frames adds these up).",
    (
        C("actor_id", "TEXT", "The actor (actors.id).", True),
        C("outlet", "TEXT", "The outlet (articles.outlet)."),
        _DAY,
        C("frame", "TEXT", "The frame (data/frames.yml).", True),
        C("sentences", "INTEGER", "Sentences mentioning the actor that carry the frame."),
        C("terms", "INTEGER", "Lexicon words matched for the frame in those sentences."),
    ),
    pk=("actor_id", "day", "outlet", "frame"),
    foreign_keys=(("actor_id", "actors", "id"),),
    indexes=(("actor_id", "day", "outlet", "frame", "sentences", "terms"),),
    summary=True,
)

_SPEAKER_KIND_COLUMNS = (
    C("speaker_id", "TEXT", "The speaker (actors.id); empty for statements whose speaker was not resolved.", True),
    C("statements", "INTEGER", "Statements by the speaker (direct, indirect, and partial quotes not inside one of them)."),
    C("direct", "INTEGER", "Direct quotes."),
    C("partial", "INTEGER", "Partial quotes counted as statements."),
    C("indirect", "INTEGER", "Indirect (reported) speech."),
    C("partial_inside", "INTEGER", "Quoted fragments inside a statement already counted."),
    C("articles", "INTEGER", "Articles with a statement by the speaker."),
)

OUTLET_SPEAKER_DAYS = Table(
    "outlet_speaker_days",
    "Summary: who each outlet quotes, per publication day: statements by kind per outlet x day x speaker (speaker_id empty: unresolved).",
    (C("outlet", "TEXT", "The outlet (articles.outlet)."), _DAY, *_SPEAKER_KIND_COLUMNS),
    pk=("day", "outlet", "speaker_id"),
    indexes=(("day", "outlet", "speaker_id", "statements", "direct", "partial", "indirect", "partial_inside", "articles"),),
    summary=True,
)

OUTLET_SPEAKER_MONTHS = Table(
    "outlet_speaker_months",
    "Summary: who each outlet quotes, per publication month: outlet_speaker_days added up (outlet_speakers adds these up over every month).",
    (C("outlet", "TEXT", "The outlet (articles.outlet)."), _MONTH, *_SPEAKER_KIND_COLUMNS),
    pk=("month", "outlet", "speaker_id"),
    indexes=(("month", "outlet", "speaker_id", "statements", "direct", "partial", "indirect", "partial_inside", "articles"),),
    summary=True,
)

SUMMARY_TABLES = (
    ACTOR_STATS,
    ACTOR_OUTLET_STATS,
    ACTOR_MONTH_STATS,
    ACTOR_OUTLET_MONTH_STATS,
    ACTOR_OUTLET_DAY_STATS,
    ACTOR_DAY_STATS,
    ACTOR_DAY_FRAMES,
    ACTOR_DAY_CUES,
    ACTOR_MONTH_FRAME_TOTALS,
    ACTOR_MONTH_CUE_CLASSES,
    ACTOR_ARTICLE_STATS,
    OUTLET_STATS,
    ARTICLE_FRAMES,
    OUTLET_FRAMES,
    ACTOR_FRAMES,
    ACTOR_MONTH_FRAMES,
    ACTOR_CUES,
    ACTOR_MONTH_CUES,
    ACTOR_CUE_VERBS,
    LABELS,
    ACTOR_OUTLET_LABELS,
    ACTOR_MONTH_LABELS,
    LABEL_LOG_ODDS,
    ACTOR_LABEL_Z,
    ARTICLE_STATS,
    OUTLET_SPEAKERS,
    OUTLET_MONTH_SPEAKERS,
    OUTLET_MONTH_FRAMES,
    ACTOR_OUTLET_DAY_CUES,
    ACTOR_OUTLET_DAY_LABELS,
    ACTOR_OUTLET_DAY_FRAMES,
    OUTLET_SPEAKER_DAYS,
    OUTLET_SPEAKER_MONTHS,
)
