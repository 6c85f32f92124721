"""Building the knowledge graph: article files -> extraction -> resolution -> RDF in the store.

`kg.build.run` (the driver, `build`), `kg.build.incremental` (what is new, changed or gone),
`kg.build.engines` (where the per-document work runs: this process, `kg.build.parallel`,
`kg.build.dask_engine`), `kg.build.spill` (extractions on disk), `kg.build.writer` (bulk loads),
`kg.build.derived` and `kg.build.facts` (the entity and facts graphs), `kg.build.log` (the
PROV-O build log), `kg.build.removal` (`kg remove`), `kg.build.shards` (`kg build --shards`).

The package is callable: ``kg.build(paths, store="kg-store", **options)`` (see `__call__`).
"""
import sys
from pathlib import Path
from typing import Any

from kg import CallablePackage
from kg.paths import DEFAULT_STORE

from kg.build.derived import (
    add_entities,
    entity_graph,
    entity_index,
    entity_proposal,
    merge_proposals,
    proposal_literal,
    refresh_derived,
)
from kg.build.engines import documents_as_nquads, extract_and_resolve, extractions_of, read_all
from kg.build.facts import MAX_FACT_CONFIDENCE, FactSupport, fact_node, fact_triples, facts_from_rows, update_facts
from kg.build.incremental import Plan, missing_documents, plan, stored_sources
from kg.build.log import SOFTWARE, now, record_activity
from kg.build.removal import find_documents, remove, remove_documents
from kg.build.run import BuildReport, build, build_at, fetch_into_store, store_counts
from kg.build.spill import PackedExtractions
from kg.build.writer import REOPEN_EVERY, WRITE_EVERY, GraphWriter, release_free_memory

__all__ = ["MAX_FACT_CONFIDENCE", "REOPEN_EVERY", "SOFTWARE", "WRITE_EVERY", "BuildReport", "FactSupport",
           "GraphWriter", "PackedExtractions", "Plan", "add_entities", "build", "build_at", "documents_as_nquads",
           "entity_graph", "entity_index", "entity_proposal", "extract_and_resolve", "extractions_of", "fetch_into_store",
           "fact_node", "fact_triples", "facts_from_rows", "find_documents", "merge_proposals",
           "missing_documents", "now", "plan", "proposal_literal", "read_all", "record_activity",
           "refresh_derived", "release_free_memory", "remove", "remove_documents", "store_counts",
           "stored_sources", "update_facts"]


def __call__(paths: Any, store: Any = DEFAULT_STORE, **options: Any) -> BuildReport:
    """`kg.build`: read the articles under ``paths`` (a file or folder, or a list of them) into
    ``store`` (a store's folder, created if new, or an open writable `KGStore`); returns the
    `BuildReport`. ``options`` are `build`'s (``jobs``, ``strict``, ``prune``, ``use_gazetteer`` ...).
    A path that does not exist raises `kg.errors.InputError` before anything is created."""
    from kg.ingest import check_paths
    from kg.store import KGStore

    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if isinstance(store, KGStore):
        check_paths(paths)
        return build(paths, store, **options)
    return build_at(paths, store, **options)


sys.modules[__name__].__class__ = CallablePackage
