"""The analysis on a local Dask cluster, and on a process pool, gives the same database as a plain load."""

from __future__ import annotations

import pytest

from datasette_framing.pipeline import write
from datasette_framing.pipeline.run import run

from test_analyses_roundtrip import inputs, snapshot


@pytest.mark.slow  # a local cluster takes 20 s or more to start, run and stop on 2 cores
def test_local_dask_cluster_gives_the_same_database(tmp_path):
    folder = inputs(tmp_path)
    plain = tmp_path / "plain.db"
    base = run([str(folder)], str(plain))
    on_dask = tmp_path / "dask.db"
    summary = run([str(folder)], str(on_dask), dask="local", workers=2)
    assert (summary.loaded, summary.failed) == (base.loaded, base.failed) == (6, 1)
    assert snapshot(on_dask) == snapshot(plain)
    conn = write.connect(on_dask)
    assert write.check_database(conn)[0] == []
    conn.close()

def test_process_pool_gives_the_same_database(tmp_path):
    folder = inputs(tmp_path)
    plain = tmp_path / "plain.db"
    run([str(folder)], str(plain))
    pooled = tmp_path / "pool.db"
    summary = run([str(folder)], str(pooled), workers=2)
    assert summary.loaded == 6 and summary.failed == 1
    assert snapshot(pooled) == snapshot(plain)
