"""kg.build.facts: the facts graph, one kg:Fact per asserted triple with its support, whether a
build computes it from what it writes, updates it, or it is recomputed from the store."""
from kg.build import build
from kg.namespaces import FACTS_GRAPH
from kg.store import KGStore

from conftest import rows


def test_incremental_facts_equal_a_full_recomputation(tmp_path, nlp):
    """A second build recomputes only the facts its documents touch; the facts graph must still
    be exactly what a recomputation over the whole store gives."""
    from conftest import DEV_ARTICLES, SEEDS
    from kg.build import build, fact_triples
    from kg.namespaces import FACTS_GRAPH
    from kg.store import KGStore

    def facts(store):
        return [ln for ln in store.dump_nquads().splitlines() if b"/graph/facts>" in ln]

    with KGStore(tmp_path / "s") as store:
        build([SEEDS], store)
        report = build([DEV_ARTICLES], store, counts=False)
        assert report.triples == 0 and len(report.built) == len(list(DEV_ARTICLES.iterdir()))  # counts skipped on request
        incremental = facts(store)
        assert incremental
        store.replace_graph(FACTS_GRAPH, fact_triples(store))
        assert facts(store) == incremental


def test_facts_of_a_first_build_equal_a_recomputation(tmp_path, nlp):
    """A build into an empty store computes its facts from the assertions it writes, without
    querying the store; the facts graph must be what `fact_triples` reads from the store."""
    from conftest import DEV_ARTICLES, SEEDS
    from kg.build import build, fact_triples
    from kg.namespaces import FACTS_GRAPH
    from kg.store import KGStore

    def facts(store):
        return [ln for ln in store.dump_nquads().splitlines() if b"/graph/facts>" in ln]

    with KGStore(tmp_path / "s") as store:
        build([SEEDS, DEV_ARTICLES], store, counts=False)
        first = facts(store)
        assert len(first) > 1000
        store.replace_graph(FACTS_GRAPH, fact_triples(store))
        assert facts(store) == first


def test_every_relation_triple_has_one_fact_with_its_support(seed_store):
    facts = rows(seed_store, f"""
        SELECT ?s ?p ?o ?n ?d ?c WHERE {{ GRAPH <{FACTS_GRAPH}> {{
          ?f a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
             kg:supportCount ?n ; kg:documentCount ?d ; kg:confidence ?c }} }}""")
    asserted = rows(seed_store, """
        SELECT ?s ?p ?o (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?doc) AS ?d) WHERE {
          ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inDocument ?doc }
        GROUP BY ?s ?p ?o""")
    assert facts and len(facts) == len(asserted)
    assert {f[:5] for f in facts} == set(asserted)
    assert all(0 < float(c) <= 0.99 for *_, c in facts)


def test_a_fact_two_documents_state_is_surer_than_either(dev_store):
    r = rows(dev_store, """
        SELECT ?c (MAX(?ac) AS ?best) WHERE {
          ?f a kg:Fact ; kg:documentCount ?d ; kg:confidence ?c ; kg:supportedBy ?a . ?a kg:confidence ?ac
          FILTER(?d >= 2) } GROUP BY ?f ?c""")
    assert r
    assert all(float(c) >= float(best) for c, best in r)
    assert any(float(c) > float(best) for c, best in r)


def test_claims_only_facts(dev_store):
    """An accusation's relation is someone's claim: its fact says so."""
    r = rows(dev_store, """
        SELECT ?only WHERE { ?f a kg:Fact ; rdf:predicate kg:accuses ; kg:claimOnly ?only }""")
    assert r
    claimed = rows(dev_store, """
        SELECT ?only (COUNT(?a) AS ?n) (SUM(IF(BOUND(?by), 1, 0)) AS ?claims) WHERE {
          ?f a kg:Fact ; kg:claimOnly ?only ; kg:supportedBy ?a . OPTIONAL { ?a kg:claimedBy ?by } }
        GROUP BY ?f ?only""")
    assert all((only == "true") == (int(n) == int(c)) for only, n, c in claimed)


def test_rebuilding_does_not_double_the_support(tmp_path, nlp):
    from conftest import SEED_IRGC

    store = KGStore(tmp_path / "store")
    build([SEED_IRGC], store)
    q = "SELECT (SUM(?n) AS ?t) WHERE { ?f a kg:Fact ; kg:supportCount ?n }"
    first = rows(store, q)
    build([SEED_IRGC], store)
    assert rows(store, q) == first and int(first[0][0]) > 0
    store.close()
