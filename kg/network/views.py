"""Network views of the store, as networkx graphs ready for the exporters in `kg.network.formats`.

Three views:

- ``actors``: entities as nodes, relations as edges. Every statement (assertion) between two
  entities is folded into one edge per ordered pair, with ``weight`` (statements), ``relations``
  (their names) and ``label``; symmetric relations (``owl:SymmetricProperty`` in the ontology) are
  oriented from the smaller node id and marked ``mutual``.
- ``events``: bipartite, entities and events; an edge entity -> event carries the roles
  (agent, participant, target, place).
- ``comentions``: entities mentioned in one sentence (or one document), undirected, weighted.

Every statement has a date: the date of the event told in the same sentence with one of its ends
as a party, else the document's date (``dcterms:date``, else ``kg:referenceDate``). Edges and
nodes get ``first_date`` / ``last_date`` from those, which is what the GEXF time spells use.
"""
from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.ontology import schema
from kg.errors import ExportError
from kg.iri import is_valid_iri
from kg.network.metrics import add_metrics
from kg.network.queries import ENTITIES as _ENTITIES
from kg.network.queries import local_name as _local
from kg.network.queries import relation_properties
from kg.network.queries import select as _select
from kg.namespaces import ENTITY_GRAPH, ID, KG

log = logging.getLogger(__name__)

__all__ = ["VIEWS", "Filters", "build_view", "node_id", "parse_filters"]

VIEWS = ("actors", "events", "comentions")
_ROLES = ("agent", "participant", "target", "place")


@dataclass
class Filters:
    """What to keep. Dates are ISO strings (``YYYY-MM-DD``); ``types`` are class names
    (``Person``, ``Organization`` takes its subclasses too)."""

    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    min_weight: float = 0.0
    entity: str | None = None
    hops: int = 1
    cooccurrence: str = "sentence"  # comentions: "sentence" or "document"

    @property
    def dated(self) -> bool:
        return bool(self.since or self.until)


def parse_filters(types: str = "", since: str | None = None, until: str | None = None, min_weight: float = 0.0,
                  entity: str | None = None, hops: int = 1, cooccurrence: str = "sentence") -> Filters:
    """The Filters of the command line's options: ``types`` comma-separated, ``since`` and
    ``until`` checked to be ISO dates (ExportError naming the option otherwise)."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise ExportError(f"{name} {value!r}: expected a date as YYYY-MM-DD") from None
    return Filters(types=tuple(t for t in types.split(",") if t.strip()), since=since, until=until,
                   min_weight=min_weight, entity=entity, hops=hops, cooccurrence=cooccurrence)


# --------------------------------------------------------------------------------------------
# The ontology: symmetric relations, subclasses, event classes
# --------------------------------------------------------------------------------------------
symmetric_relations = schema.symmetric_relations
subclasses = schema.subclasses
event_classes = schema.event_classes


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
_NOT_NAME = re.compile(r"[^\w.\-:]")


def node_id(iri: str) -> str:
    """A short id for the node of ``iri`` that is an XML NMTOKEN, as GraphML 1.0 wants node ids
    to be: ``https://w3id.org/newskg/id/person/asim-munir`` -> ``person:asim-munir``."""
    key = iri[len(str(ID)):] if iri.startswith(str(ID)) else iri
    return _NOT_NAME.sub("_", key.replace("/", ":")) or "_"


def _s(term: Any) -> str:
    return "" if term is None else str(term)


def _i(term: Any) -> int:
    try:
        return int(str(term))
    except (TypeError, ValueError):
        return 0


def _in_window(date: str, f: Filters) -> bool:
    if not f.dated:
        return True
    if not date:
        return False  # an undated statement cannot be placed in a time window
    return (not f.since or date >= f.since) and (not f.until or date <= f.until)


@dataclass
class _Edge:
    source: str
    target: str
    relations: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    evidence: list[str] = field(default_factory=list)
    sentences: set[tuple[str, int]] = field(default_factory=set)
    weight: float = 0.0
    mutual: bool = True


