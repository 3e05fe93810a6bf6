"""Clean stage: a :class:`Source` -> a :class:`Document` of verbatim blocks.

Scraped page text carries the page with it: skip links, cookie notices,
share and follow prompts, copyright lines, related-article lists, photo
captions.  This stage keeps the article and sets the rest apart:

1. **Header block.**  Raw text given to ``analyze()`` may still open with a
   ``title:``/``outlet:``/``date:`` header (ingest strips it from files);
   it is read into the metadata here too.
2. **Blocks.**  Text with one paragraph per line becomes one block per line.
   Hard-wrapped text (lines of at most ~100 characters with blank lines
   between paragraphs, as in many press releases) becomes one block per
   paragraph, and such a block keeps its inner line breaks: every block is a
   verbatim slice of the input, only surrounding whitespace (and a Markdown
   ``#`` heading marker) trimmed.
3. **Furniture.**  Each block is tested against the generic rules of
   ``data/boilerplate.yml``: dropped (``Document.removed`` keeps it), set
   apart as a caption (``metadata['caption']``), or read as a date line or
   byline (metadata) and dropped.  A copyright line after the article body
   starts the page footer, which is dropped whole.
4. **Layout.**  The kept blocks become ``title``, ``standfirst``, ``heading``
   and ``paragraph`` blocks; title and standfirst are recovered from the top
   of a page when no metadata gives them, and a title known from metadata
   that the body does not repeat is put first.

``Document.text`` is the kept blocks joined by a blank line, so every offset
a later stage reports indexes into text that is verbatim from the input.
Line endings are normalised to ``\\n`` first.  See ``docs/cleaning.md``.
"""

from __future__ import annotations

import re
import re._constants as _C  # the parsed form of a pattern, for _needed
import re._parser as _P
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from .header import METADATA_KEYS, find_date, normalize_date, parse_header
from .lexicon import Lexicon, default_lexicon
from .records import Block, Document, Source

RULES_FILE = "boilerplate.yml"

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
_LIST_MARKER = re.compile(r"([-*•–]|\d{1,3}[.)])\s+\S")
_CLOSERS = "\"'’”»)]}›*_"
_OPENERS = "\"'‘“«([{‹*_¿¡"
_TERMINAL = ".!?…,;:"
_WORD = re.compile(r"\w", re.UNICODE)
#: A sentence boundary inside a block: headings are one phrase, never two sentences.
_INNER_BOUNDARY = re.compile(r"[.!?…][\"'’”»)]*\s+[\"'‘“«(]*[A-Z]")


#: At most this many literals in a pattern's prefilter (beyond that, scanning for each costs
#: about as much as the regex itself).
_MAX_NEEDED = 12


def _needed(seq: Any) -> frozenset[str] | None:
    """Literals one of which every match of the parsed pattern ``seq`` contains (None: none known).

    A run of plain characters must appear as written; an alternation needs one of its
    branches' literals; a group or a repeat of at least one, its content's.  Of the
    candidates of a sequence the one with the longest shortest literal is kept.
    """
    best: frozenset[str] | None = None

    def better(cand: frozenset[str] | None) -> None:
        nonlocal best
        if not cand or "" in cand or len(cand) > _MAX_NEEDED:
            return
        if best is None or (min(map(len, cand)), -len(cand)) > (min(map(len, best)), -len(best)):
            best = cand

    run: list[str] = []
    for op, av in seq:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            better(frozenset(("".join(run),)))
            run = []
        if op is _C.SUBPATTERN:
            if not av[1] and not av[2]:  # no inline flag changes inside
                better(_needed(av[3]))
        elif op is _C.BRANCH:
            parts = [_needed(branch) for branch in av[1]]
            if all(part is not None for part in parts):
                better(frozenset().union(*parts))  # type: ignore[arg-type]
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT) and av[0] >= 1:
            better(_needed(av[2]))
        elif op is _C.ATOMIC_GROUP:
            better(_needed(av))
        # anything else (classes, anchors, look-arounds, optional parts) needs nothing
    if run:
        better(frozenset(("".join(run),)))
    return best


