"""Clean stage (placeholder, being replaced): every non-empty line is a paragraph."""
from __future__ import annotations
from .records import Block, Document, Source


def clean(source: Source) -> Document:
    pieces, blocks, pos = [], [], 0
    for line in source.text.splitlines():
        line = line.strip()
        if not line:
            continue
        if pieces:
            pos += 2
        blocks.append(Block(len(blocks), pos, pos + len(line), "paragraph"))
        pieces.append(line)
        pos += len(line)
    meta = dict(source.metadata)
    meta.setdefault("source", source.path if source.record is None else f"{source.path}#{source.record}")
    meta["format"] = source.format
    return Document(text="\n\n".join(pieces), blocks=tuple(blocks), metadata=meta)
