"""One event node per real event across documents (kg.resolve.events) and the facts graph (kg.build)."""
import datetime as dt

import pytest

from kg.build import build
from kg.resolve.events import Candidate, link_events, same_event, shared_events
from kg.namespaces import FACTS_GRAPH
from kg.store import KGStore

from conftest import rows


def _cand(doc="a", n=0, type="Attack", day=10, end=None, args=("org/x",), places=("place/p",)):
    start = dt.date(2022, 12, day)
    return Candidate(0, n, doc, type, start, dt.date(2022, 12, end or day), frozenset(args), frozenset(places))


@pytest.mark.parametrize("other, same", [
    (_cand(doc="b"), True),                                  # same actor, place and day
    (_cand(doc="b", day=12), True),                          # two days apart
    (_cand(doc="b", day=13), False),                         # three days apart
    (_cand(doc="b", day=5, end=9), True),                    # an interval ending the day before
    (_cand(doc="b", type="Clash"), False),                   # another kind of event
    (_cand(doc="b", places=("place/q",)), False),            # places that disagree
    (_cand(doc="b", places=()), True),                       # no place said: the actor decides
    (_cand(doc="b", args=("org/y",)), True),                 # other actors, same place and day
    (_cand(doc="b", args=("org/y",), places=()), False),     # nothing shared
    (_cand(doc="a", n=1), False),                            # the same document: already decided
])
def test_pairwise_rule(other, same):
    assert same_event(_cand(), other) is same
    assert same_event(other, _cand()) is same


ATTACK_A = """Gunmen kill four guards near Saravan

Published: 6 December 2022

SARAVAN, Iran (Frontier Wire) - Militants of the Baloch Liberation Front attacked a border post near Saravan on Monday, killing four border guards, the provincial police chief said.
"""
ATTACK_B = """Four guards dead, says Iran; group claims seven

Published: 7 December 2022

Militants of the Baloch Liberation Front attacked a border post near Saravan on Monday and killed seven border guards, the group said in a statement. Iranian officials gave a lower toll.
"""
MEETING_C = """Ministers meet in Saravan

Published: 6 December 2022

Interior Minister Daryush Kamrani met tribal elders in Saravan on Monday, officials said.
"""


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("reports")
    for name, text in (("a.txt", ATTACK_A), ("b.txt", ATTACK_B), ("c.txt", MEETING_C)):
        (folder / name).write_text(text, encoding="utf-8")
    store = KGStore(tmp_path_factory.mktemp("reports-store") / "store")
    build([folder], store, use_gazetteer=False)
    yield store
    store.close()


def _attack_nodes(store):
    return rows(store, """
        SELECT ?ev (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
          ?ev a kg:Attack ; kg:inDocument ?doc } GROUP BY ?ev""")


def test_two_reports_of_one_attack_are_one_node(two_reports):
    nodes = _attack_nodes(two_reports)
    assert len(nodes) == 1, nodes
    assert nodes[0][1] == "2"


def test_disagreeing_tolls_stay_apart_as_each_document_gave_them(two_reports):
    by_doc = rows(two_reports, """
        SELECT ?title ?killed WHERE {
          GRAPH ?g { ?ev a kg:Attack ; kg:killed ?killed ; kg:inDocument ?doc }
          ?doc dcterms:title ?title } ORDER BY ?killed""")
    assert [k for _, k in by_doc] == ["4", "7"], by_doc
    assert by_doc[0][0].startswith("Gunmen kill four") and by_doc[1][0].startswith("Four guards dead")


def test_a_meeting_at_the_same_place_and_day_is_not_the_attack(two_reports):
    ev = rows(two_reports, "SELECT DISTINCT ?ev WHERE { ?ev a kg:Meeting }")
    attack = {e for e, _ in _attack_nodes(two_reports)}
    assert ev and not attack & {e for (e,) in ev}


def test_one_label_per_shared_node(two_reports):
    labels = rows(two_reports, "SELECT ?ev (COUNT(DISTINCT ?l) AS ?n) WHERE { ?ev a kg:Attack ; skos:prefLabel ?l } GROUP BY ?ev")
    assert [n for _, n in labels] == ["1"]


def test_dev_set_bajwa_visit_reported_by_two_outlets(dev_store):
    """dev_06 (Pakistani angle) and dev_07 (Iranian angle) report the same visit to Tehran."""
    r = rows(dev_store, """
        SELECT ?ev (GROUP_CONCAT(DISTINCT ?src; separator=" ") AS ?sources) WHERE {
          ?ev a kg:Visit ; kg:agent/skos:prefLabel "Qamar Javed Bajwa" ; kg:inDocument ?doc .
          ?doc kg:sourcePath ?src } GROUP BY ?ev""")
    joint = [src for _, src in r if "dev_06" in src and "dev_07" in src]
    assert joint, r


def test_no_shared_node_joins_two_events_of_one_document(seed_extractions):
    from kg.resolve import resolve

    import copy

    xs = copy.deepcopy(seed_extractions)  # resolve() sets Mention.entity: leave the shared fixture as it was
    res = resolve(xs)
    keys = link_events(xs, res)
    for members in shared_events(keys).values():
        docs = [xi for xi, _ in members]
        assert len(docs) == len(set(docs)), members


# -- the facts graph ------------------------------------------------------------------------

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
