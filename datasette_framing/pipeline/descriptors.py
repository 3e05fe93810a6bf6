"""Descriptors (placeholder, being replaced)."""
from __future__ import annotations


def attach(document, sentences, mentions, lexicon):
    return tuple(mentions)
