"""Entailments of the ontology, for queries that ask for them (`kg query --infer`).

The store keeps what the articles said; what follows from it under `ontology/kg.ttl` is
materialised on demand into one named graph, ``graph/inferred``, together with the ontology
itself. Queries without ``infer`` never see that graph; any write to the store drops it, and the
next inferring query computes it again, so it is never stale.

The rules are RDFS (sub-class, sub-property, domain, range) plus the OWL RL rules the ontology
uses: equivalent classes and properties, inverse, symmetric and transitive properties. They run
as SPARQL CONSTRUCT queries in Oxigraph, repeated until nothing new follows.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import GRAPH
from kg.ontology import schema
from kg.store.terms import to_ox

INFERRED_GRAPH = GRAPH["inferred"]

_P = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
_SUPER_CLASS = "(rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)+"
_SUPER_PROP = "(rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+"

RULES = {
    "sub-property": f"CONSTRUCT {{ ?s ?q ?o }} WHERE {{ ?p {_SUPER_PROP} ?q . ?s ?p ?o . FILTER(isIRI(?q)) }}",
    "inverse": "CONSTRUCT { ?o ?q ?s } WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
               "?s ?p ?o . FILTER(!isLiteral(?o)) }",
    "symmetric": "CONSTRUCT { ?o ?p ?s } WHERE { ?p a owl:SymmetricProperty . ?s ?p ?o . FILTER(!isLiteral(?o)) }",
    "domain": "CONSTRUCT { ?s a ?c } WHERE { ?p rdfs:domain ?c . ?s ?p ?o }",
    "range": "CONSTRUCT { ?o a ?c } WHERE { ?p rdfs:range ?c . ?s ?p ?o . FILTER(!isLiteral(?o)) }",
    "sub-class": f"CONSTRUCT {{ ?x a ?d }} WHERE {{ ?c {_SUPER_CLASS} ?d . ?x a ?c . FILTER(isIRI(?d)) }}",
}


def _transitive_rule(prop: str) -> str:
    # a property path needs a constant predicate, so each transitive property gets its own rule
    return f"CONSTRUCT {{ ?s <{prop}> ?o }} WHERE {{ ?s <{prop}>/<{prop}>+ ?o }}"


def ontology_quads(path: Path | None = None) -> list[ox.Quad]:
    """The ontology's triples as quads of the inferred graph."""
    g = ox.NamedNode(str(INFERRED_GRAPH))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in schema.load(path or schema.ONTOLOGY_FILE).graph]


def materialize(store: ox.Store, *, max_rounds: int = 10) -> int:
    """Write the ontology and everything it entails over ``store`` into the inferred graph.

    Returns the number of entailed triples (not counting the ontology's own). Asserted triples
    are not repeated in the inferred graph.
    """
    g = ox.NamedNode(str(INFERRED_GRAPH))
    if store.contains_named_graph(g):
        store.remove_graph(g)
    store.extend(ontology_quads())
    transitive = [
        s[0].value for s in store.query(
            _P + "SELECT DISTINCT ?p WHERE { ?p a owl:TransitiveProperty }", use_default_graph_as_union=True)
    ]
    rules = [*RULES.values(), *(_transitive_rule(p) for p in transitive)]
    added = 0
    for _ in range(max_rounds):
        new = set()
        for rule in rules:
            for t in store.query(_P + rule, use_default_graph_as_union=True):
                if not any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object)):
                    new.add(ox.Quad(t.subject, t.predicate, t.object, g))
        if not new:
            break
        store.extend(new)
        added += len(new)
    return added


def drop(store: ox.Store) -> None:
    """Forget the entailments (after a write they may no longer hold)."""
    g = ox.NamedNode(str(INFERRED_GRAPH))
    if store.contains_named_graph(g):
        store.remove_graph(g)