# --------------------------------------------------------------------------------------------
# Reading the store
# --------------------------------------------------------------------------------------------
_ALIASES = """
SELECT ?e ?a WHERE { GRAPH <%(entities)s> { ?e skos:altLabel ?a } }
"""

_LABELS = "SELECT ?e (MIN(?l) AS ?label) WHERE { ?e skos:prefLabel ?l } GROUP BY ?e"

_DOC_DATES = """
SELECT ?d (MIN(STR(?dd)) AS ?date) (MIN(STR(?rd)) AS ?ref) WHERE {
  ?d a kg:Document . OPTIONAL { ?d dcterms:date ?dd } OPTIONAL { ?d kg:referenceDate ?rd }
} GROUP BY ?d
"""

_MENTIONED = "SELECT ?d ?e WHERE { ?d kg:mentions ?e }"

# One row per assertion; the date of an event of the same sentence in the same document with the
# subject as a party, when there is one.
_STATEMENTS = """
SELECT ?s ?p ?o ?a ?doc ?ev ?i (MIN(STR(?ed)) AS ?edate) WHERE {
  VALUES ?p { %(props)s }
  ?a rdf:predicate ?p ; a kg:Assertion ; rdf:subject ?s ; rdf:object ?o .
  FILTER NOT EXISTS { ?a kg:negated true }
  # LATERAL: a lookup from each assertion; a plain OPTIONAL is a hash join in Oxigraph, which
  # reads the whole of its pattern (every sentence index of every mention) once
  LATERAL { OPTIONAL { ?a kg:evidence ?ev } }
  LATERAL { OPTIONAL { ?a kg:inDocument ?doc } }
  LATERAL {
    OPTIONAL {
      ?a kg:inDocument ?doc ; kg:sentenceIndex ?i .
      LATERAL { OPTIONAL { GRAPH ?doc { ?e kg:sentenceIndex ?i ; kg:date ?ed ; ?role ?s .
                                        FILTER(?role IN (kg:agent, kg:participant, kg:target)) } } }
    }
  }
} GROUP BY ?s ?p ?o ?a ?doc ?ev ?i
"""

