"""Actors (placeholder, being replaced)."""
from __future__ import annotations


def find_actors(document, sentences, lexicon):
    return (), ()
