"""kg.network.views and kg.network.metrics: the actors, events and co-mention networks, their filters and metrics."""
from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import ExportError
from kg.network.metrics import add_metrics, pagerank
from kg.network.views import Filters, build_view, node_id

from conftest import ATTACK, IRGC, JAISH, MEETING, MUNIR, SALAMI, TEHRAN

NODE_ATTRS = {"iri": str, "label": str, "type": str, "kind": str, "country": str, "aliases": str, "documents": int,
              "first_date": str, "last_date": str, "degree": int, "weighted_degree": float, "pagerank": float,
              "betweenness": float, "community": int}
EDGE_ATTRS = {"label": str, "relations": str, "weight": int, "mutual": bool, "first_date": str, "last_date": str,
              "documents": int, "evidence": str}


def n(iri) -> str:
    return node_id(str(iri))


def check_typed(graph: nx.Graph) -> None:
    for node, d in graph.nodes(data=True):
        assert {k: type(v) for k, v in d.items()} == NODE_ATTRS, node
    for u, v, d in graph.edges(data=True):
        assert {k: type(x) for k, x in d.items()} == EDGE_ATTRS, (u, v)


def test_node_ids_are_nmtokens():
    assert node_id("https://w3id.org/newskg/id/person/asim-munir") == "person:asim-munir"
    assert node_id("https://example.org/a b/c?d") == "https:::example.org:a_b:c_d"


def test_actors_view_folds_parallel_statements(mini_store):
    g = build_view(mini_store, "actors")
    assert isinstance(g, nx.DiGraph) and not g.is_multigraph()
    check_typed(g)
    # Three sentences in two documents say Munir met Salami: one edge.
    d = g.edges[n(MUNIR), n(SALAMI)]
    assert (d["label"], d["relations"], d["weight"], d["documents"], d["mutual"]) == (
        "meetsWith", "meetsWith (3)", 3, 2, True)
    # The first statement is dated by the meeting told in its sentence, the last by document 2.
    assert (d["first_date"], d["last_date"]) == ("2023-07-15", "2023-08-02")
    assert d["evidence"] in {"Munir met Salami in Tehran.", "The two generals met.", "Salami had met Munir."}
    attack = g.edges[n(JAISH), "place:zahedan"]
    assert attack["first_date"] == "2023-07-08" and attack["mutual"] is False
    # A position links the person to its organization; one in no organization links nowhere.
    assert g.edges[n(MUNIR), "org:pakistan-army"]["label"] == "holdsPosition"
    assert g.out_degree(n(SALAMI)) == 0
    munir = g.nodes[n(MUNIR)]
    assert (munir["label"], munir["type"], munir["country"], munir["documents"]) == ("Asim Munir", "Person", "Pakistan", 2)
    assert (munir["first_date"], munir["last_date"]) == ("2023-07-15", "2023-08-02")
    assert g.nodes[n(SALAMI)]["aliases"] == "Salami"
    assert g.nodes["place:zahedan"]["label"] == "zahedan"  # not described, still labelled


def test_symmetric_relation_has_one_orientation(mini_store):
    g = build_view(mini_store, "actors")
    assert g.has_edge(n(IRGC), n(JAISH)) != g.has_edge(n(JAISH), n(IRGC))


def test_events_view_is_bipartite_with_roles(mini_store):
    g = build_view(mini_store, "events")
    check_typed(g)
    events = {x for x, d in g.nodes(data=True) if d["kind"] == "event"}
    assert events == {n(MEETING), n(ATTACK)}
    assert all((u in events) != (v in events) for u, v in g.edges)  # bipartite
    assert g.nodes[n(MEETING)]["type"] == "Meeting" and g.nodes[n(MEETING)]["first_date"] == "2023-07-15"
    assert g.edges[n(MUNIR), n(MEETING)]["label"] == "participant"
    assert g.edges[n(TEHRAN), n(MEETING)]["label"] == "place"
    assert g.edges[n(JAISH), n(ATTACK)]["label"] == "agent"
    assert n(IRGC) not in g  # took part in no event


def test_comentions_by_sentence_and_by_document(mini_store):
    g = build_view(mini_store, "comentions")
    assert not g.is_directed()
    check_typed(g)
    d = g.edges[n(MUNIR), n(SALAMI)]
    assert d["weight"] == 2 and d["documents"] == 2  # one sentence in each document
    assert g.edges[n(IRGC), n(JAISH)]["evidence"] == "The IRGC clashed with Jaish al-Adl."
    assert not g.has_edge(n(MUNIR), n(IRGC))  # same document, different sentences
    by_doc = build_view(mini_store, "comentions", Filters(cooccurrence="document"))
    assert by_doc.has_edge(n(MUNIR), n(IRGC)) and by_doc.edges[n(MUNIR), n(SALAMI)]["weight"] == 2


def test_type_filter_takes_subclasses(mini_store):
    people = build_view(mini_store, "actors", Filters(types=("Person",)))
    assert set(people) == {n(MUNIR), n(SALAMI)}
    orgs = build_view(mini_store, "actors", Filters(types=("organization",)))
    assert {d["type"] for _, d in orgs.nodes(data=True)} == {"MilitaryOrganization", "ArmedGroup"}
    with pytest.raises(ExportError, match="unknown type 'Pirate'"):
        build_view(mini_store, "actors", Filters(types=("Pirate",)))


