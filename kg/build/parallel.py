"""Where the per-document work runs: in this process, in a pool of local worker processes
(``--jobs N``), or on a Dask cluster (`kg.build.dask_engine`). It comes in two rounds.

First round, the spaCy parse and the rule extraction: every engine takes documents already read
by `kg.ingest` (so unreadable files are reported by the reading process, in order, and remote
workers need no access to the files) and yields one `Extraction` per document, in input order.
Workers load the pipeline once each (`kg.nlp.load_pipeline` is cached per process) and receive
bounded chunks of documents, with at most a few chunks in flight per worker. Resolution and
event linking then run in the calling process: they are corpus-level (a surname in one
document, its full name in another).

Second round, each document's graph: the workers get the resolution once each and chunks of
extractions, and return each document's graph as N-Quads (`document_quads`), which the calling
process, the store's one writer, parses into the store. A build's local workers (`LocalPool`)
start before the corpus is read and serve both rounds.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import pickle
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from kg.build.derived import entity_proposal, proposal_literal
from kg.build.facts import FactSupport
from kg.extract import extract
from kg.model import Document, Extraction
from kg.namespaces import KG
from kg.rdf import doc_iri, document_triples
from kg.store import nquads

_LOCK = threading.Lock()  # one pipeline call at a time per process (Dask workers may run threads)


def chunks(items: Iterable[Document], size: int, total: int | None = None, workers: int = 1) -> Iterator[list[Document]]:
    """Consecutive lists of at most ``size`` items.

    Given the number of items (``total``) and of ``workers`` that share the chunks, the last
    chunks get smaller, down to one item, so the workers finish together: with chunks of one
    size, one worker would run the last chunk alone while the others wait.
    """
    size = max(1, size)
    chunk: list[Document] = []
    want, left = size, total
    for it in items:
        if not chunk and left is not None:
            want = min(size, max(1, -(-left // (2 * workers))))  # ceil: two chunks per worker left
        chunk.append(it)
        if len(chunk) >= want:
            if left is not None:
                left -= len(chunk)
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def in_order(submit: Callable[[Any], Any], items: Iterable[Any], window: int,
             result: Callable[[Any], list]) -> Iterator[Any]:
    """``submit`` each item (a chunk), at most ``window`` in flight, and yield every element of
    each ``result`` in submission order: the bounded pipeline every engine and round uses."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def packed_chunks(packed: Any, size: int, workers: int = 1) -> Iterator[list[tuple[int, bytes]]]:
    """Chunks of (index, pickled extraction) of `kg.build.spill.PackedExtractions`, for the second round."""
    return chunks(((xi, packed.raw(xi)) for xi in range(len(packed))), size, len(packed), workers)


def extract_chunk(docs: Sequence[Document], use_gazetteer: bool = True, batch_size: int = 16) -> list[Extraction]:
    """Parse and extract one chunk of documents in this process (the unit a worker runs)."""
    from kg.nlp import load_pipeline  # spaCy: imported by the processes that parse, when they do

    with _LOCK:
        nlp = load_pipeline(use_gazetteer)
        return list(extract(list(docs), nlp, use_gazetteer=use_gazetteer, batch_size=batch_size))


def _warm(use_gazetteer: bool) -> None:
    """Pool initializer: load the pipeline once when the worker starts."""
    from kg.nlp import load_pipeline  # spaCy: imported by the processes that parse, when they do

    load_pipeline(use_gazetteer)


