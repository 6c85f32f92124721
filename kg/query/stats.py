"""`kg stats` and `kg docs`: what the store holds, by the numbers and document by document."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from kg.namespaces import BUILD_LOG_GRAPH, ENTITY_GRAPH
from kg.query.results import QueryResult, format_result, shorten
from kg.store import KGStore


@dataclass
class Stats:
    """Counts over the knowledge graph (the build log and ``--infer`` entailments not counted)."""

    documents: int = 0
    triples: int = 0
    entities: dict[str, int] = field(default_factory=dict)  # type (prefixed) -> count
    relations: dict[str, int] = field(default_factory=dict)  # predicate -> distinct triples
    events: dict[str, int] = field(default_factory=dict)  # event type -> count
    builds: int = 0  # activities in the build log


def _counts(store: KGStore, sparql: str) -> dict[str, int]:
    return {shorten(k): int(n) for k, n in store.query(sparql)}


def stats(store: KGStore) -> Stats:
    """Documents, entities by type, relations by predicate, events by type, triples."""
    out = Stats()
    out.documents = int(next(iter(store.query("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }")))[0])
    out.triples = store.triple_count()
    out.entities = _counts(store, "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH <%s> { ?e a ?t } } "
                                  "GROUP BY ?t ORDER BY DESC(?n) ?t" % ENTITY_GRAPH)
    out.relations = _counts(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                                   "?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } } "
                                   "GROUP BY ?p ORDER BY DESC(?n) ?p")
    # an event node shared by several documents counts once, under each type it has
    out.events = _counts(store, "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:trigger ?x ; a ?t } "
                                "GROUP BY ?t ORDER BY DESC(?n) ?t")
    out.builds = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH <%s> { ?a a prov:Activity } }" % BUILD_LOG_GRAPH)))[0])
    return out


def format_stats(s: Stats, fmt: str = "text") -> str:
    """A readable report of ``s``, or with ``fmt`` "json" its fields as one JSON object."""
    if fmt == "json":
        return json.dumps(asdict(s), ensure_ascii=False, indent=1) + "\n"
    lines = [f"documents  {s.documents}", f"triples    {s.triples}  (build log: {s.builds} activities, not counted)"]
    for title, counts in (("entities", s.entities), ("relations", s.relations), ("events", s.events)):
        lines.append(f"{title:<10} {sum(counts.values())}")
        width = max((len(k) for k in counts), default=0)
        lines += [f"  {k:<{width}}  {n}" for k, n in counts.items()]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class DocInfo:
    iri: str
    source: str
    title: str | None
    date: str | None
    triples: int


def documents(store: KGStore) -> list[DocInfo]:
    """The stored documents with title, date, source and the size of their graph, oldest date first."""
    from kg.store import stored_documents

    out = []
    for d in stored_documents(store):
        n = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % d.iri)))[0])
        out.append(DocInfo(d.iri, d.source, d.title, d.date, n))
    return sorted(out, key=lambda d: (d.date or "9999", d.source))


def format_documents(docs: list[DocInfo], fmt: str = "text") -> str:
    """A table of ``docs`` (`kg docs`): date, title, source, the document's hash and its triples;
    with ``fmt`` "json" a JSON list of the same, one object per document (with its full IRI)."""
    if fmt == "json":
        items = [{**asdict(d), "doc": d.iri.rsplit("/", 1)[-1]} for d in docs]
        return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
    rows = [(d.date or "", d.title or "", d.source, d.iri.rsplit("/", 1)[-1], str(d.triples)) for d in docs]
    return format_result(QueryResult("SELECT", ["date", "title", "source", "doc", "triples"], rows))
