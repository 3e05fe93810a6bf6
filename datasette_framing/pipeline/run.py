"""Run a load: ingest -> analyse -> write, streaming, with one writer.

The analysis of one article is a pure function, so it can run here, in a
process pool (``workers > 1``) or on a Dask cluster (``dask="local"`` or
``dask="tcp://host:port"``); whichever computes it, the analyses stream back
to the single writer in this process.  Work in flight is bounded, so memory
stays flat however large the corpus.

Failures never stop a load: an unreadable input, an analysis that raises or an
analysis that cannot be written each become one ``load_errors`` row (and one
``on_error`` call, which the CLI prints), and the load goes on.

Ctrl-C stops cleanly: the first press finishes the article being written,
commits what was loaded, marks the run ``interrupted`` and returns; a second
press stops at once (still never leaving half an article).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import __version__
from . import ingest, write
from .lexicon import Lexicon, LexiconError
from .records import Analysis, LoadError, Source

#: Analyses computed ahead of the writer, per worker.  The writer submits new work only
#: between articles, and a batch commit (with its full-text indexing) can hold it for half a
#: second: the window must cover that, or the workers run dry and wait (with 4 per worker,
#: a 2-worker load of 2,000 articles took 58 s; with 32, 48 s).  An article's rows are tens
#: of kilobytes, so the window costs a few megabytes.
IN_FLIGHT_PER_WORKER = 32

#: The cyclic collector's thresholds while analysing.  An article's analysis builds tens of
#: thousands of container objects (records, tuples, dicts) that all live until it is written,
#: so with CPython's default first threshold (700) the collector ran about twice an article and
#: traversed them each time: 6.9% of a 1,000-article load (2.6 s), against 0.9% at 20,000.
#: The analysis makes few reference cycles, so the higher threshold holds little garbage.
GC_THRESHOLDS = (20_000, 10, 10)


@contextlib.contextmanager
def collector_thresholds(thresholds: tuple[int, int, int] = GC_THRESHOLDS) -> Iterator[None]:
    """Run the body (or, as a decorator, each call) with the collector's ``thresholds``, then restore the caller's."""
    previous = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@dataclass
class RunSummary(write.Counts):
    """What a load did: the writer's counts (loaded ... mentions) plus the run's own facts.

    ``errors`` lists every input that failed; ``phases`` is the wall time of
    each phase in seconds (``write.PHASES``, plus the final WAL checkpoint),
    the figures the run row stores under "phases" in its options JSON.
    """

    run_id: int
    db_path: str
    actors: int = 0
    seconds: float = 0.0
    files: int = 0  # input files reached so far (for progress displays)
    interrupted: bool = False
    errors: list[LoadError] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return self.loaded + self.unchanged

    def as_dict(self) -> dict[str, Any]:
        # run_id and db_path first, as before the counts moved to write.Counts.
        d = {"run_id": self.run_id, "db_path": self.db_path, **dataclasses.asdict(self)}
        d["errors"] = [dataclasses.asdict(e) for e in self.errors]
        return d


# ---------------------------------------------------------------- inputs


def _ingest_options(outlet: str | None, field_map: dict[str, str] | None, max_file_mb: float | None) -> Any:
    """Build ``ingest.IngestOptions`` from whichever of our options it declares."""
    cls = getattr(ingest, "IngestOptions", None)
    if cls is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    wanted: dict[str, Any] = {}
    for candidates, value in (
        (("outlet", "outlet_override"), outlet),
        (("field_map", "fields"), field_map),
        (("max_file_mb",), max_file_mb),
    ):
        if value in (None, {}):
            continue
        for name in candidates:
            if name in names:
                wanted[name] = value
                break
        else:
            if candidates[0] == "max_file_mb" and "max_file_bytes" in names:
                wanted["max_file_bytes"] = int(value * 1024 * 1024)
    return cls(**wanted)


def read_sources(
    paths: Iterable[str],
    *,
    outlet: str | None = None,
    field_map: dict[str, str] | None = None,
    max_file_mb: float | None = None,
) -> Iterator[Source | LoadError]:
    """The ingest stage with our options, plus the outlet override if ingest does not apply it."""
    options = _ingest_options(outlet, field_map, max_file_mb)
    if options is not None:
        items = ingest.read_paths(list(paths), options)
    else:
        items = ingest.read_paths(list(paths))
    applies_outlet = options is not None and any(
        f.name in ("outlet", "outlet_override") for f in dataclasses.fields(options)
    )
    for item in items:
        if outlet and not applies_outlet and isinstance(item, Source):
            item = dataclasses.replace(item, metadata={**item.metadata, "outlet": outlet})
        yield item


def read_analyses(paths: Iterable[str]) -> Iterator[tuple[str, str | None, Analysis | LoadError]]:
    """Analyses written by ``datasette-framing analyze --jsonl``: one JSON object a line."""
    for p in paths:
        path = Path(p)
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            try:
                fh = f.open(encoding="utf-8")
            except OSError as e:
                yield str(f), None, LoadError(str(f), f"cannot read: {e.strerror or e}")
                continue
            with fh:
                lineno = 0
                while True:
                    try:
                        line = fh.readline()
                    except UnicodeDecodeError as e:
                        yield str(f), str(lineno + 1), LoadError(str(f), f"not UTF-8 text: {e.reason}", str(lineno + 1))
                        break
                    if not line:
                        break
                    lineno += 1
                    if not line.strip():
                        continue
                    record = f"line {lineno}"
                    try:
                        analysis = Analysis.from_dict(json.loads(line))
                    except json.JSONDecodeError as e:
                        yield str(f), record, LoadError(str(f), f"malformed JSON: {e.msg} at column {e.colno}", record)
                        continue
                    except (KeyError, TypeError, ValueError, AttributeError) as e:
                        yield str(f), record, LoadError(str(f), f"not an analysis (see docs/analysis-format.md): {type(e).__name__}: {e}", record)
                        continue
                    yield str(f), record, analysis


# ---------------------------------------------------------------- analysis engines


def analyze_task(source: Source, lexicon: Lexicon, fingerprint: str | None = None) -> Analysis | LoadError:
    """Analyse one source, turning any failure into a LoadError (runs in workers and on Dask).

    With ``fingerprint`` the article records its ``input_hash`` so reloads can skip it.
    """
    from .analyze import analyze_source

    try:
        analysis = analyze_source(source, lexicon)
        if fingerprint is not None:
            analysis.article["input_hash"] = input_hash(source, fingerprint)
        return analysis
    except LexiconError:
        raise  # a broken data file fails every article: stop the load and say why
    except Exception as e:  # one bad article must not stop the load
        return LoadError(source.path, f"analysis failed: {type(e).__name__}: {e}", source.record)


#: Why an analysis with no text is not written.
NO_TEXT = "no article text (empty, or nothing left after removing boilerplate)"


def rows_task(source: Source, lexicon: Lexicon, fingerprint: str | None = None) -> write.ArticleRows | LoadError:
    """Analyse one source and build its rows (``write.article_rows``): the task of workers and Dask.

    Building the rows where the analysis ran leaves the single writer only
    the INSERTs, and plain tuples cross the process boundary far more cheaply
    than the analysis's records (per article about 0.2 ms to pickle and 0.25
    to unpickle, against 0.5 and 2.2): with every core busy, each CPU-second
    saved, or moved off the writer, is one the workers get back.
    """
    result = analyze_task(source, lexicon, fingerprint)
    if isinstance(result, LoadError):
        return result
    if not result.text.strip():
        return LoadError(source.path, NO_TEXT, source.record)
    return write.article_rows(result)


@dataclass(frozen=True)
class Unchanged:
    """An input whose raw content and analysis fingerprint are already stored: not analysed again."""

    path: str
    record: str | None = None


Result = tuple[str, "str | None", "Analysis | write.ArticleRows | LoadError | Unchanged"]
Item = "Source | LoadError | Unchanged"


def _serial(items: Iterable[Any], lexicon: Lexicon, fingerprint: str | None = None) -> Iterator[Result]:
    for item in items:
        if isinstance(item, (LoadError, Unchanged)):
            yield item.path, item.record, item
        else:
            yield item.path, item.record, analyze_task(item, lexicon, fingerprint)


def _init_worker() -> None:
    # Ctrl-C is the parent's business: it stops feeding work and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker only analyses: it keeps the load's thresholds for its whole life.
    gc.set_threshold(*GC_THRESHOLDS)


def _pool(
    items: Iterable[Any], lexicon: Lexicon, workers: int, fingerprint: str | None = None
) -> Iterator[Result]:
    """Analyse in a process pool, in input order, with at most a few articles in flight per worker."""
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    executor = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker)
    pending: deque = deque()
    limit = workers * IN_FLIGHT_PER_WORKER
    try:
        for item in items:
            if isinstance(item, (LoadError, Unchanged)):
                yield item.path, item.record, item
                continue
            pending.append((item, executor.submit(rows_task, item, lexicon, fingerprint)))
            while len(pending) >= limit:
                yield _collect(*pending.popleft())
        while pending:
            yield _collect(*pending.popleft())
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _collect(source: Source, future: Any) -> Result:
    try:
        result = future.result()
    except LexiconError:
        raise
    except Exception as e:  # a worker died (out of memory, killed)
        result = LoadError(source.path, f"analysis failed: worker error: {type(e).__name__}: {e}", source.record)
    return source.path, source.record, result


def _dask(
    items: Iterable[Any], lexicon: Lexicon, address: str, workers: int, fingerprint: str | None = None
) -> Iterator[Result]:
    """Analyse on a Dask cluster; results stream back as they complete, submission bounded."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - depends on the optional extra
        raise RuntimeError(
            "--dask needs dask.distributed: pip install 'datasette-framing[dask]'"
        ) from e
    import logging

    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=max(1, workers if workers > 1 else (os.cpu_count() or 1)),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        client = Client(address)
    n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
    limit = n * IN_FLIGHT_PER_WORKER * 2
    sources: dict[Any, Source] = {}
    done = as_completed()
    try:
        for item in items:
            if isinstance(item, (LoadError, Unchanged)):
                yield item.path, item.record, item
                continue
            future = client.submit(rows_task, item, lexicon, fingerprint, pure=False)
            sources[future] = item
            done.add(future)
            while len(sources) >= limit:
                yield _collect_dask(next(done), sources)
        while sources:
            yield _collect_dask(next(done), sources)
    finally:
        for future in list(sources):
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def _collect_dask(future: Any, sources: dict[Any, Source]) -> Result:
    source = sources.pop(future)
    try:
        result = future.result()
    except LexiconError:
        raise
    except Exception as e:
        result = LoadError(source.path, f"analysis failed on the cluster: {type(e).__name__}: {e}", source.record)
    future.release()
    return source.path, source.record, result


