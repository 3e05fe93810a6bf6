"""Split stage (placeholder, being replaced): naive sentence split inside blocks."""
from __future__ import annotations
import re
from .records import Document, Sentence

_END = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def split(document: Document) -> tuple[Sentence, ...]:
    out = []
    for b in document.blocks:
        for m in _END.finditer(document.text, b.start, b.end):
            s, e = m.start(), m.end()
            while s < e and document.text[s].isspace():
                s += 1
            if s < e:
                out.append(Sentence(len(out), s, e, b.index, b.kind))
    return tuple(out)
