"""Exports of the store as an actor network: a networkx graph and GraphML that Gephi opens.

The graph has one node per entity and one edge per (subject, relation, object), weighted by the
number of sentences (kg:Assertion nodes) that support it; a person's positions become
``holdsPosition`` edges to the organization the position belongs to.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Literal

from kg.iri import is_valid_iri
from kg.namespaces import ENTITY_GRAPH
from kg.network.formats.common import sanitize_text
from kg.network.formats.graphml import write_graphml
from kg.network.queries import ENTITIES, relation_properties
from kg.network.queries import local_name as _local
from kg.network.queries import select as _select

__all__ = ["actor_graph", "export_graphml", "relation_properties", "sanitize_text", "write_graphml"]


# --------------------------------------------------------------------------------------------
# The actor graph
# --------------------------------------------------------------------------------------------
_MENTIONED = """
SELECT ?e (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:mentions ?e } GROUP BY ?e
"""

_LABELS = """
SELECT ?e (MIN(?l) AS ?label) WHERE { ?e skos:prefLabel ?l } GROUP BY ?e
"""

_EDGES = """
SELECT ?s ?p ?o (COUNT(DISTINCT ?a) AS ?support) (COUNT(DISTINCT ?doc) AS ?docs)
       (MIN(?ev) AS ?evidence) (MAX(?conf) AS ?confidence) WHERE {
  VALUES ?p { %(props)s }
  ?s ?p ?o .
  FILTER(isIRI(?s) && isIRI(?o))
  OPTIONAL {
    ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?a kg:evidence ?ev }
    OPTIONAL { ?a kg:confidence ?conf }
    OPTIONAL { ?a kg:inDocument ?doc }
  }
} GROUP BY ?s ?p ?o
"""

_POSITIONS = """
SELECT ?person ?pos ?org (COALESCE(MIN(?pl), MIN(?pt)) AS ?title) (COUNT(DISTINCT ?a) AS ?support)
       (COUNT(DISTINCT ?doc) AS ?docs) (MIN(?ev) AS ?evidence) (MAX(?conf) AS ?confidence) WHERE {
  ?person kg:holdsPosition ?pos .
  OPTIONAL { ?pos kg:positionIn ?org0 . FILTER(isIRI(?org0)) }
  BIND(COALESCE(?org0, "") AS ?org)
  OPTIONAL { ?pos skos:prefLabel ?pl }
  OPTIONAL { ?pos kg:positionTitle ?pt }
  OPTIONAL {
    ?a a kg:Assertion ; rdf:subject ?person ; rdf:predicate kg:holdsPosition ; rdf:object ?pos .
    OPTIONAL { ?a kg:evidence ?ev }
    OPTIONAL { ?a kg:confidence ?conf }
    OPTIONAL { ?a kg:inDocument ?doc }
  }
} GROUP BY ?person ?pos ?org
"""


def _str(term: Any, default: str = "") -> str:
    return default if term is None else str(term)


def _int(term: Any, default: int = 0) -> int:
    try:
        return int(term.toPython() if isinstance(term, Literal) else term)
    except (TypeError, ValueError):
        return default


def _float(term: Any, default: float = 0.0) -> float:
    try:
        value = float(term.toPython() if isinstance(term, Literal) else term)
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def _row_key(row: tuple) -> tuple[str, ...]:
    return tuple("" if t is None else str(t) for t in row[:3])


def actor_graph(store: Any) -> nx.MultiDiGraph:
    """The store's entities and the relations between them, for network analysis.

    Nodes are entity IRIs with ``label`` (preferred name), ``type`` (class local name),
    ``country`` (the country's name or ""), ``documents`` (how many documents mention it) and
    ``positions`` (the person's positions joined with "; ", else ""). Edges, keyed by relation,
    carry ``label`` (relation local name), ``weight`` (supporting assertions, at least 1),
    ``evidence`` (one supporting sentence), ``documents``, ``confidence`` (highest, 0.0 when
    unknown) and ``title`` (the position's name for ``holdsPosition`` edges, else ""). Every
    value is a str, int or float.
    """
    graph = nx.MultiDiGraph()

    # Rows sorted so that the same store always gives the same file.
    for e, typ, label, country in sorted(_select(store, ENTITIES % {"entities": ENTITY_GRAPH}), key=_row_key):
        graph.add_node(
            str(e),
            label=_str(label) or _local(e),
            type=_local(typ) if typ is not None else "Entity",
            country=_str(country),
            documents=0,
            positions="",
        )

    props = relation_properties()
    for p in props:
        if not is_valid_iri(str(p)):  # the ontology's IRIs go into the query text: check them first
            raise ValueError(f"not a valid IRI: {p}")
    edges = sorted(_select(store, _EDGES % {"props": " ".join(f"<{p}>" for p in props)}), key=_row_key)
    positions = sorted(_select(store, _POSITIONS), key=_row_key)

    # Ends of relations that the entity graph does not describe still get a labelled node.
    missing = {str(x) for s, _, o, *_ in edges for x in (s, o)} | {str(r[0]) for r in positions}
    missing = {m for m in missing if m not in graph}
    missing |= {str(r[2]) for r in positions if r[2] is not None and str(r[2]) and str(r[2]) not in graph}
    if missing:
        labels = {str(e): _str(l) for e, l in _select(store, _LABELS)}
        for m in sorted(missing):
            graph.add_node(m, label=labels.get(m) or _local(m), type="Entity", country="",
                           documents=0, positions="")

    for e, n in _select(store, _MENTIONED):
        if str(e) in graph:
            graph.nodes[str(e)]["documents"] = _int(n)

    for s, p, o, support, docs, evidence, confidence in edges:
        name = _local(p)
        graph.add_edge(
            str(s), str(o), key=name,
            label=name,
            weight=max(1, _int(support)),
            evidence=_str(evidence),
            documents=_int(docs),
            confidence=_float(confidence),
            title="",
        )

    held: dict[str, set[str]] = {}
    for person, pos, org, title, support, docs, evidence, confidence in positions:
        name = _str(title) or _local(pos)
        held.setdefault(str(person), set()).add(name)
        if not _str(org):
            continue  # no organization to link to: kept in the node's `positions` only
        graph.add_edge(
            str(person), str(org), key=f"holdsPosition {pos}",
            label="holdsPosition",
            weight=max(1, _int(support)),
            evidence=_str(evidence),
            documents=_int(docs),
            confidence=_float(confidence),
            title=name,
        )
    for person, names in held.items():
        graph.nodes[person]["positions"] = "; ".join(sorted(names))
    return graph


# --------------------------------------------------------------------------------------------
# GraphML (the writer lives in kg.network.formats.graphml; kept importable from here)
# --------------------------------------------------------------------------------------------
def export_graphml(store: Any, path: str | Path) -> dict[str, int]:
    """Write the store's raw relation multigraph (``actor_graph``: one edge per subject, relation
    and object, nodes named by IRI) as GraphML; returns node and edge counts. `kg export` writes
    the views of `kg.network.views` instead."""
    graph = actor_graph(store)
    write_graphml(graph, path)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
