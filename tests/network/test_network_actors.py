"""kg.network.actors: the actor graph and its GraphML, read back as networkx and igraph (Gephi's rules)."""
from __future__ import annotations

import os

import networkx as nx
import pytest
from lxml import etree

from kg.errors import ExportError
from kg.network.actors import actor_graph, export_graphml, relation_properties, sanitize_text, write_graphml
from kg.namespaces import ID
from kg.store import KGStore

from conftest import ADVISER, ARMY, COAS, IRAN, IRGC, JAISH, MUNIR, NASTY_CLEAN, SALAMI
from conftest import build_mini_store as build_store

GML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path / "store")
    yield s
    s.close()


def edges_by(graph, label):
    return [(u, v, d) for u, v, d in graph.edges(data=True) if d["label"] == label]


# --------------------------------------------------------------------------------------------
# actor_graph
# --------------------------------------------------------------------------------------------
def test_relation_properties_come_from_the_ontology():
    props = {p.split("#")[1] for p in relation_properties()}
    assert props == {
        "meetsWith", "visits", "cooperatesWith", "agreesWith", "attacks", "kills", "clashesWith",
        "arrests", "accuses", "condemns", "warns", "designatedAs", "basedIn", "activeIn",
        "locatedIn", "bordersWith", "partOf", "commands", "leads", "memberOf", "acquires", "sues",
        "employs",
    }


def test_actor_graph_nodes(store):
    g = actor_graph(store)
    assert isinstance(g, nx.MultiDiGraph)
    munir = g.nodes[str(MUNIR)]
    assert munir == {"label": "Asim Munir", "type": "Person", "country": "Pakistan", "documents": 2,
                     "positions": "Chief of Army Staff of the Pakistan Army"}
    assert g.nodes[str(SALAMI)]["positions"] == "Adviser"
    assert g.nodes[str(IRAN)]["country"] == ""
    assert g.nodes[str(IRGC)]["type"] == "MilitaryOrganization"
    # The end of a relation that the entity graph does not describe is still a labelled node.
    assert g.nodes[str(ID["place/zahedan"])]["label"] == "zahedan"
    assert str(COAS) not in g and str(ADVISER) not in g  # positions are not nodes
    for _, data in g.nodes(data=True):
        assert data["label"]
        assert all(isinstance(v, (str, int, float)) for v in data.values())


def test_actor_graph_edges(store):
    g = actor_graph(store)
    meets = edges_by(g, "meetsWith")
    assert len(meets) == 1  # one edge per (subject, relation, object), over both documents
    u, v, d = meets[0]
    assert (u, v) == (str(MUNIR), str(SALAMI))
    assert d["weight"] == 3 and d["documents"] == 2
    assert d["evidence"] in {"Munir met Salami in Tehran.", "The two generals met.", "Salami had met Munir."}
    assert d["confidence"] == pytest.approx(0.9)
    unsupported = edges_by(g, "activeIn")[0][2]
    assert unsupported["weight"] == 1 and unsupported["evidence"] == "" and unsupported["confidence"] == 0.0
    pos = edges_by(g, "holdsPosition")
    assert [(u, v, d["title"]) for u, v, d in pos] == [
        (str(MUNIR), str(ARMY), "Chief of Army Staff of the Pakistan Army")
    ]
    assert pos[0][2]["weight"] == 1
    for _, _, data in g.edges(data=True):
        assert data["weight"] >= 1 and isinstance(data["weight"], int)
        assert all(v is not None and isinstance(v, (str, int, float)) for v in data.values())


# --------------------------------------------------------------------------------------------
# GraphML
# --------------------------------------------------------------------------------------------
def test_export_reads_back_in_networkx_and_igraph(store, tmp_path):
    path = tmp_path / "actors.graphml"
    counts = export_graphml(store, path)
    g = actor_graph(store)
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}

    raw = path.read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")

    back = nx.read_graphml(path)
    assert back.number_of_nodes() == counts["nodes"] and back.number_of_edges() == counts["edges"]
    for node, data in back.nodes(data=True):
        assert data["label"].strip(), node
        assert isinstance(data["documents"], int)
    for u, v, data in back.edges(data=True):
        assert data["weight"] > 0 and isinstance(data["weight"], int)
        assert isinstance(data["confidence"], float) and isinstance(data["documents"], int)
    assert back.nodes[str(MUNIR)] == g.nodes[str(MUNIR)]
    meets = [d for u, v, d in back.edges(data=True) if d["label"] == "meetsWith"]
    assert meets[0]["weight"] == 3

    import igraph

    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == counts["nodes"] and ig.ecount() == counts["edges"]
    assert ig.is_directed()
    assert all(label.strip() for label in ig.vs["label"])
    assert all(w > 0 for w in ig.es["weight"])
    munir = ig.vs.find(id=str(MUNIR))
    assert munir["label"] == "Asim Munir" and munir["documents"] == 2
    assert sorted(ig.es["weight"]) == sorted(d["weight"] for _, _, d in g.edges(data=True))


