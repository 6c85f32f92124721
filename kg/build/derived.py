"""The graphs derived from all documents: the entity graph (and the facts graph, `kg.build.facts`).

The entity graph is recomputed, not patched, when documents go: each document graph carries the
entity description its build proposed (``kg:entityProposal``, an N-Triples literal, so the
proposal is not a triple of the union graph and cannot give an entity a second type), and the
entity graph is the merge of the proposals in build order, the first proposal fixing an entity's
type, label and country. So after removing the last document added, the entity graph is exactly
what it was before it was added. A build that only adds documents appends to it instead
(`add_entities`), which gives the same graph.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.build.facts import FACTS_CHUNK, fact_triples
from kg.namespaces import BUILD_LOG_GRAPH, ENTITY_GRAPH, FACTS_GRAPH, KG
from kg.store import KGStore, nquads, ntriples_line, parse_ntriples

_FIXED = (RDF.type, SKOS.prefLabel, KG.country)  # one value per entity: the first proposal wins


@lru_cache(maxsize=1 << 12)
def _nt_line(s: URIRef, p: URIRef, o: URIRef | Literal) -> str:
    # cached: every document that names an entity writes the same lines of its description
    return ntriples_line(s, p, o)


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
    document, which would make a build's cost grow with the square of its corpus.
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
    # unsorted: `proposal_literal` sorts the lines it stores, and sorting triples by their
    # strings here would cost more than the rest of this function
    return [t for e in wanted for t in described[e]]


def proposal_literal(triples: Iterable[tuple]) -> Literal:
    """A proposal as one N-Triples literal (sorted lines), stored on the document node."""
    return Literal("".join(sorted(_nt_line(*t) for t in triples)))


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
    return merge_proposals(parse_ntriples(p.encode("utf-8")) for _, _, p in sorted(rows))


def refresh_derived(store: KGStore) -> None:
    """Recompute the entity graph and the facts graph from the document graphs."""
    store.replace_graph(ENTITY_GRAPH, entity_graph(store))
    store.replace_graph(FACTS_GRAPH, fact_triples(store))


# ?g is bound to one document (Oxigraph substitutes only variables the query returns)
_DOC_PROPOSAL = "SELECT ?g ?proposal WHERE { GRAPH ?g { ?g kg:entityProposal ?proposal } }"
_DOC_ASSERTED = """
SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }
"""


def contributions(store: KGStore, graph: URIRef) -> tuple[set, set[tuple]]:
    """What a document graph gives the derived graphs: the entities its proposal describes and
    the (s, p, o) its assertions state."""
    entities = {s for _, proposal in store.query(_DOC_PROPOSAL, {"g": graph})
                for s, _, _ in parse_ntriples(str(proposal).encode("utf-8"))}
    stated = {(s, p, o) for _, s, p, o in store.query(_DOC_ASSERTED, {"g": graph})}
    return entities, stated


def refresh_entities(store: KGStore, entities: set) -> None:
    """Recompute the descriptions of ``entities`` from the proposals still stored.

    An entity's description depends only on the proposals that describe it, in build order, so
    only those are parsed (a proposal names an entity by its IRI in N-Triples: a string test
    finds them); every other description stays as it is. Equals the matching part of
    `entity_graph`.
    """
    if not entities:
        return
    needles = [f"<{e}>" for e in entities]
    rows = [(str(when) if when is not None else "", str(p)) for _, p, when in store.query(_PROPOSALS)]
    wanted = (p for _, p in sorted(rows) if any(n in p for n in needles))
    merged = merge_proposals([t for t in parse_ntriples(p.encode("utf-8")) if t[0] in entities] for p in wanted)
    store.remove_subjects(ENTITY_GRAPH, entities)
    store.add_triples(ENTITY_GRAPH, merged)


def add_entities(store: KGStore, new: Iterable[tuple]) -> None:
    """Add this build's entity descriptions to the entity graph.

    An entity already described keeps its type, label and country, so a later build never gives
    a node a second type; aliases and links accumulate. Only the new triples are written, so the
    cost follows the build, not the size of the store. They are bulk-loaded a chunk at a time.
    """
    triples = []
    fixed: dict[tuple, bool] = {}
    store.drop_inferred()
    for s, p, o in new:
        if p in _FIXED:
            if (s, p) not in fixed:
                fixed[(s, p)] = store.contains(s, p, None, ENTITY_GRAPH)
            if fixed[(s, p)]:
                continue
        triples.append((s, p, o))
        if len(triples) >= FACTS_CHUNK * 4:  # in chunks: one write of every entity grew with the corpus
            store.add_new_graphs_nquads(nquads(triples, ENTITY_GRAPH), lenient=True)
            triples = []
    if triples:
        store.add_new_graphs_nquads(nquads(triples, ENTITY_GRAPH), lenient=True)
