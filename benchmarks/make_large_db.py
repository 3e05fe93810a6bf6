"""Generate a large framing database (1M sentences, 3M mentions, 20 outlets, 2,000 actors) fast.

Usage:
    .venv/bin/python benchmarks/make_large_db.py                      # /tmp/framing-large.db
    .venv/bin/python benchmarks/make_large_db.py --db /tmp/big.db --sentences 1000000
    .venv/bin/python benchmarks/make_large_db.py --sentences 50000    # a quick one

Running the real loader over a million sentences takes hours on two cores; the page
benchmark needs the *shape* of a big database, not a fresh analysis.  So this script
loads ``seeds/`` once with the real loader, then writes synthetic but realistic rows
resampled from that load straight into the real schema (``schema.py``) with
``executemany``:

* sentences: real seed sentences (text, VADER scores, hedges, boosters, loaded words),
  grouped into articles of 20-60 sentences (headline, standfirst, paragraphs of 3);
  the article text is the sentences joined, so every offset is right;
* mentions: about 3 a sentence (``--mentions-per-sentence``), actors drawn from a
  Zipf-like distribution over 2,000 actors (the seeds' real actors first, so a few
  actors dominate as in real coverage); role, descriptors, sentiment, polarity and
  evidence copied from a random real mention; prominence follows the block;
* quotes (about 1 per 4 sentences) and frames (those of the source sentence) likewise;
* 20 outlets, dates spread over 2022-2023.

Then, exactly as the loader's finish step does: indexes (``write.ensure_schema``),
full-text indexes and their triggers (``write.rebuild_fts``), the summary tables
(``summaries.rebuild``), ``PRAGMA optimize`` and a WAL checkpoint.  A finished
``_framing_runs`` row records the generation.  The database is reused by
``benchmarks/pages.py`` when it already exists with the requested size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasette_framing import schema, summaries  # noqa: E402
from datasette_framing.pipeline import write  # noqa: E402

DEFAULT_DB = Path(tempfile.gettempdir()) / "framing-large.db"
OUTLETS = [
    "Al Jazeera", "BBC News", "Reuters", "Associated Press", "The Guardian", "The New York Times",
    "The Washington Post", "Fox News", "CNN", "RT", "TASS", "Kyiv Independent", "Deutsche Welle",
    "France 24", "NPR", "Politico", "The Times", "Daily Mail", "Bloomberg", "Sky News",
]
WORD = re.compile(r"[A-Z][\w'-]+|\w+")


def seeds_db(db: Path) -> Path:
    """The seeds loaded by the real loader (the source of every resampled row), cached beside ``db``."""
    from datasette_framing.pipeline import run

    seeds = db.with_name(db.stem + "-seeds.db")
    run.run([str(ROOT / "seeds")], str(seeds))  # unchanged inputs are skipped: cheap when cached
    return seeds


class Source:
    """Real rows of the seeds load, grouped for resampling."""

    def __init__(self, db: Path):
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        self.sentences = [
            dict(r) for r in conn.execute(
                "SELECT id, text, compound, pos, neu, neg, hedges, boosters, loaded, hedge_count, "
                "booster_count, loaded_count FROM sentences WHERE block = 'paragraph' AND length(text) >= 40"
            )
        ]
        self.headlines = [s for s in self.sentences if len(s["text"]) <= 140] or self.sentences
        for s in self.sentences:
            s["spans"] = [m.span() for m in WORD.finditer(s["text"])] or [(0, len(s["text"]))]
        self.frames: dict[str, list[tuple[str, str, int]]] = {}
        for sid, frame, terms, n in conn.execute("SELECT sentence_id, frame, terms, term_count FROM frames"):
            self.frames.setdefault(sid, []).append((frame, terms, n))
        self.mentions = [
            tuple(r) for r in conn.execute("SELECT role, descriptors, sentiment, polarity, evidence FROM mentions")
        ]
        self.quotes = [
            tuple(r) for r in conn.execute(
                "SELECT kind, cue, cue_lemma, cue_class, resolution FROM quotes WHERE speaker_id IS NOT NULL"
            )
        ]
        self.actors = [tuple(r) for r in conn.execute("SELECT id, name, kind FROM actors ORDER BY id")]
        self.readability = [
            tuple(r) for r in conn.execute(
                "SELECT flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog_index FROM articles"
            )
        ]
        conn.close()


def make_actors(source: Source, n: int, rng: random.Random) -> list[tuple[str, str, str, str | None]]:
    """The seeds' real actors, then synthetic people and organisations up to ``n``."""
    actors = [(a, name, kind, None) for a, name, kind in source.actors][:n]
    kinds = ["person"] * 6 + ["organisation"] * 3 + ["group"]
    countries = [a for a, _, kind in source.actors if kind == "country"] or [None]
    i = 0
    while len(actors) < n:
        i += 1
        kind = rng.choice(kinds)
        name = f"{'Person' if kind == 'person' else kind.title()} {i:04d}"
        actors.append((name.lower().replace(" ", "-"), name, kind, rng.choice(countries)))
    rng.shuffle(actors)  # the Zipf rank must not follow alphabetical order
    return actors


