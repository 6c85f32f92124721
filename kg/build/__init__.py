"""Building the knowledge graph: article files -> extraction -> resolution -> RDF in the store.

`kg.build.run` (the driver, `build`), `kg.build.incremental` (what is new, changed or gone),
`kg.build.engines` (where the per-document work runs: this process, `kg.build.parallel`,
`kg.build.dask_engine`), `kg.build.spill` (extractions on disk), `kg.build.writer` (bulk loads),
`kg.build.derived` and `kg.build.facts` (the entity and facts graphs), `kg.build.log` (the
PROV-O build log), `kg.build.removal` (`kg remove`), `kg.build.shards` (`kg build --shards`).
"""
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
from kg.build.run import BuildReport, build, build_at, store_counts
from kg.build.spill import PackedExtractions
from kg.build.writer import REOPEN_EVERY, WRITE_EVERY, GraphWriter, release_free_memory

__all__ = ["MAX_FACT_CONFIDENCE", "REOPEN_EVERY", "SOFTWARE", "WRITE_EVERY", "BuildReport", "FactSupport",
           "GraphWriter", "PackedExtractions", "Plan", "add_entities", "build", "build_at", "documents_as_nquads",
           "entity_graph", "entity_index", "entity_proposal", "extract_and_resolve", "extractions_of",
           "fact_node", "fact_triples", "facts_from_rows", "find_documents", "merge_proposals",
           "missing_documents", "now", "plan", "proposal_literal", "read_all", "record_activity",
           "refresh_derived", "release_free_memory", "remove", "remove_documents", "store_counts",
           "stored_sources", "update_facts"]
