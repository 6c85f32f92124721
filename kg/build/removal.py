"""`kg remove DOC`: documents out of the store, and what derives from them recomputed."""
from __future__ import annotations

import os
from collections.abc import Sequence

from rdflib import URIRef

from kg.build.derived import contributions, refresh_entities
from kg.build.facts import update_facts
from kg.build.log import now, record_activity
from kg.errors import StoreError
from kg.rdf import source_key
from kg.store import KGStore, StoredDoc, stored_documents


def find_documents(store: KGStore, spec: str) -> list[StoredDoc]:
    """The stored documents ``spec`` names: a document IRI, its hash tag, or a source path."""
    docs = stored_documents(store)
    hits = [d for d in docs if spec in (d.iri, d.iri.rsplit("/", 1)[-1])]
    if not hits:
        key = source_key(spec)
        hits = [d for d in docs if source_key(d.source) == key
                or os.path.abspath(d.source) == os.path.abspath(spec)]
    return hits


def remove_documents(store: KGStore, docs: Sequence[StoredDoc], *, record: bool = True) -> list[str]:
    """Drop the documents' graphs, recompute what they contributed to the entity and facts
    graphs, log the removal.

    Only the descriptions of the entities the documents proposed and the facts of the triples
    they stated are recomputed, so the cost follows the documents, not the store. Returns the
    removed graph IRIs. Nothing else any document contributed is touched.
    """
    if not docs:
        return []
    started = now()
    entities: set = set()
    stated: set[tuple] = set()
    for d in docs:
        mine, said = contributions(store, URIRef(d.iri))
        entities |= mine
        stated |= said
        store.remove_graph(URIRef(d.iri))
    refresh_entities(store, entities)
    update_facts(store, stated)
    removed = [d.iri for d in docs]
    if record:
        record_activity(store, "Removal", started, invalidated=removed, used=[d.source for d in docs],
                        counts={"documentsRemoved": len(removed)})
    store.commit()
    return removed


def remove(store: KGStore, spec: str) -> list[str]:
    """`kg remove DOC`: remove the document(s) ``spec`` names (IRI, hash tag or source path)."""
    docs = find_documents(store, spec)
    if not docs:
        raise StoreError("no such document in the store (give its source path, IRI or hash; see `kg docs`)",
                         spec)
    return remove_documents(store, docs)
