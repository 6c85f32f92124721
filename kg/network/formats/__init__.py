"""Network exports, one format per module (as networkx's ``readwrite``), each with its reader:

- `kg.network.formats.graphml`  GraphML (Gephi, yEd, igraph), checked against ``kg/network/schemas/graphml.xsd``
- `kg.network.formats.gexf`     GEXF 1.3 with viz colours, sizes and time spells (Gephi)
- `kg.network.formats.csvfiles` nodes.csv and edges.csv (Gephi's spreadsheet import)
- `kg.network.formats.nodelink` node-link JSON (``nodes`` and ``links``: D3's force layouts, networkx)
- `kg.network.formats.cytoscape` Cytoscape.js JSON (``elements``: ``nodes`` and ``edges``, each with ``data``)

`kg.network.export` builds a view (`kg.network.views`) of the store and writes it with `write`. The
formats know graphs, not the store or its views. Nothing here imports spaCy or matplotlib: `kg export`
starts fast.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.paths import is_stdout

__all__ = ["FORMATS", "read", "write"]

FORMATS = ("graphml", "gexf", "csv", "json", "cytoscape")


# format -> (module, writer, reader); modules are imported on use
_MODULES = {
    "graphml": ("graphml", "write_graphml", "read_graphml"),
    "gexf": ("gexf", "write_gexf", "read_gexf"),
    "csv": ("csvfiles", "write_csv", "read_csv"),
    "json": ("nodelink", "write_nodelink", "read_nodelink"),
    "cytoscape": ("cytoscape", "write_cytoscape", "read_cytoscape"),
}


def _function(fmt: str, which: int):
    import importlib

    if fmt not in _MODULES:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"kg.network.formats.{_MODULES[fmt][0]}")
    return getattr(module, _MODULES[fmt][which])


def write(graph: nx.Graph, fmt: str, out: str | Path) -> None:
    """Write ``graph`` to ``out`` in format ``fmt`` (one of FORMATS), all or nothing; ``out`` `-`
    is standard output, for every format that is one file."""
    if fmt == "csv" and is_stdout(out):
        raise ExportError("csv writes two files (nodes.csv, edges.csv) into a folder; `-` (standard output) "
                          "works for the one-file formats", "-")
    _function(fmt, 1)(graph, out)


def read(fmt: str, path: str | Path) -> nx.Graph:
    """Read back what `write` wrote (round trips in the tests, notebooks)."""
    return _function(fmt, 2)(path)