# ---------------------------------------------------------------- the run


def lexicon_fingerprint(lexicon: Lexicon) -> dict[str, Any]:
    """The lexicon's own fingerprint plus a hash of the user's actors file, for _framing_runs."""
    fp = dict(lexicon.fingerprint())
    if lexicon.actors_file:
        try:
            fp["actors_sha256"] = hashlib.sha256(Path(lexicon.actors_file).read_bytes()).hexdigest()[:16]
        except OSError:
            pass
    return fp


def analysis_fingerprint(lexicon: Lexicon) -> str:
    """Hash of what decides an analysis besides its input: version, code and word lists."""
    h = hashlib.sha256(__version__.encode())
    h.update(json.dumps(lexicon_fingerprint(lexicon), sort_keys=True).encode())
    package = Path(__file__).resolve().parent.parent
    folders = [package / "pipeline", package / "data"]
    if lexicon.data_dir:
        folders.append(Path(lexicon.data_dir))
    for folder in folders:
        for f in sorted(folder.glob("*")):
            if f.is_file() and f.suffix != ".pyc" and f.name != "run.py" and f.name != "write.py":
                h.update(f.name.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:24]


def input_hash(source: Source, fingerprint: str) -> str:
    """Hash of one raw input (not its path: the same article in two files is one article)."""
    payload = json.dumps(
        [source.text, sorted(source.metadata.items()), source.format, fingerprint], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def source_key(source: Source) -> str:
    """The ``articles.source`` value the analysis will give this input."""
    return source.path if source.record is None else f"{source.path}#{source.record}"


def _skip_stored(items: Iterable[Source | LoadError], conn: Any, fingerprint: str, force: bool) -> Iterator[Any]:
    """Pass inputs through, replacing those already stored with the same input hash by ``Unchanged``."""
    for item in items:
        if not force and isinstance(item, Source):
            if write.stored_input_hash(conn, source_key(item)) == input_hash(item, fingerprint):
                yield Unchanged(item.path, item.record)
                continue
        yield item


class _StopFlag:
    """First Ctrl-C asks the load to stop after the current article; the second stops at once."""

    def __init__(self, on_message: Callable[[str], None] | None) -> None:
        self.event = threading.Event()
        self.on_message = on_message
        self.previous: Any = None

    def __enter__(self) -> "_StopFlag":
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        if self.on_message:
            self.on_message("Stopping after the current article (Ctrl-C again to stop at once)...")

    def __exit__(self, *exc: Any) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


@collector_thresholds()
def run(
    paths: Iterable[str],
    db_path: str,
    *,
    outlet: str | None = None,
    actors_file: str | None = None,
    field_map: dict[str, str] | None = None,
    max_file_mb: float | None = None,
    from_analyses: bool = False,
    force: bool = False,
    workers: int = 1,
    dask: str | None = None,
    lexicon: Lexicon | None = None,
    progress: Callable[[RunSummary], None] | None = None,
    on_error: Callable[[LoadError], None] | None = None,
    on_message: Callable[[str], None] | None = None,
    batch_articles: int = write.BATCH_ARTICLES,
    batch_seconds: float = write.BATCH_SECONDS,
) -> RunSummary:
    """Load ``paths`` (files or folders) into the SQLite database at ``db_path``.

    ``from_analyses`` reads ``analyze --jsonl`` output instead of articles.
    ``force`` rewrites articles even when their content hash is already stored
    (after changing the actors file or upgrading the analysis).
    Returns a :class:`RunSummary`; never raises for bad input.
    """
    paths = [str(p) for p in paths]
    lexicon = lexicon or Lexicon(actors_file=actors_file)
    started = time.monotonic()
    conn = write.connect(db_path)
    try:
        t = time.perf_counter()
        write.ensure_schema(conn)
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM articles)").fetchone()[0]
        bulk = bool(empty) or not write.fts_triggers_present(conn)
        if bulk:
            # Fill without per-row FTS work; rebuild the indexes once at the end.
            write.drop_fts_triggers(conn)
        # A fresh database also gets its secondary indexes once, at the end (write.py).
        defer_indexes = bool(empty) and not force
        if defer_indexes:
            write.drop_deferred_indexes(conn)
        options = {
            "outlet": outlet, "field_map": field_map or {}, "max_file_mb": max_file_mb,
            "from_analyses": from_analyses, "force": force, "workers": workers, "dask": dask,
            "lexicon": lexicon_fingerprint(lexicon),
        }
        run_id = write.start_run(conn, version=__version__, options=options, paths=paths)
        stale_summaries = write.previous_run_unfinished(conn, run_id)
        # With workers on every core the writer has time to spare during the load and the
        # finishing steps run alone: index FTS rows as batches commit (see write.Writer).
        parallel = not from_analyses and (bool(dask) or workers > 1)
        # Their cores are idle again once the analyses are in: let the finishing steps sort on
        # them (a one-process load stays on one core, so its time still compares with the floor).
        writer = write.Writer(
            conn, run_id, force=force, batch_articles=batch_articles, batch_seconds=batch_seconds,
            indexes_deferred=defer_indexes, started=started, fts_as_you_go=parallel and bool(empty),
            sort_threads=max(1, workers) if parallel else 0,
        )
        writer.phases["schema"] = time.perf_counter() - t
        summary = RunSummary(run_id=run_id, db_path=str(db_path))

        def fail(path: str, record: str | None, reason: str) -> None:
            error = LoadError(path, reason, record)
            writer.error(path, record, reason)
            summary.errors.append(error)
            if on_error:
                on_error(error)

        fingerprint = analysis_fingerprint(lexicon)
        if from_analyses:
            results: Iterator[Result] = read_analyses(paths)
        else:
            sources = _skip_stored(
                read_sources(paths, outlet=outlet, field_map=field_map, max_file_mb=max_file_mb),
                conn, fingerprint, force,
            )
            if dask:
                results = _dask(sources, lexicon, dask, workers, fingerprint)
            elif workers > 1:
                results = _pool(sources, lexicon, workers, fingerprint)
            else:
                results = _serial(sources, lexicon, fingerprint)

        last_path = None
        with _StopFlag(on_message) as stop:
            try:
                for path, record, result in _timed_iter(results, writer.phases, "analysis"):
                    if path != last_path:
                        summary.files += 1
                        last_path = path
                    if isinstance(result, Analysis) and not result.text.strip():
                        result = LoadError(path, NO_TEXT, record)
                    if isinstance(result, Unchanged):
                        writer.unchanged()
                    elif isinstance(result, LoadError):
                        fail(result.path or path, result.record or record, result.reason)
                    else:
                        try:
                            writer.add(result)
                        except (write.WriteError, sqlite3.DatabaseError) as e:
                            fail(path, record, f"could not be written: {type(e).__name__}: {e}")
                    if progress:
                        _fill(summary, writer.total, started)
                        progress(summary)
                    if stop.event.is_set():
                        summary.interrupted = True
                        break
            except KeyboardInterrupt:
                summary.interrupted = True
            except LexiconError:
                writer.finish("failed", rebuild_fts=bulk, full_summaries=stale_summaries)
                raise
            finally:
                close = getattr(results, "close", None)
                if close:
                    close()
            writer.finish(
                "interrupted" if summary.interrupted else "finished",
                rebuild_fts=bulk, full_summaries=stale_summaries,
            )
        _fill(summary, writer.committed, started)
        summary.phases = {k: round(v, 3) for k, v in writer.phases.items()}
        summary.actors = conn.execute("SELECT count(*) FROM actors").fetchone()[0]
        return summary
    finally:
        conn.close()


def _timed_iter(items: Iterator[Result], phases: dict[str, float], phase: str) -> Iterator[Result]:
    """Pass ``items`` through, adding the time spent waiting for each one to ``phases[phase]``."""
    while True:
        t = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - t
        yield item


def _fill(summary: RunSummary, counts: write.Counts, started: float) -> None:
    summary.set_counts(counts)
    summary.seconds = round(time.monotonic() - started, 2)


def count_inputs(paths: Iterable[str], from_analyses: bool = False) -> int | None:
    """How many input files ``paths`` name (for a progress bar), or None if unknown."""
    try:
        if from_analyses:
            return sum(
                sum(1 for f in Path(p).rglob("*") if f.is_file()) if Path(p).is_dir() else 1 for p in paths
            )
        walk = getattr(ingest, "_files")
        return sum(1 for p in paths for _ in walk(Path(p)))
    except (AttributeError, OSError):
        return None
