"""Where a build's per-document work runs, behind one interface: in this process, in local
worker processes (`kg.build.parallel`) or on a Dask cluster (`kg.build.dask_engine`).

First round: read the files, extract each document, resolve and link events over the corpus
(`extract_and_resolve`). Second round: each document's graph as N-Quads (`documents_as_nquads`).
Whichever engine runs them, the graph is the same.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.build import dask_engine
from kg.build.derived import entity_index
from kg.build.parallel import LocalPool, document_quads, extract_documents, write_documents
from kg.build.spill import PackedExtractions
from kg.errors import InputError
from kg.ingest import read_documents
from kg.limits import IngestLimits
from kg.ontology.gazetteer import load_gazetteer
from kg.progress import track
from kg.rdf import entity_triples
from kg.resolve import Resolver, link_events


def read_all(paths: Iterable[str | Path], skipped: list[str], on_error: Callable[[InputError], None] | None, *,
             strict: bool, limits: IngestLimits | None, progress: bool) -> list:
    """Every readable document under ``paths``; the others are added to ``skipped`` (and
    reported through ``on_error``), or raised with ``strict``."""

    def skip(err: InputError) -> None:
        skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    return list(track(read_documents(paths, strict=strict, on_error=skip, limits=limits), "reading",
                      enabled=progress))


def extract_and_resolve(docs: list, *, use_gazetteer: bool, batch_size: int, jobs: int, engine: str,
                        scheduler: str | Any | None, progress: bool, pool: LocalPool | None = None,
                        fuzzy_merge: bool = True) -> tuple:
    """The first round of a build and the corpus-level steps after it: (packed extractions,
    resolution, event keys, entity triples, entity index). ``fuzzy_merge``: names spelt
    otherwise in another document join (`kg.resolve.fuzzy`)."""
    # Each extraction is resolved as it arrives (resolution's per-document pass) and kept
    # pickled in a temporary file: what the corpus-level steps below need of it is read back one
    # document at a time, so the build's memory does not grow with the extractions
    extractions = PackedExtractions()
    resolver = Resolver(load_gazetteer(enabled=use_gazetteer), fuzzy_merge=fuzzy_merge)
    for xi, x in enumerate(track(extractions_of(docs, use_gazetteer=use_gazetteer, batch_size=batch_size,
                                                jobs=jobs, engine=engine, scheduler=scheduler, pool=pool),
                                 "extracting", len(docs), enabled=progress)):
        resolver.document(xi, x)
        extractions.append(x)
    res = resolver.finish(extractions)
    # One node per real event: events of different documents that report the same one share it.
    event_keys = link_events(extractions, res)
    entities = list(entity_triples(res.entities))
    return extractions, res, event_keys, entities, entity_index(entities)


def extractions_of(docs: list, *, use_gazetteer: bool, batch_size: int, jobs: int, engine: str,
                   scheduler: str | Any | None, pool: LocalPool | None = None) -> Iterator:
    """The extractions of ``docs``, in order, made by ``engine`` ("local": ``jobs`` processes or
    the workers of ``pool``; "dask": the cluster at ``scheduler``)."""
    if engine == "dask":
        if scheduler is None:
            raise InputError("the Dask engine needs a scheduler address (--scheduler tcp://HOST:8786)")
        return dask_engine.extract_documents(docs, scheduler, use_gazetteer=use_gazetteer, batch_size=batch_size)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: expected 'local' or 'dask'")
    return extract_documents(docs, use_gazetteer=use_gazetteer, batch_size=batch_size, jobs=jobs, pool=pool)


def documents_as_nquads(extractions: PackedExtractions, res: Any, event_keys: Any, described: Any, *,
                        keep_rows: bool, jobs: int, engine: str, scheduler: str | Any | None,
                        batch_size: int, pool: LocalPool | None = None) -> Iterator[tuple[str, bytes, set, dict]]:
    """The second round: each document's graph as N-Quads (`kg.build.parallel.document_quads`), in
    order, made on the Dask cluster, in ``jobs`` local processes, or here when ``jobs`` is 1."""
    if engine == "dask":
        return dask_engine.write_documents(extractions, res, event_keys, described, scheduler, keep_rows=keep_rows,
                                           batch_size=batch_size)
    if jobs > 1:
        return write_documents(extractions, res, event_keys, described, keep_rows=keep_rows, jobs=jobs,
                               batch_size=batch_size, pool=pool)
    return (document_quads(xi, extractions[xi], res, event_keys, described, keep_rows)
            for xi in range(len(extractions)))
