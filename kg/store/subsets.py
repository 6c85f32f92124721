"""Parts of the store, for checks that cannot hold it whole (`kg.checks.sharding` validates the
SHACL shapes one group of nodes at a time).

Every function reads every graph but the entailments of ``--infer`` (`kg.store.infer`), takes
and returns rdflib terms, and gives xsd:string literals back as the simple literals they are in
RDF 1.1 (Oxigraph spells the datatype out; rdflib's ``sh:in`` and ``sh:hasValue`` would tell
them apart). Triples are returned once each, however many graphs hold them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.namespaces import DOC
from kg.store.core import KGStore
from kg.store.infer import INFERRED_GRAPH
from kg.store.terms import Triple, term_converter, to_ox

_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def _quads(store: KGStore, s: Any, p: Any, o: Any, graph: Any = None) -> Iterator[ox.Quad]:
    for q in store.ox.quads_for_pattern(s, p, o, graph):
        if q.graph_name != _INFERRED:
            yield q


def graph_order(store: KGStore) -> list[Any]:
    """The graphs to read, as Oxigraph names: the documents' graphs (sorted), then the other
    named graphs (the entity graph, the facts graph, the build log ...), then the default graph."""
    names = sorted((g for g in store.ox.named_graphs() if g != _INFERRED), key=lambda g: g.value)
    docs = [g for g in names if g.value.startswith(str(DOC))]
    rest = [g for g in names if not g.value.startswith(str(DOC))]
    return [*docs, *rest, ox.DefaultGraph()]


def nodes_in_order(store: KGStore, object_predicates: Iterable[URIRef]
                   ) -> tuple[list[Identifier], dict[Identifier, frozenset[URIRef]]]:
    """Every subject of the store and every object of ``object_predicates``, each once, in the
    order of the graph (`graph_order`) that first names it; and, for each such object, the
    predicates of ``object_predicates`` that point to it.

    Reads the store once, a graph at a time; what it keeps is one entry per node.
    """
    wanted = {to_ox(p): i for i, p in enumerate(object_predicates)}
    preds = list(object_predicates)
    order: dict[Any, None] = {}
    pointed: dict[Any, int] = {}  # node -> bit set of the predicates that point to it
    for g in graph_order(store):
        for q in store.ox.quads_for_pattern(None, None, None, g):
            order.setdefault(q.subject)
            bit = wanted.get(q.predicate)
            if bit is not None:
                order.setdefault(q.object)
                pointed[q.object] = pointed.get(q.object, 0) | (1 << bit)
    convert = term_converter(plain_strings=True)
    links = {convert(n): frozenset(p for i, p in enumerate(preds) if bits >> i & 1) for n, bits in pointed.items()}
    return [convert(n) for n in order], links


def describe(store: KGStore, nodes: Iterable[Identifier]) -> list[Triple]:
    """Every triple whose subject is one of ``nodes`` (literals among them have none)."""
    out: dict[Any, None] = {}
    for n in nodes:
        if not isinstance(n, Literal):
            for q in _quads(store, to_ox(n), None, None):
                out.setdefault(q.triple)
    return _triples(out)


def objects_of(store: KGStore, subjects: Iterable[Identifier], predicate: URIRef) -> list[Triple]:
    """The triples (s, ``predicate``, any) of every s of ``subjects`` that is not a literal."""
    p = to_ox(predicate)
    out: dict[Any, None] = {}
    for s in subjects:
        if not isinstance(s, Literal):
            for q in _quads(store, to_ox(s), p, None):
                out.setdefault(q.triple)
    return _triples(out)


def subjects_of(store: KGStore, predicate: URIRef, objects: Iterable[Identifier], *, first: bool = False
                ) -> list[Triple]:
    """The triples (any, ``predicate``, o) for every o of ``objects``; with ``first`` only one
    triple for each o (enough to know that one exists)."""
    p = to_ox(predicate)
    out: dict[Any, None] = {}
    for o in objects:
        for q in _quads(store, None, p, to_ox(o)):
            out.setdefault(q.triple)
            if first:
                break
    return _triples(out)


def held(store: KGStore, triples: Iterable[Triple]) -> list[Triple]:
    """Those of ``triples`` the store holds (in any graph but the entailments)."""
    out: dict[Any, None] = {}
    for s, p, o in triples:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue  # no literal subject or predicate is ever stored
        for q in _quads(store, to_ox(s), to_ox(p), to_ox(o)):
            out.setdefault(q.triple)
            break
    return _triples(out)


def with_predicate(store: KGStore, predicate: URIRef) -> list[Triple]:
    """Every triple whose predicate is ``predicate`` (for the few schema statements a store may
    hold, such as rdfs:subClassOf)."""
    return _triples(dict.fromkeys(q.triple for q in _quads(store, None, to_ox(predicate), None)))


def _triples(found: Iterable[ox.Triple]) -> list[Triple]:
    convert = term_converter(plain_strings=True)
    return [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in found]


def select_nodes(triples: Iterable[Triple], queries: dict[Any, str]) -> dict[Any, set[Identifier]]:
    """The values of the first variable of each SELECT of ``queries`` over ``triples`` alone (held
    for the call in an Oxigraph store in memory), by the queries' keys. Oxigraph answers in
    milliseconds what rdflib's evaluator takes seconds for (docs/sources.md)."""
    scratch = ox.Store()
    scratch.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in triples])
    convert = term_converter(plain_strings=True)
    return {key: {convert(row[0]) for row in scratch.query(q) if row[0] is not None} for key, q in queries.items()}