class LocalPool:
    """``jobs`` local worker processes that serve both rounds of a build. Each loads the
    pipeline as it starts, so a pool started before the corpus is read has its workers ready
    when the first chunk comes; the second round reuses them instead of starting new ones."""

    def __init__(self, jobs: int, use_gazetteer: bool | None = True) -> None:
        """``use_gazetteer`` None: workers that only make graphs, and load no pipeline."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        # spawn, not fork: the parent holds an open Oxigraph store (RocksDB threads and locks)
        # that a forked child must not inherit
        warm = {} if use_gazetteer is None else {"initializer": _warm, "initargs": (use_gazetteer,)}
        self.pool = mp.get_context("spawn").Pool(jobs, **warm)

    def close(self) -> None:
        """Stop the workers."""
        self.pool.terminate()
        self.pool.join()

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def extract_documents(docs: Iterable[Document], *, use_gazetteer: bool = True, batch_size: int = 16,
                      jobs: int = 1, pool: LocalPool | None = None) -> Iterator[Extraction]:
    """Extractions of ``docs`` in order, using ``jobs`` local processes (1: this process), or
    the workers of ``pool`` (started with the same ``use_gazetteer``)."""
    if pool is None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if pool is None and jobs == 1:
        from kg.nlp import load_pipeline  # spaCy: imported by the processes that parse, when they do

        yield from extract(list(docs), load_pipeline(use_gazetteer), use_gazetteer=use_gazetteer,
                           batch_size=batch_size)
        return
    with _pool(pool, jobs, use_gazetteer) as workers:
        # chunks in flight: every worker busy, one chunk queued behind each
        yield from in_order(lambda chunk: workers.pool.apply_async(extract_chunk, (chunk, use_gazetteer, batch_size)),
                            chunks(docs, batch_size, len(docs) if isinstance(docs, Sequence) else None,
                                   workers.jobs), 2 * workers.jobs,
                            lambda r: r.get())


@contextmanager
def _pool(pool: LocalPool | None, jobs: int, use_gazetteer: bool | None) -> Iterator[LocalPool]:
    """``pool`` as it is (its owner closes it), or a new one for this call only."""
    if pool is not None:
        yield pool
        return
    with LocalPool(jobs, use_gazetteer) as own:
        yield own


# -- writing: one document's graph, made in a worker ---------------------------------------------
_CONTEXT: dict[str, Any] = {}  # in a writer worker: the build's resolution, event keys, entity index


def document_quads(xi: int, x: Extraction, res: Any, event_keys: Mapping, described: Mapping,
                   keep_rows: bool) -> tuple[str, bytes, set, dict]:
    """One document's named graph as N-Quads, with what the facts graph needs of it.

    Returns (graph IRI, N-Quads, the (s, p, o) it asserts, the support rows of
    `kg.build.facts.FactSupport`). Every engine makes a document's graph here, in process when
    jobs is 1 (`kg.build.engines.documents_as_nquads`).
    """
    iri, triples = doc_iri(x), document_triples(xi, x, res, event_keys)
    proposal = entity_proposal(triples, described)
    support = FactSupport(keep_rows)
    spos = support.add(triples)
    triples.append((iri, KG.entityProposal, proposal_literal(proposal)))
    # a repeated quad is stored once anyway
    return str(iri), nquads(triples, iri), spos, support.rows


def _init_writer(context: bytes) -> None:
    _CONTEXT.clear()
    _CONTEXT.update(pickle.loads(context))
    _CONTEXT["key"] = hashlib.sha1(context).digest()


def write_chunk_with(context: bytes, items: list[tuple[int, bytes]]) -> list[tuple[str, bytes, set, dict]]:
    """`_write_chunk` with the build's context passed along (a Dask worker gets it once,
    scattered, and unpickles it once per build)."""
    if _CONTEXT.get("key") != hashlib.sha1(context).digest():
        _init_writer(context)
    return _write_chunk(items)


def write_chunk_from(path: str, key: bytes, items: list[tuple[int, bytes]]) -> list[tuple[str, bytes, set, dict]]:
    """`_write_chunk` with the build's context read from file ``path`` when this worker does
    not hold the context whose SHA-1 is ``key`` yet (a `LocalPool` worker started before it)."""
    if _CONTEXT.get("key") != key:
        with open(path, "rb") as f:
            _init_writer(f.read())
    return _write_chunk(items)


def writer_context(res: Any, event_keys: Mapping, described: Mapping, keep_rows: bool) -> bytes:
    """What a worker needs to make any document's graph: resolution, event keys, entity index."""
    return pickle.dumps({"res": res, "event_keys": event_keys, "described": described, "keep_rows": keep_rows},
                        protocol=pickle.HIGHEST_PROTOCOL)


def _write_chunk(items: list[tuple[int, bytes]]) -> list[tuple[str, bytes, set, dict]]:
    c = _CONTEXT
    return [document_quads(xi, pickle.loads(data), c["res"], c["event_keys"], c["described"], c["keep_rows"])
            for xi, data in items]


def write_documents(packed: Any, res: Any, event_keys: Mapping, described: Mapping, *, keep_rows: bool,
                    jobs: int, batch_size: int = 16,
                    pool: LocalPool | None = None) -> Iterator[tuple[str, bytes, set, dict]]:
    """`document_quads` of every document of ``packed`` (`kg.build.spill.PackedExtractions`), in
    order, made by ``jobs`` new worker processes or by those of ``pool``; the caller writes
    them (the store has one writer).

    Each worker reads the resolution once, from a temporary file, then gets chunks of pickled
    extractions, at most two chunks in flight per worker.
    """
    context = writer_context(res, event_keys, described, keep_rows)
    key = hashlib.sha1(context).digest()
    # each worker reads the context from a file, once: a pool's workers are already running
    with _pool(pool, jobs, None) as workers, \
            tempfile.NamedTemporaryFile(prefix="kg-context-", suffix=".pickle") as f:
        f.write(context)
        f.flush()
        del context
        yield from in_order(lambda chunk: workers.pool.apply_async(write_chunk_from, (f.name, key, chunk)),
                            packed_chunks(packed, batch_size, workers.jobs), 2 * workers.jobs, lambda r: r.get())