# Plain relation triples no assertion stands behind (rare: data written by other tools).
_BARE = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { %(props)s }
  ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o))
  # the statements' (s, p, o) by three scans joined by hash, then one anti-join: a NOT EXISTS
  # would look up every statement about a triple's subject once per triple
  MINUS {
    { SELECT ?a ?s WHERE { ?a rdf:subject ?s } }
    { SELECT ?a ?p WHERE { ?a rdf:predicate ?p } }
    { SELECT ?a ?o WHERE { ?a rdf:object ?o } }
  }
}
"""

_POSITION_ORGS = """
SELECT ?pos (MIN(?org) AS ?o) WHERE { ?pos kg:positionIn ?org . FILTER(isIRI(?org)) } GROUP BY ?pos
"""

_EVENTS = """
SELECT ?e ?t (MIN(?l) AS ?label) (MIN(STR(?d)) AS ?date) (MAX(STR(?d2)) AS ?date2)
       (MIN(?ev) AS ?evidence) WHERE {
  VALUES ?t { %(classes)s }
  ?e a ?t .
  OPTIONAL { ?e skos:prefLabel ?l }
  OPTIONAL { ?e kg:date ?d }
  OPTIONAL { ?e kg:date ?d2 }
  OPTIONAL { ?e kg:evidence ?ev }
} GROUP BY ?e ?t
"""

_EVENT_DOCS = "SELECT DISTINCT ?e ?doc WHERE { ?e a ?t ; kg:inDocument ?doc . VALUES ?t { %(classes)s } }"

_ROLE_ROWS = """
SELECT DISTINCT ?e ?role ?x ?g WHERE {
  VALUES ?role { kg:agent kg:participant kg:target kg:place }
  GRAPH ?g { ?e ?role ?x }
}
"""

_MENTIONS = """
SELECT ?doc ?i ?x (MIN(?s) AS ?start) (MAX(?t) AS ?end) WHERE {
  ?m a kg:Mention ; kg:refersTo ?x ; kg:inDocument ?doc ; kg:sentenceIndex ?i ;
     kg:charStart ?s ; kg:charEnd ?t .
} GROUP BY ?doc ?i ?x
"""

_DOC_TEXT = "SELECT ?d ?text WHERE { ?d a kg:Document ; kg:text ?text }"


def _props_values() -> str:
    props = relation_properties() + [KG.holdsPosition]
    for p in props:
        if not is_valid_iri(str(p)):  # the ontology's IRIs go into the query text: check them first
            raise ValueError(f"not a valid IRI: {p}")
    return " ".join(f"<{p}>" for p in props)


class _Data:
    """What the views need from the store, read once."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.nodes: dict[str, dict[str, Any]] = {}
        for e, typ, label, country in _select(store, _ENTITIES % {"entities": ENTITY_GRAPH}):
            self.nodes[str(e)] = {"label": _s(label) or _local(e), "type": _local(typ) if typ else "Entity",
                                  "country": _s(country), "kind": "entity"}
        self.aliases: dict[str, set[str]] = defaultdict(set)
        for e, a in _select(store, _ALIASES % {"entities": ENTITY_GRAPH}):
            self.aliases[str(e)].add(str(a))
        self.doc_date: dict[str, str] = {
            str(d): _s(date)[:10] or _s(ref)[:10] for d, date, ref in _select(store, _DOC_DATES)
        }
        self.mentioned: dict[str, set[str]] = defaultdict(set)
        for d, e in _select(store, _MENTIONED):
            self.mentioned[str(e)].add(str(d))
        self._labels: dict[str, str] | None = None

    def ensure_node(self, iri: str) -> None:
        """A node for the end of a statement that the entity graph does not describe."""
        if iri in self.nodes:
            return
        if self._labels is None:
            self._labels = {str(e): _s(l) for e, l in _select(self.store, _LABELS)}
        self.nodes[iri] = {"label": self._labels.get(iri) or _local(iri), "type": "Entity",
                           "country": "", "kind": "entity"}

    def statements(self) -> list[dict[str, Any]]:
        """Every relation statement: source, target, relation, document, date, evidence."""
        props = _props_values()
        orgs = {str(p): str(o) for p, o in _select(self.store, _POSITION_ORGS)}
        out = []
        for s, p, o, a, doc, ev, i, edate in _select(self.store, _STATEMENTS % {"props": props}):
            rel, target = _local(p), str(o)
            if rel == "holdsPosition":
                if target not in orgs:
                    continue  # a position in no organization links to nothing
                target = orgs[target]
            out.append({"source": str(s), "target": target, "relation": rel, "doc": _s(doc),
                        "date": _s(edate)[:10] or self.doc_date.get(_s(doc), ""),
                        "evidence": _s(ev), "sentence": (_s(doc), _i(i)) if doc is not None else None})
        for s, p, o in _select(self.store, _BARE % {"props": props}):
            if _local(p) == "holdsPosition":
                continue
            out.append({"source": str(s), "target": str(o), "relation": _local(p), "doc": "",
                        "date": "", "evidence": "", "sentence": None})
        out.sort(key=lambda st: (st["source"], st["target"], st["relation"], st["date"], st["doc"], st["evidence"]))
        return out

    def events(self) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str, str]]]:
        classes = " ".join(f"<{c}>" for c in event_classes())
        docs: dict[str, set[str]] = defaultdict(set)
        for e, doc in _select(self.store, _EVENT_DOCS % {"classes": classes}):
            docs[str(e)].add(str(doc))
        events: dict[str, dict[str, Any]] = {}
        for e, t, label, date, date2, ev in _select(self.store, _EVENTS % {"classes": classes}):
            iri = str(e)
            doc_dates = sorted(d for d in (self.doc_date.get(x, "") for x in docs[iri]) if d)
            first = _s(date)[:10] or (doc_dates[0] if doc_dates else "")
            last = _s(date2)[:10] or (doc_dates[-1] if doc_dates else "")
            # An event typed twice (Attack and Killing, say) keeps the first class in name order.
            if iri in events and events[iri]["type"] <= _local(t):
                continue
            events[iri] = {"label": _s(label) or _local(e), "type": _local(t), "country": "", "kind": "event",
                           "first": first, "last": last, "docs": docs[iri], "evidence": _s(ev)}
        roles = sorted((str(e), _local(r), str(x), str(g)) for e, r, x, g in _select(self.store, _ROLE_ROWS)
                       if str(e) in events)
        return events, roles

    def mentions(self) -> list[tuple[str, int, str, int, int]]:
        return sorted((str(d), _i(i), str(x), _i(s), _i(t)) for d, i, x, s, t in _select(self.store, _MENTIONS))

    def texts(self) -> dict[str, str]:
        return {str(d): str(t) for d, t in _select(self.store, _DOC_TEXT)}


