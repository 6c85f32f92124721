"""Incremental builds: which documents are new, changed or gone; removal; the PROV-O build log.

A document is identified by its source path (normalised) and the SHA-256 of its clean text; its
named graph's IRI is derived from both (`doc_iri_for`). A build extracts only files whose (source,
hash) the store does not hold yet; a file whose source is stored with another hash replaces the
old graph. Removing a document drops its graph and recomputes what other graphs derive from all
documents: the entity graph and the facts graph.

The entity graph is recomputed, not patched: each document graph carries the entity description
its build proposed (``kg:entityProposal``, an N-Triples literal, so the proposal is not a triple of
the union graph and cannot give an entity a second type), and the entity graph is the merge of the
proposals in build order, the first proposal fixing an entity's type, label and country. So after
removing the last document added, the entity graph is exactly what it was before it was added.

Every build and removal is a ``prov:Activity`` in the build-log graph (`BUILD_LOG_GRAPH`), which
is the one graph that changes on every run.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from kg import __version__
from kg.errors import StoreError
from kg.namespaces import BUILD_LOG_GRAPH, DOC, ENTITY_GRAPH, FACTS_GRAPH, ID, KG
from kg.store import KGStore, nquads

SOFTWARE = ID["software/newskg"]
_FIXED = (RDF.type, SKOS.prefLabel, KG.country)  # one value per entity: the first proposal wins


def source_key(source: str | Path) -> str:
    """The form of a source path that identifies a document (as kg:sourcePath stores it):
    posix separators, no ``.`` parts or doubled slashes."""
    return Path(str(source)).as_posix()


def doc_iri_for(source: str | Path, content_hash: str) -> URIRef:
    """A document graph's IRI: SHA-256 of its content hash followed by its source path.

    The content hash has a fixed length, so the two need no separator, and SHACL can check the
    IRI with SPARQL's SHA256 (ontology/shapes.ttl, DocumentHashShape).
    """
    digest = hashlib.sha256(f"{content_hash}{source_key(source)}".encode("utf-8")).hexdigest()
    return DOC[digest[:16]]


@dataclass(frozen=True)
class StoredDoc:
    iri: str
    source: str
    content_hash: str
    title: str | None = None
    date: str | None = None


def stored_documents(store: KGStore) -> list[StoredDoc]:
    """The documents in the store (one per document graph), sorted by source."""
    q = """
    SELECT ?g ?src ?h ?title ?date WHERE {
      GRAPH ?g { ?g a kg:Document ; kg:sourcePath ?src ; kg:contentHash ?h .
                 OPTIONAL { ?g dcterms:title ?title } OPTIONAL { ?g dcterms:date ?date } }
    }"""
    # read straight from Oxigraph's terms: the 5,000 documents of a 1M-triple store took
    # 0.77-0.89 s converted to rdflib terms, 0.42-0.56 s without
    out = [StoredDoc(g.value, src.value, h.value, None if t is None else t.value, None if d is None else d.value)
           for g, src, h, t, d in store.execute(q)]
    return sorted(out, key=lambda d: (d.source, d.iri))


@dataclass
class Plan:
    """What a build does with each document it read."""

    new: list = field(default_factory=list)  # Documents to extract
    changed: list = field(default_factory=list)  # Documents to extract, replacing an older graph
    unchanged: list = field(default_factory=list)  # Documents already stored as they are
    replaced: list[str] = field(default_factory=list)  # IRIs of graphs the changed ones replace

    @property
    def todo(self) -> list:
        return self.new + self.changed


def stored_sources(store: KGStore) -> dict[str, list[str]]:
    """The IRIs of the stored document graphs by source (`source_key`).

    What `plan` needs, and no more: a document graph's IRI already names its content
    (`doc_iri_for`). One pattern read straight from Oxigraph: 0.07 s for the 5,000 documents of
    a 1M-triple store, against 0.74-0.84 s for `stored_documents` (titles, dates, hashes,
    converted to rdflib terms), which was half of adding one document to such a store.
    """
    by_source: dict[str, list[str]] = {}
    for g, src in store.execute("SELECT ?g ?src WHERE { GRAPH ?g { ?g kg:sourcePath ?src } }"):
        by_source.setdefault(source_key(src.value), []).append(g.value)
    return by_source


def plan(store: KGStore, docs: Sequence) -> Plan:
    """Sort ``docs`` (kg.model.Document) into new, changed and unchanged against the store."""
    by_source = stored_sources(store)
    out = Plan()
    for doc in docs:
        iri = str(doc_iri_for(doc.source, doc.content_hash))
        old = by_source.get(source_key(doc.source), [])
        if iri in old and len(old) == 1:
            out.unchanged.append(doc)
        elif old:
            out.changed.append(doc)
            out.replaced += sorted(o for o in old if o != iri)
        else:
            out.new.append(doc)
    return out


def file_of(source: str) -> str:
    """The file a document was read from: its source, or for a record of a collection
    (``FILE#URL``, ``FILE#N``; see kg.ingest.records) the part before the first "#" that names
    an existing file."""
    if "#" in source and not os.path.exists(source):
        head = source.split("#", 1)[0]
        if os.path.isfile(head):
            return head
    return source


def missing_documents(store: KGStore, paths: Iterable[str | Path]) -> list[StoredDoc]:
    """Stored documents whose source lies under one of ``paths`` and no longer exists on disk
    (a collection's record: whose file no longer exists)."""
    roots = [os.path.abspath(str(p)) for p in paths]
    out = []
    for d in stored_documents(store):
        src = os.path.abspath(file_of(d.source))
        inside = any(src == r or src.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        if inside and not os.path.exists(src):
            out.append(d)
    return out


def find_documents(store: KGStore, spec: str) -> list[StoredDoc]:
    """The stored documents ``spec`` names: a document IRI, its hash tag, or a source path."""
    docs = stored_documents(store)
    hits = [d for d in docs if spec in (d.iri, d.iri.rsplit("/", 1)[-1])]
    if not hits:
        key = source_key(spec)
        hits = [d for d in docs if source_key(d.source) == key
                or os.path.abspath(d.source) == os.path.abspath(spec)]
    return hits


# --------------------------------------------------------------------------------------------
# Entity proposals
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 12)
def _nt_line(s, p, o) -> str:
    # cached: every document that names an entity writes the same lines of its description
    from kg.store import _to_ox

    return str(ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))) + " .\n"


