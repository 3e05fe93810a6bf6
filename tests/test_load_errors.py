"""Bad input at the loader level: each case gets one stderr line, a load_errors row, exit 1, and the load goes on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_framing import cli

GOOD = "The minister said the talks went well. Both sides will meet again next week.\n"


def load(tmp_path: Path, *extra: str):
    db = tmp_path / "framing.db"
    result = CliRunner().invoke(
        cli.cli, ["load", str(db), str(tmp_path / "in"), *extra], catch_exceptions=False
    )
    conn = sqlite3.connect(db)
    errors = conn.execute("SELECT path, record, reason, run_id FROM load_errors").fetchall()
    sources = [r[0] for r in conn.execute("SELECT source FROM articles")]
    run = conn.execute("SELECT failed, status FROM _framing_runs").fetchone()
    conn.close()
    return result, errors, sources, run


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return d


def assert_one_failure(result, errors, sources, run, name: str, record: str | None = None, reason_has=()):
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    assert len(errors) == 1
    path, rec, reason, run_id = errors[0]
    assert path.endswith(name) and run_id is not None
    assert reason and "Traceback" not in reason
    assert reason in lines[0]
    if record is not None:
        assert rec == record and f"record {record}" in lines[0]
    for word in reason_has:
        assert word in reason.lower()
    # The rest of the load went on.
    assert any(s.endswith("good.txt") for s in sources)
    assert run == (1, "finished")
    assert "1 failed" in result.stderr


def test_binary_file(tmp_path, folder):
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_one_failure(*load(tmp_path), "photo.txt", reason_has=("png",))


def test_binary_without_magic_number(tmp_path, folder):
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 64)
    assert_one_failure(*load(tmp_path), "blob.txt")


def test_empty_file(tmp_path, folder):
    (folder / "empty.txt").write_bytes(b"")
    assert_one_failure(*load(tmp_path), "empty.txt", reason_has=("empty",))


def test_whitespace_only_file(tmp_path, folder):
    (folder / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    assert_one_failure(*load(tmp_path), "blank.txt")


def test_unreadable_file(tmp_path, folder):
    # A dangling link: unreadable even for root (file modes are not).
    (folder / "gone.txt").symlink_to(folder / "missing-target.txt")
    assert_one_failure(*load(tmp_path), "gone.txt")


def test_non_utf8_is_decoded_not_refused(tmp_path, folder):
    text = "Le président a déclaré que la réforme était nécessaire. Les syndicats ont protesté.\n"
    (folder / "latin1.txt").write_bytes(text.encode("cp1252"))
    result, errors, sources, run = load(tmp_path)
    assert result.exit_code == 0 and errors == []
    conn = sqlite3.connect(tmp_path / "framing.db")
    stored = conn.execute("SELECT text FROM articles WHERE source LIKE '%latin1.txt'").fetchone()[0]
    conn.close()
    assert "président a déclaré" in stored


def test_file_over_the_size_limit(tmp_path, folder):
    (folder / "huge.txt").write_text("word " * 300_000, encoding="utf-8")  # 1.5 MB
    assert_one_failure(*load(tmp_path, "--max-file-mb", "1"), "huge.txt", reason_has=("mb",))


def test_file_over_the_default_50_mb_limit(tmp_path, folder):
    with open(folder / "dump.txt", "wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: no time spent writing
    assert_one_failure(*load(tmp_path), "dump.txt", reason_has=("mb",))


def test_malformed_json_file(tmp_path, folder):
    (folder / "export.json").write_text('[{"text": "An article."}, {"text": ', encoding="utf-8")
    assert_one_failure(*load(tmp_path), "export.json", reason_has=("json",))


def test_malformed_jsonl_record(tmp_path, folder):
    (folder / "feed.jsonl").write_text(
        '{"title": "One", "text": "First article text. It is fine."}\n'
        '{"title": "Two", "text": \n'
        '{"title": "Three", "text": "Third article text. Also fine."}\n',
        encoding="utf-8",
    )
    result, errors, sources, run = load(tmp_path)
    assert_one_failure(result, errors, sources, run, "feed.jsonl", record="2", reason_has=("json",))
    assert sum(1 for s in sources if "feed.jsonl" in s) == 2


def test_csv_record_without_text(tmp_path, folder):
    (folder / "export.csv").write_text(
        "title,text,outlet\n"
        "One,First article text. It is fine.,Gazette\n"
        "Two,,Gazette\n"
        "Three,Third article text. Also fine.,Gazette\n",
        encoding="utf-8",
    )
    result, errors, sources, run = load(tmp_path)
    assert result.exit_code == 1
    assert len(errors) == 1 and errors[0][0].endswith("export.csv") and errors[0][1]
    assert sum(1 for s in sources if "export.csv" in s) == 2


def test_archive_is_refused(tmp_path, folder):
    import zipfile

    with zipfile.ZipFile(folder / "articles.zip", "w") as z:
        z.writestr("a.txt", GOOD)
    assert_one_failure(*load(tmp_path), "articles.zip", reason_has=("archive",))


def test_analysis_failure_is_reported_and_load_goes_on(tmp_path, folder, monkeypatch):
    from datasette_framing.pipeline import analyze as analyze_mod

    real = analyze_mod.analyze_source

    def explode(source, lexicon=None):
        if source.path.endswith("poison.txt"):
            raise RuntimeError("the extractor tripped")
        return real(source, lexicon)

    monkeypatch.setattr(analyze_mod, "analyze_source", explode)
    (folder / "poison.txt").write_text("Some article text. It trips the analysis.\n", encoding="utf-8")
    assert_one_failure(*load(tmp_path), "poison.txt", reason_has=("analysis failed", "tripped"))


def test_only_failures_still_exit_1_with_errors_recorded(tmp_path, folder):
    (folder / "good.txt").unlink()
    (folder / "empty.txt").write_bytes(b"")
    result, errors, sources, run = load(tmp_path)
    assert result.exit_code == 1 and len(errors) == 1 and sources == []