def test_date_filter_keeps_statements_in_the_window(mini_store):
    g = build_view(mini_store, "actors", Filters(since="2023-07-20", until="2023-07-31"))
    d = g.edges[n(MUNIR), n(SALAMI)]
    assert d["weight"] == 1 and d["first_date"] == d["last_date"] == "2023-07-22"
    assert "place:zahedan" not in g  # attacked on 2023-07-08
    assert all(d["degree"] > 0 for _, d in g.nodes(data=True))
    assert all("2023-07-20" <= d["first_date"] <= "2023-07-31" for *_, d in g.edges(data=True))
    later = build_view(mini_store, "actors", Filters(since="2023-08-01"))
    assert list(later.edges) == [(n(MUNIR), n(SALAMI))]


def test_min_weight_and_ego_network(mini_store):
    heavy = build_view(mini_store, "actors", Filters(min_weight=2))
    assert list(heavy.edges) == [(n(MUNIR), n(SALAMI))] and set(heavy) == {n(MUNIR), n(SALAMI)}
    ego = build_view(mini_store, "actors", Filters(entity="Salami", hops=1))
    assert set(ego) == {n(SALAMI), n(MUNIR)}
    ego2 = build_view(mini_store, "actors", Filters(entity="Hossein Salami", hops=2))
    assert set(ego2) == {n(SALAMI), n(MUNIR), n(TEHRAN), "org:pakistan-army"}
    assert list(build_view(mini_store, "actors", Filters(entity="Salami", hops=0))) == [n(SALAMI)]
    with pytest.raises(ExportError, match="no node of this view is called 'Nobody'"):
        build_view(mini_store, "actors", Filters(entity="Nobody"))


def test_unknown_view_is_an_error(mini_store):
    with pytest.raises(ExportError, match="unknown view 'people'"):
        build_view(mini_store, "people")


def test_metrics_are_repeatable_and_right():
    g = nx.DiGraph()
    g.add_edge("a", "b", weight=2)
    g.add_edge("b", "c", weight=1)
    g.add_edge("c", "a", weight=1)
    g.add_edge("x", "y", weight=5)
    g.add_edge("y", "z", weight=5)
    g.add_node("alone")
    add_metrics(g)
    again = g.copy()
    add_metrics(again)
    assert dict(g.nodes(data=True)) == dict(again.nodes(data=True))
    assert g.nodes["b"]["degree"] == 2 and g.nodes["b"]["weighted_degree"] == 3.0
    assert g.nodes["y"]["betweenness"] > 0 and g.nodes["alone"]["betweenness"] == 0.0
    assert g.nodes["a"]["community"] == g.nodes["b"]["community"] == g.nodes["c"]["community"]
    assert g.nodes["a"]["community"] != g.nodes["x"]["community"]
    # The SciPy-free PageRank agrees with networkx's pure-Python one.
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    expected = _pagerank_python(g, weight="weight", tol=1e-12)
    ours = pagerank(g)
    assert sum(ours.values()) == pytest.approx(1.0)
    assert all(ours[k] == pytest.approx(expected[k], abs=1e-8) for k in g)


# --------------------------------------------------------------------------------------------
# On the seeds
# --------------------------------------------------------------------------------------------
SEED_ACTORS = ["IRGC", "Pakistan Army", "Jaish al-Adl", "Asim Munir", "Hossein Salami", "Mohammad Baqeri"]


def find(graph: nx.Graph, name: str) -> str:
    """The node whose label or one of whose aliases is ``name``."""
    hits = [x for x, d in graph.nodes(data=True)
            if d["label"] == name or name in d["aliases"].split("; ")]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def test_seed_actors_view(seed_store):
    g = build_view(seed_store, "actors")
    check_typed(g)
    nodes = {name: find(g, name) for name in SEED_ACTORS}
    for name, x in nodes.items():
        d = g.nodes[x]
        assert d["label"] and d["type"] and d["documents"] >= 1 and d["first_date"] and d["degree"] >= 1, name
    assert g.nodes[nodes["IRGC"]]["type"] == "MilitaryOrganization"
    assert g.nodes[nodes["Jaish al-Adl"]]["type"] == "ArmedGroup"
    assert g.nodes[nodes["Asim Munir"]]["country"] == "Pakistan"
    salami, munir = nodes["Hossein Salami"], nodes["Asim Munir"]
    edge = g.edges[munir, salami] if g.has_edge(munir, salami) else g.edges[salami, munir]
    assert "meetsWith" in edge["label"].split("; ")
    assert edge["first_date"] == "2023-07-15"  # "on Saturday" before the 17 July caption
    assert "meeting" in edge["evidence"] and "Salami" in edge["evidence"]


def test_a_relation_triple_without_statement_is_an_edge(mini_store):
    """Plain relation triples that no assertion stands behind (data written by another tool)
    become edges with no evidence; those an assertion stands behind are not counted twice."""
    from rdflib import URIRef

    from kg.namespaces import KG

    before = build_view(mini_store, "actors")
    other = URIRef("https://w3id.org/newskg/doc/other-tool")
    mini_store.add_triples(other, [(IRGC, KG.basedIn, TEHRAN), (MUNIR, KG.meetsWith, SALAMI)])
    g = build_view(mini_store, "actors")
    assert (n(IRGC), n(TEHRAN)) not in before.edges
    assert g.edges[n(IRGC), n(TEHRAN)]["label"] == "basedIn" and g.edges[n(IRGC), n(TEHRAN)]["evidence"] == ""
    assert g.edges[n(MUNIR), n(SALAMI)]["weight"] == before.edges[n(MUNIR), n(SALAMI)]["weight"]
