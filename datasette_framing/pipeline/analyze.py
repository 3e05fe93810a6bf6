"""Analyse one article: a pure function of its text and metadata (no database).

The composition, in order: clean -> split -> extract (actors, quotes,
descriptors) -> score (sentence sentiment, mention sentiment, frames,
readability).  ``run.py`` calls this for every input; workers and Dask
call it too, so it must stay free of I/O and global state other than
read-only lexicons.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import clean, extract, score, split
from .lexicon import Lexicon, default_lexicon
from .records import Analysis, Source


def article_id(text: str, metadata: dict[str, Any]) -> str:
    """Content hash of what is stored: the same article always gets the same id."""
    keyed = {k: metadata.get(k) for k in ("title", "standfirst", "outlet", "published", "url", "author")}
    payload = json.dumps([text, keyed], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def analyze_source(source: Source, lexicon: Lexicon | None = None) -> Analysis:
    """Analyse one ingested article."""
    lexicon = lexicon or default_lexicon()
    document = clean.clean(source, lexicon)
    sentences = split.split(document, lexicon)
    extraction = extract.extract(document, sentences, lexicon)
    return score.score(document, sentences, extraction, lexicon, article_id=article_id)


def analyze(text: str, *, lexicon: Lexicon | None = None, **metadata: Any) -> Analysis:
    """Analyse an article given as text (scraped page text or a clean body) and metadata.

    Metadata keys: title, standfirst, outlet, published (or date), url, author,
    licence, source.  Returns an :class:`Analysis`; ``.to_dict()`` gives the
    format documented in ``docs/analysis-format.md``.
    """
    if "date" in metadata and "published" not in metadata:
        metadata["published"] = metadata.pop("date")
    meta = {k: str(v) for k, v in metadata.items() if v is not None}
    source = Source(path=meta.pop("source", "<text>"), text=text, metadata=meta, format="txt")
    return analyze_source(source, lexicon)