# --------------------------------------------------------------------------------------------
# Folding statements into edges
# --------------------------------------------------------------------------------------------
def _actor_edges(data: _Data, f: Filters) -> list[_Edge]:
    sym = symmetric_relations()
    edges: dict[tuple[str, str], _Edge] = {}
    for st in data.statements():
        if not _in_window(st["date"], f):
            continue
        u, v, rel = st["source"], st["target"], st["relation"]
        if u == v:
            continue
        if rel in sym and node_id(v) < node_id(u):
            u, v = v, u  # one orientation for "A meets B" and "B meets A"
        e = edges.setdefault((u, v), _Edge(u, v))
        e.relations.append(rel)
        e.mutual = e.mutual and rel in sym
        e.weight += 1
        if st["date"]:
            e.dates.append(st["date"])
        if st["doc"]:
            e.documents.add(st["doc"])
        if st["evidence"]:
            e.evidence.append(st["evidence"])
    return list(edges.values())


def _event_edges(data: _Data, f: Filters) -> tuple[dict[str, dict[str, Any]], list[_Edge]]:
    events, roles = data.events()
    edges: dict[tuple[str, str], _Edge] = {}
    for e, role, x, g in roles:
        ev = events[e]
        if not _in_window(ev["first"], f):
            continue
        edge = edges.setdefault((x, e), _Edge(x, e, mutual=False))
        if role not in edge.relations:
            edge.relations.append(role)
        edge.documents.add(g)
        if ev["first"]:
            edge.dates += [ev["first"], ev["last"] or ev["first"]]
        if ev["evidence"] and not edge.evidence:
            edge.evidence.append(ev["evidence"])
    for edge in edges.values():
        edge.relations.sort(key=_ROLES.index if all(r in _ROLES for r in edge.relations) else str)
        edge.weight = len(edge.documents)
    return events, list(edges.values())


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence that holds text[start:end]: evidence for a co-mention."""
    if not text or end <= start:
        return ""
    dot = text.rfind(". ", 0, start)
    left = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    return " ".join(text[left:right].split())


# Entities paired within one sentence (or document, for --cooccurrence document). Pairs grow
# with the square of the entities a unit names: a list of ten thousand names would make fifty
# million edges. Above this, the entities named most often in the unit (then first named) are
# paired and the rest left out of that unit's co-mentions.
MAX_COMENTION_ENTITIES = 200


def _unit_entities(ments: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """One mention per entity of a unit (its first, by position), entities sorted; at most
    `MAX_COMENTION_ENTITIES` of them."""
    first: dict[str, tuple[str, int, int]] = {}
    count: dict[str, int] = defaultdict(int)
    for m in sorted(set(ments)):
        first.setdefault(m[0], m)
        count[m[0]] += 1
    ents = sorted(first.values())
    if len(ents) > MAX_COMENTION_ENTITIES:
        log.warning("a unit names %d entities; co-mentions only among the %d named most often",
                    len(ents), MAX_COMENTION_ENTITIES)
        ents = sorted(sorted(ents, key=lambda m: (-count[m[0]], m[1], m[0]))[:MAX_COMENTION_ENTITIES])
    return ents


def _comention_edges(data: _Data, f: Filters) -> list[_Edge]:
    by_unit: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
    for doc, i, x, s, t in data.mentions():
        if not _in_window(data.doc_date.get(doc, ""), f):
            continue
        unit = (doc, i if f.cooccurrence == "sentence" else -1)
        by_unit[unit].append((x, s, t))
    texts = data.texts() if f.cooccurrence == "sentence" else {}
    edges: dict[tuple[str, str], _Edge] = {}
    for (doc, i), ments in sorted(by_unit.items()):
        # each pair of entities once per unit, from the first mention of each: the evidence
        # sentence is the one a pairing of every mention with every other found first
        ents = _unit_entities(ments)
        for a_i, (a, a_s, a_t) in enumerate(ents):
            for b, b_s, b_t in ents[a_i + 1:]:
                u, v = sorted((a, b), key=node_id)
                e = edges.setdefault((u, v), _Edge(u, v, relations=["comention"]))
                e.sentences.add((doc, i))
                e.documents.add(doc)
                if data.doc_date.get(doc):
                    e.dates.append(data.doc_date[doc])
                if i >= 0 and not e.evidence:
                    ev = _sentence_around(texts.get(doc, ""), min(a_s, b_s), max(a_t, b_t))
                    if ev:
                        e.evidence.append(ev)
    for e in edges.values():
        e.weight = len(e.sentences)
    return list(edges.values())


# --------------------------------------------------------------------------------------------
# The view
# --------------------------------------------------------------------------------------------
def _type_filter(types: tuple[str, ...]) -> set[str]:
    wanted: set[str] = set()
    known = subclasses("Entity") | subclasses("Event")
    for t in types:
        name = t.strip()
        match = next((k for k in known if k.lower() == name.lower()), None)
        if match is None:
            raise ExportError(f"--types: unknown type {name!r} (known: {', '.join(sorted(known))})")
        wanted |= subclasses(match)
    return wanted


def build_view(store: Any, view: str = "actors", filters: Filters | None = None) -> nx.Graph:
    """The ``view`` of the store as a networkx graph with typed attributes and metrics.

    ``actors`` and ``events`` give a ``DiGraph``, ``comentions`` a ``Graph``. Node attributes:
    ``label``, ``type``, ``kind`` (entity/event), ``country``, ``aliases``, ``iri``, ``documents``,
    ``first_date``, ``last_date`` and the metrics of `kg.network.metrics`; edge attributes: ``label``,
    ``relations``, ``weight``, ``mutual``, ``first_date``, ``last_date``, ``documents``,
    ``evidence``. Values are str, int, float or bool, never None. Raises ExportError for an
    unknown view, type or entity.
    """
    f = filters or Filters()
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r} (choose from {', '.join(VIEWS)})")
    if f.cooccurrence not in ("sentence", "document"):
        raise ExportError(f"unknown co-occurrence unit {f.cooccurrence!r} (sentence or document)")
    data = _Data(store)
    events, edges = _view_edges(data, view, f)
    graph: nx.Graph = nx.Graph() if view == "comentions" else nx.DiGraph()
    graph.graph.update(view=view, directed=view != "comentions")
    keep_isolated = not (f.dated or f.min_weight > 0)
    _add_nodes(graph, data, events, edges, f, keep_isolated)
    _add_edges(graph, edges, f)
    if f.types:
        _keep_types(graph, f.types)
    if f.entity:
        graph = _ego(store, graph, f.entity, f.hops)
    if not keep_isolated:
        graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    add_metrics(graph)
    return graph


def _view_edges(data: _Data, view: str, f: Filters) -> tuple[dict[str, dict[str, Any]], list[_Edge]]:
    """The events (for the ``events`` view, else none) and the folded edges of ``view``; every
    end that is not an event gets an entity node."""
    events: dict[str, dict[str, Any]] = {}
    if view == "actors":
        edges = _actor_edges(data, f)
    elif view == "events":
        events, edges = _event_edges(data, f)
    else:
        edges = _comention_edges(data, f)
    for e in edges:
        for end in (e.source, e.target):
            if end not in events:
                data.ensure_node(end)
    return events, edges


def _node_dates(data: _Data, events: dict[str, dict[str, Any]], edges: list[_Edge],
                f: Filters) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
    """Each node's dates (of its edges, the documents mentioning it, its event) and documents."""
    node_dates: dict[str, list[str]] = defaultdict(list)
    node_docs: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        for end in (e.source, e.target):
            node_dates[end] += e.dates
    # Nodes seen in no statement still get the dates of the documents that mention them.
    for iri, docs in data.mentioned.items():
        node_docs[iri] |= docs
        node_dates[iri] += [data.doc_date[d] for d in docs if data.doc_date.get(d) and _in_window(data.doc_date[d], f)]
    for iri, ev in events.items():
        node_docs[iri] |= ev["docs"]
        node_dates[iri] += [d for d in (ev["first"], ev["last"]) if d]
    return node_dates, node_docs


