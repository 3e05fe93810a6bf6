"""A small framing database with hand-chosen rows, so page tests can assert exact numbers.

Tables come from ``schema.py`` (``create_sql``), rows are written with plain
sqlite3.  Two ordinary outlets cover two actors; a third, hostile article puts
script tags, event handlers, a ``javascript:`` URL, quote-breaking and
template-injection payloads in every text field (title, outlet, author, url,
text, actor name and id, alias, descriptors, cue) so the pages can be checked
to render them inert.  Run as a script to write ``sample.db`` for a manual look.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from datasette_framing import schema

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_BREAK = "\"'><svg onload=alert(1)>"
XSS_TEMPLATE = "{{7*7}}"
XSS_JS_URL = "javascript:alert(1)"

EVIL_ID = "evil\"'><x onmouseover=alert(1)>"
EVIL_NAME = XSS_IMG + " Evil"
HOSTILE_OUTLET = XSS_BREAK
HOSTILE_TITLE = XSS_SCRIPT + " " + XSS_TEMPLATE

# Each article: metadata, sentences, and per sentence its mentions (actor, surface, role,
# sentiment, polarity, descriptors), quotes (speaker, quoted text, cue, cue class) and frames.
ARTICLES = [
    {
        "id": "a1",
        "outlet": "Daily Planet",
        "published": "2022-01-20",
        "title": "Russia warns Ukraine",
        "url": "https://planet.example/russia-warns",
        "author": "Lois Lane",
        "sentences": [
            ("Russia warns Ukraine", "title", [("russia", "Russia", "agent", -0.4, -1, ["aggressive"]), ("ukraine", "Ukraine", "patient", 0.1, 0, [])], [], ["conflict"]),
            ("Russia attacked Ukraine on Monday.", "paragraph", [("russia", "Russia", "agent", -0.6, -1, ["aggressive"]), ("ukraine", "Ukraine", "patient", 0.3, 1, ["brave"])], [], ["conflict", "security"]),
            ('"We will defend ourselves," Ukraine said.', "paragraph", [("ukraine", "Ukraine", "speaker", 0.2, 1, [])], [("ukraine", "We will defend ourselves,", "said", "neutral")], ["security"]),
            ("Russia denied the claims.", "paragraph", [("russia", "Russia", "agent", -0.2, -1, [])], [], []),
        ],
    },
    {
        "id": "a2",
        "outlet": "Daily Bugle",
        "published": "2022-02-01",
        "title": "Talks go on",
        "url": "http://bugle.example/talks",
        "author": "J. Jonah Jameson",
        "sentences": [
            ("Talks go on", "title", [], [], ["diplomacy"]),
            ("Russia and Ukraine met in Geneva.", "paragraph", [("russia", "Russia", "agent", 0.1, 0, ["nuclear-armed"]), ("ukraine", "Ukraine", "agent", 0.1, 0, [])], [], ["diplomacy"]),
            ('"Progress was made," Russia claimed.', "paragraph", [("russia", "Russia", "speaker", 0.0, 0, [])], [("russia", "Progress was made,", "claimed", "distancing")], ["diplomacy"]),
        ],
    },
    {
        "id": "hostile" + XSS_BREAK,
        "outlet": HOSTILE_OUTLET,
        "published": "2022-02-02",
        "title": HOSTILE_TITLE,
        "url": XSS_JS_URL,
        "author": XSS_IMG,
        "sentences": [
            (HOSTILE_TITLE, "title", [], [], []),
            (f"Evil {XSS_IMG} said {XSS_BREAK} and {XSS_TEMPLATE} here.", "paragraph", [(EVIL_ID, "Evil", "agent", -0.5, -1, [XSS_SCRIPT])], [(EVIL_ID, XSS_BREAK, "said" + XSS_SCRIPT, XSS_SCRIPT)], ["conflict" + XSS_SCRIPT]),
            (f"Russia met Evil {XSS_SCRIPT}.", "paragraph", [("russia", "Russia", "agent", 0.0, 0, []), (EVIL_ID, "Evil", "patient", 0.0, 0, [])], [], []),
        ],
    },
]

ACTORS = [
    ("russia", "Russia", "country", None),
    ("ukraine", "Ukraine", "country", None),
    (EVIL_ID, EVIL_NAME, "person", None),
]
ALIASES = [("russia", "Moscow", "default"), (EVIL_ID, XSS_SCRIPT, "user")]


def expected_mentions() -> dict[tuple[str, str], list[float]]:
    """Sentiments of the mentions of each (actor, outlet), as written above."""
    out: dict[tuple[str, str], list[float]] = {}
    for art in ARTICLES:
        for _, _, mentions, _, _ in art["sentences"]:
            for actor, _, _, sentiment, _, _ in mentions:
                out.setdefault((actor, art["outlet"]), []).append(sentiment)
    return out


def build(path: str | Path) -> Path:
    path = Path(path)
    conn = sqlite3.connect(path)
    for t in schema.all_tables():
        conn.execute(t.create_sql())
    conn.executemany("INSERT INTO actors (id, name, kind, affiliation) VALUES (?, ?, ?, ?)", ACTORS)
    conn.executemany("INSERT INTO aliases (actor_id, alias, source) VALUES (?, ?, ?)", ALIASES)
    conn.execute(
        "INSERT INTO _framing_runs (id, started, finished, version, options, paths, loaded, unchanged, failed, sentences, quotes, mentions, seconds) "
        "VALUES (1, '2022-03-01T00:00:00Z', '2022-03-01T00:00:05Z', 'sample', ?, ?, 3, 0, 1, 10, 3, 12, 5.0)",
        (json.dumps({"workers": 1, "note": XSS_SCRIPT}), json.dumps(["sample/"])),
    )
    conn.execute("INSERT INTO load_errors (id, run_id, path, record, reason) VALUES (1, 1, ?, NULL, ?)", ("bad" + XSS_SCRIPT + ".txt", "not UTF-8 " + XSS_IMG))
    for art in ARTICLES:
        text, spans = "", []
        for i, (sentence, block, *_rest) in enumerate(art["sentences"]):
            if text:
                text += "\n\n"
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
        conn.execute(
            "INSERT INTO articles (id, source, format, title, outlet, published, url, author, text, paragraph_count, sentence_count, word_count, flesch_reading_ease, flesch_kincaid_grade, compound_mean, run_id) "
            "VALUES (?, ?, 'txt', ?, ?, ?, ?, ?, ?, ?, ?, ?, 60.0, 8.0, 0.0, 1)",
            (art["id"], f"sample/{art['id']}.txt", art["title"], art["outlet"], art["published"], art["url"], art["author"], text, len(spans) - 1, len(spans), len(text.split())),
        )
        m_index = q_index = 0
        for i, ((sentence, block, mentions, quotes, frames), (start, end)) in enumerate(zip(art["sentences"], spans)):
            sid = f"{art['id']}:{i}"
            conn.execute(
                "INSERT INTO sentences (id, article_id, idx, start, [end], paragraph, block, is_heading, text, compound) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, art["id"], i, start, end, i, block, int(block == "title"), sentence, -0.3 if "attack" in sentence else 0.1),
            )
            cursor = 0
            for actor, surface, role, sentiment, polarity, descriptors in mentions:
                offset = sentence.index(surface, cursor)
                cursor = offset + len(surface)
                conn.execute(
                    "INSERT INTO mentions (id, article_id, sentence_id, actor_id, start, [end], surface, role, prominence, descriptors, sentiment, polarity, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f"{art['id']}:m:{m_index:03d}", art["id"], sid, actor, start + offset, start + cursor, surface, role, "headline" if block == "title" else "body", json.dumps(descriptors), sentiment, polarity, json.dumps(["attacked"] if "attack" in sentence else [])),
                )
                m_index += 1
            for speaker, quoted, cue, cue_class in quotes:
                offset = sentence.index(quoted)
                cue_at = sentence.find(cue.split("<")[0])
                conn.execute(
                    "INSERT INTO quotes (id, article_id, sentence_id, start, [end], text, kind, speaker_id, speaker_text, cue, cue_lemma, cue_class, cue_start, cue_end, resolution) VALUES (?, ?, ?, ?, ?, ?, 'direct', ?, ?, ?, ?, ?, ?, ?, 'named')",
                    (f"{art['id']}:q:{q_index:03d}", art["id"], sid, start + offset, start + offset + len(quoted), quoted, speaker, speaker, cue, cue, cue_class, start + cue_at, start + cue_at + len(cue)),
                )
                q_index += 1
            for frame in frames:
                conn.execute(
                    "INSERT INTO frames (sentence_id, article_id, frame, terms, term_count) VALUES (?, ?, ?, ?, 1)",
                    (sid, art["id"], frame, json.dumps([frame.split("<")[0]])),
                )
    conn.commit()
    # The loader's own summary builder, so the pages read the same tables as on a real load.
    from datasette_framing.pipeline import write

    write.rebuild_summaries(conn)
    conn.commit()
    conn.close()
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "sample.db"))
