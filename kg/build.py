"""The main job: article files -> extraction -> resolution -> RDF in the store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF, SKOS

from kg.errors import InputError
from kg.limits import IngestLimits
from kg.namespaces import ENTITY_GRAPH, FACTS_GRAPH, ID, KG
from kg.store import KGStore



@dataclass
class BuildReport:
    """What a build stored; the counts are of the whole store after the build."""

    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    documents: int = 0
    entities: int = 0
    relations: int = 0
    events: int = 0
    triples: int = 0


def store_counts(store: KGStore) -> dict[str, int]:
    """Documents, entities, relations (distinct plain triples between entities), events, triples."""
    q = """
    SELECT
      (COUNT(DISTINCT ?doc) AS ?documents)
    WHERE { ?doc a kg:Document }
    """
    docs = int(next(iter(store.query(q)))[0])
    ents = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH <%s> { ?e a ?t } }" % ENTITY_GRAPH)))[0])
    rels = int(next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?a a kg:Assertion ; "
        "rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }")))[0])
    events = int(next(iter(store.query(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:inDocument ?d ; kg:trigger ?t }")))[0])
    return {"documents": docs, "entities": ents, "relations": rels, "events": events, "triples": len(store)}


_ASSERTIONS_BY_SENTENCE = """
SELECT ?s ?p ?o ?doc ?sent (MAX(?c) AS ?conf) (COUNT(?a) AS ?n)
       (GROUP_CONCAT(STR(?a); separator=" ") AS ?assertions)
       (SUM(?claimed) AS ?claims) (SUM(?denied) AS ?denials)
