"""analyze --jsonl then load --from-analyses gives the same database as a plain load."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from datasette_framing import cli, schema
from datasette_framing.pipeline import write
from datasette_framing.pipeline.records import Analysis

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: Columns that say which run (and which raw input) wrote a row, not what the row holds.
RUN_COLUMNS = {"run_id", "input_hash"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every data and summary table's rows, minus run bookkeeping, in a stable order."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for t in schema.DATA_TABLES + schema.SUMMARY_TABLES:
            cols = [c for c in t.column_names if c not in RUN_COLUMNS]
            sql = f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{t.name}]"
            out[t.name] = sorted(conn.execute(sql).fetchall(), key=repr)
        return out
    finally:
        conn.close()


def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    files = [SEEDS / "aljazeera-2022-01-20-blinken-lavrov.txt", *sorted((SEEDS / "official").glob("*.txt"))[:5]]
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    return folder


def invoke(args):
    return CliRunner().invoke(cli.cli, [str(a) for a in args], catch_exceptions=False)


def test_round_trip_gives_the_same_database(tmp_path):
    folder = inputs(tmp_path)
    plain = tmp_path / "plain.db"
    assert invoke(["load", plain, folder, "-q"]).exit_code == 1  # broken.json
    analyses = tmp_path / "analyses.jsonl"
    result = invoke(["analyze", folder, "--jsonl", "-o", analyses])
    assert result.exit_code == 1 and "broken.json" in result.stderr
    lines = analyses.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    # Each line rebuilds the same Analysis it was written from.
    first = json.loads(lines[0])
    assert Analysis.from_dict(first).to_dict() == first

    via = tmp_path / "via.db"
    result = invoke(["load", via, analyses, "--from-analyses"])
    assert result.exit_code == 0, result.stderr
    a, b = snapshot(plain), snapshot(via)
    assert a["articles"] and a["sentences"]
    for name in a:
        assert a[name] == b[name], name
    conn = write.connect(via)
    assert write.check_database(conn)[0] == []
    conn.close()
    # Loading the analyses again changes nothing.
    again = invoke(["load", via, analyses, "--from-analyses"])
    assert again.exit_code == 0 and "6 unchanged" in again.stderr
    assert snapshot(via) == b


def test_bad_analysis_lines_are_load_errors(tmp_path):
    folder = inputs(tmp_path)
    analyses = tmp_path / "analyses.jsonl"
    invoke(["analyze", folder, "--jsonl", "-o", analyses])
    lines = analyses.read_text(encoding="utf-8").splitlines()
    truncated = lines[1][: len(lines[1]) // 2]
    wrong = json.dumps({"article": {"id": "x"}})
    analyses.write_text("\n".join([lines[0], truncated, wrong, *lines[2:]]) + "\n", encoding="utf-8")
    db = tmp_path / "f.db"
    result = invoke(["load", db, analyses, "--from-analyses"])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 2
    assert "line 2" in failed[0] and "malformed JSON" in failed[0]
    assert "line 3" in failed[1] and "not an analysis" in failed[1]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert conn.execute("SELECT record FROM load_errors ORDER BY id").fetchall() == [("line 2",), ("line 3",)]
    conn.close()
