"""GEXF 1.3, Gephi's own format, written with lxml: typed attributes, ``viz:color`` by type,
``viz:size`` by weighted degree, and time spells so Gephi's timeline plays how the network grew.

networkx's ``write_gexf`` writes 1.2draft and may put ``z="None"`` in positions and a
schemaLocation that does not match 1.3 (docs/sources.md), so the file is built here. Each node and
edge that has a ``first_date`` gets one spell from that date to the last date of the graph: it
appears when the first statement behind it was made and stays. ``read_gexf`` is networkx's.
"""
from __future__ import annotations

from pathlib import Path
from typing import IO

import networkx as nx
from lxml import etree

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph
from kg.network.style import color_rgb, node_size

__all__ = ["NS", "NS_VIZ", "read_gexf", "serialize", "write_gexf"]

NS = "http://gexf.net/1.3"
NS_VIZ = "http://gexf.net/1.3/viz"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
# Written as XML attributes of <node>/<edge>, not as attvalues.
_NODE_OWN = {"label"}
_EDGE_OWN = {"label", "weight"}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _declare(parent: etree._Element, cls: str, items: list[dict], own: set[str]) -> dict[str, str]:
    kinds: dict[str, type] = {}
    for d in items:
        for k, v in d.items():
            if k not in own:
                kinds.setdefault(k, type(v))
    ids = {}
    if kinds:
        attrs = etree.SubElement(parent, f"{{{NS}}}attributes", {"class": cls, "mode": "static"})
        for i, (name, typ) in enumerate(sorted(kinds.items())):
            ids[name] = str(i)
            etree.SubElement(attrs, f"{{{NS}}}attribute", {"id": str(i), "title": name, "type": _TYPES[typ]})
    return ids


def _attvalues(el: etree._Element, data: dict, ids: dict[str, str]) -> None:
    values = [(ids[k], _text(v)) for k, v in sorted(data.items()) if k in ids]
    if values:
        box = etree.SubElement(el, f"{{{NS}}}attvalues")
        for key, value in values:
            etree.SubElement(box, f"{{{NS}}}attvalue", {"for": key, "value": value})


def _spell(el: etree._Element, first: str, end: str) -> None:
    if first and end:
        spells = etree.SubElement(el, f"{{{NS}}}spells")
        etree.SubElement(spells, f"{{{NS}}}spell", {"start": first, "end": max(first, end)})


def gexf_tree(graph: nx.Graph) -> etree._ElementTree:
    """The GEXF document of ``graph`` (cleaned as for GraphML first)."""
    g = clean_graph(graph)
    nodes = [(n, dict(d)) for n, d in g.nodes(data=True)]
    edges = [(u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True)]
    dates = [str(d.get(k, "")) for _, d in nodes for k in ("first_date", "last_date")]
    dates += [str(d.get(k, "")) for *_, d in edges for k in ("first_date", "last_date")]
    dates = sorted(x for x in dates if x)
    end = dates[-1] if dates else ""

    root = etree.Element(f"{{{NS}}}gexf", {"version": "1.3", f"{{{NS_XSI}}}schemaLocation": f"{NS} {NS}/gexf.xsd"},
                         nsmap={None: NS, "viz": NS_VIZ, "xsi": NS_XSI})
    meta = etree.SubElement(root, f"{{{NS}}}meta")
    etree.SubElement(meta, f"{{{NS}}}creator").text = "newskg"
    etree.SubElement(meta, f"{{{NS}}}description").text = f"newskg {g.graph.get('view', 'network')} view"
    gattrs = {"defaultedgetype": "directed" if g.is_directed() else "undirected"}
    if dates:
        gattrs.update(mode="dynamic", timeformat="date", start=dates[0], end=end)
    else:
        gattrs["mode"] = "static"
    graph_el = etree.SubElement(root, f"{{{NS}}}graph", gattrs)
    node_ids = _declare(graph_el, "node", [d for _, d in nodes], _NODE_OWN)
    edge_ids = _declare(graph_el, "edge", [d for *_, d in edges], _EDGE_OWN)

    largest = max((float(d.get("weighted_degree", 0.0)) for _, d in nodes), default=0.0)
    nodes_el = etree.SubElement(graph_el, f"{{{NS}}}nodes")
    for n, d in nodes:
        el = etree.SubElement(nodes_el, f"{{{NS}}}node", {"id": n, "label": str(d["label"])})
        _attvalues(el, d, node_ids)
        _spell(el, str(d.get("first_date", "")), end)
        r, gr, b = color_rgb(str(d.get("type", "Entity")))
        etree.SubElement(el, f"{{{NS_VIZ}}}color", {"r": str(r), "g": str(gr), "b": str(b), "a": "1.0"})
        etree.SubElement(el, f"{{{NS_VIZ}}}size",
                         {"value": repr(node_size(float(d.get("weighted_degree", 0.0)), largest))})
    edges_el = etree.SubElement(graph_el, f"{{{NS}}}edges")
    for u, v, k, d in edges:
        attrs = {"id": str(k), "source": u, "target": v, "weight": _text(d["weight"])}
        if "label" in d:
            attrs["label"] = str(d["label"])
        el = etree.SubElement(edges_el, f"{{{NS}}}edge", attrs)
        _attvalues(el, d, edge_ids)
        _spell(el, str(d.get("first_date", "")), end)
    return etree.ElementTree(root)


def serialize(tree: etree._ElementTree, fh: IO[bytes]) -> None:
    """Write the GEXF ``tree`` to ``fh`` (an open binary file); `write_gexf` calls it with the
    temporary file it moves into place."""
    tree.write(fh, encoding="utf-8", xml_declaration=True, pretty_print=True)


def write_gexf(graph: nx.Graph, path: str | Path) -> None:
    """Write ``graph`` as GEXF 1.3 at ``path``, all or nothing (temporary file, then moved)."""
    tree = gexf_tree(graph)
    with atomic_open(path, "GEXF") as fh:
        serialize(tree, fh)


def read_gexf(path: str | Path) -> nx.Graph:
    """The graph in a GEXF file (networkx's reader: ``viz`` and ``spells`` as node/edge data)."""
    try:
        return nx.read_gexf(path, version="1.3")
    except (OSError, etree.LxmlError, nx.NetworkXError, ValueError, KeyError, SyntaxError) as err:
        raise ExportError(f"cannot read GEXF ({err})", str(path)) from err
