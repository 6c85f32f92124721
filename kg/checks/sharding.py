"""The data of one shard of `kg validate`: a group of nodes, their whole descriptions, and the
neighbouring triples the shapes of `ontology/shapes.ttl` read about them.

The shapes are written for the union of every graph, and a shard must give each of its nodes
the same results as that union, no more and no fewer. A node is checked in exactly one shard
(the one of the graph that first names it, `kg.store.subsets.nodes_in_order`); only results
whose focus is one of the shard's own nodes count, since the neighbours pulled in beside them
are described only in part. What the shapes read beyond a focus node's own triples, and so what
a shard adds for its nodes:

- ``sh:targetObjectsOf`` (the entity, position and document shapes): a node is a focus because
  something points to it, maybe in another document; one such triple per predicate is added,
  so that a node without any description of its own (an entity with no type) is still checked.
- ``sh:class`` (an assertion's subject, a mention's entity, an event's place, every
  kg:inDocument, a fact's assertions ...): the ``rdf:type`` of every object of the shard's
  triples; the class tree comes from the ontology and any rdfs:subClassOf the store holds.
- ``sh:node kgsh:RelationProperty`` and the SPARQL shapes' ``rdfs:subPropertyOf+``: the property
  tree, from the ontology and any rdfs:subPropertyOf the store holds.
- kgsh:AssertionTripleShape: for an assertion, the triple it describes when the store holds it.
- kgsh:RelationTraceShape: for a subject of relation triples, every assertion naming it as
  rdf:subject, with its predicate, object, document and type.

The other SPARQL shapes (one description per document, spans, date order, document IRIs, fact
support) read only the focus node's own triples. `SHARD_AWARE` lists the shapes this module was
written for; a test fails when the shapes file gains one, so a new shape's neighbours are
thought about before sharding can hide or invent its results.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Identifier

from kg.namespaces import KG
from kg.store import KGStore
from kg.store.subsets import describe, held, nodes_in_order, objects_of, subjects_of, with_predicate

KGSH = "https://w3id.org/newskg/shapes#"
# the shapes whose needs the list above covers (checked against ontology/shapes.ttl by a test)
SHARD_AWARE = frozenset(KGSH + n for n in (
    "EntityShape", "EntityHasType", "EntityOneType", "EntityTypeKnown", "EntityHasLabel", "EntityOneLabel",
    "EntityCountry", "EntityOneCountry", "PositionShape", "EventShape", "EventOneType", "EventTypeKnown",
    "EventAnchored", "EventParticipant", "EventSource", "EventPerDocumentShape", "EventSpanShape", "DateShape",
    "DateOrderShape", "AssertionShape", "AssertionTripleShape", "RelationProperty", "RelationTraceShape",
    "MentionShape", "DocumentShape", "DocumentHashShape", "CasualtyShape", "FactShape", "FactSupportShape"))
_ASSERTION_LINKS = (RDF.predicate, RDF.object, KG.inDocument, RDF.type)
SHARD_NODES = 3000  # nodes per shard: about 25k triples of a news build, 150-250 MB in pySHACL


@dataclass
class Plan:
    """What every shard shares: its nodes' order, what points to them, the schema triples."""

    nodes: list[Identifier]  # every node that can be a focus, in the order of the graphs naming them
    links: Mapping[Identifier, frozenset[URIRef]]  # node -> the sh:targetObjectsOf predicates pointing to it
    schema: list[tuple]  # the ontology plus the store's own rdfs:subClassOf / rdfs:subPropertyOf
    relations: frozenset[URIRef]  # properties under kg:relatedTo


def named_shapes(shapes: Graph) -> set[str]:
    """The IRIs of the shapes in ``shapes`` (node and property shapes with a name)."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return {str(s) for s in found if isinstance(s, URIRef)}


def plan(store: KGStore, shapes: Graph, ontology: Iterable[tuple]) -> Plan:
    """Read the store once for the nodes to check, in order (`nodes_in_order`)."""
    pointers = sorted({o for o in shapes.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef)})
    nodes, links = nodes_in_order(store, pointers)
    schema = [*ontology, *with_predicate(store, RDFS.subClassOf), *with_predicate(store, RDFS.subPropertyOf)]
    sub: dict = {}
    for s, p, o in schema:
        if p == RDFS.subPropertyOf:
            sub.setdefault(o, set()).add(s)
    relations: set = set()
    todo = [KG.relatedTo]
    while todo:  # everything under kg:relatedTo, at any depth (rdfs:subPropertyOf+)
        for s in sub.get(todo.pop(), ()):
            if s not in relations:
                relations.add(s)
                todo.append(s)
    return Plan(nodes, links, schema, frozenset(relations))


def shards(p: Plan, size: int = SHARD_NODES) -> Iterator[list[Identifier]]:
    """The plan's nodes in groups of ``size``."""
    for i in range(0, len(p.nodes), size):
        yield p.nodes[i:i + size]


