"""Write stage: the only module that touches the database.

Everything the loader stores goes through here, so the guarantees the rest of
the project relies on live in one place:

* **Identity.** An article's id is the content hash computed by the analysis
  (``analysis.article["id"]``).  An article whose id is already stored is
  *unchanged* and skipped; an article whose ``source`` is stored under another
  id is *replaced*: the old article and every row that hangs off it are
  deleted before the new one is written.  ``input_hash`` (raw input plus the
  analysis code and word lists) lets the runner skip unchanged inputs before
  analysing them, and makes a reload after a change of word lists rewrite the
  articles it affects.
* **All or nothing per article.** Each article is written inside a savepoint
  of a ``BEGIN IMMEDIATE`` transaction; a transaction only ever commits whole
  articles (several at a time, for speed).  A failure rolls back to the
  savepoint; a kill loses at most the uncommitted articles, never half of one.
* **Readers never wait.** The database is in WAL mode, so ``datasette serve``
  can read the file during a load and sees each article either before or
  after a commit, never half-written.
* **Full-text search built at the right moment.** A fresh database is filled
  without FTS triggers and its FTS indexes are rebuilt once at the end of the
  load (much cheaper than one index update per row); a load with workers
  instead adds each 200 articles' rows as their batch commits, in the time
  the writer has spare while the workers analyse.  Once built, triggers
  keep the indexes current row by row, inside each article's transaction, for
  later incremental loads.  A load killed before its end leaves the
  triggers absent, which tells the next load to rebuild (see docs/schema.md).
* **Secondary indexes built once, too.** A fresh database (no ``--force``) is
  filled without the data tables' secondary indexes, except ``articles(source)``,
  which the writer reads; they are created once at the end, before the
  summaries that need them (sorting once costs about a third less than
  keeping them up to date row by row).  If an article is about to replace a
  stored one meanwhile, they are created first, so deletes never scan.  A
  load killed before the end leaves them absent; the next load's
  ``ensure_schema`` creates them before it writes anything.

Every SQL value is a bound parameter; identifiers come from ``schema.py``.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import lru_cache
from json.encoder import encode_basestring as _encode_str  # the ensure_ascii=False flavour
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterator

from .. import schema
from .records import Analysis, Quote

#: Commit after this many articles or this many seconds, whichever comes first.
BATCH_ARTICLES = 200
BATCH_SECONDS = 0.5
#: A load that indexes FTS rows as it goes does so once this many articles await it (and at
#: its end): each call makes an FTS segment, and small ones cost more to add and merge
#: (per article: about 1.0 ms CPU in batches of 30, 0.65 in batches of 200; a rebuild 0.7).
FTS_BATCH_ARTICLES = 200
#: Past this many changed articles one full summary rebuild beats a scoped one.
FULL_SUMMARY_REBUILD_ABOVE = 20_000
#: The phases whose wall time a load records, in seconds, under "phases" in the run's
#: ``_framing_runs.options`` JSON: creating the schema, waiting for analyses (reading
#: inputs included), writing and committing rows, then the finishing steps.
PHASES = ("schema", "analysis", "write", "indexes", "fts", "summaries", "optimize")
#: Page cache (KiB) for the finishing steps.  The 64 MiB of ``connect`` speeds up the
#: row-by-row writes, but SQLite also lets every sort (CREATE INDEX, the summaries'
#: GROUP BY / DISTINCT / ORDER BY) hold about that much: at 10,000 articles the summary
#: rebuild then peaked 167 MB above its start, with 16 MiB 77 MB, no slower (likewise
#: index creation 105 -> 33 MB, FTS rebuild 70 -> 20 MB).
FINISH_CACHE_KIB = 16384
#: Most helper threads SQLite may sort with in the finishing steps (``PRAGMA threads``).
MAX_SORT_THREADS = 8
#: Secondary indexes the writer reads during a load, kept when the others are deferred.
WRITER_INDEXES = frozenset({"idx_articles_source"})

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


class WriteError(Exception):
    """An analysis could not be written (inconsistent offsets, missing keys...)."""


def utcnow() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def connect(path: str | Path, *, timeout: float = 60.0) -> sqlite3.Connection:
    """Open the database the way the writer needs it: WAL, foreign keys, manual transactions."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL is safe in WAL mode: a crash cannot corrupt the file; at worst the
    # last commits before a power loss are lost, and the next load redoes them.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


# ---------------------------------------------------------------- schema


def _existing_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")}