def test_graphml_follows_gephis_rules(store, tmp_path):
    path = tmp_path / "actors.graphml"
    export_graphml(store, path)
    root = etree.parse(str(path)).getroot()
    keys = {k.get("id"): k for k in root.iter(f"{GML}key")}
    assert keys
    for k in keys.values():
        assert k.get("for") in ("node", "edge", "graph", "all")
        assert k.get("attr.type") in ("boolean", "int", "long", "float", "double", "string")
    names = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys.values()}
    assert names[("node", "label")] == "string" and names[("edge", "label")] == "string"
    assert names[("edge", "weight")] in ("int", "long")
    ids = [e.get("id") for e in root.iter(f"{GML}edge")]
    assert len(ids) == len(set(ids)) and all(ids)  # Gephi drops an edge whose id repeats
    assert all(n.get("id") for n in root.iter(f"{GML}node"))
    for data in root.iter(f"{GML}data"):
        assert data.get("key") in keys  # undeclared keys are dropped by Gephi
        if keys[data.get("key")].get("attr.type") != "string":
            assert data.text not in (None, "", "None", "null", "nan", "inf")
    weight_key = next(i for i, k in keys.items() if k.get("attr.name") == "weight")
    assert all(float(d.text) > 0 for d in root.iter(f"{GML}data") if d.get("key") == weight_key)


def test_illegal_characters_removed_rest_kept(store, tmp_path):
    path = tmp_path / "actors.graphml"
    export_graphml(store, path)
    text = path.read_text(encoding="utf-8")
    assert "\x01" not in text and "\x0c" not in text and "\x0b" not in text
    back = nx.read_graphml(path)
    assert back.nodes[str(JAISH)]["label"] == NASTY_CLEAN
    clash = next(d for _, _, d in back.edges(data=True) if d["label"] == "clashesWith")
    assert clash["evidence"] == "The IRGC clashed with Jaish al-Adl."
    import igraph

    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vs.find(id=str(JAISH))["label"] == NASTY_CLEAN


def test_sanitize_text():
    assert sanitize_text("a\x00b\x08c\x0b\x0c\x0e\x1fd\tx\ny\rz") == "abcd\tx\ny\rz"
    assert sanitize_text("lone \ud800 and \udfff surrogates, \ufffe\uffff") == "lone  and  surrogates, "
    assert sanitize_text("é 🚀 <&> \u0085") == "é 🚀 <&> \u0085"


def test_write_graphml_cleans_a_hand_made_graph(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a\x01", label="", tags=["x", None, "y\x02"], score=float("nan"), missing=None, n=1)
    g.add_node("b", label="B", score=2.5, n=2.0)
    g.add_edge("a\x01", "b", key="r", weight=0, label="r")
    g.add_edge("a\x01", "b", key="r2", weight=None, label="r")
    g.add_edge("b", "a\x01", key="r", label="s", weight=2)
    path = tmp_path / "hand.graphml"
    write_graphml(g, path)
    back = nx.read_graphml(path)
    assert set(back.nodes) == {"a", "b"}
    assert back.nodes["a"]["label"] == "a"  # an empty label becomes the id
    assert back.nodes["a"]["tags"] == "x; y"
    assert "score" not in back.nodes["a"] and "missing" not in back.nodes["a"]
    assert back.nodes["b"]["score"] == 2.5
    assert back.nodes["a"]["n"] == 1.0 and isinstance(back.nodes["a"]["n"], float)  # int+float -> float
    weights = sorted(d["weight"] for _, _, d in back.edges(data=True))
    assert weights == [1, 1, 2]
    root = etree.parse(str(path)).getroot()
    ids = [e.get("id") for e in root.iter(f"{GML}edge")]
    assert len(set(ids)) == 3


def test_write_graphml_empty_node_id_refused(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("\x01\x02")
    with pytest.raises(ExportError, match="empty id"):
        write_graphml(g, tmp_path / "x.graphml")
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_write_leaves_previous_file(store, tmp_path, monkeypatch):
    path = tmp_path / "actors.graphml"
    path.write_bytes(b"<previous file/>\n")
    os.chmod(path, 0o644)
    before = path.read_bytes()
    seen = []

    def half_then_fail(graph, fh, *args, **kwargs):
        seen.append(fh)
        fh.write(b"<?xml version='1.0' encoding='utf-8'?>\n<graphml><graph><node id=")
        fh.flush()
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # really mid-write
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(nx, "write_graphml", half_then_fail)
    with pytest.raises(ExportError, match="disk on fire"):
        export_graphml(store, path)
    assert seen, "the export did not go through networkx.write_graphml"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actors.graphml", "store"]


def test_failure_without_previous_file_leaves_nothing(store, tmp_path, monkeypatch):
    def fail(graph, fh, *args, **kwargs):
        fh.write(b"<?xml")
        raise TypeError("list-valued attribute")

    monkeypatch.setattr(nx, "write_graphml", fail)
    with pytest.raises(ExportError):
        export_graphml(store, tmp_path / "new.graphml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_rewrite_replaces_and_keeps_usual_permissions(store, tmp_path):
    path = tmp_path / "actors.graphml"
    path.write_text("old")
    export_graphml(store, path)
    assert path.read_bytes().startswith(b"<?xml")
    umask = os.umask(0)
    os.umask(umask)
    assert (path.stat().st_mode & 0o777) == (0o666 & ~umask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actors.graphml", "store"]


def test_export_into_missing_folder_is_an_error(store, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_graphml(store, tmp_path / "nope" / "x.graphml")


def test_export_is_deterministic(store, tmp_path):
    a, b = tmp_path / "a.graphml", tmp_path / "b.graphml"
    export_graphml(store, a)
    export_graphml(store, b)
    assert a.read_bytes() == b.read_bytes()


def test_empty_store_exports_an_empty_graph(tmp_path):
    s = KGStore(tmp_path / "empty")
    try:
        counts = export_graphml(s, tmp_path / "e.graphml")
    finally:
        s.close()
    assert counts == {"nodes": 0, "edges": 0}
    assert nx.read_graphml(tmp_path / "e.graphml").number_of_nodes() == 0
