"""Command line: ``datasette-framing load | analyze | rebuild`` (also ``datasette framing ...``).

A thin click layer over :mod:`datasette_framing.pipeline.run`: it parses
options, prints progress and failures on stderr and turns the run summary into
an exit status (0 all loaded, 1 some inputs failed, 2 usage error, 130
interrupted with Ctrl-C).  Heavy modules are imported inside the commands so
``datasette --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Callable, TextIO

import click

from . import __version__

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def _parse_fields(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        name, sep, source = value.partition("=")
        name, source = name.strip(), source.strip()
        if not sep or not name or not source:
            raise click.BadParameter(f"{value!r}: expected NAME=FIELD, e.g. text=body", param=param)
        from .pipeline.ingest import DEFAULT_FIELDS

        if name not in DEFAULT_FIELDS:
            raise click.BadParameter(
                f"{name!r} is not an article field; use one of {', '.join(DEFAULT_FIELDS)}", param=param
            )
        mapping[name] = source
    return mapping


def _check_actors(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .pipeline.lexicon import Lexicon, LexiconError

    try:
        Lexicon(actors_file=value).user_actors()
    except LexiconError as e:
        raise click.BadParameter(str(e), param=param) from e
    return value


def _check_dask(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if value != "local" and "://" not in value:
        raise click.BadParameter(
            f"{value!r}: use 'local' or a scheduler address such as tcp://10.0.0.5:8786", param=param
        )
    try:
        import dask.distributed  # noqa: F401
    except ImportError as e:
        raise click.BadParameter(
            "needs dask.distributed: pip install 'datasette-framing[dask]'", param=param
        ) from e
    return value


def _check_database_path(db: str) -> None:
    """Fail with a usage error (exit 2) if DB cannot be created or is not an SQLite database."""
    import os
    import sqlite3

    parent = os.path.dirname(os.path.abspath(db))
    if not os.path.isdir(parent):
        raise click.BadParameter(f"{db}: folder {parent} does not exist", param_hint="DB")
    if os.path.exists(db):
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA schema_version").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as e:
            raise click.BadParameter(f"{db}: not an SQLite database ({e})", param_hint="DB") from e


def input_options(f: Callable) -> Callable:
    """Options shared by ``load`` and ``analyze``: how inputs are read and analysed."""
    for decorator in reversed(
        [
            click.option("--outlet", metavar="NAME", help="Outlet name for every article (overrides what the input says)."),
            click.option(
                "--actors", "actors_file", type=click.Path(exists=True, dir_okay=False),
                callback=_check_actors, help="Your alias table (YAML/JSON: name, kind, aliases, affiliation).",
            ),
            click.option(
                "--field", "field_map", multiple=True, metavar="NAME=FIELD", callback=_parse_fields,
                help="Read article field NAME from record field FIELD in JSON/JSONL/CSV inputs, e.g. --field text=body. Repeatable.",
            ),
            click.option(
                "--max-file-mb", type=click.FloatRange(min=0, min_open=True), metavar="N",
                help="Refuse input files larger than N megabytes (default: the ingest limit, 50 MB).",
            ),
            click.option(
                "--workers", type=click.IntRange(min=1), default=1, show_default=True,
                help="Analyse articles in N processes (the database writer stays single).",
            ),
        ]
    ):
        f = decorator(f)
    return f


class Progress:
    """A one-line progress display on stderr; silent when stderr is not a terminal or --quiet."""

    def __init__(self, stream: TextIO, enabled: bool, total_files: int | None = None) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total = total_files
        self.last = 0.0
        self.shown = False

    def update(self, summary: Any) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        rate = summary.articles / summary.seconds if summary.seconds else 0.0
        bar = ""
        if self.total:
            done = min(summary.files, self.total)
            width = 24
            filled = int(width * done / self.total)
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {100 * done // self.total:3d}% {done:,}/{self.total:,} files | "
        line = bar + (
            f"{summary.articles + summary.failed:,} articles: {summary.loaded:,} loaded, "
            f"{summary.unchanged:,} unchanged, {summary.failed:,} failed "
            f"| {summary.sentences:,} sentences | {rate:,.1f}/s | {summary.seconds:,.0f}s"
        )
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


def error_line(error: Any) -> str:
    record = error.record
    if record and str(record).isdigit():
        record = f"record {record}"
    where = error.path + (f" ({record})" if record else "")
    return f"failed: {where}: {error.reason}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="datasette-framing")
def cli() -> None:
    """Load news articles into a framing database and analyse them.

    \b
    Example:
        datasette-framing load framing.db articles/
        datasette serve framing.db
    """


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@input_options
@click.option(
    "--dask", metavar="ADDR", callback=_check_dask,
    help="Analyse on Dask: 'local' starts a local cluster, or a scheduler address tcp://host:port.",
)
@click.option("--from-analyses", is_flag=True, help="PATHs are JSONL files written by 'analyze --jsonl'.")
@click.option("--force", is_flag=True, help="Rewrite articles even when unchanged (after changing --actors or upgrading).")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary; failures are still reported.")
def load(
    db: str,
    paths: tuple[str, ...],
    outlet: str | None,
    actors_file: str | None,
    field_map: dict[str, str],
    max_file_mb: float | None,
    workers: int,
    dask: str | None,
    from_analyses: bool,
    force: bool,
    quiet: bool,
) -> None:
    """Load articles from PATHs (files or folders, searched recursively) into the SQLite DB.

    Reads .txt (scraped page text, optional header block), .html/.htm,
    .json, .jsonl and .csv (one article per record).  Reloading is safe: an
    unchanged article is skipped, a changed one replaces its old rows, and a
    failed or interrupted load never leaves half an article.  Each input that
    fails is reported on stderr and recorded in the load_errors table.

    Exit status: 0 all loaded, 1 some inputs failed, 2 usage error,
    130 interrupted (what was committed stays).

    \b
    Example:
        datasette-framing load framing.db seeds/
        datasette-framing load framing.db export.jsonl --outlet "Example Times" --field text=body
        datasette-framing load framing.db articles/ --workers 2 --actors my-actors.yml
        datasette-framing load framing.db analyses.jsonl --from-analyses
    """
    from .pipeline.run import run

    from .pipeline.run import count_inputs

    _check_database_path(db)
    err = sys.stderr
    show = not quiet and err.isatty()
    progress = Progress(err, enabled=show, total_files=count_inputs(paths, from_analyses) if show else None)

    def on_error(error: Any) -> None:
        progress.clear()
        click.echo(error_line(error), err=True)

    def on_message(message: str) -> None:
        progress.clear()
        click.echo(message, err=True)

    from .pipeline.lexicon import LexiconError

    try:
        summary = run(
            list(paths), db, outlet=outlet, actors_file=actors_file, field_map=field_map or None,
            max_file_mb=max_file_mb, from_analyses=from_analyses, force=force, workers=workers,
            dask=dask, progress=progress.update, on_error=on_error, on_message=on_message,
        )
    except LexiconError as e:
        progress.clear()
        raise click.UsageError(f"a word list or alias table could not be read, so the load stopped: {e}")
    progress.clear()
    if summary.interrupted:
        click.echo(
            f"Interrupted: {summary.loaded:,} articles loaded and committed to {db} "
            f"({summary.unchanged:,} unchanged, {summary.failed:,} failed) before the stop. "
            "Run the same command again to load the rest.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        replaced = f" ({summary.replaced:,} replacing older versions)" if summary.replaced else ""
        click.echo(
            f"{summary.loaded:,} articles loaded{replaced}, {summary.unchanged:,} unchanged, "
            f"{summary.failed:,} failed; {summary.sentences:,} sentences, {summary.quotes:,} quotes, "
            f"{summary.actors:,} actors in {db}; {summary.seconds:,.1f} seconds",
            err=True,
        )
    if summary.failed:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@input_options
@click.option("--json", "as_json", is_flag=True, help="Print each analysis as indented JSON (docs/analysis-format.md).")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Write one analysis per line, for 'load --from-analyses' or other engines.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write to FILE instead of standard output.")
def analyze(
    paths: tuple[str, ...],
    outlet: str | None,
    actors_file: str | None,
    field_map: dict[str, str],
    max_file_mb: float | None,
    workers: int,
    as_json: bool,
    as_jsonl: bool,
    output: TextIO,
) -> None:
    """Analyse articles without a database and print the results.

    Without --json or --jsonl, prints one summary line per article.  --json
    prints the full analysis of each article (one JSON object per article,
    the format of docs/analysis-format.md); --jsonl writes one compact line
    per article, which 'load --from-analyses' loads: run the heavy analysis
    anywhere (batch jobs, Spark, Ray), then load on one machine.

    \b
    Example:
        datasette-framing analyze seeds/aljazeera-2022-01-20-blinken-lavrov.txt --json
        datasette-framing analyze articles/ --jsonl -o analyses.jsonl --workers 2
        datasette-framing load framing.db analyses.jsonl --from-analyses
    """
    if as_json and as_jsonl:
        raise click.UsageError("choose one of --json and --jsonl")
    from .pipeline.lexicon import Lexicon
    from .pipeline.records import LoadError
    from .pipeline.run import _pool, _serial, collector_thresholds, read_sources

    lexicon = Lexicon(actors_file=actors_file)
    sources = read_sources(list(paths), outlet=outlet, field_map=field_map or None, max_file_mb=max_file_mb)
    results = _pool(sources, lexicon, workers) if workers > 1 else _serial(sources, lexicon)
    failed = 0
    from .pipeline.lexicon import LexiconError

    try:
        with collector_thresholds():
            for path, record, result in results:
                if isinstance(result, LoadError):
                    failed += 1
                    click.echo(error_line(result), err=True)
                    continue
                if as_jsonl:
                    output.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                elif as_json:
                    output.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
                else:
                    a = result.article
                    output.write(
                        f"{a.get('source')}: {a.get('title') or '(no title)'} | {a.get('outlet') or '?'} | "
                        f"{a.get('published') or '?'} | {len(result.sentences)} sentences, "
                        f"{len(result.actors)} actors, {len(result.mentions)} mentions, {len(result.quotes)} quotes\n"
                    )
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except LexiconError as e:
        raise click.UsageError(f"a word list or alias table could not be read: {e}")
    finally:
        output.flush()
    if failed:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
def rebuild(db: str) -> None:
    """Rebuild the full-text search indexes and summary tables of DB.

    Loads keep both current; run this after editing the tables by hand or
    after VACUUM (which may renumber the rowids the search indexes use).

    \b
    Example:
        datasette-framing rebuild framing.db
    """
    from .pipeline import write

    conn = write.connect(db)
    try:
        write.ensure_schema(conn)
        write.rebuild_fts(conn)
        write.rebuild_summaries(conn)
    finally:
        conn.close()
    click.echo(f"Rebuilt search indexes and summary tables in {db}", err=True)


@cli.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
def check(db: str) -> None:
    """Check DB: integrity, orphan rows, half-written articles, search indexes.

    Exit status 0 when the database is consistent, 1 when a problem is found.

    \b
    Example:
        datasette-framing check framing.db
    """
    from .pipeline import write

    conn = write.connect(db)
    try:
        problems, notes = write.check_database(conn)
    finally:
        conn.close()
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(EXIT_FAILED)
    click.echo(f"{db}: ok", err=True)