class _Guarded:
    """A compiled pattern searched only when the text holds one of the literals every match needs.

    The drop and caption rules are tested on every block, and most of them (``\\bcookies?\\b``)
    start with a word boundary, so the regex engine tries them at every position of the
    text; ``str.__contains__`` finds that "cookie" is absent several times faster.  The
    result is the same: without one of the literals, the pattern cannot match.
    """

    __slots__ = ("pattern", "needed")

    def __init__(self, pattern: re.Pattern[str], needed: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needed = needed

    def search(self, text: str) -> re.Match[str] | None:
        for literal in self.needed:
            if literal in text:
                return self.pattern.search(text)
        return None


def _guarded(pattern: re.Pattern[str]) -> Any:
    """``pattern``, behind a literal prefilter when one is known (case-sensitive patterns only)."""
    if pattern.flags & re.IGNORECASE:
        return pattern
    try:
        needed = _needed(_P.parse(pattern.pattern, pattern.flags))
    except Exception:  # the parser is private: if it changes, go without the prefilter
        return pattern
    if needed is None:
        return pattern
    return _Guarded(pattern, tuple(sorted(needed, key=lambda t: (-len(t), t))))


@dataclass(frozen=True)
class Rule:
    name: str
    match: re.Pattern[str] | None
    all: tuple[re.Pattern[str], ...]
    max_words: int | None

    def test(self, low: str, words: int) -> bool:
        if self.max_words is not None and words > self.max_words:
            return False
        if self.match is not None and not self.match.search(low):
            return False
        return all(p.search(low) for p in self.all)


@dataclass(frozen=True)
class Rules:
    """The compiled content of ``boilerplate.yml``."""

    drop: tuple[Rule, ...]
    related_start: tuple[re.Pattern[str], ...]
    footer_start: tuple[re.Pattern[str], ...]
    footer_min_paragraphs: int
    caption: tuple[re.Pattern[str], ...]
    caption_max_words: int
    byline: tuple[re.Pattern[str], ...]
    byline_max_words: int
    date_word: re.Pattern[str]
    date_line_max_words: int
    time_stamp: re.Pattern[str]
    venue_max_words: int
    speaker: tuple[re.Pattern[str], ...]
    outlet_from: tuple[re.Pattern[str], ...]
    outlet_suffixes: tuple[str, ...]
    limits: dict[str, int]


@lru_cache(maxsize=16)
def rules_for(lexicon: Lexicon) -> Rules:
    """Compile the cleaning rules once per lexicon (the data file is user-overridable)."""
    data: dict[str, Any] = lexicon.load(RULES_FILE) or {}

    # Most rules are matched against the lower-cased block (much faster than re.I);
    # the ones whose match is kept (bylines, outlet names) use re.I on the block.
    def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
        return re.compile(pattern, flags)

    def many(key: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
        return tuple(rx(p, flags) for p in data.get(key) or ())

    drop = tuple(
        Rule(
            name=str(r.get("name", "boilerplate")),
            match=_guarded(rx(r["match"])) if r.get("match") else None,
            all=tuple(_guarded(rx(p)) for p in r.get("all") or ()),
            max_words=r.get("max_words"),
        )
        for r in data.get("drop") or ()
    )
    speaker_flags = 0 if data.get("speaker_label_case_sensitive", True) else re.I
    limits = {
        "title_max_words": 30,
        "heading_max_words": 12,
        "heading_max_chars": 110,
        "standfirst_max_words": 70,
        "related_item_max_words": 20,
        "menu_item_max_words": 3,
        "menu_min_run": 3,
        "wrapped_max_width": 100,
        "footer_max_words": 40,
    }
    limits.update(data.get("limits") or {})
    return Rules(
        drop=drop,
        related_start=many("related_list_start"),
        footer_start=many("footer_start"),
        footer_min_paragraphs=int(data.get("footer_min_paragraphs", 2)),
        caption=tuple(_guarded(p) for p in many("caption")),
        caption_max_words=int(data.get("caption_max_words", 60)),
        byline=many("byline", re.I),
        byline_max_words=int(data.get("byline_max_words", 14)),
        date_word=rx(data.get("date_line_words") or r"\d+"),
        date_line_max_words=int(data.get("date_line_max_words", 16)),
        time_stamp=rx(data.get("time_stamp") or r"(?!)"),
        venue_max_words=int(data.get("venue_max_words", 8)),
        speaker=many("speaker_label", speaker_flags),
        outlet_from=many("outlet_from", re.I),
        outlet_suffixes=tuple(str(s).lower() for s in data.get("outlet_suffixes") or ()),
        limits=limits,
    )


# ------------------------------------------------------------------ blocks


@dataclass
class _Raw:
    """A candidate block: a trimmed slice ``body[start:end]`` and what it was found to be."""

    start: int
    end: int
    text: str
    norm: str
    low: str
    words: int
    md_heading: bool = False
    role: str = "content"  # content, drop, caption, date, byline, footer
    reason: str = ""


def normalize_newlines(text: str) -> str:
    """Every line break (``\\r\\n``, ``\\r``, U+2028 ...) as ``\\n``."""
    return _LINE_BREAKS.sub("\n", text)


def _lines(body: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    n = len(body)
    while pos <= n:
        nl = body.find("\n", pos)
        end = n if nl < 0 else nl
        out.append((pos, end))
        if nl < 0:
            break
        pos = nl + 1
    return out


def is_wrapped(body: str, lines: list[tuple[int, int]], max_width: int) -> bool:
    """True for hard-wrapped text: blank-line paragraphs made of short lines.

    Decided once per text: it has a blank line between two text lines, at
    least one run of two or more text lines, and 95% of its text lines are at
    most ``max_width`` characters.  One-paragraph-per-line text (most scrapes)
    fails the last test because its paragraphs are long lines.
    """
    lengths: list[int] = []
    blank_between = False
    multi = False
    seen_text = False
    previous_text = False
    pending_blank = False
    for start, end in lines:
        line = body[start:end]
        if line.strip():
            lengths.append(len(line.rstrip()))
            if pending_blank and seen_text:
                blank_between = True
            if previous_text:
                multi = True
            seen_text = True
            previous_text = True
            pending_blank = False
        else:
            previous_text = False
            pending_blank = True
    if not (blank_between and multi and lengths):
        return False
    lengths.sort()
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))] <= max_width


