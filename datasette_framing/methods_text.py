"""The method notes and lexicon sources shown on the methods page.

The notes are ``docs/methods.md``.  In a source checkout that file is read
directly (so the page never shows stale notes); an installed package reads
the copy shipped as ``datasette_framing/data/methods.md``.  Markdown is
rendered with markdown-it-py in CommonMark mode with raw HTML disabled, so
any HTML in the notes is shown as text, and its link validation refuses
``javascript:``-style URLs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CHECKOUT_NOTES = PACKAGE_DIR.parent / "docs" / "methods.md"
PACKAGED_NOTES = DATA_DIR / "methods.md"


def notes_path() -> Path | None:
    """The freshest copy of the method notes: the checkout's docs/, else the packaged copy."""
    if (PACKAGE_DIR.parent / "setup.py").exists() and CHECKOUT_NOTES.exists():
        return CHECKOUT_NOTES
    if PACKAGED_NOTES.exists():
        return PACKAGED_NOTES
    return None


def render_markdown(text: str) -> Markup:
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # the notes stay readable as plain text
        return Markup("<pre class=\"framing-notes-plain\">") + escape(text) + Markup("</pre>")
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    return Markup(md.render(text))


def methods_html() -> tuple[Markup | None, str | None]:
    path = notes_path()
    if path is None:
        return None, None
    stat = path.stat()
    return _render_cached(str(path), stat.st_mtime_ns, stat.st_size), path.name if path == PACKAGED_NOTES else "docs/methods.md"


@lru_cache(maxsize=4)
def _render_cached(path: str, mtime: int, size: int) -> Markup:
    return render_markdown(Path(path).read_text(encoding="utf-8", errors="replace"))


def _header_comment(path: Path, max_lines: int = 40) -> str:
    lines = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for i, line in enumerate(fh):
            if i >= max_lines or not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
    return "\n".join(lines).strip()


@lru_cache(maxsize=1)
def lexicon_sources() -> list[dict[str, str]]:
    """Each packaged data file with the purpose and source its header comment gives."""
    out = []
    if not DATA_DIR.exists():
        return out
    for path in sorted(DATA_DIR.iterdir()):
        if path.suffix not in (".yml", ".yaml", ".txt", ".json") or path.name.startswith("."):
            continue
        header = _header_comment(path) if path.suffix != ".json" else ""
        out.append({"file": path.name, "about": header or "(no header comment: see docs/methods.md)"})
    return out
