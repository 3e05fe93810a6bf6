"""Small, hand-written framing databases whose every number is known in advance.

The seeded database (conftest ``seeded_db_path``) shows that queries and pages
work on real output; these samples show that they compute the *right* thing:
filters, alias resolution, means and shares are checked against values worked
out by hand here.  Tables are created by the real writer (``write.ensure_schema``)
from ``schema.py``; rows are inserted with their schema column names.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from datasette_framing import schema
from datasette_framing.pipeline import write


def insert(conn: sqlite3.Connection, table: str, **row: Any) -> None:
    """Insert one row, refusing column names that schema.py does not declare."""
    known = set(schema.table(table).column_names)
    unknown = set(row) - known
    assert not unknown, f"{table} has no columns {sorted(unknown)}"
    cols = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" for _ in row)
    values = [json.dumps(v) if isinstance(v, (list, tuple)) else v for v in row.values()]
    conn.execute(f"insert into [{table}] ({cols}) values ({marks})", values)


def add_article(
    conn: sqlite3.Connection,
    article_id: str,
    *,
    sentences: list[str],
    mentions: list[dict[str, Any]] = (),
    quotes: list[dict[str, Any]] = (),
    frames: list[dict[str, Any]] = (),
    **meta: Any,
) -> None:
    """An article, its sentences (joined by a space) and the rows that point into them.

    Mentions, quotes and frames name their sentence by index (``sentence``) and
    locate words with ``surface``/``text`` found inside that sentence, so every
    offset is true to the stored text.
    """
    text = " ".join(sentences)
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 1
    insert(conn, "articles", id=article_id, source=f"sample/{article_id}.txt", format="txt", text=text,
           sentence_count=len(sentences), word_count=len(text.split()), **meta)
    for i, s in enumerate(sentences):
        insert(conn, "sentences", id=f"{article_id}:{i}", article_id=article_id, idx=i, start=starts[i],
               end=starts[i] + len(s), paragraph=i, block="paragraph", is_heading=0, text=s)
    for j, m in enumerate(mentions):
        m = dict(m)
        i = m.pop("sentence")
        offset = sentences[i].index(m["surface"])
        start = starts[i] + offset
        insert(conn, "mentions", id=f"{article_id}:m:{j}", article_id=article_id, sentence_id=f"{article_id}:{i}",
               start=start, end=start + len(m["surface"]), **m)
    for j, q in enumerate(quotes):
        q = dict(q)
        i = q.pop("sentence")
        start = starts[i] + sentences[i].index(q["text"])
        insert(conn, "quotes", id=f"{article_id}:q:{j}", article_id=article_id, sentence_id=f"{article_id}:{i}",
               start=start, end=start + len(q["text"]), **q)
    for f in frames:
        f = dict(f)
        i = f.pop("sentence")
        insert(conn, "frames", sentence_id=f"{article_id}:{i}", article_id=article_id,
               term_count=len(f.get("terms", [])), **f)


def add_actor(conn: sqlite3.Connection, key: str, name: str, kind: str, aliases: list[str] = (), affiliation: str | None = None) -> None:
    insert(conn, "actors", id=key, name=name, kind=kind, affiliation=affiliation)
    for alias in aliases:
        insert(conn, "aliases", actor_id=key, alias=alias, source="default")


def finish(conn: sqlite3.Connection) -> None:
    """Bring full-text search and the summary tables up to date, as the loader does at the end."""
    write.rebuild_fts(conn)
    write.rebuild_summaries(conn)


def create(path: Path) -> sqlite3.Connection:
    conn = write.connect(path)
    write.ensure_schema(conn)
    conn.execute("PRAGMA foreign_keys=OFF")
    return conn


def build_sample_db(path: Path) -> Path:
    """Two outlets, three articles, three actors: every expected number is worked out in the tests."""
    conn = create(path)
    conn.execute("BEGIN")
    add_actor(conn, "russia", "Russia", "country", ["Kremlin", "Moscow"])
    add_actor(conn, "united-states", "United States", "country", ["Washington", "the US"])
    add_actor(conn, "joe-biden", "Joe Biden", "person", ["Biden", "the US president"], affiliation="united-states")
    add_article(
        conn, "a1", title="Russia masses troops", outlet="Daily Planet", published="2022-01-20",
        sentences=[
            "Russia massed troops on the border.",
            "Biden said: the talks must go on.",
            "Moscow denied any plan to invade.",
        ],
        mentions=[
            dict(sentence=0, actor_id="russia", surface="Russia", role="agent", prominence="first_paragraph",
                 descriptors=["aggressive"], sentiment=-0.6, polarity=-1, evidence=["massed"]),
            dict(sentence=1, actor_id="joe-biden", surface="Biden", role="speaker", prominence="body",
                 descriptors=["US President"], sentiment=0.5, polarity=1, evidence=["talks"]),
            dict(sentence=2, actor_id="russia", surface="Moscow", role="agent", prominence="body",
                 descriptors=[], sentiment=0.0, polarity=0, evidence=[]),
        ],
        quotes=[
            dict(sentence=1, text="the talks must go on", kind="direct", speaker_id="joe-biden", speaker_text="Biden",
                 cue="said", cue_lemma="say", cue_class="neutral", resolution="named"),
        ],
        frames=[
            dict(sentence=0, frame="conflict", terms=["troops"]),
            dict(sentence=0, frame="security", terms=["troops", "border"]),
            dict(sentence=1, frame="diplomacy", terms=["talks"]),
        ],
    )
    add_article(
        conn, "a2", title="Kremlin and Washington talk", outlet="The Bugle", published="2022-01-21",
        sentences=[
            "The Kremlin welcomed the talks.",
            "The US president claimed progress was made.",
            "Officials said nothing would change.",
        ],
        mentions=[
            dict(sentence=0, actor_id="russia", surface="Kremlin", role="agent", prominence="first_paragraph",
                 descriptors=["aggressive", "nuclear"], sentiment=0.2, polarity=1, evidence=["welcomed"]),
            dict(sentence=1, actor_id="joe-biden", surface="The US president", role="speaker", prominence="body",
                 descriptors=["US President"], sentiment=0.1, polarity=0, evidence=["progress"]),
        ],
        quotes=[
            dict(sentence=1, text="progress was made", kind="indirect", speaker_id="joe-biden",
                 speaker_text="The US president", cue="claimed", cue_lemma="claim", cue_class="distancing",
                 resolution="role"),
            dict(sentence=2, text="nothing would change", kind="indirect", speaker_id=None, speaker_text="Officials",
                 cue="said", cue_lemma="say", cue_class="neutral", resolution="none"),
        ],
        frames=[dict(sentence=0, frame="diplomacy", terms=["talks"])],
    )
    add_article(
        conn, "a3", title="Kremlin warns", outlet="Daily Planet", published="2022-02-22",
        sentences=["The Kremlin warned of a harsh response.", "Russia recognised the regions."],
        mentions=[
            dict(sentence=0, actor_id="russia", surface="Kremlin", role="speaker", prominence="first_paragraph",
                 descriptors=["nuclear"], sentiment=-0.3, polarity=-1, evidence=["harsh"]),
            dict(sentence=1, actor_id="russia", surface="Russia", role="agent", prominence="body",
                 descriptors=[], sentiment=-0.2, polarity=-1, evidence=["recognised"]),
        ],
        quotes=[
            dict(sentence=0, text="of a harsh response", kind="indirect", speaker_id="russia", speaker_text="The Kremlin",
                 cue="warned", cue_lemma="warn", cue_class="warning", resolution="metonym"),
        ],
        frames=[dict(sentence=0, frame="conflict", terms=["harsh"])],
    )
    conn.execute("COMMIT")
    finish(conn)
    conn.close()
    return path


# ------------------------------------------------------------- plugin routes as concrete URLs

import re as _re

#: Sample values for the named groups of the plugin's route patterns.
FORMAT_GROUP = r"(\.(?P<format>json|csv))?"
FORMATS = ("", ".json", ".csv")


def _replace_groups(pattern: str, values: dict[str, str]) -> str:
    out, i = [], 0
    while i < len(pattern):
        m = _re.match(r"\(\?P<(\w+)>", pattern[i:])
        if not m:
            out.append(pattern[i])
            i += 1
            continue
        name = m.group(1)
        if name not in values:
            raise KeyError(f"route group {name!r} has no sample value: add one to the test")
        depth, j = 1, i + m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(pattern[j], 0) if pattern[j - 1] != "\\" else 0
            j += 1
        out.append(values[name])
        i = j
    return "".join(out)


def plugin_urls(values: dict[str, str]) -> list[str]:
    """Every URL of every route the plugin registers (static files excluded), in every format."""
    from datasette_framing import views

    urls = []
    for pattern, _view in views.routes():
        formats = FORMATS if FORMAT_GROUP in pattern else ("",)
        base = pattern.replace(FORMAT_GROUP, "").lstrip("^").rstrip("$")
        path = _replace_groups(base, values).replace("\\.", ".").replace("\\-", "-")
        for fmt in formats:
            url = path + fmt
            assert _re.match(pattern, url), f"{url} does not match {pattern}"
            urls.append(url)
    return urls
