"""The main job: article files -> extraction -> resolution -> RDF in the store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF, SKOS

from kg.errors import InputError
from kg.namespaces import ENTITY_GRAPH, KG
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


def build(paths: Iterable[str | Path], store: KGStore, *, use_gazetteer: bool = True, strict: bool = False,
          on_error: Callable[[InputError], None] | None = None, batch_size: int = 16) -> BuildReport:
    """Read, extract, resolve and store the articles under ``paths``.

    Each document replaces its own named graph, so building the same files again gives the same
    graph. Unreadable files are reported through ``on_error`` and skipped (raised with ``strict``).
    """
    from kg import rdf
    from kg.extract import extract
    from kg.ingest import read_documents
    from kg.nlp import load_pipeline
    from kg.resolve import resolve

    report = BuildReport()

    def skip(err: InputError) -> None:
        report.skipped.append(str(err))
        if on_error is not None:
            on_error(err)

    docs = list(read_documents(paths, strict=strict, on_error=skip))
    if docs:
        nlp = load_pipeline(use_gazetteer)
        extractions = list(extract(docs, nlp, use_gazetteer=use_gazetteer, batch_size=batch_size))
        res = resolve(extractions, use_gazetteer=use_gazetteer)
        # Compute every graph before touching the store, so a failure leaves it as it was.
        graphs = [(rdf.doc_iri(x), rdf.document_triples(xi, x, res)) for xi, x in enumerate(extractions)]
        entity_graph = _merge_entities(store, list(rdf.entity_triples(res.entities)))
        for iri, triples in graphs:
            store.replace_graph(iri, triples)
        store.replace_graph(ENTITY_GRAPH, entity_graph)
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