def _spans(body: str, rules: Rules) -> list[tuple[int, int]]:
    """Untrimmed (start, end) spans of the candidate blocks, in order."""
    lines = _lines(body)
    text_lines = [(s, e) for s, e in lines if body[s:e].strip()]
    if not is_wrapped(body, lines, rules.limits["wrapped_max_width"]):
        return text_lines
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for s, e in lines:
        line = body[s:e]
        if not line.strip():
            if current:
                spans.append(current)
            current = None
            continue
        stripped = line.strip()
        starts_new = current is not None and (
            _is_speaker(stripped, rules)
            or _MD_HEADING.match(stripped) is not None
            or _LIST_MARKER.match(stripped) is not None
        )
        if current is None or starts_new:
            if current:
                spans.append(current)
            current = (s, e)
        else:
            current = (current[0], e)
    if current:
        spans.append(current)
    return spans


def _raw_blocks(body: str, rules: Rules) -> list[_Raw]:
    out = []
    for s, e in _spans(body, rules):
        piece = body[s:e]
        lead = len(piece) - len(piece.lstrip())
        start, end = s + lead, s + len(piece.rstrip())
        if start >= end:
            continue
        md = _MD_HEADING.match(body, start, end)
        if md and md.end() < end:
            start = md.end()
        text = body[start:end]
        norm = " ".join(text.split())
        out.append(_Raw(start, end, text, norm, norm.lower(), len(norm.split()), md_heading=bool(md)))
    return out


# ------------------------------------------------------------------ tests