def shard_graph(store: KGStore, nodes: list[Identifier], p: Plan) -> tuple[Graph, int, int]:
    """The graph that checks ``nodes`` as the whole store would: (graph, subject nodes of the
    shard's own triples, the shard's own triples). The neighbours' triples come after counting."""
    g = Graph()
    own = describe(store, nodes)
    for t in own:
        g.add(t)
    counts = len({s for s, _, _ in own}), len(g)
    for t in _neighbours(store, nodes, own, p):
        g.add(t)
    for t in p.schema:
        g.add(t)
    return g, *counts


def focus_nodes(nodes: list[Identifier], g: Graph) -> frozenset | None:
    """The nodes pySHACL may take as focus in a shard (`kg.checks.validate`): the shard's own, and
    the values of rdf:predicate, which ``sh:node kgsh:RelationProperty`` checks as focus nodes of
    their own. None (check every target, keep the shard's results) when a node of the shard is
    not an IRI: pySHACL's filter keeps IRIs only, and a literal can be a focus (an entity given
    as a literal is a violation).
    """
    if not all(isinstance(n, URIRef) for n in nodes):
        return None
    return frozenset([*nodes, *(o for o in g.objects(None, RDF.predicate) if isinstance(o, URIRef))])


def _neighbours(store: KGStore, nodes: list[Identifier], own: list[tuple], p: Plan) -> Iterator[tuple]:
    """The triples beyond the nodes' own that the shapes read about them (see the module's text)."""
    objects = {o for _, _, o in own if not isinstance(o, Literal)}
    yield from objects_of(store, objects, RDF.type)  # sh:class
    by_pred: dict = {}
    for n in nodes:
        for pred in p.links.get(n, ()):
            by_pred.setdefault(pred, []).append(n)
    for pred, targets in by_pred.items():  # sh:targetObjectsOf
        yield from subjects_of(store, pred, targets, first=True)
    parts: dict = {}
    related = set()
    for s, pred, o in own:
        if pred in (RDF.subject, RDF.predicate, RDF.object):
            parts.setdefault(s, {}).setdefault(pred, []).append(o)
        elif pred in p.relations:
            related.add(s)
    yield from held(store, ((s, pr, o) for d in parts.values() for s in d.get(RDF.subject, ())
                            for pr in d.get(RDF.predicate, ()) for o in d.get(RDF.object, ())))
    if related:  # kgsh:RelationTraceShape: the assertions that could support each relation
        named = subjects_of(store, RDF.subject, related)
        yield from named
        assertions = {a for a, _, _ in named}
        for link in _ASSERTION_LINKS:
            yield from objects_of(store, assertions, link)


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target)


def flat_shapes(shapes: Graph) -> Graph:
    """``shapes`` with each property shape of a targeted node shape given that node shape's
    targets instead of being reached through ``sh:property``: the same results (SHACL reports a
    property shape's results as they are, whether it is reached through sh:property or its own
    targets), but pySHACL checks every focus node of a shape in one call instead of one call per
    focus node and property shape, which was most of its time. A property shape that several
    node shapes hold is left where it is. Results still name the shape by the original graph
    (`kg.checks.validate`)."""
    out = Graph()
    for t in shapes:
        out.add(t)
    parents: dict = {}
    for node, prop in shapes.subject_objects(SH.property):
        parents.setdefault(prop, []).append(node)
    for prop, (node, *others) in parents.items():
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node, p)]
        if others or not targets:
            continue
        out.remove((node, SH.property, prop))
        for p, o in targets:
            out.add((prop, p, o))
    return out


def sparql_targets(shapes: Graph) -> dict[URIRef, str]:
    """The SELECT of each shape's SPARQL-based target (SHACL-AF ``sh:SPARQLTarget``), with the
    PREFIX lines its ``sh:prefixes`` declare, by shape."""
    out = {}
    for shape, target in shapes.subject_objects(SH.target):
        select = shapes.value(target, SH.select)
        if select is None:
            continue
        lines = [f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>"
                 for ns in shapes.objects(target, SH.prefixes) for d in shapes.objects(ns, SH.declare)]
        out[shape] = "\n".join([*lines, str(select)])
    return out


def with_target_nodes(shapes: Graph, found: dict[URIRef, set[Identifier]]) -> Graph:
    """A copy of ``shapes`` whose SPARQL-based targets are replaced by the nodes ``found`` for
    them (``sh:targetNode``): those targets are queries over the data, answered beforehand by
    Oxigraph over the shard's own graph (`kg.store.subsets.select_nodes`), where rdflib's
    evaluator took most of pySHACL's time. The constraints are still pySHACL's to check."""
    out = Graph()
    for t in shapes:
        out.add(t)
    for shape, nodes in found.items():
        for target in list(shapes.objects(shape, SH.target)):
            if shapes.value(target, SH.select) is not None:
                out.remove((shape, SH.target, target))
        for n in nodes:
            out.add((shape, SH.targetNode, n))
    return out
