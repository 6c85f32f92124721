"""Writing a build's document graphs into the store: bulk loads on loading threads."""
from __future__ import annotations

import ctypes
import ctypes.util
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from rdflib import URIRef

from kg.store import KGStore

WRITE_EVERY = 16  # documents per bulk load (`KGStore.add_new_graphs_nquads`) and loading thread
# documents written between two reopenings of the store (`KGStore.reopen`): RocksDB keeps memory
# for every bulk load it took in until the store is closed
REOPEN_EVERY = 1000


class GraphWriter:
    """A build's new documents' graphs, bulk-loaded ``WRITE_EVERY`` documents a load per
    thread (a transaction per document would be most of the writing's cost); a graph the store
    already holds is replaced in its own transaction.

    Oxigraph parses N-Quads bytes and builds its index files without holding the GIL, so the
    loads run on ``threads`` loading threads (at least one) while the calling thread makes the
    next documents' N-Quads. A build with worker processes uses two, loading twice as many
    documents each, since its one writer is what stays serial after extraction; a
    single-process build uses one. Every ``reopen_every`` documents the store is closed and
    opened again (`KGStore.reopen`), which frees what RocksDB keeps of the loads.
    """

    def __init__(self, store: KGStore, threads: int = 1, count: bool = False,
                 reopen_every: int = REOPEN_EVERY) -> None:
        self.store = store
        # with ``count``: the quads of the graphs written, while every graph is new to the
        # store (None once one was not); each document's N-Quads may repeat a quad, which the
        # store holds once, so its distinct lines are counted
        self.quads: int | None = 0 if count else None
        self.nquads: list[bytes] = []
        self.threads = max(1, threads)
        # fewer, larger loads cost less CPU; one loading thread keeps the loads small, and with
        # them the memory each holds
        self.every = WRITE_EVERY * self.threads
        self.reopen_every = reopen_every
        self.since_reopen = 0
        self.pool: ThreadPoolExecutor | None = None  # the loading threads, from the first load on
        self._loading: deque[Future] = deque()
        store.drop_inferred()  # here, once: the loads below may run in other threads

    def add_nquads(self, iri: URIRef, data: bytes) -> None:
        """Write document graph ``iri``, given as N-Quads (`kg.store.nquads`)."""
        if self.store.contains_graph(iri):
            self.write()
            self.wait()
            self.store.replace_graph_nquads(iri, data)
            self.quads = None
            return
        if self.quads is not None:
            self.quads += len(set(data.splitlines()))
        self.nquads.append(data)
        if len(self.nquads) >= self.every:
            self.write()
        self.since_reopen += 1
        if self.since_reopen >= self.reopen_every:
            self.write()
            self.wait()
            self.store.reopen()
            release_free_memory()
            self.since_reopen = 0

    def write(self) -> None:
        """Start loading the documents added since the last load, on a loading thread."""
        if not self.nquads:
            return
        data = b"".join(self.nquads)
        self.nquads = []
        # made by `kg.store.nquads`, whose IRIs Oxigraph has checked: the loader need not again
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="kg-load")
        while len(self._loading) >= self.threads:  # bounded: at most ``threads`` loads in memory
            self._loading.popleft().result()
        self._loading.append(self.pool.submit(self.store.add_new_graphs_nquads, data, lenient=True))

    def wait(self) -> None:
        """Wait for the loads under way; the first one that failed raises."""
        while self._loading:
            self._loading.popleft().result()

    def __enter__(self) -> GraphWriter:
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        try:
            if kind is None:  # a failed build's copy is thrown away: nothing more to write
                self.write()
                self.wait()
        finally:
            if self.pool is not None:
                # no load may still run when the store closes, after a failure too
                self.pool.shutdown(wait=True, cancel_futures=True)


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing): malloc keeps what the loads and the writing freed, and the steps after them
    would otherwise stack their own memory on top of it."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (macOS, musl)
