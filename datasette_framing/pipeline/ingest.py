"""Ingest stage (placeholder, being replaced): read .txt files into Sources."""
from __future__ import annotations
from pathlib import Path
from typing import Iterator
from .records import LoadError, Source


def read_paths(paths, **options) -> Iterator[Source | LoadError]:
    for p in paths:
        p = Path(p)
        files = sorted(p.rglob("*.txt")) if p.is_dir() else [p]
        for f in files:
            try:
                yield Source(path=str(f), text=f.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                yield LoadError(str(f), str(e))
