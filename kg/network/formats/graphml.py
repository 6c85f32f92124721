"""GraphML for Gephi, yEd, igraph and networkx: writer, reader and a check against the schema.

The schema (``kg/network/schemas/graphml.xsd``) was written for this project from the GraphML 1.0
structure, narrowed to what Gephi needs: every key declares ``for``, ``attr.name`` and an
``attr.type`` Gephi parses; every graph declares ``edgedefault``; node ids are NMTOKENs.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx
from lxml import etree

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph

__all__ = ["SCHEMA", "read_graphml", "validate_graphml", "write_graphml"]

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "graphml.xsd"


def write_graphml(graph: nx.Graph, path: str | Path) -> None:
    """Write ``graph`` as GraphML at ``path``, all or nothing.

    Strings are cleaned of XML-illegal characters, lists joined, None/nan dropped, edge ids
    made unique and weights kept > 0 (`kg.network.formats.common.clean_graph`). The file is written under
    a temporary name in the same folder and moved into place, so a failure leaves any previous
    file as it was.
    """
    ready = clean_graph(graph)
    # Gephi reads keys for nodes and edges only (docs/sources.md): graph-level data stays out.
    ready.graph.clear()
    with atomic_open(path, "GraphML") as fh:
        # Looked up at call time (nx.write_graphml), the lxml writer by default.
        nx.write_graphml(ready, fh, encoding="utf-8", prettyprint=True)


def read_graphml(path: str | Path) -> nx.Graph:
    """The graph in a GraphML file, attributes typed as the keys declare (networkx's reader)."""
    try:
        return nx.read_graphml(path)
    except (OSError, etree.LxmlError, nx.NetworkXError, ValueError, KeyError) as err:
        raise ExportError(f"cannot read GraphML ({err})", str(path)) from err


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate_graphml(path: str | Path) -> list[str]:
    """Schema violations of the GraphML file at ``path`` (empty when it is valid)."""
    try:
        doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as err:
        return [f"{path}: not XML ({err})"]
    schema = _schema()
    if schema.validate(doc):
        return []
    return [f"{path}:{e.line}: {e.message}" for e in schema.error_log]
