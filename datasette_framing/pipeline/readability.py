"""Readability (placeholder, being replaced)."""
from __future__ import annotations


def article_scores(document, sentences):
    import textstat
    t = document.text
    return {"word_count": textstat.lexicon_count(t), "flesch_reading_ease": textstat.flesch_reading_ease(t)}
