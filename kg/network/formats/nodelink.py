"""Node-link JSON (``{"nodes": [...], "links": [...]}``), the form D3's force layouts and
networkx's ``node_link_graph`` read; written from networkx's ``node_link_data``. Cytoscape.js
wants another shape (``elements`` with ``nodes`` and ``edges``): `kg.network.formats.cytoscape`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph

__all__ = ["read_nodelink", "serialize", "write_nodelink"]

# D3's examples call the edges "links"; networkx 3.4+ defaults to "edges".
_EDGES = "links"


def nodelink_data(graph: nx.Graph) -> dict[str, Any]:
    """``graph`` cleaned (`kg.network.formats.common.clean_graph`) as networkx's node-link dict."""
    g = clean_graph(graph)
    return nx.node_link_data(g, edges=_EDGES)


def serialize(data: dict[str, Any], fh: IO[bytes]) -> None:
    """Write the node-link ``data`` to ``fh`` (an open binary file) as JSON; `write_nodelink`
    calls it with the temporary file it moves into place."""
    fh.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8"))
    fh.write(b"\n")


def write_nodelink(graph: nx.Graph, path: str | Path) -> None:
    """Write ``graph`` as node-link JSON at ``path``, all or nothing."""
    data = nodelink_data(graph)
    with atomic_open(path, "JSON") as fh:
        serialize(data, fh)


def read_nodelink(path: str | Path) -> nx.Graph:
    """The graph in a node-link JSON file written by `write_nodelink`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return nx.node_link_graph(data, edges=_EDGES)
    except (OSError, ValueError, KeyError, TypeError, nx.NetworkXError) as err:
        raise ExportError(f"cannot read node-link JSON ({err})", str(path)) from err
