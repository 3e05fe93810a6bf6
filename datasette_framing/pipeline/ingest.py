"""Ingest stage: files and folders -> :class:`Source` records (or :class:`LoadError`).

File formats only; no text logic (cleaning is ``clean.py``'s job).  What is
read:

- ``.txt``: page text or a plain body, with an optional header block
  (``title:``, ``outlet:``, ``date:``, ``url:``, ``author:``, ``licence:``,
  then a blank line) that becomes the metadata; the body is the rest.
- ``.html``/``.htm``: main text and metadata through trafilatura, offline.
- ``.json`` (an object, an array of objects, or an object holding such an
  array under ``articles``/``items``/...), ``.jsonl``/``.ndjson`` and
  ``.csv``/``.tsv``: one article per record, fields found by common names or
  mapped with ``IngestOptions.field_map``.

Nothing raises out of :func:`read_paths`: an input that cannot be read
becomes a ``LoadError`` naming the file (and record) and the reason, and the
rest goes on.  Files are read one at a time and JSONL/CSV record by record,
so memory stays flat however large the folder.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from .header import METADATA_KEYS, normalize_date, parse_header
from .records import LoadError, Source

#: File extensions read, and the format each is read as.
FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}
#: Archives are refused: unpack them first, so that every article keeps a file name.
ARCHIVE_SUFFIXES = (
    ".zip", ".gz", ".tgz", ".tar", ".bz2", ".tbz2", ".xz", ".txz", ".7z", ".rar", ".zst", ".lz",
    ".lzma", ".z", ".cab", ".jar", ".war",
)
#: Files in a folder that describe the folder rather than hold an article.
SKIPPED_NAMES = re.compile(r"(?i)^(readme|licen[cs]e|copying|changelog|notice|authors)([._-].*)?$")

#: Our field name -> the record field names tried, in order (case-insensitive).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "articletext", "full_text",
             "fulltext", "maintext", "story", "body_text"),
    "title": ("title", "headline", "heading", "hed"),
    "standfirst": ("standfirst", "dek", "subtitle", "subheadline", "subhead", "summary", "description"),
    "outlet": ("outlet", "source", "publisher", "publication", "site_name", "sitename", "site", "media",
               "newspaper", "source_name"),
    "published": ("published", "date", "published_at", "publishedat", "publish_date", "pubdate",
                  "date_published", "datepublished", "published_date", "datetime", "created_at", "time"),
    "url": ("url", "link", "href", "permalink", "uri", "canonical_url"),
    "author": ("author", "byline", "authors", "creator", "by"),
    "licence": ("licence", "license", "rights", "copyright"),
}
#: Keys under which a JSON object may hold its list of articles.
JSON_LIST_KEYS = ("articles", "items", "data", "records", "results", "documents", "docs", "stories", "posts")

_MB = 1024 * 1024

#: Magic numbers of common non-text files, to say what a file is rather than just "binary".
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (or an Office document)", True),
    (b"\x1f\x8b", "a gzip archive", True),
    (b"BZh", "a bzip2 archive", True),
    (b"\xfd7zXZ\x00", "an xz archive", True),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", True),
    (b"Rar!\x1a\x07", "a RAR archive", True),
    (b"\x28\xb5\x2f\xfd", "a zstd archive", True),
    (b"%PDF-", "a PDF document", False),
    (b"\x89PNG", "a PNG image", False),
    (b"\xff\xd8\xff", "a JPEG image", False),
    (b"GIF8", "a GIF image", False),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document", False),
    (b"SQLite format 3\x00", "an SQLite database", False),
)


@dataclass(frozen=True)
class IngestOptions:
    """How files are read.

    ``outlet`` sets or overrides every article's outlet.  ``field_map`` maps
    our field names (text, title, standfirst, outlet, published, url, author,
    licence) to the field names of a JSON/JSONL/CSV export, e.g.
    ``{"text": "story_body", "published": "pub_time"}``; fields not mapped are
    found by their common names.  Files above ``max_file_bytes`` and articles
    longer than ``max_record_chars`` are refused with a clear reason.
    """

    outlet: str | None = None
    field_map: Mapping[str, str] = field(default_factory=dict, hash=False)
    max_file_bytes: int = 50 * _MB
    max_record_chars: int = 2_000_000

    def __post_init__(self) -> None:
        unknown = set(self.field_map) - set(DEFAULT_FIELDS)
        if unknown:
            raise ValueError(
                f"unknown field(s) in field map: {', '.join(sorted(unknown))} "
                f"(known: {', '.join(DEFAULT_FIELDS)})"
            )
        if self.max_file_bytes <= 0 or self.max_record_chars <= 0:
            raise ValueError("size limits must be positive")


class _Refused(Exception):
    """A whole file cannot be read; the message is the reason shown to the user."""


# ------------------------------------------------------------------ walking


def read_paths(
    paths: Iterable[str | Path], options: IngestOptions | None = None
) -> Iterator[Source | LoadError]:
    """Every article in ``paths`` (files or folders, recursively), in a stable order.

    Folders are walked in sorted order; hidden files and folders, README and
    LICENSE files and files of other types are skipped (archives found in a
    folder are reported, since they may hold articles).  A file named
    explicitly is always read: by its extension, or as text when the
    extension is unknown.
    """
    options = options or IngestOptions()
    seen: set[str] = set()
    for raw in paths:
        if not str(raw).strip():
            yield LoadError(str(raw), "empty path")
            continue
        path = Path(raw)
        try:
            files = list(_files(path))
        except Exception as e:  # noqa: BLE001 - a bad path must not stop the load
            yield LoadError(str(path), f"cannot list: {e}")
            continue
        for file in files:
            key = os.path.abspath(file)
            if key in seen:
                continue
            seen.add(key)
            yield from _read_file(file, options)


def _files(path: Path) -> Iterator[Path]:
    """``path`` itself, or the files under it in sorted order.

    Folders that cannot be listed are yielded too, so that reading them
    reports the reason.
    """
    try:
        is_dir = path.is_dir()
    except (OSError, ValueError):
        is_dir = False  # reading it reports why
    if not is_dir:
        yield path
        return
    found: list[Path] = []
    unreadable: list[Path] = []

    def onerror(e: OSError) -> None:
        unreadable.append(Path(e.filename) if e.filename else path)

    for folder, dirs, names in os.walk(path, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith(".") or SKIPPED_NAMES.match(name):
                continue
            suffix = Path(name).suffix.lower()
            if suffix in FORMATS or suffix in ARCHIVE_SUFFIXES:
                found.append(Path(folder) / name)
    yield from sorted(found + unreadable, key=lambda p: p.parts)


# ------------------------------------------------------------------ one file


def _read_file(path: Path, options: IngestOptions) -> Iterator[Source | LoadError]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in ARCHIVE_SUFFIXES:
            raise _Refused(
                f"archive ({suffix}) not read: unpack it and load the folder, so that every article keeps its file name"
            )
        fmt = FORMATS.get(suffix, "txt")
        try:
            if path.is_dir():
                raise _Refused("cannot read folder: permission denied or unreadable")
            size = path.stat().st_size
        except FileNotFoundError:
            raise _Refused("no such file or folder") from None
        except OSError as e:
            raise _Refused(f"cannot read: {e.strerror or e}") from None
        if size > options.max_file_bytes:
            raise _Refused(
                f"file is {_size(size)}, above the {_size(options.max_file_bytes)} limit (raise the limit to load it)"
            )
        try:
            fh = path.open("rb")
        except OSError as e:
            raise _Refused(f"cannot read: {e.strerror or e}") from None
        with fh:
            if fmt == "jsonl":
                yield from _read_jsonl(name, fh, options)
            elif fmt == "csv":
                yield from _read_csv(name, fh, options, delimiter="\t" if suffix == ".tsv" else None)
            else:
                text = _decode_all(fh)
                if fmt == "json":
                    yield from _read_json(name, text, options)
                elif fmt == "html":
                    yield _from_html(name, text, options)
                else:
                    yield _from_txt(name, text, options)
    except _Refused as e:
        yield LoadError(name, str(e))
    except Exception as e:  # noqa: BLE001 - an input must never stop the load
        yield LoadError(name, f"unexpected error while reading: {type(e).__name__}: {e}")


def _size(n: int) -> str:
    if n >= _MB:
        return f"{n / _MB:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{n} bytes"


# ------------------------------------------------------------------ decoding

_SAMPLE = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Latin-script single-byte encodings that charset detection confuses on short
#: samples; when the bytes decode as cp1252 (by far the most common legacy
#: encoding of English text), cp1252 is used instead.
_LATIN_FAMILY = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman",
    "mac_latin2", "mac_iceland", "mac_turkish", "cp850", "cp858", "cp437", "cp1258", "hp_roman8",
}


def _detect(sample: bytes, complete: bool) -> str:
    """The encoding of a file from its first bytes (the whole file when ``complete``)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    for magic, what, archive in _MAGIC:
        if sample.startswith(magic):
            if archive:
                raise _Refused(f"{what}, not text: unpack it and load the files inside")
            raise _Refused(f"{what}, not text: convert it to text or HTML first")
    if b"\x00" in sample:
        utf16 = _bomless_utf16(sample)
        if utf16:
            return utf16
        raise _Refused("binary file (it contains NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        if _mostly_utf8(sample):
            return "utf-8"
    from charset_normalizer import from_bytes  # imported on first non-UTF-8 file

    best = from_bytes(sample).best()
    if best is None:
        raise _Refused("binary or undecodable file: no text encoding fits its bytes")
    encoding = best.encoding
    if encoding in _LATIN_FAMILY and encoding != "cp1252":
        try:
            sample.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            pass
    return encoding


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark: NULs in one byte position of each pair, not the other."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.25 * len(zeros) and other.count(0) <= 0.02 * len(other):
            try:
                sample[: len(sample) // 2 * 2].decode(encoding)
                return encoding
            except UnicodeDecodeError:
                return None
    return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few broken bytes: valid multi-byte sequences far outnumber stray high bytes."""
    valid = len(_UTF8_MULTIBYTE.findall(sample))
    if not valid:
        return False
    stray = sum(1 for b in _UTF8_MULTIBYTE.sub(b"", sample) if b >= 0x80)
    return stray <= max(2, valid // 10)


#: Control characters other than whitespace (tab, newline, vertical tab, form feed, return).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _check_text(text: str) -> str:
    """Refuse decoded text that is mostly control characters (a binary file in disguise)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))  # a regex: a Python loop over the sample cost 0.5 ms an article
    if sample and controls > max(8, len(sample) // 100):
        raise _Refused("binary file (mostly control characters), not text")
    if not text.strip():
        raise _Refused("empty file (no text)")
    return text


def _decode_all(fh: IO[bytes]) -> str:
    data = fh.read()
    if not data:
        raise _Refused("empty file (0 bytes)")
    encoding = _detect(data[:_SAMPLE], complete=len(data) <= _SAMPLE)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        if encoding != "utf-8" or not _mostly_utf8(data[:_SAMPLE]):
            raise _Refused(
                f"cannot decode as {encoding}: invalid bytes at offset {e.start} (re-save it as UTF-8)"
            ) from None
        # A few broken bytes in a UTF-8 file: keep the text, mark them U+FFFD.
        text = data.decode("utf-8", errors="replace")
    except LookupError:
        raise _Refused(f"unknown text encoding {encoding!r}") from None
    return _newlines(_check_text(text))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _text_lines(name: str, fh: IO[bytes]) -> Iterator[tuple[int, str | None, bytes]]:
    """(line number, decoded line or None when undecodable, raw bytes), streaming."""
    sample = fh.read(_SAMPLE)
    if not sample:
        raise _Refused("empty file (0 bytes)")
    encoding = _detect(sample, complete=len(sample) < _SAMPLE)
    fh.seek(0)
    if encoding.startswith(("utf-16", "utf-32")):
        # Line-by-line byte splitting does not work for these; decode as a stream.
        wrapper = io.TextIOWrapper(fh, encoding=encoding, newline="")
        for n, line in enumerate(wrapper, 1):
            yield n, line.lstrip("\ufeff") if n == 1 else line, b""
        return
    for n, raw in enumerate(fh, 1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:
            yield n, None, raw
            continue
        if n == 1:
            line = line.lstrip("\ufeff")
        yield n, line, raw


# ------------------------------------------------------------------ formats


def _override(meta: dict[str, str], options: IngestOptions) -> dict[str, str]:
    if options.outlet:
        meta["outlet"] = options.outlet
    return meta


def _too_long(text: str, options: IngestOptions) -> str | None:
    if len(text) > options.max_record_chars:
        return (
            f"article text is {len(text):,} characters, above the {options.max_record_chars:,} limit"
        )
    return None


def _from_txt(name: str, text: str, options: IngestOptions) -> Source | LoadError:
    meta, body_start = parse_header(text)
    body = text[body_start:]
    if not body.strip():
        return LoadError(name, "no article text after the header block" if meta else "empty file (no text)")
    reason = _too_long(body, options)
    if reason:
        return LoadError(name, reason)
    return Source(path=name, text=body, metadata=_override(meta, options), format="txt")


def _from_html(name: str, html: str, options: IngestOptions) -> Source | LoadError:
    reason = _too_long(html, options) if len(html) > 10 * options.max_record_chars else None
    if reason:
        return LoadError(name, reason)
    text, meta = html_to_text(html)
    if not text.strip():
        return LoadError(name, "no article text found in the HTML page")
    reason = _too_long(text, options)
    if reason:
        return LoadError(name, reason)
    return Source(path=name, text=text, metadata=_override(meta, options), format="html")


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata of an HTML page, through trafilatura (no network).

    Paragraphs, list items and block quotes are separated by a blank line;
    headings are written as Markdown headings (``## Heading``), which the
    clean stage understands and strips.
    """
    import logging

    import trafilatura  # heavy; imported on the first HTML file
    from lxml import etree

    # trafilatura logs its own complaints about odd pages; ours is the LoadError.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    xml = trafilatura.extract(
        html,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_recall=True,
    )
    if not xml:
        return "", {}
    root = etree.fromstring(xml.encode("utf-8"))
    meta: dict[str, str] = {}
    for ours, theirs in (
        ("title", "title"),
        ("outlet", "sitename"),
        ("published", "date"),
        ("url", "url"),
        ("author", "author"),
        ("licence", "license"),
        ("standfirst", "description"),
    ):
        value = " ".join((root.get(theirs) or "").split())
        if value:
            meta[ours] = normalize_date(value) if ours == "published" else value
    if "outlet" not in meta and root.get("hostname"):
        meta["outlet"] = root.get("hostname", "")
    standfirst = meta.get("standfirst", "")
    if standfirst.endswith(("…", "...")):
        # A teaser cut short by the site, not the page's standfirst.
        del meta["standfirst"]
    blocks: list[str] = []
    main = root.find("main")
    for element in main if main is not None else ():
        if element.tag == "head":
            heading = _element_text(element)
            if heading:
                level = element.get("rend", "h2")[1:] if element.get("rend", "").startswith("h") else "2"
                blocks.append("#" * max(1, min(6, int(level) if level.isdigit() else 2)) + " " + heading)
        elif element.tag == "list":
            blocks.extend(t for t in (_element_text(item) for item in element.iter("item")) if t)
        else:
            for piece in _element_text(element, breaks=True).split("\n"):
                if piece.strip():
                    blocks.append(piece.strip())
    if standfirst and blocks and _same(blocks[0], standfirst):
        meta.pop("standfirst", None)
    return "\n\n".join(blocks), meta


def _element_text(element: Any, breaks: bool = False) -> str:
    """Text of an element with inner whitespace collapsed; ``<lb/>`` kept as a line break."""
    for lb in element.iter("lb"):
        lb.text = "\n" if breaks else " "
    text = "".join(element.itertext())
    if not breaks:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# ---------------------------------------------------------- record formats


def _field(record: Mapping[str, Any], ours: str, options: IngestOptions) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items() if k is not None}
    names = []
    if ours in options.field_map:
        names.append(options.field_map[ours])
    names.extend(DEFAULT_FIELDS[ours])
    for theirs in names:
        if theirs in record and record[theirs] not in (None, ""):
            return record[theirs]
        value = lowered.get(theirs.lower())
        if value not in (None, ""):
            return value
    return None


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("id")
        return _value(value)
    if isinstance(value, (list, tuple)):
        parts = [p for p in (_value(v) for v in value) if p]
        return ", ".join(parts) or None
    text = " ".join(str(value).split())
    return text or None


def _body(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        # A list of paragraphs.
        parts = [str(p).strip() for p in value if isinstance(p, (str, int, float)) and str(p).strip()]
        return "\n\n".join(parts) or None
    if isinstance(value, dict):
        return None
    text = _newlines(str(value))
    if _HTML_FRAGMENT.search(text):
        text = _fragment_text(text)
    return text if text.strip() else None


_HTML_FRAGMENT = re.compile(r"<(p|br|div|h[1-6]|li|blockquote)(\s[^>]*)?/?>", re.I)


def _fragment_text(fragment: str) -> str:
    """Paragraph text of an HTML body fragment held in a record field."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - unparseable markup: keep the field as it is
        return fragment
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n\n" + (br.tail or "")
    for block in root.xpath("//p|//div|//li|//blockquote|//h1|//h2|//h3|//h4|//h5|//h6"):
        if block.tag.startswith("h") and len(block.tag) == 2:
            block.text = "## " + (block.text or "")
        block.tail = "\n\n" + (block.tail or "")
        block.text = "\n\n" + (block.text or "") if block.tag != "li" else (block.text or "")
    text = root.text_content()
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _from_record(
    name: str, record_id: str | None, record: Any, fmt: str, options: IngestOptions
) -> Source | LoadError:
    if not isinstance(record, dict):
        return LoadError(name, f"record is {_kind(record)}, expected an object with a text field", record_id)
    text = _body(_field(record, "text", options))
    if text is None:
        tried = ([options.field_map["text"]] if "text" in options.field_map else []) + list(DEFAULT_FIELDS["text"][:3])
        return LoadError(name, f"no article text (no non-empty field {', '.join(tried)})", record_id)
    reason = _too_long(text, options)
    if reason:
        return LoadError(name, reason, record_id)
    meta: dict[str, str] = {}
    for key in METADATA_KEYS:
        value = _value(_field(record, key, options))
        if value:
            meta[key] = normalize_date(value) if key == "published" else value
    return Source(path=name, text=text, metadata=_override(meta, options), record=record_id, format=fmt)


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _read_json(name: str, text: str, options: IngestOptions) -> Iterator[Source | LoadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            # One object a line in a .json file: read it as JSON Lines.
            yield from _json_lines(name, enumerate(text.split("\n"), 1), options)
            return
        raise _Refused(f"invalid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise _Refused("invalid JSON: nested too deeply") from None
    if isinstance(data, dict) and _field(data, "text", options) is None:
        for key in JSON_LIST_KEYS:
            value = next((v for k, v in data.items() if str(k).lower() == key), None)
            if isinstance(value, list):
                for i, record in enumerate(value):
                    yield _from_record(name, f"{key}[{i}]", record, "json", options)
                return
    if isinstance(data, dict):
        yield _from_record(name, None, data, "json", options)
        return
    if isinstance(data, list):
        if not data:
            raise _Refused("empty JSON array (no articles)")
        for i, record in enumerate(data):
            yield _from_record(name, str(i), record, "json", options)
        return
    raise _Refused(f"JSON holds {_kind(data)}, expected an object or an array of objects")


def _read_jsonl(name: str, fh: IO[bytes], options: IngestOptions) -> Iterator[Source | LoadError]:
    yield from _json_lines(name, ((n, line) for n, line, _raw in _text_lines(name, fh)), options)


def _json_lines(
    name: str, lines: Iterable[tuple[int, str | None]], options: IngestOptions
) -> Iterator[Source | LoadError]:
    any_line = False
    for n, line in lines:
        record_id = str(n)
        if line is None:
            yield LoadError(name, "line is not valid text in the file's encoding", record_id)
            continue
        if not line.strip():
            continue
        any_line = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield LoadError(name, f"invalid JSON: {e.msg} at column {e.colno}", record_id)
            continue
        except RecursionError:
            yield LoadError(name, "invalid JSON: nested too deeply", record_id)
            continue
        yield _from_record(name, record_id, record, "jsonl", options)
    if not any_line:
        raise _Refused("empty file (no records)")


def _read_csv(
    name: str, fh: IO[bytes], options: IngestOptions, delimiter: str | None
) -> Iterator[Source | LoadError]:
    bad_lines: list[int] = []

    def lines() -> Iterator[str]:
        for n, line, raw in _text_lines(name, fh):
            if line is None:
                bad_lines.append(n)
                line = raw.decode("utf-8", errors="replace")
            yield line.replace("\x00", "")

    source_lines = lines()
    first = next(source_lines, None)
    if first is None or not first.strip():
        raise _Refused("empty file (no header row)")
    if delimiter is None:
        delimiter = _sniff_delimiter(first)

    def all_lines() -> Iterator[str]:
        yield first
        yield from source_lines

    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, options.max_record_chars * 2))
    try:
        reader = csv.reader(all_lines(), delimiter=delimiter)
        header = next(reader)
        columns = [c.strip().lstrip("\ufeff") for c in header]
        probe = {c: "x" for c in columns}
        if _field(probe, "text", options) is None:
            wanted = options.field_map.get("text")
            raise _Refused(
                f"no text column: expected {wanted!r}" if wanted else
                f"no text column: expected one of {', '.join(DEFAULT_FIELDS['text'][:3])} "
                f"(columns are {', '.join(columns[:12]) or 'none'}; map one with the field map)"
            )
        previous_end = reader.line_num
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                start = previous_end + 1
                previous_end = reader.line_num
                yield LoadError(name, f"malformed CSV row: {e}", str(start))
                continue
            start = previous_end + 1
            end = reader.line_num
            previous_end = end
            if not any(cell.strip() for cell in row):
                continue
            record_id = str(start)
            broken = [n for n in bad_lines if start <= n <= end]
            if broken:
                yield LoadError(name, f"line {broken[0]} is not valid text in the file's encoding", record_id)
                continue
            if len(row) > len(columns):
                yield LoadError(
                    name, f"row has {len(row)} fields, the header has {len(columns)} (unquoted delimiter?)", record_id
                )
                continue
            record = dict(zip(columns, row))
            yield _from_record(name, record_id, record, "csv", options)
    finally:
        csv.field_size_limit(limit)


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
