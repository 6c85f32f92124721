"""Network exports, one format per module (as networkx's ``readwrite``), each with its reader:

- `kg.exports.graphml`  GraphML (Gephi, yEd, igraph), checked against ``kg/schemas/graphml.xsd``
- `kg.exports.gexf`     GEXF 1.3 with viz colours, sizes and time spells (Gephi)
- `kg.exports.csvfiles` nodes.csv and edges.csv (Gephi's spreadsheet import)
- `kg.exports.nodelink` node-link JSON (D3, Cytoscape, notebooks)

`export` builds a view (`kg.views`) of the store and writes it. Nothing here imports spaCy or
matplotlib: `kg export` starts fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ExportError

__all__ = ["FORMATS", "export", "read", "write"]

FORMATS = ("graphml", "gexf", "csv", "json")


def write(graph: nx.Graph, fmt: str, out: str | Path) -> None:
    """Write ``graph`` to ``out`` in format ``fmt`` (one of FORMATS), all or nothing."""
    if fmt == "graphml":
        from kg.exports.graphml import write_graphml as writer
    elif fmt == "gexf":
        from kg.exports.gexf import write_gexf as writer
    elif fmt == "csv":
        from kg.exports.csvfiles import write_csv as writer
    elif fmt == "json":
        from kg.exports.nodelink import write_nodelink as writer
    else:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    writer(graph, out)


def read(fmt: str, path: str | Path) -> nx.Graph:
    """Read back what `write` wrote (round trips in the tests, notebooks)."""
    if fmt == "graphml":
        from kg.exports.graphml import read_graphml as reader
    elif fmt == "gexf":
        from kg.exports.gexf import read_gexf as reader
    elif fmt == "csv":
        from kg.exports.csvfiles import read_csv as reader
    elif fmt == "json":
        from kg.exports.nodelink import read_nodelink as reader
    else:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return reader(path)


def export(store: Any, fmt: str, out: str | Path, view: str = "actors", filters: Any = None) -> dict[str, int]:
    """Build ``view`` of ``store`` (with `kg.views.Filters`) and write it; returns node and edge counts."""
    from kg.views import build_view

    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    graph = build_view(store, view, filters)
    write(graph, fmt, out)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
