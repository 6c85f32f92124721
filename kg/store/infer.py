"""Entailments of the ontology, for queries that ask for them (`kg query --infer`).

The store keeps what the articles said; what follows from it under `ontology/kg.ttl` is
materialised on demand into one named graph, ``graph/inferred``, together with the ontology
itself (a reader, which never writes its published generation, materialises into a copy of it
on disk: `entailed_copy`). Queries without ``infer`` never see that graph; any write to the store drops it, and the
next inferring query computes it again, so it is never stale.

The rules are RDFS (sub-class, sub-property, domain, range) plus the OWL RL rules the ontology
uses: equivalent classes and properties, inverse, symmetric and transitive properties. They run
as SPARQL CONSTRUCT queries in Oxigraph, repeated until nothing new follows.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import GRAPH
from kg.ontology import schema
from kg.store.terms import to_ox

INFERRED_GRAPH = GRAPH["inferred"]
CHUNK = 10_000  # entailed triples written at once

_P = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
_SUPER_CLASS = "(rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)+"
_SUPER_PROP = "(rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+"

# Each rule: the SELECT of the schema pairs (?a ?b) it applies to, and what follows for one
# pair (head) from what (body), ``{a}`` and ``{b}`` standing for the pair. A rule runs as one
# CONSTRUCT per pair with the pair's IRIs written in (`_queries`): Oxigraph then reads one
# predicate's (or one class's) triples per query, where a rule with ``?p`` unbound joined a
# property path with every triple of the store in each round (40 s a round at 1M triples).
# What the store already holds is left out by Oxigraph (FILTER NOT EXISTS), not by Python.
RULES = {
    "sub-property": (f"SELECT DISTINCT ?a ?b WHERE {{ ?a {_SUPER_PROP} ?b }}", "?s <{b}> ?o", "?s <{a}> ?o"),
    "inverse": ("SELECT DISTINCT ?a ?b WHERE { { ?a owl:inverseOf ?b } UNION { ?b owl:inverseOf ?a } }",
                "?o <{b}> ?s", "?s <{a}> ?o . FILTER(!isLiteral(?o))"),
    "symmetric": ("SELECT DISTINCT ?a ?b WHERE { ?a a owl:SymmetricProperty BIND(?a AS ?b) }",
                  "?o <{a}> ?s", "?s <{a}> ?o . FILTER(!isLiteral(?o))"),
    "domain": ("SELECT DISTINCT ?a ?b WHERE { ?a rdfs:domain ?b }", "?s a <{b}>", "?s <{a}> ?o"),
    "range": ("SELECT DISTINCT ?a ?b WHERE { ?a rdfs:range ?b }", "?o a <{b}>", "?s <{a}> ?o . FILTER(!isLiteral(?o))"),
    "sub-class": (f"SELECT DISTINCT ?a ?b WHERE {{ ?a {_SUPER_CLASS} ?b }}", "?x a <{b}>", "?x a <{a}>"),
    # a property path needs a constant predicate, so each transitive property is a pair of its own
    "transitive": ("SELECT DISTINCT ?a ?b WHERE { ?a a owl:TransitiveProperty BIND(?a AS ?b) }",
                   "?s <{a}> ?o", "?s <{a}>/<{a}>+ ?o"),
}


def _queries(store: ox.Store) -> list[str]:
    """Every rule's CONSTRUCT for each pair of IRIs it applies to in ``store`` now.

    Only IRIs: a triple's predicate is always one, and the ontology's classes are IRIs (a
    blank-node class, which the rules with ``?p`` and ``?c`` unbound would have used, cannot be
    written into a query)."""
    out = []
    for pairs, head, body in RULES.values():
        for a, b in store.query(_P + pairs, use_default_graph_as_union=True):
            if isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode):
                h, w = head.format(a=a.value, b=b.value), body.format(a=a.value, b=b.value)
                out.append(f"CONSTRUCT {{ {h} }} WHERE {{ {w} FILTER NOT EXISTS {{ {h} }} }}")
    return out


def ontology_quads(path: Path | None = None) -> list[ox.Quad]:
    """The ontology's triples as quads of the inferred graph."""
    g = ox.NamedNode(str(INFERRED_GRAPH))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in schema.load(path or schema.ONTOLOGY_FILE).graph]


def materialize(store: ox.Store, *, max_rounds: int = 10) -> int:
    """Write the ontology and everything it entails over ``store`` into the inferred graph.

    Returns the number of entailed triples (not counting the ontology's own). Asserted triples
    are not repeated in the inferred graph. What a rule entails is written `CHUNK` triples at a
    time as the rule's answers come (each query reads a snapshot of the store), so memory holds
    one chunk, not every entailment: on a store on disk the closure costs disk, not memory.
    Rules applied later in a round see what earlier ones wrote, which reaches the same fixpoint.
    """
    g = ox.NamedNode(str(INFERRED_GRAPH))
    if store.contains_named_graph(g):
        store.remove_graph(g)
    store.extend(ontology_quads())
    added = 0
    for _ in range(max_rounds):
        # the pairs again each round: what was entailed may be schema (a sub-property of
        # rdfs:subClassOf), as when the rules read the store with ?p unbound
        new = sum(_apply(store, rule, g) for rule in _queries(store))
        if not new:
            break
        added += new
    return added


def _apply(store: ox.Store, rule: str, g: ox.NamedNode) -> int:
    """Write what ``rule`` entails and the store lacks into graph ``g``; how many triples."""
    written = 0
    chunk: set[ox.Quad] = set()
    for t in store.query(_P + rule, use_default_graph_as_union=True):
        if not any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object)):
            chunk.add(ox.Quad(t.subject, t.predicate, t.object, g))
            if len(chunk) >= CHUNK:
                store.extend(chunk)
                written, chunk = written + len(chunk), set()
    store.extend(chunk)
    return written + len(chunk)


def entailed_copy(source: ox.Store, near: Path) -> tuple[ox.Store, Path]:
    """A copy of ``source`` on disk with the entailments materialised, for a reader, which may
    not write its published generation: (the copy, its folder, to delete when done).

    The copy is an Oxigraph backup (hard links when ``near``, the store's folder, is on the same
    disk and writable; a temporary folder otherwise), so neither the copy nor the closure is
    held in memory, as the copy of the whole store in an in-memory Oxigraph was (1.6 GB and
    more on a 100k-document store).
    """
    try:
        parent = tempfile.mkdtemp(prefix=".infer-", dir=near)
    except OSError:
        parent = tempfile.mkdtemp(prefix="kg-infer-")
    folder = Path(parent) / "copy"
    try:
        source.backup(str(folder))
        copy = ox.Store(str(folder))
        materialize(copy)
    except BaseException:
        shutil.rmtree(parent, ignore_errors=True)
        raise
    return copy, Path(parent)


def drop(store: ox.Store) -> None:
    """Forget the entailments (after a write they may no longer hold)."""
    g = ox.NamedNode(str(INFERRED_GRAPH))
    if store.contains_named_graph(g):
        store.remove_graph(g)
