"""Shared fixtures: spaCy is loaded once per session, the seeds are built once per session."""
from __future__ import annotations

import socket
import threading
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


@pytest.fixture
def listening_socket():
    """A real TCP server on 127.0.0.1 that records every connection it accepts."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            connections.append(conn)
            try:
                conn.sendall(b"HTTP/1.1 500 no\r\nContent-Length: 0\r\n\r\n")
            finally:
                conn.close()

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    yield srv.getsockname()[1], connections
    stop.set()
    th.join(2)
    srv.close()


def copy_store(store, path):
    """A closed copy of an open store at ``path`` (by dump and load): child processes and
    servers can open it, which they cannot do with a store this process holds open."""
    from kg.dump import FORMATS, dump_bytes
    from kg.store import KGStore

    import pyoxigraph as ox

    with KGStore(path) as copy:
        copy.ox.extend(list(ox.parse(dump_bytes(store), FORMATS["nquads"])))
    return path


@pytest.fixture(scope="session")
def seed_store_path(seed_store, tmp_path_factory):
    """A closed store folder holding what seed_store holds (for child processes and servers)."""
    return copy_store(seed_store, tmp_path_factory.mktemp("seedcopy") / "store")


def wait_for_http(url, proc, seconds=20.0):
    """Wait until ``url`` answers (any HTTP status) or ``proc`` ends; fail the test otherwise."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no answer from {url}")


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real, writable `oxigraph serve` on a free 127.0.0.1 port, union default graph (like a
    team's shared store); yields its base URL and is always stopped."""
    import subprocess

    from kg.serve import free_port, oxigraph_binary

    port = free_port("127.0.0.1")
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
