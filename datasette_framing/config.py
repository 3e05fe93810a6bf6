"""Plugin configuration: defaults, lookup, validation, and which databases hold framing data.

Every setting lives under one ``plugins: datasette-framing:`` block (root level,
or per database under ``databases.<name>.plugins``).  ``get_config`` merges the
defaults with what the user set; ``validate`` runs once at startup so that a
typo fails the server start with a clear message instead of the first request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import schema, stats

PLUGIN_NAME = "datasette-framing"

#: Every key, its default and what it does.  Documented in the README (Configuration).
DEFAULTS: dict[str, Any] = {
    # Database names the plugin serves.  None: any database whose tables match FRAMING_TABLES.
    "databases": None,
    # Offer the canned queries (canned_queries.py) for framing databases served without metadata.yml.
    "canned_queries": True,
    # Show sentiment columns of the framing tables as coloured, labelled values.
    "render_cell": True,
    # Fewer scored mentions than this in a group: pages and charts flag the mean "too few"
    # (the summary tables' too_few column uses the same default, stats.MIN_MENTIONS).
    "min_mentions": stats.MIN_MENTIONS,
    # Confidence level of the intervals the pages compute around mean sentiment.
    "confidence": stats.LEVEL,
    # The framing_* SQL functions refuse longer text (a SQLite function cannot be interrupted).
    "max_text_chars": 100_000,
    # Folder of lexicon overrides for the SQL functions (same files as the loader's data_dir).
    "lexicon_dir": None,
}

#: Tables whose presence marks a framing database (the loader always creates them all).
FRAMING_TABLES: frozenset[str] = frozenset(
    t.name for t in (schema.ARTICLES, schema.SENTENCES, schema.ACTORS, schema.MENTIONS, schema.QUOTES)
)


class ConfigError(ValueError):
    """The plugin configuration is invalid; the message names the key and what is expected."""


def get_config(datasette: Any, database: str | None = None, table: str | None = None) -> dict[str, Any]:
    """Defaults overlaid with the user's settings (table falls back to database, then root)."""
    user = datasette.plugin_config(PLUGIN_NAME, database=database, table=table) or {}
    return {**DEFAULTS, **user}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate(config: Any, where: str = "plugins.datasette-framing") -> list[str]:
    """Every problem with a user's config block, each a sentence naming the key; [] if valid."""
    if config is None:
        return []
    if not isinstance(config, dict):
        return [f"{where} must be a mapping of settings, got {type(config).__name__}"]
    errors = []
    for key in config:
        if key not in DEFAULTS:
            known = ", ".join(sorted(DEFAULTS))
            errors.append(f"{where}: unknown setting {key!r} (known settings: {known})")
    dbs = config.get("databases")
    if dbs is not None and not (isinstance(dbs, list) and all(isinstance(d, str) and d for d in dbs)):
        errors.append(f"{where}.databases must be a list of database names")
    for key in ("canned_queries", "render_cell"):
        if key in config and not isinstance(config[key], bool):
            errors.append(f"{where}.{key} must be true or false, got {config[key]!r}")
    value = config.get("min_mentions", DEFAULTS["min_mentions"])
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        errors.append(f"{where}.min_mentions must be a whole number of at least 1, got {value!r}")
    value = config.get("confidence", DEFAULTS["confidence"])
    if not (_is_number(value) and 0.5 <= value < 1):
        errors.append(f"{where}.confidence must be a number from 0.5 up to (not including) 1, got {value!r}")
    value = config.get("max_text_chars", DEFAULTS["max_text_chars"])
    if not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10_000_000):
        errors.append(f"{where}.max_text_chars must be a whole number from 1 to 10000000, got {value!r}")
    value = config.get("lexicon_dir")
    if value is not None and not (isinstance(value, str) and value):
        errors.append(f"{where}.lexicon_dir must be a folder path, got {value!r}")
    elif value is not None and not Path(value).is_dir():
        errors.append(f"{where}.lexicon_dir: no such folder: {value}")
    return errors


def validate_datasette(datasette: Any) -> list[str]:
    """Validate the root block and every per-database block; also check named databases exist."""
    root = datasette.plugin_config(PLUGIN_NAME, fallback=False)
    errors = validate(root)
    for name in datasette.databases:
        block = datasette.plugin_config(PLUGIN_NAME, database=name, fallback=False)
        errors.extend(validate(block, f"databases.{name}.plugins.{PLUGIN_NAME}"))
    named = root.get("databases") if isinstance(root, dict) else None
    if isinstance(named, list):
        for name in named:
            if name not in datasette.databases:
                errors.append(
                    f"plugins.{PLUGIN_NAME}.databases names {name!r}, which is not being served "
                    f"(serving: {', '.join(sorted(n for n in datasette.databases if n != '_internal')) or 'nothing'})"
                )
    return errors


async def is_framing_database(datasette: Any, database: str) -> bool:
    """Whether ``database`` holds framing data: named in config, or has the framing tables."""
    if database == "_internal" or database not in datasette.databases:
        return False
    named = get_config(datasette).get("databases")
    if named is not None:
        return database in named
    tables = set(await datasette.get_database(database).table_names())
    return FRAMING_TABLES <= tables


async def framing_databases(datasette: Any) -> list[str]:
    """Names of all framing databases being served, in Datasette's order."""
    return [name for name in datasette.databases if await is_framing_database(datasette, name)]