def _is_speaker(text: str, rules: Rules) -> bool:
    return any(p.search(text) for p in rules.speaker)


def _core(norm: str) -> str:
    """The block without closing quotes and brackets, to look at its last real character."""
    return norm.rstrip(_CLOSERS + " ")


def _ends_sentence(norm: str) -> bool:
    core = _core(norm)
    return bool(core) and core[-1] in _TERMINAL


def _starts_like_heading(norm: str) -> bool:
    core = norm.lstrip(_OPENERS + " ")
    return bool(core) and (core[0].isupper() or core[0].isdigit())


def _date_line(raw: _Raw, rules: Rules) -> str | None:
    if raw.words > rules.date_line_max_words:
        return None
    rest = raw.norm
    iso = None
    for _ in range(3):
        found = find_date(rest)
        if not found:
            break
        iso = iso or found[0]
        rest = rest[: found[1]] + " " + rest[found[2] :]
    if iso is None:
        return None
    tokens = [t for t in re.split(r"[\s,;|/()\[\]·•–—-]+", rest) if t.strip(".:")]
    if all(rules.date_word.fullmatch(t.strip(".:").lower()) for t in tokens):  # date_word is lower case
        return iso
    return None


def _caption(raw: _Raw, rules: Rules) -> bool:
    return raw.words <= rules.caption_max_words and any(p.search(raw.low) for p in rules.caption)


def _drop_rule(raw: _Raw, rules: Rules) -> str | None:
    for rule in rules.drop:
        if rule.test(raw.low, raw.words):
            return rule.name
    return None


def _heading_like(raw: _Raw, rules: Rules) -> bool:
    if raw.md_heading:
        return True
    limits = rules.limits
    return (
        raw.words <= limits["heading_max_words"]
        and len(raw.norm) <= limits["heading_max_chars"]
        and not _ends_sentence(raw.norm)
        and not _core(raw.norm).endswith(("—", "–", "-", "…"))
        and _INNER_BOUNDARY.search(raw.norm) is None
        and _starts_like_heading(raw.norm)
        and _WORD.search(raw.norm) is not None
        and not _is_speaker(raw.text, rules)
    )


def _title_like(raw: _Raw, rules: Rules, evidence: bool) -> bool:
    if raw.md_heading:
        return True
    if raw.words > rules.limits["title_max_words"] or len(raw.norm) > 300:
        return False
    if not _starts_like_heading(raw.norm) or _is_speaker(raw.text, rules):
        return False
    last = _core(raw.norm)[-1:]
    if last in ",;:":
        return False
    # A headline rarely ends with a full stop; one that does needs a page head after it.
    return last not in ".…" or evidence


_NON_WORD = re.compile(r"[\W_]+")


def _same(a: str, b: str) -> bool:
    """Equal but for case, spacing and punctuation."""
    if len(a) > 2 * len(b) + 20 or len(b) > 2 * len(a) + 20:
        return False
    key_a = _NON_WORD.sub("", a.casefold())
    return bool(key_a) and key_a == _NON_WORD.sub("", b.casefold())


# ------------------------------------------------------------------ outlet


def _outlet_name(name: str, rules: Rules) -> str:
    name = " ".join(name.replace("©", " ").split()).strip(" .,-–|:")
    changed = True
    while changed and name:
        changed = False
        lowered = name.lower()
        for suffix in rules.outlet_suffixes:
            if lowered.endswith(" " + suffix) or lowered.endswith(" " + suffix + "."):
                name = name[: len(name) - len(suffix) - (2 if lowered.endswith(".") else 1)].rstrip(" .,-–&")
                changed = bool(name)
                break
    return name


