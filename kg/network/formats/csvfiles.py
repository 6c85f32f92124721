"""``nodes.csv`` and ``edges.csv`` in a folder, as Gephi's spreadsheet import wants them:
nodes with ``Id`` and ``Label`` first, edges with ``Source``, ``Target``, ``Type`` (Directed or
Undirected), ``Id``, ``Label`` and ``Weight`` first; the other attributes follow as columns."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph

__all__ = ["read_csv", "serialize", "write_csv"]

NODES, EDGES = "nodes.csv", "edges.csv"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([[_cell(v) for v in row] for row in rows])
    return buf.getvalue().encode("utf-8")


def serialize(graph: nx.Graph, nodes_fh: IO[bytes], edges_fh: IO[bytes]) -> None:
    """Write ``graph``'s node table to ``nodes_fh`` and its edge table to ``edges_fh`` (open
    binary files); `write_csv` calls it with the temporary files it moves into place."""
    g = clean_graph(graph)
    node_cols = sorted({k for _, d in g.nodes(data=True) for k in d} - {"label"})
    nodes_fh.write(_table(["Id", "Label", *node_cols],
                          [[n, d.get("label", n), *(d.get(c, "") for c in node_cols)] for n, d in g.nodes(data=True)]))
    edge_cols = sorted({k for *_, d in g.edges(keys=True, data=True) for k in d} - {"label", "weight"})
    kind = "Directed" if g.is_directed() else "Undirected"
    edges_fh.write(_table(
        ["Source", "Target", "Type", "Id", "Label", "Weight", *edge_cols],
        [[u, v, kind, k, d.get("label", ""), d.get("weight", 1), *(d.get(c, "") for c in edge_cols)]
         for u, v, k, d in g.edges(keys=True, data=True)],
    ))


def write_csv(graph: nx.Graph, folder: str | Path) -> None:
    """Write ``folder/nodes.csv`` and ``folder/edges.csv`` (the folder is made if missing, its
    parent must exist). Both go to temporary files first and are moved into place only when both
    are complete, so a failure leaves the previous pair as it was."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError("csv export needs a folder name (it writes nodes.csv and edges.csv)", str(folder))
    if not folder.parent.is_dir():
        raise ExportError("the folder to write into does not exist", str(folder))
    folder.mkdir(exist_ok=True)
    with atomic_open(folder / NODES, "CSV") as nodes_fh, atomic_open(folder / EDGES, "CSV") as edges_fh:
        serialize(graph, nodes_fh, edges_fh)


def _typed_columns(rows: list[dict[str, str]], skip: set[str]) -> None:
    """Give each column back its type: int, float or bool when every cell reads as one."""
    cols = {k for r in rows for k in r} - skip
    for c in cols:
        cells = [r[c] for r in rows]
        for conv in (int, float, lambda s: {"true": True, "false": False}[s]):
            try:
                values = [conv(x) for x in cells]
            except (ValueError, KeyError):
                continue
            for r, v in zip(rows, values):
                r[c] = v
            break


def read_csv(folder: str | Path) -> nx.Graph:
    """The graph in ``folder/nodes.csv`` and ``folder/edges.csv``, columns typed back."""
    folder = Path(folder)
    try:
        with open(folder / NODES, encoding="utf-8", newline="") as fh:
            nodes = list(csv.DictReader(fh))
        with open(folder / EDGES, encoding="utf-8", newline="") as fh:
            edges = list(csv.DictReader(fh))
    except OSError as err:
        raise ExportError(f"cannot read the CSV files ({err})", str(folder)) from err
    _typed_columns(nodes, {"Id", "Label"})
    _typed_columns(edges, {"Source", "Target", "Type", "Id", "Label"})
    directed = not edges or edges[0]["Type"] == "Directed"
    g: nx.Graph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for r in nodes:
        g.add_node(r.pop("Id"), label=r.pop("Label"), **r)
    for r in edges:
        u, v, key = r.pop("Source"), r.pop("Target"), r.pop("Id")
        r.pop("Type")
        g.add_edge(u, v, key=key, label=r.pop("Label"), weight=r.pop("Weight"), **r)
    return g
