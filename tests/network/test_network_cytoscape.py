"""kg.network.formats.cytoscape: the Cytoscape.js export, read back by its reader and loaded by the
`cytoscape` npm package under node (as a web page would load it)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.network.formats import cytoscape, nodelink
from kg.network.views import build_view

from conftest import build_mini_store, npm_folder

CYTOSCAPE_JS = Path(__file__).resolve().parent.parent / "cytoscapejs"


@pytest.fixture(scope="module")
def seed_views(seed_store):
    return {v: build_view(seed_store, v) for v in ("actors", "events", "comentions")}


@pytest.fixture(scope="session")
def cytoscape_js():
    """Runs ``node open.js FILE``: what cytoscape.js holds after ``cy.json(file's JSON)``."""
    node, folder = npm_folder(CYTOSCAPE_JS, "cytoscape")

    def load(path) -> dict:
        done = subprocess.run([node, str(folder / "open.js"), str(path)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return load


@pytest.mark.parametrize("view", ["actors", "events", "comentions"])
def test_cytoscape_reads_back(seed_views, tmp_path, view):
    from test_network_formats import assert_same_graph

    g = seed_views[view]
    path = tmp_path / "g.cyjs"
    cytoscape.write_cytoscape(g, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["elements"]) == {"nodes", "edges"}
    assert all("id" in e["data"] and "source" in e["data"] and "target" in e["data"]
               for e in data["elements"]["edges"])
    back = cytoscape.read_cytoscape(path)
    assert back.is_directed() == g.is_directed()
    assert_same_graph(g, back)


@pytest.mark.parametrize("view", ["actors", "events", "comentions"])
def test_cytoscape_js_loads_every_node_and_edge(seed_views, tmp_path, cytoscape_js, view):
    g = seed_views[view]
    path = tmp_path / "g.cyjs"
    cytoscape.write_cytoscape(g, path)
    got = cytoscape_js(path)
    assert got["complaints"] == []
    assert {n["id"] for n in got["nodes"]} == set(g.nodes)
    assert len(got["edges"]) == g.number_of_edges() > 0
    pairs = sorted((e["source"], e["target"]) for e in got["edges"])
    assert pairs == sorted((str(u), str(v)) for u, v in g.edges())
    labels = {n["id"]: n["data"]["label"] for n in got["nodes"]}
    assert all(labels[x] == d["label"] for x, d in g.nodes(data=True))
    weights = [e["data"]["weight"] for e in got["edges"]]
    assert all(isinstance(w, (int, float)) and w > 0 for w in weights)  # numbers stay numbers


def test_node_link_is_not_what_cytoscape_js_loads(seed_views, tmp_path, cytoscape_js):
    # The check above can fail: node-link JSON ("links") gives cytoscape.js no element at all.
    path = tmp_path / "g.json"
    nodelink.write_nodelink(seed_views["actors"], path)
    got = cytoscape_js(path)
    assert got["nodes"] == [] and got["edges"] == []


def test_kg_export_cytoscape(tmp_path, cytoscape_js):
    store = tmp_path / "store"
    build_mini_store(store).close()
    out = tmp_path / "net.json"
    r = CliRunner().invoke(main, ["export", "cytoscape", str(out), "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"wrote {out}: actors view, ")
    got = cytoscape_js(out)
    n_nodes, n_edges = (int(x) for x in r.output.split(", ", 1)[1].replace(" nodes", "").replace(" edges", "")
                        .split(", "))
    assert (len(got["nodes"]), len(got["edges"])) == (n_nodes, n_edges)