def _domain(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return host if "." in host else None


# ------------------------------------------------------------------ clean


def clean(source: Source, lexicon: Lexicon | None = None) -> Document:
    """The cleaned article: verbatim blocks, their kinds, and the recovered metadata."""
    rules = rules_for(lexicon or default_lexicon())
    text = normalize_newlines(source.text)
    # A header block belongs to plain text; a record's text field has its own metadata.
    header, body_start = parse_header(text) if source.format == "txt" else ({}, 0)
    body = text[body_start:]
    meta: dict[str, Any] = {**header, **{k: v for k, v in source.metadata.items() if v not in (None, "")}}
    if meta.get("published"):
        meta["published"] = normalize_date(str(meta["published"]))
    for key in ("title", "standfirst"):
        if key in meta:
            meta[key] = " ".join(str(meta[key]).split())
            if not meta[key]:
                del meta[key]

    raws = _raw_blocks(body, rules)
    _classify(raws, rules)
    content = [r for r in raws if r.role == "content"]

    # Metadata recovered from the page furniture.
    dates = [r.reason for r in raws if r.role == "date"]
    if dates and not meta.get("published"):
        meta["published"] = dates[0]
    captions = [r.norm for r in raws if r.role == "caption"]
    if captions and not meta.get("caption"):
        meta["caption"] = "\n".join(captions)
    bylines = [r.reason for r in raws if r.role == "byline"]
    if bylines and not meta.get("author"):
        meta["author"] = bylines[0]
    if not meta.get("outlet"):
        outlet = _recover_outlet(raws, rules) or (_domain(str(meta["url"])) if meta.get("url") else None)
        if outlet:
            meta["outlet"] = outlet

    kinds = _layout(raws, content, meta, rules)

    pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, piece in kinds:
        if pieces:
            pos += 2
        blocks.append(Block(len(blocks), pos, pos + len(piece), kind))
        pieces.append(piece)
        pos += len(piece)
    meta["source"] = source.path if source.record is None else f"{source.path}#{source.record}"
    meta["format"] = source.format
    order = {key: i for i, key in enumerate((*METADATA_KEYS, "caption", "source", "format"))}
    meta = dict(sorted(meta.items(), key=lambda kv: order.get(kv[0], len(order))))
    removed = tuple(r.text for r in raws if r.role != "content")
    return Document(text="\n\n".join(pieces), blocks=tuple(blocks), metadata=meta, removed=removed)


def _classify(raws: list[_Raw], rules: Rules) -> None:
    """Mark furniture blocks in place (``role`` and ``reason``)."""
    content_seen = 0
    body_started = False
    i = 0
    n = len(raws)
    limits = rules.limits
    while i < n:
        raw = raws[i]
        if _WORD.search(raw.norm) is None:
            raw.role, raw.reason = "drop", "separator"
        elif raw.words <= 4 and rules.time_stamp.search(raw.low):
            raw.role, raw.reason = "drop", "dateline"
            previous = raws[i - 1] if i else None
            if (
                previous is not None
                and not body_started
                and previous.role == "content"
                and previous.words <= rules.venue_max_words
                and not _ends_sentence(previous.norm)
            ):
                previous.role, previous.reason = "drop", "dateline"
                content_seen -= 1
        elif (
            content_seen > rules.footer_min_paragraphs
            and raw.words <= limits["footer_max_words"]
            and any(p.search(raw.low) for p in rules.footer_start)
        ):
            for rest in raws[i:]:
                rest.role, rest.reason = "footer", "footer"
            break
        elif raw.words <= 12 and any(p.search(raw.low) for p in rules.related_start):
            raw.role, raw.reason = "drop", "related-list"
            j = i + 1
            while j < n and _related_item(raws[j], rules):
                raws[j].role, raws[j].reason = "drop", "related-list"
                j += 1
            i = j
            continue
        elif (iso := _date_line(raw, rules)) is not None:
            raw.role, raw.reason = "date", iso
        elif _caption(raw, rules):
            raw.role, raw.reason = "caption", "caption"
        elif (name := _drop_rule(raw, rules)) is not None:
            raw.role, raw.reason = "drop", name
        elif not body_started and (author := _byline(raw, rules)):
            raw.role, raw.reason = "byline", author
        else:
            content_seen += 1
            if raw.words > rules.limits["heading_max_words"] and _ends_sentence(raw.norm):
                body_started = body_started or content_seen > 1
        i += 1
    # A navigation menu at the top: a run of tiny blocks before the first real one.
    leading: list[_Raw] = []
    for raw in raws:
        if raw.role != "content":
            continue
        if raw.words > limits["menu_item_max_words"] or _ends_sentence(raw.norm):
            if len(leading) >= limits["menu_min_run"]:
                for item in leading:
                    item.role, item.reason = "drop", "menu"
            break
        leading.append(raw)


def _related_item(raw: _Raw, rules: Rules) -> bool:
    return (
        raw.words <= rules.limits["related_item_max_words"]
        and not _core(raw.norm).endswith(".")
        and not _is_speaker(raw.text, rules)
    )


def _byline(raw: _Raw, rules: Rules) -> str | None:
    if raw.words > rules.byline_max_words:
        return None
    for pattern in rules.byline:
        m = pattern.search(raw.norm)
        if m:
            author = " ".join((m.groupdict().get("author") or m.group(0)).split())
            # Names are capitalised: "By Thursday evening officials had left" is not a byline.
            if all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in author.replace(",", " ").split()):
                return author
    return None


