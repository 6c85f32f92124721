"""kg.network.formats: every format written from a view and read back with its reader (and igraph), the
GraphML schema, Gephi's rules (docs/sources.md, one assertion per rule), nasty text, crash safety."""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from kg.network import formats as exports
from kg.network.export import export
from kg.errors import ExportError
from kg.network.formats import csvfiles, cytoscape, gexf, graphml, nodelink
from kg.network.formats.graphml import validate_graphml
from kg.network.style import color_rgb
from kg.network.views import build_view, node_id

from conftest import JAISH, MUNIR, NASTY_CLEAN, SALAMI, build_mini_store, npm_folder

GML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
GEPHI_TYPES = {"boolean", "int", "long", "float", "double", "string"}
OUT = {"graphml": "g.graphml", "gexf": "g.gexf", "csv": "csvdir", "json": "g.json", "cytoscape": "g.cyjs"}


@pytest.fixture(scope="module")
def seed_views(seed_store):
    return {v: build_view(seed_store, v) for v in ("actors", "events", "comentions")}


def same_value(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_same_graph(view: nx.Graph, back: nx.Graph, *, numbers_as_float: bool = False) -> None:
    """``back`` has the nodes, edges, attributes and attribute types of ``view``."""
    assert set(back.nodes) == set(view.nodes)
    for x, d in view.nodes(data=True):
        got = back.nodes[x]
        for k, v in d.items():
            assert same_value(got[k], v), (x, k, got[k], v)
            want = float if numbers_as_float and type(v) is int else type(v)
            assert type(got[k]) is want, (x, k, type(got[k]))
    pairs = {}
    for u, v, d in back.edges(data=True):
        assert (u, v) not in pairs, "an edge came back twice"
        pairs[(u, v)] = d
    assert len(pairs) == view.number_of_edges()
    for u, v, d in view.edges(data=True):
        got = pairs[(u, v)] if (u, v) in pairs else pairs[(v, u)]
        for k, x in d.items():
            assert same_value(got[k], x), (u, v, k)
            want = float if numbers_as_float and type(x) is int else type(x)
            assert type(got[k]) is want, (u, v, k, type(got[k]))


# --------------------------------------------------------------------------------------------
# GraphML: schema, Gephi's rules, networkx and igraph
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("view", ["actors", "events", "comentions"])
def test_graphml_validates_against_the_schema(seed_views, view, tmp_path):
    path = tmp_path / "g.graphml"
    graphml.write_graphml(seed_views[view], path)
    assert validate_graphml(path) == []


@pytest.mark.parametrize("breakage, message", [
    (lambda t: t.replace(' edgedefault="directed"', ""), "edgedefault"),
    (lambda t: t.replace('attr.type="string"', 'attr.type="text"', 1), "attr.type"),
    (lambda t: re.sub(r' for="node"', "", t, count=1), "attribute 'for'"),
    (lambda t: t.replace('<data key="d', '<data key="zz', 1), "dataKey"),
    (lambda t: re.sub(r'<edge source="[^"]*"', '<edge source="nobody"', t, count=1), "edgeSource"),
    (lambda t: re.sub(r'<node id="[^"]*"', '<node id="a/b"', t, count=1), "NMTOKEN"),
])
def test_schema_refuses_what_gephi_refuses(seed_views, tmp_path, breakage, message):
    path = tmp_path / "g.graphml"
    graphml.write_graphml(seed_views["actors"], path)
    path.write_text(breakage(path.read_text(encoding="utf-8")), encoding="utf-8")
    errors = validate_graphml(path)
    assert errors and any(message in e for e in errors), errors


def test_graphml_follows_gephis_rules(seed_views, tmp_path):
    """One assertion per rule of docs/sources.md's Gephi section (GraphML)."""
    path = tmp_path / "g.graphml"
    view = seed_views["actors"]
    graphml.write_graphml(view, path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    root = etree.fromstring(raw)
    keys = {k.get("id"): k for k in root.iter(f"{GML}key")}
    data = list(root.iter(f"{GML}data"))
    edges = list(root.iter(f"{GML}edge"))
    by_name = {(k.get("for"), k.get("attr.name").lower()): k for k in keys.values()}

    # Keys are for nodes or edges (or all).
    assert {k.get("for") for k in keys.values()} <= {"node", "edge", "all"}
    # Every key has a type Gephi parses.
    assert {k.get("attr.type") for k in keys.values()} <= GEPHI_TYPES
    # A data element whose key is not declared is dropped: every one is declared.
    assert {d.get("key") for d in data} <= set(keys)
    # `label` is the node and the edge label: a string key for both, on every node, never empty.
    label_key = by_name[("node", "label")].get("id")
    assert by_name[("node", "label")].get("attr.type") == "string" and by_name[("edge", "label")].get("attr.type") == "string"
    assert all(any(d.get("key") == label_key and (d.text or "").strip() for d in n) for n in root.iter(f"{GML}node"))
    # `weight` is the edge weight: a numeric key.
    weight_key = by_name[("edge", "weight")]
    assert weight_key.get("attr.type") in {"int", "long", "float", "double"}
    # Colour (r, g, b 0-255 / color #RRGGBB) and layout (x, y, size) keys, when written, are typed right.
    special = {name: k.get("attr.type") for (_, name), k in by_name.items() if name in {"r", "g", "b", "color", "x", "y", "size"}}
    assert all(t == ("string" if n == "color" else "int" if n in "rgb" else "double") for n, t in special.items())
    # An edge with weight 0 is dropped: every weight is > 0.
    assert all(float(d.text) > 0 for d in data if d.get("key") == weight_key.get("id"))
    # Parallel edges are merged by Gephi: the actors view has one edge per ordered pair.
    pairs = [(e.get("source"), e.get("target")) for e in edges]
    assert len(pairs) == len(set(pairs)) == view.number_of_edges()
    # An edge whose id repeats is dropped: ids are unique and present.
    ids = [e.get("id") for e in edges]
    assert all(ids) and len(ids) == len(set(ids))
    # An empty node id aborts the import.
    assert all((n.get("id") or "").strip() for n in root.iter(f"{GML}node"))
    # One XML-illegal character aborts the import: none anywhere.
    assert not ILLEGAL_XML.search(text)
    # None, null, nan, inf in typed columns fail to parse: every typed value parses.
    typed = {i: k.get("attr.type") for i, k in keys.items() if k.get("attr.type") != "string"}
    for d in data:
        if d.get("key") in typed:
            assert d.text not in (None, "", "None", "null", "nan", "inf", "-inf")
            parse = {"boolean": lambda s: {"true": 1, "false": 0}[s.lower()], "int": int, "long": int}.get(typed[d.get("key")], float)
            assert math.isfinite(parse(d.text))
    # The XML declaration is written (its absence broke another project's Gephi import).
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    # Lists are joined into strings (a list makes networkx fail half-way).
    assert not any((d.text or "").startswith(("[", "(", "{")) for d in data)


def test_graphml_reads_back_in_networkx_and_igraph(seed_views, tmp_path):
    import igraph

    for name, view in seed_views.items():
        path = tmp_path / f"{name}.graphml"
        graphml.write_graphml(view, path)
        back = graphml.read_graphml(path)
        assert back.is_directed() == view.is_directed()
        assert_same_graph(view, back)

        ig = igraph.Graph.Read_GraphML(str(path))
        assert ig.is_directed() == view.is_directed()
        assert (ig.vcount(), ig.ecount()) == (view.number_of_nodes(), view.number_of_edges())
        for v in ig.vs:
            want = view.nodes[v["id"]]
            for k, x in want.items():
                # igraph keeps strings and booleans, and every number as a float.
                assert same_value(v[k], x) and isinstance(v[k], str if isinstance(x, str) else (bool, float) if isinstance(x, bool) else float), (k, v[k])
        for e in ig.es:
            u, w = ig.vs[e.source]["id"], ig.vs[e.target]["id"]
            want = view.edges[u, w]
            assert all(same_value(e[k], x) for k, x in want.items())
            assert isinstance(e["mutual"], bool) and isinstance(e["label"], str) and isinstance(e["weight"], float)


# --------------------------------------------------------------------------------------------
# GEXF
# --------------------------------------------------------------------------------------------
def test_gexf_reads_back_with_viz_and_spells(seed_views, tmp_path):
    view = seed_views["actors"]
    path = tmp_path / "g.gexf"
    gexf.write_gexf(view, path)
    back = gexf.read_gexf(path)
    assert back.graph["mode"] == "dynamic"
    largest = max(d["weighted_degree"] for _, d in view.nodes(data=True))
    end = max(d["last_date"] for _, d in view.nodes(data=True))
    for x, d in view.nodes(data=True):
        got = back.nodes[x]
        assert got["label"] == d["label"]
        assert {k: type(v) for k, v in got.items() if k in d} == {k: type(v) for k, v in d.items()}
        assert all(same_value(got[k], v) for k, v in d.items())
        assert got["viz"]["color"] == {**dict(zip("rgb", color_rgb(d["type"]))), "a": 1.0}
        size = got["viz"]["size"]
        assert isinstance(size, float) and 4.0 <= size <= 28.0
        if d["weighted_degree"] == largest:
            assert size == 28.0
        if d["first_date"]:
            assert got["spells"] == [(d["first_date"], end)]
    edges = {(u, v): d for u, v, d in back.edges(data=True)}
    assert len(edges) == view.number_of_edges()
    for u, v, d in view.edges(data=True):
        got = edges[(u, v)]
        assert got["label"] == d["label"] and got["weight"] == float(d["weight"]) and got["mutual"] is d["mutual"]
        assert got["spells"] == [(d["first_date"], end)]
    # Munir and Salami appear on the day they met; the timeline starts with the earliest statement.
    assert back.nodes[node_id(str(MUNIR))]["spells"][0][0] == "2023-07-15"


def test_gexf_follows_gephis_rules(seed_views, tmp_path):
    """docs/sources.md's Gephi section (GEXF), one assertion per rule."""
    path = tmp_path / "g.gexf"
    gexf.write_gexf(seed_views["events"], path)
    root = etree.parse(str(path)).getroot()
    graph = root.find(f"{GEXF}graph")
    nodes = list(root.iter(f"{GEXF}node"))
    # Every node has a label.
    assert nodes and all((n.get("label") or "").strip() for n in nodes)
    # The graph says its default edge type.
    assert graph.get("defaultedgetype") == "directed"
    # viz:color takes integer r, g, b in 0-255.
    colors = [c for n in nodes for c in n.iter(f"{VIZ}color")]
    assert len(colors) == len(nodes) and all(0 <= int(c.get(x)) <= 255 for c in colors for x in "rgb")
    # viz:size is a float.
    assert all(float(s.get("value")) > 0 for n in nodes for s in n.iter(f"{VIZ}size"))
    # Time as spells, with timeformat="date" and mode="dynamic" on the graph.
    assert (graph.get("timeformat"), graph.get("mode")) == ("date", "dynamic")
    spells = list(root.iter(f"{GEXF}spell"))
    assert spells and all(re.fullmatch(r"\d{4}-\d\d-\d\d", s.get(k)) for s in spells for k in ("start", "end"))
    # No z="None" (networkx's writer) and a schemaLocation that matches version 1.3.
    assert b'"None"' not in path.read_bytes()
    assert root.get("version") == "1.3"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[0] == "http://gexf.net/1.3"


# --------------------------------------------------------------------------------------------
# CSV and JSON
# --------------------------------------------------------------------------------------------
def test_csv_reads_back_and_has_gephis_columns(seed_views, tmp_path):
    view = seed_views["actors"]
    csvfiles.write_csv(view, tmp_path / "csv")
    nodes = (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").splitlines()
    edges = (tmp_path / "csv" / "edges.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0].startswith("Id,Label,") and edges[0].startswith("Source,Target,Type,Id,Label,Weight,")
    assert edges[1].split(",")[2] == "Directed"
    assert_same_graph(view, csvfiles.read_csv(tmp_path / "csv"))


def test_json_reads_back(seed_views, tmp_path):
    for name, view in seed_views.items():
        path = tmp_path / f"{name}.json"
        nodelink.write_nodelink(view, path)
        back = nodelink.read_nodelink(path)
        assert back.is_directed() == view.is_directed()
        assert_same_graph(view, back)


def test_export_counts_and_bad_format(mini_store, tmp_path):
    counts = export(mini_store, "graphml", tmp_path / "a.graphml", "events")
    g = build_view(mini_store, "events")
    assert counts == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    with pytest.raises(ExportError, match="unknown format 'dot'"):
        export(mini_store, "dot", tmp_path / "a.dot")
    with pytest.raises(ExportError, match="does not exist"):
        export(mini_store, "gexf", tmp_path / "nope" / "a.gexf")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="needs a folder"):
        export(mini_store, "csv", tmp_path / "file")


# --------------------------------------------------------------------------------------------
# Nasty text and crashes, in every format
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_nasty_label_exports_and_reads_back(mini_store, tmp_path, fmt):
    # The armed group's label holds \x01, \x0c, <, & and an emoji; an evidence sentence \x0b.
    out = tmp_path / OUT[fmt]
    export(mini_store, fmt, out)
    back = exports.read(fmt, out)
    assert back.nodes[node_id(str(JAISH))]["label"] == NASTY_CLEAN
    clash = next(d for *_, d in back.edges(data=True) if d["label"] == "clashesWith")
    assert clash["evidence"] == "The IRGC clashed with Jaish al-Adl."
    files = [out] if out.is_file() else sorted(out.iterdir())
    for f in files:
        assert not ILLEGAL_XML.search(f.read_text(encoding="utf-8"))


def _serializer(fmt: str):
    return {"gexf": gexf, "csv": csvfiles, "json": nodelink, "cytoscape": cytoscape}[fmt]


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_crash_mid_export_leaves_previous_file(mini_store, tmp_path, monkeypatch, fmt):
    out = tmp_path / "exports" / OUT[fmt]
    out.parent.mkdir()
    export(mini_store, fmt, out)
    files = [out] if out.is_file() else sorted(out.iterdir())
    before = {f: f.read_bytes() for f in files}
    listing = sorted(p.name for p in out.parent.rglob("*"))

    def half_then_crash(*args, **kwargs):
        handle = next(a for a in reversed(args) if hasattr(a, "flush"))  # the open file
        handle.write(b"<?xml version='1.0'?><half")
        handle.flush()
        assert any(p.name.endswith(".tmp") for p in out.parent.rglob("*")), "not mid-write"
        raise RuntimeError("power cut")

    if fmt == "graphml":
        monkeypatch.setattr(nx, "write_graphml", half_then_crash)
    else:
        monkeypatch.setattr(_serializer(fmt), "serialize", half_then_crash)
    with pytest.raises(ExportError, match="power cut"):
        export(mini_store, fmt, out, "comentions")
    assert {f: f.read_bytes() for f in files} == before  # byte for byte
    assert sorted(p.name for p in out.parent.rglob("*")) == listing  # no temporary file left


def test_export_imports_neither_spacy_nor_matplotlib(tmp_path):
    store = tmp_path / "store"
    build_mini_store(store).close()
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import main\n"
        f"r = CliRunner().invoke(main, ['export', 'gexf', {str(tmp_path / 'x.gexf')!r}, '--store', {str(store)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('spacy', 'matplotlib', 'thinc') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "x.gexf").is_file()


def test_write_refuses_unsafe_ids(tmp_path):
    g = nx.DiGraph()
    g.add_node("\x01\x02")
    for fmt in exports.FORMATS:
        with pytest.raises(ExportError, match="empty id"):
            exports.write(g, fmt, tmp_path / OUT[fmt])
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_munir_salami_edge_in_every_format(mini_store, tmp_path):
    for fmt in exports.FORMATS:
        out = tmp_path / OUT[fmt]
        export(mini_store, fmt, out)
        back = exports.read(fmt, out)
        d = next(d for u, v, d in back.edges(data=True)
                 if {u, v} == {node_id(str(MUNIR)), node_id(str(SALAMI))} and "meetsWith" in d["label"])
        assert d["weight"] == 3 and d["first_date"] == "2023-07-15", fmt


# --------------------------------------------------------------------------------------------
# Gephi Lite: its importers (graphology-graphml, graphology-gexf) under node
# --------------------------------------------------------------------------------------------
GEPHI_LITE = Path(__file__).resolve().parent.parent / "gephilite"


@pytest.fixture(scope="session")
def gephi_lite():
    """Runs ``node open.js FORMAT FILE``: the graph as Gephi Lite's importer reads it, with the
    JavaScript type of every attribute. The npm packages are installed on first use."""
    node, _ = npm_folder(GEPHI_LITE, "graphology-gexf")

    def open_as_gephi_lite(fmt: str, path) -> dict:
        done = subprocess.run([node, str(GEPHI_LITE / "open.js"), fmt, str(path)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return open_as_gephi_lite


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_lite_opens_the_export_with_types(seed_views, tmp_path, gephi_lite, fmt):
    view = seed_views["actors"]
    path = tmp_path / OUT[fmt]
    exports.write(view, fmt, path)
    got = gephi_lite(fmt, path)
    assert (got["type"], got["order"], got["size"]) == ("directed", view.number_of_nodes(), view.number_of_edges())
    for x, d in view.nodes(data=True):
        node = got["nodes"][x]
        assert node["attrs"]["label"] == d["label"]
        for k, v in d.items():
            want = "string" if isinstance(v, str) else "boolean" if isinstance(v, bool) else "number"
            assert node["types"][k] == want, (x, k)  # numbers stay numbers
            assert same_value(node["attrs"][k], v), (x, k)
        if fmt == "gexf":
            assert node["attrs"]["color"].startswith("rgba(") and node["types"]["size"] == "number"
    for e in got["edges"]:
        want = view.edges[e["source"], e["target"]]
        assert e["attrs"]["label"] == want["label"] and e["attrs"]["weight"] == want["weight"]
        assert e["types"]["weight"] == "number" and e["types"]["mutual"] == "boolean"


# --------------------------------------------------------------------------------------------
# GraphML booleans: XML Schema's true/false, read back by networkx, igraph and Gephi Lite
# --------------------------------------------------------------------------------------------
def test_graphml_booleans_are_xml_schemas(seed_views, tmp_path, gephi_lite):
    view = seed_views["actors"]
    path = tmp_path / "g.graphml"
    graphml.write_graphml(view, path)
    root = etree.parse(str(path)).getroot()
    booleans = {k.get("id") for k in root.iter(f"{GML}key") if k.get("attr.type") == "boolean"}
    values = {d.text for d in root.iter(f"{GML}data") if d.get("key") in booleans}
    assert booleans and values <= {"true", "false"} and values
    assert validate_graphml(path) == []
    back = nx.read_graphml(path)
    assert {type(d["mutual"]) for *_, d in back.edges(data=True)} == {bool}
    assert sorted(d["mutual"] for *_, d in back.edges(data=True)) == sorted(d["mutual"] for *_, d in view.edges(data=True))
    got = gephi_lite("graphml", path)
    assert {e["types"]["mutual"] for e in got["edges"]} == {"boolean"}
    assert sorted(e["attrs"]["mutual"] for e in got["edges"]) == sorted(d["mutual"] for *_, d in view.edges(data=True))


def test_graphml_check_refuses_python_booleans(seed_views, tmp_path):
    # The check can fail: networkx's own True/False is not an XML Schema boolean.
    path = tmp_path / "g.graphml"
    nx.write_graphml(seed_views["actors"], path)
    problems = validate_graphml(path)
    assert problems and all("is not a valid xs:boolean" in p for p in problems)
    assert any("'True'" in p or "'False'" in p for p in problems)


def test_kg_export_graphml_writes_xsd_booleans(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    store = tmp_path / "store"
    build_mini_store(store).close()
    r = CliRunner().invoke(main, ["export", "graphml", str(tmp_path / "g.graphml"), "--store", str(store)])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert ">True<" not in text and ">False<" not in text and (">true<" in text or ">false<" in text)
    assert validate_graphml(tmp_path / "g.graphml") == []
