"""Shared fixtures: spaCy is loaded once per session, the seeds are built once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_IRGC = SEEDS / "000_cec75e075edad840.txt"
SEED_DEFENCE = SEEDS / "003_7e09eed4d988b256.txt"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline(True)


@pytest.fixture(scope="session")
def seed_extractions(nlp):
    from kg.extract import extract
    from kg.ingest import read_document

    docs = [read_document(SEED_IRGC), read_document(SEED_DEFENCE)]
    return list(extract(docs, nlp))


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, nlp):
    """A store built from seeds/ with the library call the CLI uses."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("seedstore") / "store")
    report = build([SEEDS], store)
    store.report = report
    yield store
    store.close()


def rows(store, sparql, **bindings):
    """Rows of a SELECT as tuples of plain strings (None for unbound)."""
    return [tuple(None if v is None else str(v) for v in r) for r in store.query(sparql, bindings)]


DEV_ARTICLES = ROOT / "tests" / "data" / "articles"
DEV_GOLD = ROOT / "tests" / "data" / "gold"
SEED_GOLD = ROOT / "tests" / "gold" / "seeds"


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory, nlp):
    """A store built from the 15 development articles (tests/data/articles)."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("devstore") / "store")
    build([DEV_ARTICLES], store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def seeds_dev_nquads(tmp_path_factory, nlp) -> bytes:
    """The N-Quads dump of a local, single-process build of seeds/ plus the development articles:
    the reference every other engine must reproduce exactly."""
    from kg.build import build
    from kg.store import KGStore

    store = KGStore(tmp_path_factory.mktemp("seedsdev") / "store")
    build([SEEDS, DEV_ARTICLES], store)
    dump = store.dump_nquads()
    store.close()
    return dump
