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


# --------------------------------------------------------------------------- unprivileged runs
# Root ignores permission bits, and the tests run as root. A test of an unreadable path runs the
# code in a child process without the two capabilities that let root past them (CAP_DAC_OVERRIDE,
# CAP_DAC_READ_SEARCH, dropped by util-linux's setpriv): the child is still uid 0, so it can run
# the interpreter under /root, but a file of mode 000 is as unreadable to it as to anyone.


@pytest.fixture
def run_unprivileged():
    """Run ``python -c CODE ARGS...`` where permission bits hold; returns the CompletedProcess."""
    import os
    import shutil
    import subprocess
    import sys

    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and util-linux setpriv is missing: cannot make a path unreadable")
        prefix = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"]

    def run(code: str, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        # The timeout only guards against a hang; nothing here is timed.
        return subprocess.run([*prefix, sys.executable, "-c", code, *args], capture_output=True, text=True,
                              timeout=600, env=env)

    return run
