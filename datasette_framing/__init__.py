"""datasette-framing: compare how news outlets frame each actor.

Importing this package stays light (no NLP libraries): the public analysis
functions are loaded on first use.
"""

from __future__ import annotations

from typing import Any



__version__ = "0.1.0"

_LAZY = {
    "analyze": ("datasette_framing.pipeline.analyze", "analyze"),
    "Analysis": ("datasette_framing.pipeline.records", "Analysis"),
    "mention_sentiment": ("datasette_framing.pipeline.sentiment", "mention_sentiment"),
    "polarity": ("datasette_framing.pipeline.sentiment", "polarity"),
}

__all__ = ["analyze", "Analysis", "mention_sentiment", "polarity", "__version__"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'datasette_framing' has no attribute {name!r}")