def fts_tables() -> list[schema.Table]:
    return [t for t in schema.all_tables() if t.fts]


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create missing tables, columns, indexes and FTS tables (never drops anything).

    Columns added to ``schema.py`` after a database was created are added
    with ``ALTER TABLE ... ADD COLUMN`` so older databases keep loading.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        for t in schema.all_tables():
            conn.execute(t.create_sql())
            have = _existing_columns(conn, t.name)
            for c in t.columns:
                if c.name not in have:
                    conn.execute(f"ALTER TABLE [{t.name}] ADD COLUMN [{c.name}] {c.type}")
            for sql in t.index_sql():
                conn.execute(sql)
        for t in fts_tables():
            cols = ", ".join(f"[{c}]" for c in t.fts)
            conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS [{t.name}_fts] USING FTS5 "
                f"({cols}, content=[{t.name}], tokenize='{FTS_TOKENIZE}')"
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _deferrable_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the data tables' secondary indexes a bulk load may defer."""
    out = []
    for t in schema.DATA_TABLES:
        for cols, sql in zip(t.indexes, t.index_sql()):
            name = t.index_name(cols)
            if name not in WRITER_INDEXES:
                out.append((name, sql))
    return out


def drop_deferred_indexes(conn: sqlite3.Connection) -> None:
    """Drop the secondary indexes a fresh bulk load builds at its end (see create_data_indexes)."""
    for name, _sql in _deferrable_indexes():
        conn.execute(f"DROP INDEX IF EXISTS [{name}]")


def create_data_indexes(conn: sqlite3.Connection) -> None:
    """Create the data tables' secondary indexes that are missing (after a bulk load)."""
    for _name, sql in _deferrable_indexes():
        conn.execute(sql)


def _trigger_names(t: schema.Table) -> tuple[str, str, str]:
    # The names sqlite-utils uses, so its tools recognise the set-up.
    return (f"{t.name}_ai", f"{t.name}_ad", f"{t.name}_au")


