"""kg.resolve.events: one event node per real event across documents."""
import datetime as dt

import pytest

from kg.build import build
from kg.resolve.events import Candidate, link_events, same_event, shared_events
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
