"""kg.build.dask_engine: extraction on a real Dask cluster (LocalCluster, two worker processes) gives
exactly the graph of a local build."""
from __future__ import annotations

import time

import pytest

from conftest import DEV_ARTICLES, SEEDS, knowledge_nquads

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")
pytestmark = pytest.mark.slow  # a two-process cluster, and builds on it


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def test_dask_build_gives_the_local_graph(tmp_path, cluster, seeds_dev_nquads):
    from kg.build import build
    from kg.store import KGStore

    with KGStore(tmp_path / "store") as store:
        report = build([SEEDS, DEV_ARTICLES], store, engine="dask", scheduler=cluster.scheduler_address,
                       batch_size=3)
        dump = knowledge_nquads(store)
    assert report.documents == 17 and not report.skipped
    assert dump == seeds_dev_nquads


def test_each_worker_loads_the_pipeline_once(cluster):
    from distributed import Client

    from kg.ingest import read_documents
    from kg.build.dask_engine import extract_documents

    docs = list(read_documents([SEEDS]))
    assert [x.doc.source for x in extract_documents(docs, cluster.scheduler_address, batch_size=1)] == \
        [d.source for d in docs]
    with Client(cluster.scheduler_address) as client:
        loads = client.run(lambda: __import__("kg.nlp").nlp.load_pipeline.cache_info().misses)
    assert len(loads) == 2 and all(n <= 1 for n in loads.values())


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    from kg.build import build
    from kg.build.dask_engine import ClusterError
    from kg.store import KGStore

    # Dask's own connect timeout, shortened: the build waits for it before giving up
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), KGStore(tmp_path / "store") as store:
        started = time.monotonic()
        with pytest.raises(ClusterError, match="127.0.0.1:9"):
            build([SEEDS], store, engine="dask", scheduler="tcp://127.0.0.1:9")
        assert time.monotonic() - started < 20
        assert store.named_graphs() == []  # nothing written


def test_dask_engine_needs_a_scheduler(tmp_path):
    from kg.build import build
    from kg.errors import InputError
    from kg.store import KGStore

    with KGStore(tmp_path / "store") as store:
        with pytest.raises(InputError, match="scheduler"):
            build([SEEDS], store, engine="dask")
