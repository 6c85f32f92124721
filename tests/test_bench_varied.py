"""bench/varied.py: stores of varied documents made from one real build keep its shape, share
gazetteer entities between copies, re-draw the others, and carry the facts of what they hold."""
from __future__ import annotations

import pytest

from conftest import SEEDS

pytestmark = pytest.mark.slow  # the bench harness: the slow tier

ENTITIES = "https://w3id.org/newskg/graph/entities"


@pytest.fixture(scope="module")
def variants(tmp_path_factory, nlp):
    from bench.varied import varied_store
    from kg.build import build
    from kg.store import KGStore

    tmp = tmp_path_factory.mktemp("varied")
    with KGStore(tmp / "base") as st:
        build([SEEDS], st)
        base = len(st)
    made = varied_store(str(tmp / "base"), str(tmp / "v"), 4, str(tmp / "v.nq"))
    st = KGStore(tmp / "v", create=False, read_only=True)
    yield base, made, st
    st.close()


def _one(st, sparql):
    return [tuple(r) for r in st.query(sparql)]


def test_copies_grow_the_store_and_keep_its_graphs(variants):
    base, made, st = variants
    assert made["copies"] == 4 and 3 * base < made["triples"] < 4 * base
    docs = _one(st, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a kg:Document } }")[0][0]
    assert int(docs) == 4 * 2  # the seeds' two documents, four times, each in its own graph


def test_an_entity_has_one_label_and_one_type(variants):
    _, _, st = variants
    many = _one(st, "SELECT ?e WHERE { GRAPH <%s> { ?e skos:prefLabel ?l } } GROUP BY ?e HAVING (COUNT(?l) > 1)" % ENTITIES)
    assert many == []
    many = _one(st, "SELECT ?e WHERE { GRAPH <%s> { ?e a ?t } } GROUP BY ?e HAVING (COUNT(?t) > 1)" % ENTITIES)
    assert many == []


def test_gazetteer_entities_are_shared_and_others_vary(variants):
    _, _, st = variants
    # the IRGC (a gazetteer entity) is named by documents of several copies
    docs = _one(st, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:mentions <https://w3id.org/newskg/id/org/irgc> }")
    assert int(docs[0][0]) >= 4
    variants_ = _one(st, "SELECT ?e ?l WHERE { GRAPH <%s> { ?e skos:prefLabel ?l } FILTER(CONTAINS(STR(?e), '-v')) }" % ENTITIES)
    assert variants_, "no entity was re-drawn"


def test_the_facts_are_those_of_the_stored_assertions(variants):
    """The facts graph written with the variants is what the build's own code computes from the
    store's assertions."""
    from kg.build.facts import fact_triples
    from kg.namespaces import FACTS_GRAPH

    from rdflib import Literal

    def values(triples):  # Oxigraph keeps a decimal's canonical form: "0.90" comes back "0.9"
        return {(s, p, o.toPython() if isinstance(o, Literal) else o) for s, p, o in triples}

    _, _, st = variants
    stored = values(st.graph(FACTS_GRAPH))
    assert stored and stored == values(fact_triples(st))