def _create_tables(conn: sqlite3.Connection) -> None:
    for t in schema.all_tables():
        conn.execute(t.create_sql())


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    cols = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", rows)


SENT_COLS = ("id", "article_id", "idx", "start", "end", "paragraph", "block", "is_heading", "text", "compound",
             "pos", "neu", "neg", "hedges", "boosters", "loaded", "hedge_count", "booster_count", "loaded_count")
MENTION_COLS = ("id", "article_id", "sentence_id", "actor_id", "start", "end", "surface", "role", "prominence",
                "descriptors", "sentiment", "polarity", "evidence")
QUOTE_COLS = ("id", "article_id", "sentence_id", "start", "end", "text", "kind", "speaker_id", "speaker_text",
              "speaker_start", "speaker_end", "cue", "cue_lemma", "cue_class", "cue_start", "cue_end", "resolution")
FRAME_COLS = ("sentence_id", "article_id", "frame", "terms", "term_count")
ARTICLE_COLS = ("id", "source", "format", "title", "standfirst", "outlet", "published", "url", "author", "text",
                "paragraph_count", "sentence_count", "word_count", "flesch_reading_ease", "flesch_kincaid_grade",
                "gunning_fog", "smog_index", "compound_mean", "run_id", "input_hash")


def generate(
    db: Path,
    *,
    sentences: int = 1_000_000,
    mentions_per_sentence: float = 3.05,
    actors: int = 2000,
    seed: int = 2026,
    log=print,
) -> dict[str, float]:
    """Write the database at ``db`` (replaced); returns seconds per step."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    rng = random.Random(seed)
    source = Source(seeds_db(db))
    timings["seeds load"] = time.perf_counter() - t0
    actor_rows = make_actors(source, actors, rng)
    # Zipf-like weights (s = 1.1): the top actors take most mentions, a long tail has few.
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(actor_rows))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    actor_ids = [a[0] for a in actor_rows]
    actor_names = {a[0]: a[1] for a in actor_rows}

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    _create_tables(conn)
    conn.execute("BEGIN")
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    conn.execute(
        "INSERT INTO _framing_runs (id, started, finished, version, options, paths, loaded, unchanged, failed, "
        "sentences, quotes, mentions, seconds, status) VALUES (1, ?, ?, 'benchmark', ?, '[]', 0, 0, 0, 0, 0, 0, 0, "
        "'finished')",
        (now, now, json.dumps({"generated_by": "benchmarks/make_large_db.py", "seed": seed})),
    )
    _insert(conn, "actors", ("id", "name", "kind", "affiliation"), actor_rows)
    _insert(conn, "aliases", ("actor_id", "alias", "source"), [(a[0], a[1], "default") for a in actor_rows])

    t = time.perf_counter()
    start_day = date(2022, 1, 1)
    n_sent = n_ment = n_quote = n_art = 0
    # Mentions per sentence: uniform over 0..2*mean, so the mean is ``mentions_per_sentence``.
    m_span = 2 * mentions_per_sentence + 1
    while n_sent < sentences:
        arts, sents, ments, quotes, frames = [], [], [], [], []
        for _ in range(500):
            if n_sent >= sentences:
                break
            aid = f"{rng.getrandbits(96):024x}"
            size = min(rng.randint(20, 60), sentences - n_sent)
            outlet = OUTLETS[rng.randrange(len(OUTLETS))]
            published = (start_day + timedelta(days=rng.randrange(730))).isoformat()
            picks = [rng.choice(source.headlines)] + [rng.choice(source.sentences) for _ in range(size - 1)]
            parts: list[str] = []
            pos = 0
            compounds = []
            for idx, s in enumerate(picks):
                if idx == 0:
                    block, para, heading = "title", 0, 1
                elif idx == 1:
                    block, para, heading = "standfirst", 1, 0
                else:
                    block, para, heading = "paragraph", 2 + (idx - 2) // 3, 0
                if idx:
                    sep = " " if block == "paragraph" and (idx - 2) % 3 else "\n\n"
                    parts.append(sep)
                    pos += len(sep)
                text = s["text"]
                start, end = pos, pos + len(text)
                parts.append(text)
                pos = end
                sid = f"{aid}:{idx}"
                compounds.append(s["compound"])
                sents.append((sid, aid, idx, start, end, para, block, heading, text, s["compound"], s["pos"],
                              s["neu"], s["neg"], s["hedges"], s["boosters"], s["loaded"], s["hedge_count"],
                              s["booster_count"], s["loaded_count"]))
                for frame, terms, n in source.frames.get(s["id"], ()):
                    frames.append((sid, aid, frame, terms, n))
                prominence = {"title": "headline", "standfirst": "standfirst"}.get(
                    block, "first_paragraph" if para == 2 else "body")
                spans = s["spans"]
                k = int(rng.random() * m_span)
                for actor in rng.choices(actor_ids, cum_weights=cum, k=k):
                    a, b = spans[rng.randrange(len(spans))]
                    role, desc, senti, pol, evid = source.mentions[rng.randrange(len(source.mentions))]
                    ments.append((f"{aid}:m:{n_ment}", aid, sid, actor, start + a, start + b, text[a:b], role,
                                  prominence, desc, senti, pol, evid))
                    n_ment += 1
                if block == "paragraph" and rng.random() < 0.27 and len(spans) > 4:
                    speaker = rng.choices(actor_ids, cum_weights=cum, k=1)[0]
                    kind, cue, lemma, cls, res = source.quotes[rng.randrange(len(source.quotes))]
                    sa, sb = spans[0]
                    ca, cb = spans[1]
                    qa = spans[2][0]
                    quotes.append((f"{aid}:q:{n_quote}", aid, sid, start + qa, end, text[qa:], kind, speaker,
                                   actor_names[speaker], start + sa, start + sb, cue, lemma, cls, start + ca,
                                   start + cb, res))
                    n_quote += 1
            body = "".join(parts)
            fre, fk, fog, smog = source.readability[rng.randrange(len(source.readability))]
            arts.append((aid, f"generated/{n_art:07d}.txt", "txt", picks[0]["text"], picks[1]["text"] if size > 1 else None,
                         outlet, published, f"https://example.org/{outlet.lower().replace(' ', '-')}/{n_art}",
                         None, body, max(0, (size - 2 + 2) // 3), size, len(body.split()), fre, fk, fog, smog,
                         round(sum(compounds) / len(compounds), 4), 1, ""))
            n_art += 1
            n_sent += size
        _insert(conn, "articles", ARTICLE_COLS, arts)
        _insert(conn, "sentences", SENT_COLS, sents)
        _insert(conn, "mentions", MENTION_COLS, ments)
        _insert(conn, "quotes", QUOTE_COLS, quotes)
        _insert(conn, "frames", FRAME_COLS, frames)
        if n_art % 5000 == 0:
            log(f"  {n_sent:,} sentences, {n_ment:,} mentions, {n_art:,} articles")
    conn.execute(
        "UPDATE _framing_runs SET loaded = ?, sentences = ?, mentions = ?, quotes = ? WHERE id = 1",
        (n_art, n_sent, n_ment, n_quote),
    )
    conn.execute("COMMIT")
    timings["rows"] = time.perf_counter() - t
    log(f"rows: {n_art:,} articles, {n_sent:,} sentences, {n_ment:,} mentions, {n_quote:,} quotes "
        f"({timings['rows']:.0f} s)")

    # From here on, what the loader does after its last batch.
    for step, fn in (
        ("indexes", write.ensure_schema),
        ("full-text", write.rebuild_fts),
        ("summaries", summaries.rebuild),
    ):
        t = time.perf_counter()
        fn(conn)
        timings[step] = time.perf_counter() - t
        log(f"{step}: {timings[step]:.0f} s")
    t = time.perf_counter()
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    timings["optimize"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return timings


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
            for t in ("articles", "sentences", "mentions", "quotes", "actors")
        } | {"outlets": conn.execute("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0]}
    finally:
        conn.close()


def ensure(db: Path, sentences: int, log=print) -> dict[str, int]:
    """Reuse ``db`` when it holds ``sentences`` sentences and finished summaries; else generate it."""
    if db.exists():
        try:
            c = counts(db)
            conn = sqlite3.connect(db)
            has_summary = conn.execute("SELECT count(*) FROM actor_outlet_stats").fetchone()[0] > 0
            conn.close()
            if c["sentences"] == sentences and has_summary:
                return c
        except sqlite3.Error:
            pass
    log(f"generating {db} ({sentences:,} sentences)...")
    timings = generate(db, sentences=sentences, log=log)
    log(f"generated in {timings['total']:.0f} s")
    return counts(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database to write (default {DEFAULT_DB})")
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--mentions-per-sentence", type=float, default=3.05)
    parser.add_argument("--actors", type=int, default=2000)
    args = parser.parse_args()
    timings = generate(args.db, sentences=args.sentences, mentions_per_sentence=args.mentions_per_sentence,
                       actors=args.actors)
    print("seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in counts(args.db).items()))


if __name__ == "__main__":
    main()
