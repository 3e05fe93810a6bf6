"""Read-only word lists, alias tables and rules, loaded from data files.

Defaults live in ``datasette_framing/data/`` (each file documents its sources).
Users override any of them by pointing ``data_dir`` at a folder holding files
of the same name, and extend the actor table with ``--actors actors.yml``.
A ``Lexicon`` is hashable, so stages cache what they build from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


class LexiconError(ValueError):
    """A data file or user override could not be read."""


@dataclass(frozen=True)
class Lexicon:
    actors_file: str | None = None
    data_dir: str | None = None

    def path(self, name: str) -> Path:
        if self.data_dir:
            candidate = Path(self.data_dir) / name
            if candidate.exists():
                return candidate
        return PACKAGE_DATA / name

    def load(self, name: str) -> Any:
        """The parsed content of data file ``name`` (YAML, JSON or one entry per line)."""
        return _load(str(self.path(name)))

    def user_actors(self) -> list[dict[str, Any]]:
        """Entries of the user's ``--actors`` file: name, kind, aliases, affiliation."""
        if not self.actors_file:
            return []
        data = _load(str(Path(self.actors_file).resolve()))
        if isinstance(data, dict):
            data = data.get("actors", [])
        if not isinstance(data, list) or not all(isinstance(d, dict) and d.get("name") for d in data):
            raise LexiconError(
                f"{self.actors_file}: expected a list of actors, each with at least a 'name'"
            )
        return data

    def fingerprint(self) -> dict[str, Any]:
        """What a run records in _framing_runs so results can be traced to the lists used."""
        return {"actors_file": self.actors_file, "data_dir": self.data_dir}


@lru_cache(maxsize=None)
def _load(path: str) -> Any:
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"{path}: {e.strerror or e}") from e
    try:
        if p.suffix in (".yml", ".yaml"):
            return yaml.safe_load(raw)
        if p.suffix == ".json":
            return json.loads(raw)
    except (yaml.YAMLError, json.JSONDecodeError) as e:
        raise LexiconError(f"{path}: {e}") from e
    return [
        line.strip()
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@lru_cache(maxsize=None)
def default_lexicon() -> Lexicon:
    return Lexicon()
