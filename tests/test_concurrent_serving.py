"""Loading while Datasette serves the same file: every request succeeds, no article is ever seen half-written.

A real ``datasette serve`` on a free loopback port reads the database (WAL)
while a load replaces every article and adds new ones.  A bounded number of
concurrent requests (at most 1,000, loopback only) checks that each article's
sentences, as served, number exactly its stored ``sentence_count``: the old
state or the new one, never a mix.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from datasette_framing.pipeline import write
from datasette_framing.pipeline.run import run

from test_interrupt import make_corpus

MAX_REQUESTS = 1000
CLIENTS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, gone_ok: bool = False):
    """The JSON at url; with gone_ok, None for a 404 (a row replaced meanwhile)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
            return json.loads(response.read())
    except urllib.error.HTTPError as e:
        if gone_ok and e.code == 404:
            return None
        raise AssertionError(f"{url} after {time.monotonic() - started:.1f}s: HTTPError: {e}") from e
    except Exception as e:
        raise AssertionError(f"{url} after {time.monotonic() - started:.1f}s: {type(e).__name__}: {e}") from e


def test_pages_show_whole_articles_during_a_load(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 60, seed=1)
    db = tmp_path / "framing.db"
    assert run([str(corpus)], str(db)).failed == 0
    n = make_corpus(corpus, 90, seed=2)  # the same 60 files with new bodies, and 30 more

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "datasette.log", "w")  # a file, not a pipe: a full pipe would stall the server
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-h", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except AssertionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start:\n{(tmp_path / 'datasette.log').read_text()}")
                time.sleep(0.2)

        snapshot_sql = (
            "select a.id, a.sentence_count, (select count(*) from sentences s where s.article_id = a.id) as n "
            "from articles a"
        )
        snapshot_url = f"{base}/framing.json?" + urllib.parse.urlencode(
            {"sql": snapshot_sql, "_shape": "array", "_size": "max"}
        )
        lock = threading.Lock()
        stats = {"requests": 0, "during_load": 0, "articles_seen": set()}
        failures: list[str] = []
        loading = threading.Event()
        stop = threading.Event()

        def client(k: int) -> None:
            while not stop.is_set():
                with lock:
                    if stats["requests"] >= MAX_REQUESTS:
                        return
                    stats["requests"] += 3
                    if loading.is_set():
                        stats["during_load"] += 3
                try:
                    rows = get_json(snapshot_url)
                    bad = [r for r in rows if r["n"] != r["sentence_count"]]
                    if bad:
                        failures.append(f"half-written in one query: {bad[:3]}")
                    if not rows:
                        continue
                    pick = rows[(k * 7 + stats["requests"]) % len(rows)]
                    with lock:
                        stats["articles_seen"].add(pick["id"])
                    # Two separate requests: the article page, then its sentences table page.
                    # A 404 here is the article replaced since the snapshot (ids are content
                    # hashes): the old state is gone whole, so its sentences must be gone too.
                    article = get_json(f"{base}/framing/articles/{pick['id']}.json?_shape=objects", gone_ok=True)
                    sentences = get_json(
                        f"{base}/framing/sentences.json?"
                        + urllib.parse.urlencode({"article_id": pick["id"], "_size": "max", "_shape": "objects"})
                    )
                    count = len(sentences["rows"])
                    # Replaced in between: the article is gone and so are all its sentences.
                    if count not in (0, pick["sentence_count"]):
                        failures.append(f"{pick['id']}: {count} sentences served, {pick['sentence_count']} stored")
                    if article is None and count != 0:
                        failures.append(f"{pick['id']}: article gone but {count} sentences still served")
                    if article and article["rows"] and article["rows"][0]["sentence_count"] != pick["sentence_count"]:
                        failures.append(f"{pick['id']}: sentence_count changed under the same id")
                except Exception as e:  # any failed request fails the test
                    failures.append(f"{type(e).__name__}: {e}")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        loading.set()
        for t in threads:
            t.start()
        load = subprocess.run(
            [sys.executable, "-m", "datasette_framing", "load", str(db), str(corpus), "--quiet"],
            capture_output=True, text=True, timeout=600,
        )
        loading.clear()
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert load.returncode == 0, load.stderr
        assert failures == [], "\n".join(failures[:10])
        assert stats["during_load"] >= 30, stats
        assert stats["requests"] <= MAX_REQUESTS + 3 * CLIENTS

        # The served final state is the new corpus, whole: every old version replaced.
        rows = get_json(snapshot_url)
        assert len(rows) == n and all(r["n"] == r["sentence_count"] for r in rows)
        assert not stats["articles_seen"] <= {r["id"] for r in rows}  # old versions were seen, and are gone
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    conn = write.connect(db)
    assert write.check_database(conn)[0] == []
    conn.close()