def entity_index(entity_triples: Iterable[tuple]) -> dict:
    """Entity descriptions by entity: the index `entity_proposal` reads (made once per build)."""
    described: dict = {}
    for t in entity_triples:
        described.setdefault(t[0], []).append(t)
    return described


def entity_proposal(doc_triples: Iterable[tuple], described: Mapping) -> list[tuple]:
    """The part of the entity description that a document's graph refers to, in no particular
    order (`proposal_literal` sorts what it stores).

    Entities its triples name, and the countries those entities have (transitively).
    ``described`` is `entity_index` of the build's entity triples: built once, not per
    document, whose cost grew with the corpus (quadratic over a 10k-document build).
    """
    # subjects and IRI objects only: predicates are never described, and hashing a Literal
    # costs a Python call each
    wanted = set()
    for s, _, o in doc_triples:
        if s in described:
            wanted.add(s)
        if type(o) is URIRef and o in described:
            wanted.add(o)
    todo = list(wanted)
    while todo:
        e = todo.pop()
        for _, p, o in described[e]:
            if p == KG.country and o in described and o not in wanted:
                wanted.add(o)
                todo.append(o)
    # unsorted: sorting by each triple's strings was most of this function's cost (py-spy)
    return [t for e in wanted for t in described[e]]


def proposal_literal(triples: Iterable[tuple]) -> Literal:
    """A proposal as one N-Triples literal (sorted lines), stored on the document node."""
    return Literal("".join(sorted(_nt_line(*t) for t in triples)))


def _parse_proposal(text: str) -> list[tuple]:
    from kg.store import _from_ox

    return [_from_ox(t.subject, t.predicate, t.object)
            for t in ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)]