def fts_triggers_present(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return all(n in names for t in fts_tables() for n in _trigger_names(t))


def drop_fts_triggers(conn: sqlite3.Connection) -> None:
    for t in fts_tables():
        for n in _trigger_names(t):
            conn.execute(f"DROP TRIGGER IF EXISTS [{n}]")


def rebuild_fts(conn: sqlite3.Connection, *, rebuild: bool = True) -> None:
    """Rebuild every FTS index from its table and (re)create the triggers, in one transaction.

    ``rebuild=False`` only creates the triggers: for indexes kept current
    during the load (:func:`index_new_fts_rows`).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        for t in fts_tables():
            ai, ad, au = _trigger_names(t)
            cols = ", ".join(f"[{c}]" for c in t.fts)
            new = ", ".join(f"new.[{c}]" for c in t.fts)
            old = ", ".join(f"old.[{c}]" for c in t.fts)
            fts = f"[{t.name}_fts]"
            if rebuild:
                conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS [{ai}] AFTER INSERT ON [{t.name}] BEGIN "
                f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END"
            )
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS [{ad}] AFTER DELETE ON [{t.name}] BEGIN "
                f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END"
            )
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS [{au}] AFTER UPDATE ON [{t.name}] BEGIN "
                f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
                f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END"
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def clear_fts(conn: sqlite3.Connection) -> dict[str, int]:
    """Empty every FTS index (in the caller's transaction) before a load indexes rows as it goes.

    Returns the highest rowid indexed per table (none yet), for :func:`index_new_fts_rows`.
    """
    for t in fts_tables():
        conn.execute(f"INSERT INTO [{t.name}_fts] ([{t.name}_fts]) VALUES ('delete-all')")
    return {t.name: 0 for t in fts_tables()}


def index_new_fts_rows(conn: sqlite3.Connection, indexed: dict[str, int]) -> dict[str, int]:
    """Add the rows written since ``indexed`` (highest rowid indexed per table) to the FTS indexes.

    Only right while rows are only appended (no row deleted since
    :func:`clear_fts`): the writer falls back to a rebuild otherwise.
    Returns the new highest rowids, which hold once the caller's transaction commits.
    """
    done = dict(indexed)
    for t in fts_tables():
        top = conn.execute(f"SELECT max(rowid) FROM [{t.name}]").fetchone()[0] or 0
        if top > done[t.name]:
            cols = ", ".join(f"[{c}]" for c in t.fts)
            conn.execute(
                f"INSERT INTO [{t.name}_fts] (rowid, {cols}) SELECT rowid, {cols} FROM [{t.name}] "
                "WHERE rowid > ? AND rowid <= ?",
                (done[t.name], top),
            )
            done[t.name] = top
    return done


# ---------------------------------------------------------------- runs and errors


def start_run(conn: sqlite3.Connection, *, version: str, options: dict[str, Any], paths: list[str]) -> int:
    cur = conn.execute(
        "INSERT INTO [_framing_runs] (started, version, options, paths, loaded, unchanged, failed, "
        "sentences, quotes, mentions, seconds, status) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 'running')",
        (utcnow(), version, json.dumps(options, sort_keys=True, default=str), json.dumps(paths)),
    )
    return int(cur.lastrowid)


def record_error(
    conn: sqlite3.Connection, run_id: int | None, path: str, record: str | None, reason: str
) -> None:
    conn.execute(
        "INSERT INTO [load_errors] (run_id, path, record, reason) VALUES (?, ?, ?, ?)",
        (run_id, path, record, reason),
    )


@dataclass(kw_only=True)
class Counts:
    """What a run has written; committed counts only ever include whole, committed articles.

    Keyword-only so that ``run.RunSummary`` can extend it and still be built as
    ``RunSummary(run_id, db_path, loaded=...)``.
    """

    loaded: int = 0  # new or replaced
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0
    sentences: int = 0
    quotes: int = 0
    mentions: int = 0

    def add(self, other: "Counts") -> None:
        for f in fields(Counts):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def set_counts(self, other: "Counts") -> None:
        """Copy ``other``'s counts (only the count fields, also into a subclass)."""
        for f in fields(Counts):
            setattr(self, f.name, getattr(other, f.name))


def _update_run(conn: sqlite3.Connection, run_id: int, counts: Counts, seconds: float, **extra: Any) -> None:
    sets = "loaded=?, unchanged=?, failed=?, sentences=?, quotes=?, mentions=?, seconds=?"
    params: list[Any] = [
        counts.loaded, counts.unchanged, counts.failed, counts.sentences, counts.quotes,
        counts.mentions, round(seconds, 3),
    ]
    for k, v in extra.items():
        if k not in schema.RUNS.column_names:
            raise KeyError(k)
        sets += f", [{k}]=?"
        params.append(v)
    conn.execute(f"UPDATE [_framing_runs] SET {sets} WHERE id=?", (*params, run_id))


# ---------------------------------------------------------------- one article


@lru_cache(maxsize=None)
def _insert_sql(table: str, verb: str = "INSERT") -> tuple[str, tuple[str, ...]]:
    cols = schema.table(table).column_names
    sql = (
        f"{verb} INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
        f"VALUES ({', '.join('?' for _ in cols)})"
    )
    return sql, cols


@lru_cache(maxsize=None)
def _insert_columns_sql(table: str, columns: tuple[str, ...]) -> str:
    """INSERT of exactly ``columns``, in that order, so rows can be built as plain tuples.

    The writer's hot loops (sentences, mentions, frames: tens of rows per
    article) build tuples straight from the records instead of a dict per row;
    naming the columns here keeps that correct whatever order schema.py lists them in.
    """
    unknown = sorted(set(columns) - set(schema.table(table).column_names))
    if unknown:
        raise KeyError(f"{table} has no column(s) {unknown}")
    return (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )


_SENTENCE_COLUMNS = (
    "id", "article_id", "idx", "start", "end", "paragraph", "block", "is_heading", "text",
    "compound", "pos", "neu", "neg", "hedges", "boosters", "loaded",
    "hedge_count", "booster_count", "loaded_count",
)
_MENTION_COLUMNS = (
    "id", "article_id", "sentence_id", "actor_id", "start", "end", "surface", "role",
    "prominence", "descriptors", "sentiment", "polarity", "evidence",
)
_FRAME_COLUMNS = ("sentence_id", "article_id", "frame", "terms", "term_count")


def stored_input_hash(conn: sqlite3.Connection, source: str) -> str | None:
    """The input hash stored for ``source``, to skip re-analysing an unchanged input."""
    row = conn.execute("SELECT input_hash FROM [articles] WHERE source = ?", (source,)).fetchone()
    return row[0] if row else None


def _article_tables() -> list[tuple[str, str]]:
    """(table, column) pairs that point at articles.id, children of sentences first."""
    refs = []
    for t in schema.all_tables():
        if t.name == "articles":
            continue
        for col, other, other_col in t.foreign_keys:
            if other == "articles" and other_col == "id":
                refs.append((t.name, col))
    # Sentences last: mentions, quotes and frames point at sentences too.
    refs.sort(key=lambda r: r[0] == "sentences")
    return refs


def delete_article(conn: sqlite3.Connection, article_id: str) -> None:
    """Delete an article and every row that hangs off it (actors and aliases are database-wide and stay)."""
    for table, col in _article_tables():
        conn.execute(f"DELETE FROM [{table}] WHERE [{col}] = ?", (article_id,))
    conn.execute("DELETE FROM [articles] WHERE id = ?", (article_id,))


#: ``json.dumps(x, ensure_ascii=False)`` without building a new encoder on every call.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _dumps(items: Any) -> str:
    """``json.dumps(list(items), ensure_ascii=False)``, about three times cheaper for word lists.

    Word lists are lists of strings; joining their C-encoded items gives the
    very text the encoder would (same escapes, same ``", "`` separator)
    without its per-call set-up, and anything else goes to the encoder.
    """
    if not items:
        return "[]"  # most word lists are empty: skip the encoder
    try:
        return "[" + ", ".join(map(_encode_str, items)) + "]"
    except TypeError:
        return _encode_json(list(items))


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One article as the plain tuples its INSERTs take: everything but the database's part.

    Built by :func:`article_rows`, a pure function of the analysis, so it can
    run where the analysis ran (a worker process, a Dask worker): the single
    writer then only executes the INSERTs, and what crosses the process
    boundary is tuples of numbers and strings, cheaper to unpickle than the
    analysis's records.  ``article`` leaves ``run_id`` empty (the writer knows
    it).  ``problem`` is why the rows cannot be written (bad offsets...): the
    writer raises it as a :class:`WriteError` at the point where writing the
    analysis itself would, so failures read and count the same.
    """

    article_id: str | None
    source: str | None
    input_hash: str | None
    article: tuple = ()
    sentences: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    missing_actors: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    frames: list = field(default_factory=list)
    problem: str | None = None


@lru_cache(maxsize=None)
def _quote_columns() -> tuple[tuple[str, ...], Any]:
    """Quote columns in INSERT order, and a getter for those copied from the record as they are."""
    special = ("id", "article_id", "sentence_id", "speaker_id")
    own = {f.name for f in fields(Quote)}
    copied = tuple(c for c in schema.table("quotes").column_names if c not in special and c in own)
    return special + copied, attrgetter(*copied)


def article_rows(analysis: Analysis) -> ArticleRows:
    """The rows of one article, as tuples in the column order of the writer's INSERTs."""
    article = analysis.article
    aid = article.get("id")
    source = article.get("source")
    input_hash = article.get("input_hash")
    if not aid or not source:
        return ArticleRows(aid, source, input_hash, problem="analysis has no article id or source")
    try:
        return _article_rows(analysis, aid, source, input_hash)
    except WriteError as e:
        return ArticleRows(aid, source, input_hash, problem=str(e))


def _article_rows(analysis: Analysis, aid: str, source: str, input_hash: str | None) -> ArticleRows:
    from .sentiment import polarity  # not at import time: importing write stays light

    text = analysis.text
    n_sent = len(analysis.sentences)
    if len(analysis.scores) != n_sent:
        raise WriteError(f"{n_sent} sentences but {len(analysis.scores)} score rows")

    _sql, cols = _insert_sql("articles")
    row = dict(analysis.article)
    row.update(id=aid, text=text, run_id=None)
    row.setdefault("sentence_count", n_sent)
    article_row = tuple(row.get(c) for c in cols)

    # Sentences and frames: tuples in the order of _SENTENCE_COLUMNS / _FRAME_COLUMNS.
    sentence_rows = []
    frame_rows = []
    n_text = len(text)
    for s, sc in zip(analysis.sentences, analysis.scores):
        if not (0 <= s.start <= s.end <= n_text):
            raise WriteError(f"sentence {s.index} offsets {s.start}:{s.end} outside the text")
        sid = f"{aid}:{s.index}"
        hedges, boosters, loaded = sc.hedges, sc.boosters, sc.loaded
        sentence_rows.append((
            sid, aid, s.index, s.start, s.end, s.paragraph, s.block, int(s.is_heading),
            text[s.start : s.end], sc.compound, sc.pos, sc.neu, sc.neg,
            _dumps(hedges), _dumps(boosters), _dumps(loaded),
            len(hedges), len(boosters), len(loaded),
        ))
        if sc.frames:
            for frame, terms in sc.frames.items():
                frame_rows.append((sid, aid, frame, _dumps(terms), len(terms)))

    # Actors (database-wide keys, upserted) and the aliases seen in this article.
    actor_rows = {a.key: (a.key, a.name, a.kind, a.affiliation) for a in analysis.actors}
    referenced = {m.actor for m in analysis.mentions} | {q.speaker for q in analysis.quotes if q.speaker}
    # Keep the foreign keys whole even if an extractor names an actor it did not list.
    missing = [(k, k) for k in sorted(referenced - actor_rows.keys())]
    alias_rows = [(a.key, alias) for a in analysis.actors for alias in a.aliases if alias]

    # Mentions: tuples in the order of _MENTION_COLUMNS.
    mention_rows = []
    for i, m in enumerate(analysis.mentions):
        if not (0 <= m.sentence < n_sent):
            raise WriteError(f"mention {i} points at sentence {m.sentence}, not in the article")
        score = m.sentiment
        mention_rows.append((
            f"{aid}:m:{i}", aid, f"{aid}:{m.sentence}", m.actor, m.start, m.end, m.surface,
            m.role, m.prominence, _dumps(m.descriptors), score,
            None if score is None else polarity(score), _dumps(m.sentiment_evidence),
        ))

    # Quotes: tuples in the order of _quote_columns().
    _cols, copied = _quote_columns()
    quote_rows = []
    for i, q in enumerate(analysis.quotes):
        sentence = q.sentence
        quote_rows.append((
            f"{aid}:q:{i}", aid,
            f"{aid}:{sentence}" if sentence is not None and 0 <= sentence < n_sent else None,
            q.speaker, *copied(q),
        ))

    return ArticleRows(
        aid, source, input_hash, article_row, sentence_rows, list(actor_rows.values()), missing,
        alias_rows, mention_rows, quote_rows, frame_rows,
    )


@dataclass
class WriteResult:
    status: str  # loaded, replaced or unchanged
    article_id: str
    counts: Counts = field(default_factory=Counts)
    deleted_outlets: set[str | None] = field(default_factory=set)


#: Where ``run_id`` sits in an ``ArticleRows.article`` tuple.
_ARTICLE_RUN_ID = schema.table("articles").column_names.index("run_id")


def _write_article(
    conn: sqlite3.Connection, analysis: Analysis | ArticleRows, run_id: int | None, *, force: bool = False
) -> WriteResult:
    """Write one article's rows; the caller owns the transaction."""
    rows = analysis if isinstance(analysis, ArticleRows) else article_rows(analysis)
    aid, source = rows.article_id, rows.source
    if not aid or not source:
        raise WriteError(rows.problem or "analysis has no article id or source")
    stored = conn.execute("SELECT input_hash FROM [articles] WHERE id = ?", (aid,)).fetchone()
    exists = stored is not None
    input_hash = rows.input_hash
    if exists and not force and (input_hash is None or stored[0] in (None, input_hash)):
        # Same content, and analysed by the same code and word lists (or unknown).
        return WriteResult("unchanged", aid, Counts(unchanged=1))
    old_rows = conn.execute("SELECT id, outlet FROM [articles] WHERE source = ? OR id = ?", (source, aid)).fetchall()
    old = [r[0] for r in old_rows]
    for oid in old:
        delete_article(conn, oid)
    if rows.problem:
        raise WriteError(rows.problem)

    article_row = list(rows.article)
    article_row[_ARTICLE_RUN_ID] = run_id
    conn.execute(_insert_sql("articles")[0], article_row)
    conn.executemany(_insert_columns_sql("sentences", _SENTENCE_COLUMNS), rows.sentences)
    conn.executemany(
        "INSERT INTO [actors] (id, name, kind, affiliation) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
        "kind = coalesce(excluded.kind, actors.kind), "
        "affiliation = coalesce(excluded.affiliation, actors.affiliation)",
        rows.actors,
    )
    if rows.missing_actors:
        conn.executemany("INSERT OR IGNORE INTO [actors] (id, name) VALUES (?, ?)", rows.missing_actors)
    conn.executemany(
        "INSERT OR IGNORE INTO [aliases] (actor_id, alias, source) VALUES (?, ?, 'article')", rows.aliases
    )
    conn.executemany(_insert_columns_sql("mentions", _MENTION_COLUMNS), rows.mentions)
    conn.executemany(_insert_columns_sql("quotes", _quote_columns()[0]), rows.quotes)
    conn.executemany(_insert_columns_sql("frames", _FRAME_COLUMNS), rows.frames)

    return WriteResult(
        "replaced" if old else "loaded",
        aid,
        Counts(
            loaded=1, replaced=1 if old else 0, sentences=len(rows.sentences),
            quotes=len(rows.quotes), mentions=len(rows.mentions),
        ),
        deleted_outlets={r[1] for r in old_rows},
    )


def write_analysis(
    conn: sqlite3.Connection, analysis: Analysis | ArticleRows, run_id: int | None, *, force: bool = False
) -> WriteResult:
    """Write one article and all its rows atomically.

    Outside a transaction this is its own ``BEGIN IMMEDIATE ... COMMIT``;
    inside one (the batching :class:`Writer`) it is a savepoint, so a failure
    removes every row of this article and nothing else.
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT framing_article")
        try:
            result = _write_article(conn, analysis, run_id, force=force)
        except BaseException:
            conn.execute("ROLLBACK TO framing_article")
            conn.execute("RELEASE framing_article")
            raise
        conn.execute("RELEASE framing_article")
        return result
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = _write_article(conn, analysis, run_id, force=force)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


# ---------------------------------------------------------------- a whole load


class Writer:
    """The single writer of a load: batches whole articles into transactions.

    ``committed`` only ever counts articles whose transaction committed, and the
    run row is updated inside the same transaction, so a killed load's
    ``_framing_runs`` row tells exactly what it left in the database.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        run_id: int,
        *,
        force: bool = False,
        batch_articles: int = BATCH_ARTICLES,
        batch_seconds: float = BATCH_SECONDS,
        indexes_deferred: bool = False,
        started: float | None = None,
        fts_as_you_go: bool = False,
        sort_threads: int = 0,
    ) -> None:
        """``indexes_deferred``: the caller dropped the deferrable indexes (drop_deferred_indexes).

        ``fts_as_you_go``: on a fresh database without FTS triggers, add each batch's rows to
        the FTS indexes when it commits, instead of one rebuild at the end.  With workers busy
        on every core that moves the work from the serial end of the load into the time the
        writer has spare, at about the same CPU (0.6 to 1.0 ms an article against the
        rebuild's 0.7); alone it would only move it.  A replaced article (rows deleted)
        turns it off, and the end-of-load rebuild runs as before.

        ``started``: ``time.monotonic()`` when the run began (default: now), so the run
        row's ``seconds`` covers the set-up before the writer too.

        ``sort_threads``: helper threads SQLite may use to sort during the finishing steps
        (``PRAGMA threads``; capped at ``MAX_SORT_THREADS``).  A load with workers leaves their
        cores idle once the analyses are in, and the finishing steps' big sorts (index
        creation, the summaries' GROUP BYs, once they spill past the 16 MiB cache) can use
        them.  On a 9,000-article database, the writer thread's CPU with 0 / 1 / 2 helpers:
        index creation 4.2-4.4 / 3.5-4.0 / 2.9-3.2 s, summaries 37-40 / 36.3 / 32-34 s (the
        process's total about the same), so the run passes one helper per worker.  Sorting is
        all it changes: the rows are the same (only the order of ties within a sort may
        differ, as with any cache size).
        """
        self.conn = conn
        self.run_id = run_id
        self.force = force
        self.batch_articles = batch_articles
        self.batch_seconds = batch_seconds
        self.started = time.monotonic() if started is None else started
        self.committed = Counts()
        self.pending = Counts()
        self._batch_count = 0
        self._batch_started = 0.0
        # What the summary tables must be refreshed for (committed articles only).
        self.touched: set[str] = set()
        self.deleted_outlets: set[str | None] = set()
        self._pending_touched: set[str] = set()
        self._pending_outlets: set[str | None] = set()
        #: Wall seconds by phase (see PHASES); the runner adds the phases it times itself.
        self.phases: dict[str, float] = {}
        #: This process's CPU seconds by phase, for the same blocks: beside the wall times they
        #: tell the writer's own cost from waiting, on a machine shared with other work.
        self.phases_cpu: dict[str, float] = {}
        #: The writer thread's own CPU seconds by phase: without the pool's result thread (while
        #: the workers run) and SQLite's sort helpers (``sort_threads``), i.e. what cannot run
        #: on another core.
        self.phases_thread_cpu: dict[str, float] = {}
        self._nested = 0.0  # seconds of timed blocks, so a block inside another counts once
        self._nested_cpu = 0.0
        self._nested_thread = 0.0
        self.indexes_deferred = indexes_deferred
        self.sort_threads = max(0, min(int(sort_threads), MAX_SORT_THREADS))
        #: Highest rowid of each FTS table's rows already indexed, while indexing as we go.
        self.fts_indexed: dict[str, int] | None = None
        self._fts_waiting = 0  # articles written since the FTS indexes last caught up
        if fts_as_you_go:
            self._begin()
            self.fts_indexed = clear_fts(conn)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Add the wall time of the block to ``phases[phase]``, less that of timed blocks inside it."""
        t, c, th = time.perf_counter(), time.process_time(), time.thread_time()
        nested_before, nested_cpu_before = self._nested, self._nested_cpu
        nested_thread_before = self._nested_thread
        try:
            yield
        finally:
            elapsed, cpu = time.perf_counter() - t, time.process_time() - c
            thread = time.thread_time() - th
            inner, inner_cpu = self._nested - nested_before, self._nested_cpu - nested_cpu_before
            inner_thread = self._nested_thread - nested_thread_before
            self.phases[phase] = self.phases.get(phase, 0.0) + elapsed - inner
            self.phases_cpu[phase] = self.phases_cpu.get(phase, 0.0) + cpu - inner_cpu
            self.phases_thread_cpu[phase] = self.phases_thread_cpu.get(phase, 0.0) + thread - inner_thread
            self._nested, self._nested_cpu = nested_before + elapsed, nested_cpu_before + cpu
            self._nested_thread = nested_thread_before + thread

    @property
    def total(self) -> Counts:
        c = Counts()
        c.add(self.committed)
        c.add(self.pending)
        return c

    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()
            self._batch_count = 0

    def add(self, analysis: Analysis | ArticleRows) -> WriteResult:
        """Write one article (atomically); raises on a write failure, with nothing of it kept.

        ``analysis`` may be its :func:`article_rows` already (built in a worker).
        """
        with self.timed("write"):
            replacing = self.indexes_deferred and self._stored(analysis)
        if replacing:
            self.create_indexes()  # a replacement deletes rows: never without indexes
        with self.timed("write"):
            self._begin()
            result = write_analysis(self.conn, analysis, self.run_id, force=self.force)
            self.pending.add(result.counts)
            if result.status == "replaced" and self.fts_indexed is not None:
                self.fts_indexed = None  # rows were deleted: rebuild at the end after all
            if result.status != "unchanged":
                self._fts_waiting += 1
                self._pending_touched.add(result.article_id)
                self._pending_outlets |= result.deleted_outlets
            self._batch_count += 1
            self._maybe_commit()
        return result

    def _stored(self, analysis: Analysis | ArticleRows) -> bool:
        """Is an article with this id or source already stored?"""
        if isinstance(analysis, ArticleRows):
            aid, source = analysis.article_id, analysis.source
        else:
            aid, source = analysis.article.get("id"), analysis.article.get("source")
        row = self.conn.execute(
            "SELECT 1 FROM [articles] WHERE source = ? OR id = ? LIMIT 1", (source, aid)
        ).fetchone()
        return row is not None

    def create_indexes(self) -> None:
        """Create the deferred indexes now (in the open batch, if any)."""
        with self.timed("indexes"):
            create_data_indexes(self.conn)
        self.indexes_deferred = False

    def unchanged(self) -> None:
        """Count an input skipped before analysis because it is stored unchanged."""
        with self.timed("write"):
            self._begin()
            self.pending.unchanged += 1
            self._batch_count += 1
            self._maybe_commit()

    def error(self, path: str, record: str | None, reason: str) -> None:
        with self.timed("write"):
            self._begin()
            record_error(self.conn, self.run_id, path, record, reason)
            self.pending.failed += 1
            self._maybe_commit()

    def _maybe_commit(self) -> None:
        if (
            self._batch_count >= self.batch_articles
            or time.monotonic() - self._batch_started >= self.batch_seconds
        ):
            self.commit()

    def commit(self, *, final: bool = False) -> None:
        """Commit the batch; ``final``: the last one (FTS indexed as we go catches up whatever waits)."""
        fts_indexed = self.fts_indexed
        catch_up = fts_indexed is not None and (
            self._fts_waiting >= FTS_BATCH_ARTICLES or (final and self._fts_waiting > 0)
        )
        if not self.conn.in_transaction:
            if not catch_up:
                return
            self._begin()
        if catch_up:
            with self.timed("fts"):
                fts_indexed = index_new_fts_rows(self.conn, fts_indexed)
        total = self.total
        _update_run(self.conn, self.run_id, total, time.monotonic() - self.started)
        self.conn.execute("COMMIT")
        if fts_indexed is not self.fts_indexed:
            self.fts_indexed, self._fts_waiting = fts_indexed, 0
        self.committed = total
        self.pending = Counts()
        self.touched |= self._pending_touched
        self.deleted_outlets |= self._pending_outlets
        self._pending_touched, self._pending_outlets = set(), set()

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
            self.fts_indexed = None  # the batch's FTS rows are gone with it: rebuild at the end
        self.pending = Counts()
        self._pending_touched, self._pending_outlets = set(), set()

    def finish(self, status: str, *, rebuild_fts: bool, full_summaries: bool = False) -> None:
        """Commit, build FTS and summaries as needed, and close the run row.

        Summaries are rebuilt in full after a bulk load (or when an earlier
        run did not finish), for the outlets touched after an incremental
        load, and not at all when nothing changed.  Each step's wall time goes
        into ``phases``, which is stored with the run (all but the final WAL
        checkpoint, which must come after the run row's last write).
        """
        with self.timed("write"):
            self.commit(final=True)
        self.conn.execute(f"PRAGMA cache_size=-{FINISH_CACHE_KIB}")
        if self.sort_threads:
            self.conn.execute(f"PRAGMA threads={self.sort_threads}")
        if self.indexes_deferred:
            # The commit writes the new indexes' pages: part of their cost, not "other".
            with self.timed("indexes"):
                self.conn.execute("BEGIN IMMEDIATE")
                self.create_indexes()
                self.conn.execute("COMMIT")
        if rebuild_fts:
            with self.timed("fts"):
                # Indexed batch by batch (and just caught up by commit): only the triggers are missing.
                rebuild_fts_fn(self.conn, rebuild=self.fts_indexed is None)
        with self.timed("summaries"):
            if full_summaries or rebuild_fts or len(self.touched) > FULL_SUMMARY_REBUILD_ABOVE:
                rebuild_summaries(self.conn)
            elif self.touched or self.deleted_outlets:
                rebuild_summaries(self.conn, article_ids=sorted(self.touched), outlets=self.deleted_outlets)
        with self.timed("optimize"):
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.OperationalError:
                pass
        self.conn.execute("BEGIN IMMEDIATE")
        _update_run(
            self.conn, self.run_id, self.committed, time.monotonic() - self.started,
            status=status, finished=utcnow() if status == "finished" else None,
        )
        record_phases(self.conn, self.run_id, self.phases, self.phases_cpu, self.phases_thread_cpu)
        self.conn.execute("COMMIT")
        with self.timed("checkpoint"):
            try:
                # Fold the WAL into the main file so copies and immutable opens see everything.
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:
                pass


rebuild_fts_fn = rebuild_fts


def record_phases(
    conn: sqlite3.Connection,
    run_id: int,
    phases: dict[str, float],
    cpu: dict[str, float] | None = None,
    thread_cpu: dict[str, float] | None = None,
) -> None:
    """Store the phase times under "phases" in the run's options JSON (no schema change needed).

    ``cpu``: the writer process's CPU seconds by phase, stored under "phases_cpu";
    ``thread_cpu``: the writer thread's alone, under "phases_thread_cpu".
    """
    def rounded(d: dict[str, float]) -> str:
        return json.dumps({k: round(v, 3) for k, v in d.items()}, sort_keys=True)

    conn.execute(
        "UPDATE [_framing_runs] SET options = json_set(coalesce(options, '{}'), '$.phases', json(?)) "
        "WHERE id = ?",
        (rounded(phases), run_id),
    )
    if cpu is not None:
        conn.execute(
            "UPDATE [_framing_runs] SET options = json_set(options, '$.phases_cpu', json(?)) WHERE id = ?",
            (rounded(cpu), run_id),
        )
    if thread_cpu is not None:
        conn.execute(
            "UPDATE [_framing_runs] SET options = json_set(options, '$.phases_thread_cpu', json(?)) WHERE id = ?",
            (rounded(thread_cpu), run_id),
        )


def run_phases(conn: sqlite3.Connection, run_id: int) -> dict[str, float]:
    """The phase times a finished run recorded (empty for runs older than this record)."""
    row = conn.execute(
        "SELECT json_extract(options, '$.phases') FROM [_framing_runs] WHERE id = ?", (run_id,)
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def rebuild_summaries(conn: sqlite3.Connection, **scope: Any) -> None:
    """Rebuild the summary tables (all, or those of ``article_ids``/``outlets``)."""
    from .. import summaries

    summaries.rebuild(conn, **scope)


def previous_run_unfinished(conn: sqlite3.Connection, run_id: int) -> bool:
    """Did the run before ``run_id`` stop early (killed, interrupted)? Then summaries need a full rebuild."""
    row = conn.execute(
        "SELECT status FROM [_framing_runs] WHERE id < ? ORDER BY id DESC LIMIT 1", (run_id,)
    ).fetchone()
    return row is not None and row[0] != "finished"


# ---------------------------------------------------------------- checking


def check_database(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """Check the guarantees the writer gives; returns (problems, notes).

    Problems: a failed ``integrity_check``, rows whose foreign keys point
    nowhere (orphans), articles whose stored ``sentence_count`` differs from
    their sentence rows (half-written articles), search indexes that disagree
    with their tables.  Notes: states that the next load repairs by itself
    (search indexes awaiting the end-of-load rebuild after a killed bulk load).
    """
    problems: list[str] = []
    notes: list[str] = []
    result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        problems.extend(f"integrity_check: {r}" for r in result[:20])
    orphans: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        orphans[(table, parent)] = orphans.get((table, parent), 0) + 1
    for (table, parent), n in sorted(orphans.items()):
        problems.append(f"{n} row(s) of {table} point at missing {parent} rows")
    for aid, expected, actual in conn.execute(
        "SELECT a.id, a.sentence_count, (SELECT count(*) FROM sentences s WHERE s.article_id = a.id) "
        "FROM articles a WHERE a.sentence_count IS NOT (SELECT count(*) FROM sentences s WHERE s.article_id = a.id) "
        "LIMIT 20"
    ):
        problems.append(f"article {aid}: sentence_count {expected} but {actual} sentence rows")
    if fts_triggers_present(conn):
        for t in fts_tables():
            try:
                conn.execute(f"INSERT INTO [{t.name}_fts] ([{t.name}_fts], rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as e:
                problems.append(f"search index {t.name}_fts disagrees with {t.name}: {e}")
    else:
        notes.append("search indexes await a rebuild (a bulk load did not finish); the next load or 'rebuild' does it")
    unfinished = conn.execute(
        "SELECT count(*) FROM [_framing_runs] WHERE status IS NOT 'finished'"
    ).fetchone()[0]
    if unfinished:
        notes.append(f"{unfinished} load run(s) did not finish (killed or interrupted); their committed articles are whole")
    return problems, notes