WHERE {
  {
    SELECT ?a ?s ?p ?o ?doc ?sent (MAX(?c0) AS ?c)
           (MAX(IF(BOUND(?by), 1, 0)) AS ?claimed) (MAX(IF(COALESCE(?neg, false), 1, 0)) AS ?denied)
    WHERE {
      ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inDocument ?doc .
      OPTIONAL { ?a kg:sentenceIndex ?sent }
      OPTIONAL { ?a kg:confidence ?c0 }
      OPTIONAL { ?a kg:claimedBy ?by }
      OPTIONAL { ?a kg:negated ?neg }
    }
    GROUP BY ?a ?s ?p ?o ?doc ?sent
  }
}
GROUP BY ?s ?p ?o ?doc ?sent
"""

MAX_FACT_CONFIDENCE = 0.99  # however many sentences say it, an extracted statement is never certain


def fact_triples(store: KGStore) -> list[tuple]:
    """The facts graph: one kg:Fact per distinct (s, p, o) that an assertion in the store states.

    A fact has its triple (rdf:subject/predicate/object), kg:supportedBy each assertion,
    kg:supportCount (assertions), kg:documentCount (distinct documents), kg:confidence and
    kg:claimOnly true when every assertion is someone's claim (kg:claimedBy). The confidence
    combines the sentences that state it as a noisy-or, 1 - prod(1 - c) over distinct (document,
    sentence) (the best assertion of a sentence counts once; a sentence that denies the triple,
    kg:negated, adds nothing), capped at 0.99; a triple only ever denied keeps the highest
    confidence of its denials. Read from the whole store, so it covers every document built so far.
    """
    import hashlib

    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    facts: dict[tuple, dict] = {}
    for s, p, o, doc, _sent, conf, n, assertions, claims, denials in store.query(_ASSERTIONS_BY_SENTENCE):
        f = facts.setdefault((s, p, o), {"n": 0, "docs": set(), "stated": [], "denied": [], "claims": 0,
                                          "assertions": set()})
        f["n"] += int(n)
        f["docs"].add(doc)
        f["claims"] += int(claims)
        f["assertions"].update(str(assertions).split())
        c = float(conf) if conf is not None else 1.0
        # a sentence that only denies the triple is no support for it
        (f["denied"] if int(denials) == int(n) else f["stated"]).append(c)
    out: list[tuple] = []
    for (s, p, o), f in sorted(facts.items(), key=lambda kv: tuple(map(str, kv[0]))):
        if f["stated"]:
            doubt = 1.0
            for c in f["stated"]:
                doubt *= 1.0 - min(max(c, 0.0), 1.0)
            conf = min(1.0 - doubt, MAX_FACT_CONFIDENCE)
        else:
            conf = min(max(f["denied"]), MAX_FACT_CONFIDENCE)
        node = ID["fact/" + hashlib.sha1(f"{s}\x1f{p}\x1f{o}".encode("utf-8")).hexdigest()[:16]]
        out += [
            (node, RDF.type, KG.Fact),
            (node, RDF.subject, s), (node, RDF.predicate, p), (node, RDF.object, o),
            (node, KG.supportCount, Literal(f["n"], datatype=XSD.integer)),
            (node, KG.documentCount, Literal(len(f["docs"]), datatype=XSD.integer)),
            (node, KG.confidence, Literal(f"{conf:.2f}", datatype=XSD.decimal)),
            (node, KG.claimOnly, Literal(f["claims"] == f["n"])),
        ]
        out += [(node, KG.supportedBy, URIRef(a)) for a in sorted(f["assertions"])]
    return out


def build(paths: Iterable[str | Path], store: KGStore, *, use_gazetteer: bool = True, strict: bool = False,
          on_error: Callable[[InputError], None] | None = None, batch_size: int = 16,
          limits: IngestLimits | None = None) -> BuildReport:
    """Read, extract, resolve and store the articles under ``paths``.

    Each document replaces its own named graph, so building the same files again gives the same
    graph. Unreadable files are reported through ``on_error`` and skipped (raised with ``strict``);
    ``limits`` bound each input file (size, HTML depth, text length; `kg.limits` has the defaults).
    """
    from kg import rdf
    from kg.events import link_events
    from kg.extract import extract
    from kg.ingest import read_documents
    from kg.nlp import load_pipeline
    from kg.resolve import resolve

    report = BuildReport()

    def skip(err: InputError) -> None:
        report.skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    docs = list(read_documents(paths, strict=strict, on_error=skip, limits=limits))
    if docs:
        nlp = load_pipeline(use_gazetteer)
        extractions = list(extract(docs, nlp, use_gazetteer=use_gazetteer, batch_size=batch_size))
        res = resolve(extractions, use_gazetteer=use_gazetteer)
        # One node per real event: events of different documents that report the same one share it.
        event_keys = link_events(extractions, res)
        # Compute every graph before touching the store, so a failure leaves it as it was.
        graphs = [(rdf.doc_iri(x), rdf.document_triples(xi, x, res, event_keys)) for xi, x in enumerate(extractions)]
        entity_graph = _merge_entities(store, list(rdf.entity_triples(res.entities)))
        for iri, triples in graphs:
            store.replace_graph(iri, triples)
        store.replace_graph(ENTITY_GRAPH, entity_graph)
        # From the store, not this batch: support counts over every document built so far.
        store.replace_graph(FACTS_GRAPH, fact_triples(store))
        store.flush()
        report.built = [d.source for d in docs]
    for k, v in store_counts(store).items():
        setattr(report, k, v)
    return report


def _merge_entities(store: KGStore, new: list[tuple]) -> set[tuple]:
    """The entity graph after this build: what the store had, plus the new entities and aliases.

    An entity already described keeps its type, label and country, so a later build never gives
    a node a second type.
    """
    old = store.graph(ENTITY_GRAPH)
    fixed = {(s, p) for s, p, _ in old.triples((None, None, None)) if p in (RDF.type, SKOS.prefLabel, KG.country)}
    out = set(old.triples((None, None, None)))
    for s, p, o in new:
        if p in (RDF.type, SKOS.prefLabel, KG.country) and (s, p) in fixed:
            continue
        out.add((s, p, o))
    return out