def merge_proposals(proposals: Iterable[Iterable[tuple]]) -> set[tuple]:
    """The entity graph from proposals in build order: the first type, label and country of an
    entity stay, aliases and other statements accumulate."""
    fixed: set = set()
    out: set[tuple] = set()
    for proposal in proposals:
        mine = {(s, p) for s, p, _ in proposal if p in _FIXED}
        for s, p, o in proposal:
            if p in _FIXED and (s, p) in fixed:
                continue
            out.add((s, p, o))
        fixed |= mine
    return out


_PROPOSALS = """
SELECT ?g ?proposal (MAX(?t) AS ?when) WHERE {
  GRAPH ?g { ?g a kg:Document ; kg:entityProposal ?proposal }
  OPTIONAL { GRAPH <%s> { ?act prov:generated ?g ; prov:startedAtTime ?t } }
}
GROUP BY ?g ?proposal
""" % BUILD_LOG_GRAPH


def entity_graph(store: KGStore) -> set[tuple]:
    """The entity graph recomputed from every stored document's proposal, oldest build first."""
    rows = [(str(when) if when is not None else "", str(g), str(p)) for g, p, when in store.query(_PROPOSALS)]
    return merge_proposals(_parse_proposal(p) for _, _, p in sorted(rows))


def refresh_derived(store: KGStore) -> None:
    """Recompute the entity graph and the facts graph from the document graphs."""
    from kg.build import fact_triples

    store.replace_graph(ENTITY_GRAPH, entity_graph(store))
    store.replace_graph(FACTS_GRAPH, fact_triples(store))


# --------------------------------------------------------------------------------------------
# Build log (PROV-O)
# --------------------------------------------------------------------------------------------
def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _time(t: dt.datetime) -> Literal:
    # fixed width, so the log's times also sort as strings
    return Literal(t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), datatype=XSD.dateTime)


def record_activity(store: KGStore, kind: str, started: dt.datetime, *, generated: Iterable[str] = (),
                    invalidated: Iterable[str] = (), used: Iterable[str] = (),
                    counts: dict[str, int] | None = None) -> URIRef:
    """Add one build (``kind`` "Build") or removal ("Removal") to the build log; returns its IRI.

    ``used`` are the source paths read, ``generated`` the document graphs written,
    ``invalidated`` the graphs removed or replaced; ``counts`` become ``kg:<name>`` integers.
    """
    act = ID[f"activity/{started.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"]
    triples = [
        (act, RDF.type, PROV.Activity), (act, RDF.type, KG[kind]),
        (act, PROV.startedAtTime, _time(started)), (act, PROV.endedAtTime, _time(now())),
        (act, PROV.wasAssociatedWith, SOFTWARE),
        (SOFTWARE, RDF.type, PROV.SoftwareAgent), (SOFTWARE, KG.toolVersion, Literal(__version__)),
        (act, KG.toolVersion, Literal(__version__)),
    ]
    triples += [(act, PROV.generated, URIRef(g)) for g in generated]
    triples += [(act, PROV.invalidated, URIRef(g)) for g in invalidated]
    triples += [(act, KG.sourceFile, Literal(u)) for u in sorted(set(used))]
    triples += [(act, KG[name], Literal(n, datatype=XSD.integer)) for name, n in (counts or {}).items()]
    # bulk-loaded, not in a transaction: two triples per document went through RocksDB's write
    # buffers, which kept them (+14 MB of a 3,000-document build's RSS); a writer works on an
    # unpublished copy of the store (`KGStore.commit`), so it needs no transaction
    store.add_new_graphs_nquads(nquads(triples, BUILD_LOG_GRAPH), lenient=True)
    return act


def remove_documents(store: KGStore, docs: Sequence[StoredDoc], *, record: bool = True) -> list[str]:
    """Drop the documents' graphs, recompute the entity and facts graphs, log the removal.

    Returns the removed graph IRIs. Nothing else any document contributed is touched.
    """
    if not docs:
        return []
    started = now()
    for d in docs:
        store.remove_graph(URIRef(d.iri))
    refresh_derived(store)
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
