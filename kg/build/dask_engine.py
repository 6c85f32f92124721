"""Extraction on a Dask distributed cluster (`kg build --engine dask --scheduler ADDRESS`).

Two rounds. The client (the `kg build` process) reads the files, sends bounded chunks of
documents to the cluster, and gets back each document's `Extraction` (plain picklable data), in
input order; it resolves them (resolution is corpus-level: a surname here, the full name in
another document) and links events. Then it sends the resolution to every worker once and
chunks of extractions, and gets back each document's graph as N-Quads, which it parses into
its store, the one writer. The graph is the same whichever engine built it. Each worker process
loads the spaCy pipeline once (cached per process by `kg.nlp.load_pipeline`) and must have
newskg installed.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import KGError
from kg.model import Document, Extraction
from kg.build.parallel import chunks, extract_chunk, in_order, packed_chunks, write_chunk_with, writer_context


class ClusterError(KGError):
    """The Dask scheduler could not be reached or a worker failed."""


def connect(scheduler: str | Any, timeout: float | None = None) -> Any:
    """A `distributed.Client` for ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``).

    Without ``timeout``, Dask's own setting ``distributed.comm.timeouts.connect`` applies (30 s
    unless configured, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``).
    """
    try:
        from distributed import Client
    except ImportError as err:  # an optional extra
        raise ClusterError("the Dask engine needs `pip install 'newskg[dask]'`") from err
    try:
        return Client(scheduler, set_as_default=False, **({} if timeout is None else {"timeout": timeout}))
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler ({err})", str(scheduler)) from err


def extract_documents(docs: Iterable[Document], scheduler: str | Any, *, use_gazetteer: bool = True,
                      batch_size: int = 16, in_flight: int | None = None) -> Iterator[Extraction]:
    """Extractions of ``docs`` in order, computed on the cluster at ``scheduler``."""
    client = connect(scheduler)
    try:
        if in_flight is None:
            workers = len(client.scheduler_info().get("workers", {})) or 1
            in_flight = 2 * workers  # every worker busy, one chunk queued behind each
        # pure=False: two chunks with equal text are still two tasks, never a cached result
        yield from in_order(lambda chunk: client.submit(extract_chunk, chunk, use_gazetteer, batch_size, pure=False),
                            chunks(docs, batch_size), in_flight, lambda f: _result(f, scheduler))
    finally:
        client.close()


def write_documents(packed: Any, res: Any, event_keys: Any, described: Any, scheduler: str | Any, *,
                    keep_rows: bool, batch_size: int = 16) -> Iterator[tuple[str, bytes, set, dict]]:
    """Each document's graph as N-Quads (`kg.build.parallel.document_quads`), made on the cluster,
    in order: the resolution is sent to every worker once (scattered), then chunks of pickled
    extractions; the client parses the N-Quads into its store."""
    client = connect(scheduler)
    try:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        context = client.scatter(writer_context(res, event_keys, described, keep_rows), broadcast=True)
        yield from in_order(lambda chunk: client.submit(write_chunk_with, context, chunk, pure=False),
                            packed_chunks(packed, batch_size), 2 * workers, lambda f: _result(f, scheduler))
    finally:
        client.close()


def _result(future: Any, scheduler: Any) -> list[Any]:
    try:
        return future.result()
    except KGError:
        raise
    except Exception as err:  # a worker died or the chunk failed there: name the cluster
        raise ClusterError(f"a Dask task failed: {type(err).__name__}: {err}", str(scheduler)) from err
