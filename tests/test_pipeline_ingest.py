"""Ingest: every input format, the seeds, and one test per kind of bad input."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from datasette_framing.pipeline.ingest import IngestOptions, html_to_text, read_paths
from datasette_framing.pipeline.records import LoadError, Source

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "seeds" / "official"
SEED = ROOT / "seeds" / "aljazeera-2022-01-20-blinken-lavrov.txt"


def read(*paths, **options) -> list[Source | LoadError]:
    return list(read_paths([str(p) for p in paths], IngestOptions(**options) if options else None))


def one(path, **options) -> Source | LoadError:
    items = read(path, **options)
    assert len(items) == 1, items
    return items[0]


def header_of(path: Path) -> dict[str, str]:
    """The header block read independently of the code under test."""
    out = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            break
        key, _, value = line.partition(":")
        out[key.strip()] = " ".join(value.split())
    return out


# ------------------------------------------------------------------ seeds


def test_all_official_seeds_ingest_with_their_header():
    files = sorted(OFFICIAL.glob("*.txt"))
    assert len(files) == 25
    items = read(OFFICIAL)
    assert [i.path for i in items] == [str(f) for f in files]  # sorted, deterministic
    for item, path in zip(items, files):
        assert isinstance(item, Source), item
        header = header_of(path)
        assert item.metadata["title"] == header["title"]
        assert item.metadata["outlet"] == header["outlet"]
        assert item.metadata["published"] == header["date"]
        assert item.metadata["url"] == header["url"]
        assert item.metadata["licence"] == header["licence"]
        assert item.format == "txt" and item.record is None
        # The body is the rest of the file, header gone.
        assert not item.text.startswith("title:")
        assert item.text.strip() and item.text.strip() in path.read_text(encoding="utf-8")


def test_seed_folder_skips_readme_and_reads_both_levels():
    items = read(ROOT / "seeds")
    paths = [i.path for i in items]
    assert str(SEED) in paths
    assert not any(Path(p).name.lower().startswith("readme") for p in paths)
    assert len(paths) == 26
    assert read(ROOT / "seeds") == items  # same order every time


def test_seed_without_header_keeps_all_text():
    item = one(SEED)
    assert item.metadata == {}
    assert item.text == SEED.read_text(encoding="utf-8")


# ------------------------------------------------------------------ formats


def test_txt_header_and_outlet_override(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("title: A title\noutlet: Header Outlet\ndate: 20 January 2022\nauthor: Jo\n\nBody line.\n", encoding="utf-8")
    item = one(f)
    assert item.metadata == {"title": "A title", "outlet": "Header Outlet", "published": "2022-01-20", "author": "Jo"}
    assert item.text == "Body line.\n"
    assert one(f, outlet="Mine").metadata["outlet"] == "Mine"


def test_txt_crlf_and_bom_are_normalised(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("\ufefftitle: T\r\noutlet: O\r\n\r\nOne.\r\nTwo.\r\n".encode("utf-8"))
    item = one(f)
    assert item.metadata["title"] == "T"
    assert item.text == "One.\nTwo.\n"


HTML = """<!doctype html><html><head><title>Big story | Example News</title>
<meta name="description" content="A summary of the story.">
<meta property="og:site_name" content="Example News"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-01-20T10:00:00Z">
<link rel="canonical" href="https://www.example.com/news/big-story"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Big story</h1>
<p>First paragraph of the story, which says that the <b>minister</b> met officials on Thursday and talked at length.</p>
<p>“We will respond,” she said. Second paragraph continues with more detail about the talks and the sanctions.</p>
<h2>A subheading</h2>
<p>Third paragraph after the heading with several words in it, enough to look like text to an extractor.</p>
</article><footer>© 2022 Example Media Group</footer></body></html>"""


def test_html_main_text_paragraphs_and_metadata(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    item = one(f)
    assert isinstance(item, Source) and item.format == "html"
    assert item.metadata["title"] == "Big story"
    assert item.metadata["outlet"] == "Example News"
    assert item.metadata["author"] == "Jane Doe"
    assert item.metadata["published"] == "2022-01-20"
    assert item.metadata["url"] == "https://www.example.com/news/big-story"
    paragraphs = item.text.split("\n\n")
    # Paragraph breaks kept, heading marked, navigation and footer gone, inline markup flattened.
    assert "## A subheading" in paragraphs
    assert any(p.startswith("First paragraph") and "the minister met" in p for p in paragraphs)
    assert any(p.startswith("“We will respond,”") for p in paragraphs)
    assert "Home" not in item.text and "©" not in item.text


def test_html_without_article_text_is_an_error(tmp_path):
    f = tmp_path / "empty.htm"
    f.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    item = one(f)
    assert isinstance(item, LoadError) and "no article text" in item.reason


def test_json_object_array_and_wrapped_list(tmp_path):
    obj = tmp_path / "one.json"
    obj.write_text(json.dumps({"headline": "H", "body": "Text.", "source": {"id": "bbc", "name": "BBC News"},
                               "publishedAt": "2022-01-20T10:00:00Z", "authors": ["A", "B"]}), encoding="utf-8")
    item = one(obj)
    assert item.record is None and item.format == "json"
    assert item.text == "Text."
    assert item.metadata == {"title": "H", "outlet": "BBC News", "published": "2022-01-20", "author": "A, B"}

    arr = tmp_path / "many.json"
    arr.write_text(json.dumps([{"text": "One."}, {"content": "Two.", "link": "https://x.org/2"}]), encoding="utf-8")
    items = read(arr)
    assert [(i.record, i.text) for i in items] == [("0", "One."), ("1", "Two.")]
    assert items[1].metadata["url"] == "https://x.org/2"

    wrapped = tmp_path / "export.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": [{"content": "A."}, {"content": "B."}]}), encoding="utf-8")
    assert [(i.record, i.text) for i in read(wrapped)] == [("articles[0]", "A."), ("articles[1]", "B.")]


def test_json_lines_saved_as_json_are_read_as_lines(tmp_path):
    f = tmp_path / "export.json"
    f.write_text('{"text": "One."}\n{"text": "Two."}\n{"text": \n', encoding="utf-8")
    items = read(f)
    assert [(type(i).__name__, i.record) for i in items] == [("Source", "1"), ("Source", "2"), ("LoadError", "3")]
    assert items[1].text == "Two." and items[1].format == "jsonl"


def test_json_html_body_becomes_paragraphs(tmp_path):
    f = tmp_path / "cms.json"
    f.write_text(json.dumps({"title": "T", "body": "<p>First <em>para</em>.</p><p>Second para.</p>"}), encoding="utf-8")
    assert one(f).text == "First para.\n\nSecond para."


def test_jsonl_and_csv_records_and_field_map(tmp_path):
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"story_body": "One.", "hed": "H1"}\n\n{"story_body": "Two."}\n', encoding="utf-8")
    items = read(jl, field_map={"text": "story_body", "title": "hed"})
    assert [(i.record, i.text, i.metadata.get("title")) for i in items] == [("1", "One.", "H1"), ("3", "Two.", None)]

    c = tmp_path / "a.csv"
    c.write_text('Headline,Body,Date,Outlet\nH1,"Para one.\n\nPara two.",2022-01-20,X\nH2,Three.,"Jan. 21, 2022",Y\n', encoding="utf-8")
    items = read(c)
    assert [i.record for i in items] == ["2", "5"]  # spreadsheet row numbers (a record may span lines)
    assert items[0].text == "Para one.\n\nPara two."
    assert items[0].metadata == {"title": "H1", "published": "2022-01-20", "outlet": "X"}
    assert items[1].metadata["published"] == "2022-01-21"
    assert read(c, outlet="Z")[1].metadata["outlet"] == "Z"

    t = tmp_path / "a.tsv"
    t.write_text("title\ttext\nT\tTabbed, with a comma.\n", encoding="utf-8")
    assert one(t).text == "Tabbed, with a comma."


def test_field_map_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown field"):
        IngestOptions(field_map={"body": "x"})


def test_duplicate_paths_are_read_once(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Hello.", encoding="utf-8")
    assert len(read(f, tmp_path, f)) == 1


def test_hidden_and_unknown_files_in_folders_are_skipped(tmp_path):
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "LICENSE").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Kept.", encoding="utf-8")
    assert [Path(i.path).name for i in read(tmp_path)] == ["b.txt"]


# ------------------------------------------------------------------ bad input


def _error(item) -> str:
    assert isinstance(item, LoadError), item
    return item.reason


def test_unreadable_file(tmp_path):
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        os.chmod(folder, 0o755)
        f = folder / "secret.txt"
        f.write_text("Hidden text.", encoding="utf-8")
        os.chmod(f, 0)
        if os.geteuid() != 0:
            reason = _error(one(f))
        else:
            # root reads anything: read as an unprivileged user instead.
            code = (
                "import os, sys; from datasette_framing.pipeline.ingest import read_paths; "
                "os.setgid(65534); os.setuid(65534); "
                "print([getattr(i, 'reason', 'READ') for i in read_paths([sys.argv[1]])][0])"
            )
            result = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, cwd="/")
            assert result.returncode == 0, result.stderr
            reason = result.stdout.strip()
        assert "permission denied" in reason.lower()
    finally:
        os.chmod(folder / "secret.txt", 0o644)
        (folder / "secret.txt").unlink()
        folder.rmdir()


def test_missing_path(tmp_path):
    assert "no such file" in _error(one(tmp_path / "nope.txt"))


def test_binary_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(bytes(range(256)) * 4)
    assert "binary" in _error(one(f))
    pdf = tmp_path / "b.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert "PDF" in _error(one(pdf))


def test_control_characters_without_nul_are_binary(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50)
    assert "binary" in _error(one(f))


def test_whitespace_controls_are_text_and_other_controls_count_from_nine(tmp_path):
    body = "Officials met on Monday.\t\v\f\r\n" * 200
    ok = tmp_path / "a.txt"
    ok.write_text(body, encoding="utf-8")
    assert not isinstance(one(ok), LoadError)
    few = tmp_path / "b.txt"  # a few stray controls in a short text are tolerated (up to 8)
    few.write_text("Officials met on Monday.\x01\x1f" * 4, encoding="utf-8")
    assert not isinstance(one(few), LoadError)
    many = tmp_path / "c.txt"
    many.write_text("Officials met on Monday.\x01\x1f" * 5, encoding="utf-8")
    assert "binary" in _error(one(many))


def test_empty_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("title: Only a header\n\n", encoding="utf-8")
    reasons = [_error(i) for i in read(tmp_path)]
    assert "empty" in reasons[0] and "empty" in reasons[1]
    assert "no article text" in reasons[2]


def test_cp1252_file_decodes(tmp_path):
    text = "The minister’s “résumé” – naïve café owners in Zürich said €5 was fair.\n"
    f = tmp_path / "a.txt"
    f.write_bytes(text.encode("cp1252"))
    assert one(f).text == text


def test_utf16_files_decode(tmp_path):
    text = "Привет, “world”. Café – 20 Jan 2022.\n"
    with_bom = tmp_path / "a.txt"
    with_bom.write_bytes(text.encode("utf-16"))
    without_bom = tmp_path / "b.txt"
    without_bom.write_bytes(text.encode("utf-16-le"))
    assert one(with_bom).text == text
    assert one(without_bom).text == text


def test_utf8_with_a_few_broken_bytes_keeps_its_text(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("Zürich and Kyiv’s “talks” – ".encode("utf-8") + b"caf\xe9.\n")
    assert one(f).text == "Zürich and Kyiv’s “talks” – caf\ufffd.\n"


def test_utf16_jsonl_decodes(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_bytes('{"text": "Café one."}\n{"text": "Two."}\n'.encode("utf-16"))
    assert [i.text for i in read(f)] == ["Café one.", "Two."]


def test_size_limit_refuses_large_files(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("word " * 300, encoding="utf-8")
    reason = _error(one(f, max_file_bytes=1000))
    assert "1.5 KB" in reason and "limit" in reason
    assert isinstance(one(f), Source)  # the default limit is 50 MB
    assert IngestOptions().max_file_bytes == 50 * 1024 * 1024


def test_record_length_limit(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8")
    items = read(f, max_record_chars=100)
    assert "500 characters" in _error(items[0]) and items[0].record == "1"
    assert isinstance(items[1], Source)
    t = tmp_path / "b.txt"
    t.write_text("y" * 200, encoding="utf-8")
    assert "limit" in _error(one(t, max_record_chars=100))


def test_malformed_json(tmp_path):
    f = tmp_path / "a.json"
    f.write_text('{"text": "x",\n  "title": }', encoding="utf-8")
    reason = _error(one(f))
    assert reason.startswith("invalid JSON") and "line 2" in reason
    arr = tmp_path / "b.json"
    arr.write_text('[{"text": "ok"}, 3, {"title": "no text"}]', encoding="utf-8")
    items = read(arr)
    assert isinstance(items[0], Source)
    assert items[1].record == "1" and "a number" in _error(items[1])
    assert items[2].record == "2" and "no article text" in _error(items[2])


def test_malformed_jsonl_line_keeps_the_others(tmp_path):
    f = tmp_path / "a.jsonl"
    # UTF-8 (see "Zürich") with one line saved in another encoding.
    f.write_bytes(
        '{"text": "one"}\n{broken\n{"text": "three in Zürich"}\n'.encode("utf-8")
        + b'{"text": "caf\xe9"}\n["not", "an", "object"]\n'
    )
    items = read(f)
    assert [type(i).__name__ for i in items] == ["Source", "LoadError", "Source", "LoadError", "LoadError"]
    assert items[1].record == "2" and "invalid JSON" in items[1].reason
    assert items[3].record == "4" and "not valid text" in items[3].reason
    assert items[4].record == "5" and "a list" in items[4].reason
    assert items[2].text == "three in Zürich"


def test_csv_without_text_column(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("title,date\nT,2022-01-20\n", encoding="utf-8")
    reason = _error(one(f))
    assert "no text column" in reason and "title, date" in reason


def test_csv_bad_rows_are_reported_and_the_rest_loads(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('title,text\nA,First.\nB,\nC,"Third, quoted."\nD,x,extra\n', encoding="utf-8")
    items = read(f)
    assert [(type(i).__name__, i.record) for i in items] == [
        ("Source", "2"), ("LoadError", "3"), ("Source", "4"), ("LoadError", "5"),
    ]
    assert "no article text" in items[1].reason and "fields" in items[3].reason


def test_csv_long_fields_within_the_record_limit(tmp_path):
    f = tmp_path / "a.csv"
    body = "word " * 60_000  # larger than the csv module's default field limit
    f.write_text(f'title,text\nT,"{body}"\n', encoding="utf-8")
    assert len(one(f).text) == len(body)


@pytest.mark.parametrize("name", ["a.zip", "b.tar.gz", "c.tar", "d.gz", "e.7z"])
def test_archives_are_refused(tmp_path, name):
    f = tmp_path / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("x.txt", "hello")
    elif name.endswith(".gz"):
        f.write_bytes(gzip.compress(b"hello"))
    else:
        f.write_bytes(b"not really an archive")
    reason = _error(one(f))
    assert "archive" in reason and "unpack" in reason


def test_archive_disguised_as_text_is_refused(tmp_path):
    f = tmp_path / "looks.txt"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("x.txt", "hello")
    assert "ZIP archive" in _error(one(f))


def test_archives_in_folders_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "b.zip").write_bytes(b"PK\x03\x04")
    items = read(tmp_path)
    assert isinstance(items[0], Source)
    assert "archive" in _error(items[1])


def test_html_to_text_without_trafilatura_result():
    assert html_to_text("<html></html>") == ("", {})


def test_nothing_raises_on_odd_paths(tmp_path):
    weird = ["", "\x00bad", str(tmp_path / "missing" / "deep.txt"), str(tmp_path)]
    items = list(read_paths(weird))
    assert all(isinstance(i, LoadError) for i in items), items
    assert len(items) == 3  # the empty folder yields nothing
    assert items[0].reason == "empty path"
