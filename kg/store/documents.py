"""The documents a store holds: one named graph each, described in that graph."""
from __future__ import annotations

from dataclasses import dataclass

from kg.store.core import KGStore


@dataclass(frozen=True)
class StoredDoc:
    """A document graph of the store: its IRI, source path, content hash, title and date."""

    iri: str
    source: str
    content_hash: str
    title: str | None = None
    date: str | None = None


_DOCUMENTS = """
SELECT ?g ?src ?h ?title ?date WHERE {
  GRAPH ?g { ?g a kg:Document ; kg:sourcePath ?src ; kg:contentHash ?h .
             OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g dcterms:date ?date } }
}"""


def stored_documents(store: KGStore) -> list[StoredDoc]:
    """The documents in the store (one per document graph), sorted by source."""
    # read straight from Oxigraph's terms, with no rdflib term made per cell, which on a large
    # store would be most of the reading
    out = [StoredDoc(g.value, src.value, h.value, None if t is None else t.value, None if d is None else d.value)
           for g, src, h, t, d in store.execute(_DOCUMENTS)]
    return sorted(out, key=lambda d: (d.source, d.iri))


def document_sources(store: KGStore) -> list[tuple[str, str]]:
    """(graph IRI, source path as stored) of every document graph, in no particular order.

    One pattern read straight from Oxigraph's terms: the least a build needs to tell which of
    its files the store holds already (`kg.build.incremental.plan`), much cheaper than
    `stored_documents` on a large store.
    """
    return [(g.value, src.value)
            for g, src in store.execute("SELECT ?g ?src WHERE { GRAPH ?g { ?g kg:sourcePath ?src } }")]
