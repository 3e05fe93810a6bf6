"""Page latency at scale: p50 / p95 of every framing page, its JSON form and every canned query.

Usage:
    .venv/bin/python benchmarks/pages.py                         # 1M sentences, /tmp/framing-large.db
    .venv/bin/python benchmarks/pages.py --db /tmp/big.db --repeat 30
    .venv/bin/python benchmarks/pages.py --sentences 50000 --db /tmp/small.db   # a quick look
    .venv/bin/python benchmarks/pages.py --only sentences --explain             # query plans too

The database is made by ``benchmarks/make_large_db.py`` (reused when it already has the
requested size).  Every request goes through Datasette's own ASGI client
(``datasette.client``, httpx) with the plugin loaded as ``datasette serve`` loads it, the
database opened read-write as in ``datasette serve framing.db``.  Parameters are realistic:
the most-mentioned actor, a mid-ranked actor (rank 200), the busiest outlet, a four-month
date range of whole months, a range that starts and ends inside a month (read as whole
months plus days: the slower case) and a random article.

For each URL: wall-clock p50 and p95 over ``--repeat`` requests after one warm-up, and
the process CPU time per request (p95), which is steadier than wall time on a busy
machine.  Baselines measured in the same run: Datasette's own ``/db.json?sql=select+1``
and ``/db/articles.json?_size=1``; the ratio column is p95 / the ``select 1`` p95 (the cost of
a request through Datasette and the plugin hooks with no query work).
Target (issue 6): p95 <= 100 ms everywhere at 1M sentences.  Timings are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_large_db  # noqa: E402

from datasette_framing import canned_queries  # noqa: E402

TARGET_MS = 100.0


def choose_params(db: Path) -> dict[str, str]:
    """A top actor, a mid actor (rank 200 by mentions), the busiest outlet, a date range, an article."""
    conn = sqlite3.connect(db)
    try:
        ranked = conn.execute(
            "SELECT s.actor_id, a.name, sum(s.mentions) AS n FROM actor_outlet_stats s "
            "JOIN actors a ON a.id = s.actor_id GROUP BY s.actor_id ORDER BY n DESC"
        ).fetchall()
        top, mid = ranked[0], ranked[min(200, len(ranked) - 1)]
        outlet = conn.execute(
            "SELECT outlet FROM outlet_stats ORDER BY articles DESC, outlet LIMIT 1"
        ).fetchone()[0]
        article = conn.execute(
            "SELECT id FROM articles ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM articles)"
        ).fetchone()[0]
        return {
            "top": top[0], "top_name": top[1], "top_mentions": str(top[2]),
            "mid": mid[0], "mid_name": mid[1], "mid_mentions": str(mid[2]),
            "outlet": outlet, "since": "2022-03-01", "until": "2022-06-30", "article": article,
            # a range that cuts months: whole months plus days at each end (periods.plan)
            "part_since": "2022-03-05", "part_until": "2022-06-20",
        }
    finally:
        conn.close()


def urls(dbname: str, p: dict[str, str]) -> list[tuple[str, str, str]]:
    """(group, label, path) for every page, JSON form and canned query."""
    base = f"/{dbname}/-/framing"
    top, mid = quote(p["top"]), quote(p["mid"])
    dates = {"since": p["since"], "until": p["until"]}
    part = {"since": p["part_since"], "until": p["part_until"]}
    pages = [
        ("instance", "/-/framing"),
        ("dashboard", base),
        ("dashboard, outlet", base + "?" + urlencode({"outlet": p["outlet"]})),
        ("dashboard, dates", base + "?" + urlencode(dates)),
        ("actor, top", f"{base}/actors/{top}"),
        ("actor, mid", f"{base}/actors/{mid}"),
        ("actor, top, dates", f"{base}/actors/{top}?" + urlencode(dates)),
        ("actor, mid, outlet+dates", f"{base}/actors/{mid}?" + urlencode({"outlet": p["outlet"], **dates})),
        ("compare top+mid", f"{base}/compare?" + urlencode([("actor", p["top"]), ("actor", p["mid"])])),
        ("compare top, dates", f"{base}/compare?" + urlencode([("actor", p["top"]), *dates.items()])),
        ("dashboard, part months", base + "?" + urlencode(part)),
        ("actor, top, part months", f"{base}/actors/{top}?" + urlencode(part)),
        ("compare top+mid, part months", f"{base}/compare?" + urlencode([("actor", p["top"]), ("actor", p["mid"]), *part.items()])),
        ("sentences, top", f"{base}/sentences?" + urlencode({"actor": p["top"]})),
        ("sentences, mid", f"{base}/sentences?" + urlencode({"actor": p["mid"]})),
        ("sentences, top, outlet", f"{base}/sentences?" + urlencode({"actor": p["top"], "outlet": p["outlet"]})),
        ("sentences, top, dates", f"{base}/sentences?" + urlencode({"actor": p["top"], **dates})),
        ("sentences, top, negative", f"{base}/sentences?" + urlencode({"actor": p["top"], "polarity": "-1"})),
        ("sentences, speaker top", f"{base}/sentences?" + urlencode({"speaker": p["top"]})),
        ("article reader", f"{base}/articles/{quote(p['article'])}"),
        ("methods", f"{base}/methods"),
    ]
    out: list[tuple[str, str, str]] = []
    for label, path in pages:
        out.append(("page", label, path))
        path_part, _, query = path.partition("?")
        out.append(("json", label, path_part + ".json" + (("?" + query) if query else "")))
    variants = {
        "empty": {},
        "top": {"actor": p["top_name"]},
        "mid+outlet+dates": {"actor": p["mid_name"], "outlet": p["outlet"],
                             "date_from": p["since"], "date_to": p["until"]},
        "top+part months": {"actor": p["top_name"], "date_from": p["part_since"], "date_to": p["part_until"]},
        "every actor, dates": {"date_from": p["since"], "date_to": p["until"]},
        "every actor, part months": {"date_from": p["part_since"], "date_to": p["part_until"]},
    }
    for q in canned_queries.QUERIES:
        seen: set[str] = set()
        for vname, values in variants.items():
            params = {k: values.get(k, "") for k in q.params}
            if q.name == "who_gets_quoted" and vname == "top":
                params = {**params, "outlet": p["outlet"]}
            if urlencode(params) in seen:  # a variant the query's parameters cannot tell apart
                continue
            seen.add(urlencode(params))
            out.append(("canned", f"{q.name} [{vname}]", f"/{dbname}/{q.name}.json?" + urlencode(params)))
        out.append(("canned html", f"{q.name} [top]",
                    f"/{dbname}/{q.name}?" + urlencode({k: variants["top"].get(k, "") for k in q.params})))
    return out


async def measure(ds, path: str, repeat: int) -> dict[str, float]:
    response = await ds.client.get(path)  # warm-up (and a correctness check)
    if response.status_code != 200:
        return {"status": response.status_code, "error": response.text[:200]}
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        response = await ds.client.get(path)
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    walls.sort()
    cpus.sort()
    p95 = lambda xs: xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]  # noqa: E731
    return {"status": 200, "p50": statistics.median(walls), "p95": p95(walls), "cpu95": p95(cpus),
            "bytes": len(response.content)}


def explain(db: Path, p: dict[str, str]) -> None:
    """EXPLAIN QUERY PLAN of every canned query with the top actor (a scan shows as SCAN)."""
    conn = sqlite3.connect(db)
    from datasette_framing import sql_functions, stats

    stats.register(conn)
    try:
        sql_functions.register(conn)
    except TypeError:
        pass
    for q in canned_queries.QUERIES:
        params = {k: "" for k in q.params}
        params["actor"] = p["top_name"] if "actor" in params else ""
        print(f"\n-- {q.name}")
        for row in conn.execute("EXPLAIN QUERY PLAN " + q.sql, params):
            print("   ", row[-1])
    conn.close()


def missing_summaries(db: Path) -> list[str]:
    """Summary tables the current schema has and ``db`` lacks (an older build of the database)."""
    from datasette_framing import schema

    conn = sqlite3.connect(db)
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return sorted(t.name for t in schema.SUMMARY_TABLES if t.name not in present)


async def run(args) -> None:
    from datasette.app import Datasette

    db: Path = args.db
    counts = make_large_db.ensure(db, args.sentences)
    p = choose_params(db)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    print("database: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f"  ({db})")
    print(f"top actor {p['top']} ({int(p['top_mentions']):,} mentions), mid actor {p['mid']} "
          f"({int(p['mid_mentions']):,}), outlet {p['outlet']!r}, dates {p['since']}..{p['until']}")
    if args.explain:
        explain(db, p)

    missing = missing_summaries(db)
    if missing:
        # The pages would quietly read the raw tables instead, and the figures would mean nothing.
        sys.exit(f"{db} lacks summary tables {', '.join(missing)}: run `datasette-framing rebuild {db}` first")

    ds = Datasette([str(db)])
    await ds.invoke_startup()
    dbname = db.stem
    baselines = [("baseline", "select 1", f"/{dbname}.json?sql=select+1")]
    if not args.only:
        # Datasette's own table page: about 3 s on this database, almost all of it suggesting
        # facets (one query per column, each up to facet_suggest_time_limit_ms, over wide rows).
        baselines.append(("baseline", "articles table, 1 row", f"/{dbname}/articles.json?_size=1"))
    todo = baselines + [u for u in urls(dbname, p) if not args.only or args.only in u[1] or args.only in u[0]]
    results = []
    for group, label, path in todo:
        r = await measure(ds, path, args.repeat)
        results.append((group, label, path, r))
        if args.verbose:
            print(group, label, r, file=sys.stderr)
    base95 = results[0][3]["p95"]
    print(f"\n{'kind':<12}{'what':<44}{'p50 ms':>8}{'p95 ms':>8}{'cpu95':>8}{'x base':>8}  status")
    over = []
    for group, label, path, r in results:
        if r["status"] != 200:
            print(f"{group:<12}{label:<44}{'':>8}{'':>8}{'':>8}{'':>8}  {r['status']} {r.get('error', '')[:60]!r}")
            over.append((label, path, "status"))
            continue
        flag = "" if r["p95"] <= TARGET_MS else "  OVER"
        if flag and group != "baseline":
            over.append((label, path, f"{r['p95']:.0f} ms"))
        print(f"{group:<12}{label:<44}{r['p50']:8.1f}{r['p95']:8.1f}{r['cpu95']:8.1f}{r['p95'] / base95:8.1f}  "
              f"200{flag}")
    measured = [r for g, _, _, r in results if g != "baseline" and r["status"] == 200]
    if not measured:
        return
    print(f"\n{len(measured)} URLs measured, {args.repeat} requests each; worst p95 "
          f"{max(r['p95'] for r in measured):.1f} ms, worst CPU p95 {max(r['cpu95'] for r in measured):.1f} ms; "
          f"baseline p95 {base95:.1f} ms; target p95 <= {TARGET_MS:.0f} ms")
    if over:
        print("over target (wall p95; compare the CPU column on a busy machine):")
        for label, path, why in over:
            print(f"  {label}: {why}  {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=make_large_db.DEFAULT_DB)
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", help="measure only URLs whose label contains this text")
    parser.add_argument("--explain", action="store_true", help="print the canned queries' query plans")
    parser.add_argument("-v", "--verbose", action="store_true")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