_NAME_PARTICLES = {"and", "&", "de", "del", "della", "di", "da", "dos", "du", "van", "von", "der", "den", "al", "el", "bin", "ibn", "la", "le"}


def _recover_outlet(raws: list[_Raw], rules: Rules) -> str | None:
    dropped = [r for r in raws if r.role in ("drop", "footer")]
    for pattern in rules.outlet_from:
        for raw in dropped:
            if raw.words > 15:
                continue
            m = pattern.search(raw.norm)
            if m and m.groupdict().get("outlet"):
                name = _outlet_name(m.group("outlet"), rules)
                if name and _WORD.search(name) and not name.lower().startswith("all rights"):
                    return name
    return None


def _layout(raws: list[_Raw], content: list[_Raw], meta: dict[str, Any], rules: Rules) -> list[tuple[str, str]]:
    """(kind, verbatim text) of every block of the document, in order."""
    out: list[tuple[str, str]] = []
    position = {id(r): k for k, r in enumerate(raws)}
    rest = list(content)

    def head_evidence(after: _Raw) -> bool:
        """A caption, date line or byline follows ``after`` before the next content block."""
        k = position[id(after)] + 1
        while k < len(raws) and raws[k].role != "content":
            if raws[k].role in ("caption", "date", "byline"):
                return True
            k += 1
        return False

    title_from_body = False
    if meta.get("title"):
        if rest and _same(rest[0].norm, meta["title"]):
            out.append(("title", rest.pop(0).text))
            title_from_body = True
        else:
            out.append(("title", meta["title"]))
    elif len(rest) > 1 and _title_like(rest[0], rules, head_evidence(rest[0]) or head_evidence(rest[1])):
        first = rest.pop(0)
        meta["title"] = first.norm
        out.append(("title", first.text))
        title_from_body = True

    if meta.get("standfirst"):
        if rest and _same(rest[0].norm, meta["standfirst"]):
            out.append(("standfirst", rest.pop(0).text))
        else:
            out.append(("standfirst", meta["standfirst"]))
    elif title_from_body and len(rest) > 1:
        candidate = rest[0]
        if (
            _ends_sentence(candidate.norm)
            and candidate.words <= rules.limits["standfirst_max_words"]
            and not candidate.md_heading
            and not _is_speaker(candidate.text, rules)
            and head_evidence(candidate)
        ):
            rest.pop(0)
            meta["standfirst"] = candidate.norm
            out.append(("standfirst", candidate.text))

    likes = [_heading_like(r, rules) for r in rest]
    for k, raw in enumerate(rest):
        kind = "paragraph"
        if raw.md_heading:
            kind = "heading"
        elif likes[k] and k + 1 < len(rest) and not likes[k + 1] and (k == 0 or not likes[k - 1]):
            kind = "heading"
        out.append((kind, raw.text))
    return out
