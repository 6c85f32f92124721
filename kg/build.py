"""The main job: article files -> extraction -> resolution -> RDF in the store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.errors import InputError
from kg.limits import IngestLimits
from kg.namespaces import ENTITY_GRAPH, ID, KG
from kg.store import KGStore



@dataclass
class BuildReport:
    """What a build stored; the counts are of the whole store after the build."""

    built: list[str] = field(default_factory=list)  # extracted: new or changed
    unchanged: list[str] = field(default_factory=list)  # already in the store as they are
    replaced: list[str] = field(default_factory=list)  # IRIs of older graphs of changed files
    removed: list[str] = field(default_factory=list)  # sources pruned (file gone)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    documents: int = 0
    entities: int = 0
    relations: int = 0
    events: int = 0
    triples: int = 0


def store_counts(store: KGStore) -> dict[str, int]:
    """Documents, entities, relations (distinct plain triples between entities), events, triples.

    Triples are the distinct triples of the knowledge graph: the build log and the entailments
    of ``--infer`` are not counted.
    """
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
    return {"documents": docs, "entities": ents, "relations": rels, "events": events, "triples": store.triple_count()}


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
          prune: bool = False, limits: IngestLimits | None = None) -> BuildReport:
    """Read, extract, resolve and store the articles under ``paths``.

    Only new or changed files are extracted (`kg.incremental`): a file whose source path and
    content the store already holds is left as it is, so building the same files again changes
    nothing but the build log. A changed file replaces its old graph. With ``prune``, documents
    whose source lies under ``paths`` but no longer exists are removed. Unreadable files are
    reported through ``on_error`` and skipped (raised with ``strict``); ``limits`` bound each
    input file (size, HTML depth, text length; `kg.limits` has the defaults). Every build is
    recorded in the build log (PROV-O).
    """
    from kg import incremental, rdf
    from kg.events import link_events
    from kg.extract import extract
    from kg.ingest import read_documents
    from kg.nlp import load_pipeline
    from kg.resolve import resolve

    started = incremental.now()
    paths = list(paths)
    report = BuildReport()

    def skip(err: InputError) -> None:
        report.skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    docs = list(read_documents(paths, strict=strict, on_error=skip, limits=limits))
    todo = incremental.plan(store, docs)
    report.unchanged = [d.source for d in todo.unchanged]
    generated: list[str] = []
    if todo.todo:
        nlp = load_pipeline(use_gazetteer)
        extractions = list(extract(todo.todo, nlp, use_gazetteer=use_gazetteer, batch_size=batch_size))
        res = resolve(extractions, use_gazetteer=use_gazetteer)
        # One node per real event: events of different documents that report the same one share it.
        event_keys = link_events(extractions, res)
        # Compute every graph before touching the store, so a failure leaves it as it was.
        entities = list(rdf.entity_triples(res.entities))
        graphs = []
        for xi, x in enumerate(extractions):
            iri, triples = rdf.doc_iri(x), rdf.document_triples(xi, x, res, event_keys)
            proposal = incremental.entity_proposal(triples, entities)
            graphs.append((iri, [*triples, (iri, KG.entityProposal, incremental.proposal_literal(proposal))]))
        for old in todo.replaced:
            store.remove_graph(URIRef(old))
        for iri, triples in graphs:
            store.replace_graph(iri, triples)
        generated = [str(iri) for iri, _ in graphs]
        report.built = [d.source for d in todo.todo]
        report.replaced = list(todo.replaced)
    removed: list[str] = []
    if prune:
        gone = incremental.missing_documents(store, paths)
        for d in gone:
            store.remove_graph(URIRef(d.iri))
        removed = [d.iri for d in gone]
        report.removed = [d.source for d in gone]
    # The log first: the entity graph is merged in build order, which the log records.
    incremental.record_activity(
        store, "Build", started, generated=generated, invalidated=[*todo.replaced, *removed],
        used=[d.source for d in docs],
        counts={"documentsAdded": len(todo.new), "documentsChanged": len(todo.changed),
                "documentsUnchanged": len(todo.unchanged), "documentsRemoved": len(removed)})
    if generated or removed or todo.replaced:
        incremental.refresh_derived(store)
    for k, v in store_counts(store).items():
        setattr(report, k, v)
    store.commit()  # published in one rename: a build killed before this leaves the store as it was
    return report
