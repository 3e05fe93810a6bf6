"""Shared fixtures: the seeds loaded by the real pipeline, and a Datasette serving them as shipped.

``seeded_db_path`` runs the loader on ``seeds/`` once per session into a file
named ``framing.db`` (the name ``metadata.yml`` configures).  Tests that
change data must work on a copy (``seeded_db_copy``), never on this file.
"""

from __future__ import annotations

import copy
import importlib
import shutil
from pathlib import Path

import pytest
import pytest_asyncio
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
METADATA = ROOT / "metadata.yml"


def _load_seeds(db_path: Path) -> None:
    """Load ``seeds/`` into ``db_path`` with the real pipeline, default extractor."""
    try:
        run = importlib.import_module("datasette_framing.pipeline.run")
    except ModuleNotFoundError as e:
        if e.name != "datasette_framing.pipeline.run":
            raise
        run = None
    if run is not None:
        run.run([str(SEEDS)], str(db_path))
        return
    # The runner is not there yet: compose ingest -> analyse -> write by hand.
    from datasette_framing.pipeline import ingest, write
    from datasette_framing.pipeline.analyze import analyze_source
    from datasette_framing.pipeline.records import LoadError

    analyses = []
    for item in ingest.read_paths([SEEDS]):
        if not isinstance(item, LoadError):
            analyses.append(analyze_source(item))
    write.write(str(db_path), analyses)


@pytest.fixture(scope="session")
def seeded_db_path(tmp_path_factory) -> Path:
    """A framing database built from ``seeds/`` by the real pipeline (read-only: do not modify)."""
    path = tmp_path_factory.mktemp("seeded") / "framing.db"
    _load_seeds(path)
    return path


@pytest.fixture
def seeded_db_copy(seeded_db_path, tmp_path) -> Path:
    """A private copy of the seeded database for tests that change data."""
    path = tmp_path / "framing.db"
    shutil.copy(seeded_db_path, path)
    return path


@pytest.fixture(scope="session")
def metadata() -> dict:
    """``metadata.yml`` as shipped (canned queries, descriptions, plugin config)."""
    return yaml.safe_load(METADATA.read_text(encoding="utf-8")) if METADATA.exists() else {}


@pytest.fixture
def ds(seeded_db_path, metadata):
    """Datasette serving the seeded database with the shipped ``metadata.yml``."""
    from datasette.app import Datasette

    # A copy: Datasette writes into the metadata it is given (e.g. a "name" in each query).
    return Datasette([str(seeded_db_path)], metadata=copy.deepcopy(metadata))


@pytest_asyncio.fixture
async def db(seeded_db_path):
    """The seeded database as the page queries see it (Datasette started, no metadata)."""
    from datasette.app import Datasette

    ds = Datasette([str(seeded_db_path)])
    await ds.invoke_startup()
    return ds.get_database("framing")
