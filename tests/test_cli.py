"""The command line: help for every command, end-to-end load, exit codes, the Datasette subcommand."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_framing import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "aljazeera-2022-01-20-blinken-lavrov.txt"


def invoke(args, **kw):
    return CliRunner().invoke(cli.cli, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.mark.parametrize("command", [None, *sorted(cli.cli.commands)])
def test_every_command_has_help_with_an_example(command):
    args = ([command] if command else []) + ["--help"]
    result = invoke(args)
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "datasette-framing" in result.output


def test_load_end_to_end_and_summary(tmp_path):
    db = tmp_path / "framing.db"
    result = invoke(["load", db, SEEDS])
    assert result.exit_code == 0, result.output
    n = len(list(SEEDS.rglob("*.txt")))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    conn.close()
    # The closing summary (stderr) gives the counts.
    assert f"{n:,} articles loaded" in result.stderr
    assert f"{sentences:,} sentences" in result.stderr
    assert "0 failed" in result.stderr
    again = invoke(["load", db, SEEDS])
    assert again.exit_code == 0
    assert f"0 articles loaded, {n:,} unchanged" in again.stderr


def test_quiet_prints_nothing_when_all_loads(tmp_path):
    result = invoke(["load", tmp_path / "f.db", SEED_ARTICLE, "--quiet"])
    assert result.exit_code == 0
    assert result.stderr == "" and result.stdout == ""


def test_outlet_option_overrides(tmp_path):
    db = tmp_path / "f.db"
    assert invoke(["load", db, SEED_ARTICLE, "--outlet", "The Test Gazette"]).exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT outlet FROM articles").fetchall() == [("The Test Gazette",)]
    options = json.loads(conn.execute("SELECT options FROM _framing_runs").fetchone()[0])
    assert options["outlet"] == "The Test Gazette"
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ["load"],  # no DB, no PATH
        ["load", "x.db"],  # no PATH
        ["load", "x.db", "does-not-exist.txt"],
        ["load", "x.db", str(SEED_ARTICLE), "--workers", "0"],
        ["load", "x.db", str(SEED_ARTICLE), "--field", "body"],
        ["load", "x.db", str(SEED_ARTICLE), "--field", "colour=hue"],
        ["load", "x.db", str(SEED_ARTICLE), "--max-file-mb", "-1"],
        ["load", "x.db", str(SEED_ARTICLE), "--dask", "nonsense"],
        ["load", "x.db", str(SEED_ARTICLE), "--no-such-option"],
        ["analyze", str(SEED_ARTICLE), "--json", "--jsonl"],
    ],
)
def test_usage_errors_exit_2(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = invoke(args)
    assert result.exit_code == 2
    assert "Error" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_db_that_is_not_a_database_is_a_usage_error(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database at all, just some text that is long enough\n" * 20, encoding="utf-8")
    result = invoke(["load", notes, SEED_ARTICLE])
    assert result.exit_code == 2 and "not an SQLite database" in result.stderr
    assert notes.read_text(encoding="utf-8").startswith("not a database")
    missing = invoke(["load", tmp_path / "no-such-folder" / "f.db", SEED_ARTICLE])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_bad_actors_file_is_a_usage_error(tmp_path):
    actors = tmp_path / "actors.yml"
    actors.write_text("- just a string\n- another\n", encoding="utf-8")
    result = invoke(["load", tmp_path / "x.db", SEED_ARTICLE, "--actors", actors])
    assert result.exit_code == 2
    assert "actors.yml" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_analyze_json_prints_the_documented_dict():
    result = invoke(["analyze", SEED_ARTICLE, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"article", "text", "sentences", "actors", "mentions", "quotes"} <= set(data)
    for s in data["sentences"]:
        assert data["text"][s["start"] : s["end"]] == s["text"]


def test_analyze_jsonl_one_line_per_article(tmp_path):
    out = tmp_path / "a.jsonl"
    result = invoke(["analyze", SEEDS / "official", "--jsonl", "-o", out])
    assert result.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list((SEEDS / "official").glob("*.txt")))
    assert len({json.loads(line)["article"]["id"] for line in lines}) == len(lines)


def test_analyze_summary_lines():
    result = invoke(["analyze", SEED_ARTICLE])
    assert result.exit_code == 0
    assert SEED_ARTICLE.name in result.stdout and "sentences" in result.stdout


def test_check_command(tmp_path):
    db = tmp_path / "f.db"
    invoke(["load", db, SEED_ARTICLE, "-q"])
    ok = invoke(["check", db])
    assert ok.exit_code == 0 and "ok" in ok.stderr
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM sentences WHERE rowid = (SELECT max(rowid) FROM sentences)")
    conn.commit()
    conn.close()
    bad = invoke(["check", db])
    assert bad.exit_code == 1 and "sentence_count" in bad.stderr


def test_rebuild_command_restores_search(tmp_path):
    db = tmp_path / "f.db"
    invoke(["load", db, SEED_ARTICLE, "-q"])
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM sentences_fts")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'Blinken'").fetchone()[0] == 0
    conn.close()
    assert invoke(["rebuild", db]).exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'Blinken'").fetchone()[0] > 0
    conn.close()


def test_datasette_framing_subcommand(tmp_path):
    from datasette.cli import cli as datasette_cli

    help_result = CliRunner().invoke(datasette_cli, ["framing", "load", "--help"])
    assert help_result.exit_code == 0 and "--workers" in help_result.output
    db = tmp_path / "f.db"
    result = CliRunner().invoke(datasette_cli, ["framing", "load", str(db), str(SEED_ARTICLE), "-q"])
    assert result.exit_code == 0
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_console_script_and_python_m(tmp_path):
    exe = Path(sys.executable).parent / "datasette-framing"
    for cmd in ([str(exe)], [sys.executable, "-m", "datasette_framing"]):
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "datasette-framing" in out.stdout


def test_analysis_format_doc_names_every_key():
    doc = (ROOT / "docs" / "analysis-format.md").read_text(encoding="utf-8")
    data = json.loads(invoke(["analyze", SEED_ARTICLE, "--json"]).stdout)
    keys = set(data) | set(data["article"])
    for part in ("paragraphs", "sentences", "actors", "mentions", "quotes"):
        assert data[part], part
        keys |= set(data[part][0])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == []


def test_progress_bar_only_on_a_terminal():
    import io

    from datasette_framing.pipeline.run import RunSummary

    summary = RunSummary(1, "x.db", loaded=10, unchanged=3, files=13, sentences=300, seconds=2.0)
    shown = io.StringIO()
    cli.Progress(shown, enabled=True, total_files=26).update(summary)
    assert "50% 13/26 files" in shown.getvalue() and "10 loaded" in shown.getvalue()
    hidden = io.StringIO()
    cli.Progress(hidden, enabled=False, total_files=26).update(summary)
    assert hidden.getvalue() == ""


def test_no_progress_output_when_stderr_is_not_a_terminal(tmp_path):
    result = invoke(["load", tmp_path / "f.db", SEED_ARTICLE])
    assert "\r" not in result.stderr and "files |" not in result.stderr
