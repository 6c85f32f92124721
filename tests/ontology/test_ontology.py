"""ontology/kg.ttl documents every class and property a build uses."""
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.namespaces import KG
from kg.paths import ONTOLOGY_DIR
from kg.query import list_saved_queries, run_query

from conftest import rows


def test_every_term_in_use_has_label_and_comment(seed_store):
    onto = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    used = {p for (p,) in rows(seed_store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    used |= {t for (t,) in rows(seed_store, "SELECT DISTINCT ?t WHERE { ?s a ?t }")}
    ours = sorted(u for u in used if u.startswith(str(KG)))
    assert len(ours) > 30
    for term in ours:
        from rdflib import URIRef

        t = URIRef(term)
        assert (t, RDFS.label, None) in onto, term
        assert (t, RDFS.comment, None) in onto, term
        assert (t, RDF.type, None) in onto, term


def test_every_saved_query_answers_on_the_seeds(seed_store):
    saved = list_saved_queries()
    assert len(saved) >= 5 and all(q.description for q in saved)
    for q in saved:
        params = {"entity": "Asim Munir"} if "entity" in q.parameters else {}
        result = run_query(seed_store, q, params)
        assert len(result) >= 1, q.name
