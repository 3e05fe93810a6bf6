"""Quotes (placeholder, being replaced)."""
from __future__ import annotations


def find_quotes(document, sentences, actors, mentions, lexicon):
    return ()