def _add_nodes(graph: nx.Graph, data: _Data, events: dict[str, dict[str, Any]], edges: list[_Edge],
               f: Filters, keep_isolated: bool) -> None:
    node_dates, node_docs = _node_dates(data, events, edges, f)
    ends = {x for e in edges for x in (e.source, e.target)}
    for iri, info in sorted(data.nodes.items()) + sorted(events.items()):
        if not keep_isolated and iri not in ends:
            continue
        if graph.graph["view"] == "events" and iri not in ends:
            continue  # the bipartite view shows what took part in events, and events
        dates = sorted(d for d in node_dates.get(iri, []) if _in_window(d, f))
        graph.add_node(
            node_id(iri), iri=iri, label=info["label"], type=info["type"], kind=info["kind"],
            country=info["country"], aliases="; ".join(sorted(data.aliases.get(iri, ()))),
            documents=len(node_docs.get(iri, ())),
            first_date=dates[0] if dates else "", last_date=dates[-1] if dates else "",
        )


def _add_edges(graph: nx.Graph, edges: list[_Edge], f: Filters) -> None:
    for e in sorted(edges, key=lambda e: (node_id(e.source), node_id(e.target))):
        if e.weight < f.min_weight:
            continue
        counts = {r: e.relations.count(r) for r in dict.fromkeys(e.relations)}
        rels = list(counts)
        dates = sorted(e.dates)
        graph.add_edge(
            node_id(e.source), node_id(e.target),
            label="; ".join(rels), relations="; ".join(r if n == 1 else f"{r} ({n})" for r, n in counts.items()), weight=int(e.weight),
            mutual=bool(e.mutual), first_date=dates[0] if dates else "", last_date=dates[-1] if dates else "",
            documents=len(e.documents), evidence=sorted(e.evidence, key=lambda s: (len(s), s))[0] if e.evidence else "",
        )


