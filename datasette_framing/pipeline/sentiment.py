"""Sentiment (placeholder, being replaced): VADER per sentence."""
from __future__ import annotations
from functools import lru_cache


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def score_sentences(text, sentences):
    return [_analyzer().polarity_scores(text[s.start:s.end]) for s in sentences]


def score_mentions(text, sentences, mentions, quotes, lexicon):
    return tuple(mentions)


def mention_sentiment(sentence: str, start: int, end: int) -> float:
    return _analyzer().polarity_scores(sentence)["compound"]


def polarity(score: float) -> int:
    return 1 if score >= 0.05 else -1 if score <= -0.05 else 0
