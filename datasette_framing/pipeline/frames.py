"""Frames and signals (placeholder, being replaced)."""
from __future__ import annotations
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Signals:
    frames: dict = field(default_factory=dict)
    hedges: tuple = ()
    boosters: tuple = ()
    loaded: tuple = ()


def sentence_signals(text, sentences, lexicon):
    return [Signals() for _ in sentences]
