"""Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}``.

The shape ``cy.json({elements: ...})`` and ``cytoscape({elements: ...})`` load, and Cytoscape
desktop's ``.cyjs`` import reads (networkx's ``cytoscape_data`` writes the same shape). Every
node's ``data`` has its ``id``; every edge's ``data`` has an ``id`` (unique: ``e0``, ``e1``, ...),
``source`` and ``target``; the view's attributes sit beside them. Node-link JSON
(`kg.network.formats.nodelink`) is a different shape: cytoscape.js finds no edges in it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph

__all__ = ["cytoscape_data", "read_cytoscape", "serialize", "write_cytoscape"]

# Keys cytoscape.js reads as the element's identity; an attribute of the same name would be
# taken for it, so such attributes are written with a leading underscore.
_NODE_KEYS = ("id",)
_EDGE_KEYS = ("id", "source", "target")


def _attrs(d: dict[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    return {f"_{k}" if k in reserved else k: v for k, v in d.items()}


def cytoscape_data(graph: nx.Graph) -> dict[str, Any]:
    """``graph`` cleaned (`kg.network.formats.common.clean_graph`) as a Cytoscape.js document."""
    g = clean_graph(graph)
    nodes = [{"data": {"id": n, **_attrs(d, _NODE_KEYS)}} for n, d in g.nodes(data=True)]
    edges = [{"data": {"id": k, "source": u, "target": v, **_attrs(d, _EDGE_KEYS)}}
             for u, v, k, d in g.edges(keys=True, data=True)]
    return {"data": dict(g.graph), "directed": g.is_directed(), "elements": {"nodes": nodes, "edges": edges}}


def serialize(data: dict[str, Any], fh: IO[bytes]) -> None:
    """Write the Cytoscape.js ``data`` to ``fh`` (an open binary file) as JSON."""
    fh.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    fh.write(b"\n")


def write_cytoscape(graph: nx.Graph, path: str | Path) -> None:
    """Write ``graph`` as Cytoscape.js JSON at ``path``, all or nothing."""
    data = cytoscape_data(graph)
    with atomic_open(path, "Cytoscape.js JSON") as fh:
        serialize(data, fh)


def _unreserve(d: dict[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    out = {k: v for k, v in d.items() if k not in reserved}
    return {k[1:] if k[1:] in reserved and k.startswith("_") else k: v for k, v in out.items()}


def read_cytoscape(path: str | Path) -> nx.Graph:
    """The graph in a Cytoscape.js JSON file written by `write_cytoscape` (a multigraph whose
    edge keys are the edges' ids)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        g = nx.MultiDiGraph() if data.get("directed", True) else nx.MultiGraph()
        g.graph.update(data.get("data") or {})
        for n in data["elements"]["nodes"]:
            g.add_node(n["data"]["id"], **_unreserve(n["data"], _NODE_KEYS))
        for e in data["elements"].get("edges", []):
            d = e["data"]
            g.add_edge(d["source"], d["target"], key=d.get("id"), **_unreserve(d, _EDGE_KEYS))
        return g
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ExportError(f"cannot read Cytoscape.js JSON ({err})", str(path)) from err
