"""Exports of the store as an actor network: a networkx graph and GraphML that Gephi opens.

The graph has one node per entity and one edge per (subject, relation, object), weighted by the
number of sentences (kg:Assertion nodes) that support it; a person's positions become
``holdsPosition`` edges to the organization the position belongs to.
"""
from __future__ import annotations

import math
import numbers
import os
import uuid
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg import paths
from kg.errors import ExportError
from kg.namespaces import ENTITY_GRAPH, KG, sparql_prefixes

__all__ = ["actor_graph", "export_graphml", "relation_properties", "sanitize_text", "write_graphml"]


# --------------------------------------------------------------------------------------------
# Relations, from the ontology
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _relation_properties(ontology: Path) -> tuple[URIRef, ...]:
    g = Graph()
    try:
        g.parse(ontology, format="turtle")
    except Exception as err:  # noqa: BLE001 - any parser failure means the file is unusable
        raise ExportError(f"cannot read the ontology ({err})", str(ontology)) from err
    found = {
        p
        for p in g.subjects(RDFS.subPropertyOf, None)
        if isinstance(p, URIRef) and KG.relatedTo in set(g.transitive_objects(p, RDFS.subPropertyOf))
    }
    found.discard(KG.relatedTo)
    return tuple(sorted(found))


def relation_properties() -> list[URIRef]:
    """Every property under ``kg:relatedTo`` in ``ontology/kg.ttl`` except ``kg:holdsPosition``.

    Read from the ontology, not hard-coded, so a relation added there is exported too.
    """
    props = _relation_properties(paths.ONTOLOGY_DIR / "kg.ttl")
    return [p for p in props if p != KG.holdsPosition]


# --------------------------------------------------------------------------------------------
# The actor graph
# --------------------------------------------------------------------------------------------
_NODES = """
SELECT ?e (MIN(STR(?t)) AS ?type) (MIN(?l) AS ?label) (MIN(?cl) AS ?country) WHERE {
  GRAPH <%(entities)s> {
    ?e a ?t .
    FILTER(STRSTARTS(STR(?t), STR(kg:)))
    OPTIONAL { ?e skos:prefLabel ?l }
    OPTIONAL { ?e kg:country ?c . OPTIONAL { ?c skos:prefLabel ?cl0 } BIND(COALESCE(?cl0, STR(?c)) AS ?cl) }
  }
} GROUP BY ?e
"""

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


def _select(store: Any, sparql: str) -> list[tuple]:
    # Our own fixed queries on the store's Oxigraph engine (KGStore.query).
    try:
        return [tuple(row) for row in store.query(sparql_prefixes() + sparql)]
    except Exception as err:  # noqa: BLE001 - report any store failure as an export error
        raise ExportError(f"cannot read the store ({err})") from err


def _local(iri: Any) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text


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
    for e, typ, label, country in sorted(_select(store, _NODES % {"entities": ENTITY_GRAPH}), key=_row_key):
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
        ox.NamedNode(str(p))  # the ontology's IRIs go into the query text: check them first
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
# GraphML
# --------------------------------------------------------------------------------------------
# Characters XML 1.0 forbids; one of them aborts Gephi's whole import (REFERENCE.md).
_ILLEGAL = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


def sanitize_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return text.translate(_ILLEGAL)


def _clean_value(value: Any) -> Any:
    """A GraphML-safe value (bool, int, float or str), or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Literal):
        value = value.toPython()
        if isinstance(value, Literal):
            value = str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (numbers.Real, Decimal)):
        f = float(value)
        return f if math.isfinite(f) else None  # Gephi cannot parse nan/inf in a typed column
    if isinstance(value, (list, tuple, set, frozenset)):
        # A list makes networkx fail half-way through the file (REFERENCE.md): join it.
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return sanitize_text("; ".join(str(v) for v in items if v is not None))
    return sanitize_text(str(value))


def _clean_attrs(data: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = sanitize_text(str(k)).strip()
        value = _clean_value(v)
        if key and value is not None:
            out[key] = value
    return out


def _unify_types(items: list[dict[str, Any]]) -> None:
    """Give each attribute one type over all elements, so networkx writes one typed key."""
    kinds: dict[str, set[type]] = {}
    for d in items:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, ts in kinds.items():
        if len(ts) < 2:
            continue
        target: type = float if ts <= {int, float} else str
        for d in items:
            if k in d:
                d[k] = target(d[k]) if target is float else (
                    str(d[k]).lower() if isinstance(d[k], bool) else str(d[k])
                )


def _fix_weights(edges: list[dict[str, Any]]) -> None:
    """Every edge gets a weight > 0: Gephi drops edges of weight 0 (REFERENCE.md)."""
    numeric = [d["weight"] for d in edges if isinstance(d.get("weight"), (int, float)) and not isinstance(d.get("weight"), bool)]
    one: int | float = 1.0 if any(isinstance(w, float) for w in numeric) else 1
    for d in edges:
        w = d.get("weight")
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not w > 0:
            d["weight"] = one
        elif isinstance(one, float):
            d["weight"] = float(w)


def _graphml_ready(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` that follows Gephi's GraphML rules (REFERENCE.md)."""
    out = nx.MultiDiGraph() if graph.is_directed() else nx.MultiGraph()
    out.graph.update(_clean_attrs({k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default")}))

    ids: dict[Any, str] = {}
    node_data: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        nid = sanitize_text(str(node))
        if not nid.strip():
            raise ExportError(f"node {node!r} has an empty id once cleaned; Gephi refuses such files")
        if nid in ids.values():
            raise ExportError(f"two nodes have the same id once cleaned: {nid!r}")
        ids[node] = nid
        attrs = _clean_attrs(data)
        if not str(attrs.get("label", "")).strip():
            attrs["label"] = nid  # Gephi shows the label; never leave it empty
        node_data.append(attrs)
    _unify_types(node_data)
    for node, attrs in zip(ids.values(), node_data):
        out.add_node(node, **attrs)

    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else (
        (u, v, None, d) for u, v, d in graph.edges(data=True)
    )
    edge_list = [(ids[u], ids[v], _clean_attrs(d)) for u, v, _k, d in edges]
    edge_data = [d for _, _, d in edge_list]
    _unify_types(edge_data)
    _fix_weights(edge_data)
    for i, (u, v, d) in enumerate(edge_list):
        out.add_edge(u, v, key=f"e{i}", **d)  # the key is the edge's id: unique, as Gephi needs
    return out


def write_graphml(graph: nx.Graph, path: str | Path) -> None:
    """Write ``graph`` as GraphML at ``path``, all or nothing.

    Strings are cleaned of XML-illegal characters, lists joined, None/nan dropped, edge ids
    made unique and weights kept > 0. The file is written under a temporary name in the same
    folder and moved into place, so a failure leaves any previous file as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError("the folder to write into does not exist", str(path))
    if path.is_dir():
        raise ExportError("is a folder, not a file name", str(path))
    ready = _graphml_ready(graph)

    tmp = folder / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        # 0o666 and O_EXCL: the new file gets the usual permissions (umask), never clobbers.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            # Looked up at call time (nx.write_graphml), the lxml writer by default.
            nx.write_graphml(ready, fh, encoding="utf-8", prettyprint=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        if isinstance(err, ExportError) or not isinstance(err, Exception):
            raise
        raise ExportError(f"cannot write GraphML ({type(err).__name__}: {err})", str(path)) from err


def export_graphml(store: Any, path: str | Path) -> dict[str, int]:
    """Write the store's actor graph (``actor_graph``) as GraphML; returns node and edge counts."""
    graph = actor_graph(store)
    write_graphml(graph, path)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