def _keep_types(graph: nx.Graph, types: tuple[str, ...]) -> None:
    """Drop the nodes of other types; events stay unless an event class is named (and, in the
    ``events`` view, only while something of the kept types took part in them)."""
    wanted = _type_filter(types)
    names_events = bool(wanted & subclasses("Event"))
    drop = [n for n, d in graph.nodes(data=True)
            if d["type"] not in wanted and not (d["kind"] == "event" and not names_events)]
    graph.remove_nodes_from(drop)
    if graph.graph["view"] == "events" and not names_events:
        graph.remove_nodes_from([n for n, d in graph.nodes(data=True) if d["kind"] == "event" and graph.degree(n) == 0])


def _ego(store: Any, graph: nx.Graph, name: str, hops: int) -> nx.Graph:
    """The nodes at most ``hops`` steps from the entity ``name`` (either direction)."""
    from kg.query.explain import find_entities

    if hops < 0:
        raise ExportError(f"--hops must be 0 or more, not {hops}")
    centres = [node_id(i) for i in find_entities(store, name)]
    centres = [c for c in centres if c in graph]
    if not centres:
        want = name.strip().lower()
        centres = [n for n, d in graph.nodes(data=True) if d["label"].lower() == want or n == name]
    if not centres:
        raise ExportError(f"--entity: no node of this view is called {name!r}")
    keep: set[str] = set()
    for c in centres:
        keep |= set(nx.ego_graph(graph, c, radius=hops, undirected=True).nodes)
    out = graph.subgraph(sorted(keep)).copy()
    out.graph.update(graph.graph)
    return out
