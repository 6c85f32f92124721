"""GraphML for Gephi, yEd, igraph and networkx: writer, reader and a check against the schema.

The schema (``kg/network/schemas/graphml.xsd``) was written for this project from the GraphML 1.0
structure, narrowed to what Gephi needs: every key declares ``for``, ``attr.name`` and an
``attr.type`` Gephi parses; every graph declares ``edgedefault``; node ids are NMTOKENs.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import networkx as nx
from lxml import etree

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, clean_graph

__all__ = ["SCHEMA", "read_graphml", "validate_graphml", "write_graphml", "xsd_booleans"]

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "graphml.xsd"
_NS = "{http://graphml.graphdrawing.org/xmlns}"


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
        buffer = io.BytesIO()
        # Looked up at call time (nx.write_graphml), the lxml writer by default.
        nx.write_graphml(ready, buffer, encoding="utf-8", prettyprint=True)
        fh.write(xsd_booleans(buffer.getvalue()))


def _typed_data(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """(declared attr.type, element) for every <data> whose key is declared."""
    types = {k.get("id"): k.get("attr.type") for k in root.iter(f"{_NS}key")}
    for data in root.iter(f"{_NS}data"):
        if data.get("key") in types:
            yield types[data.get("key")], data


def xsd_booleans(document: bytes) -> bytes:
    """``document`` (GraphML) with boolean values written as XML Schema's ``true``/``false``.

    networkx writes Python's ``True``/``False`` (docs/sources.md); the readers tried accept both,
    but XML Schema's boolean has only ``true``, ``false``, ``1`` and ``0``, and a strict reader
    need not take more.
    """
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    keys = sorted({k.get("id") for k in root.iter(f"{_NS}key") if k.get("attr.type") == "boolean"})
    if not keys:
        return document
    # Edited in the bytes networkx wrote (its declaration and layout stay as they are).
    pattern = re.compile(rb'(<data key="(?:%s)">)(True|False)(</data>)' % b"|".join(re.escape(k.encode()) for k in keys))
    return pattern.sub(lambda m: m.group(1) + m.group(2).lower() + m.group(3), document)


def read_graphml(path: str | Path) -> nx.Graph:
    """The graph in a GraphML file, attributes typed as the keys declare (networkx's reader)."""
    try:
        return nx.read_graphml(path)
    except (OSError, etree.LxmlError, nx.NetworkXError, ValueError, KeyError) as err:
        raise ExportError(f"cannot read GraphML ({err})", str(path)) from err


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


# XML Schema's lexical forms of the types a key may declare (XSD 1.0 cannot tie a <data>
# element's text to its key's attr.type, so `validate_graphml` checks values here).
_LEXICAL = {
    "boolean": re.compile(r"true|false|1|0"),
    "int": re.compile(r"[+-]?[0-9]+"),
    "long": re.compile(r"[+-]?[0-9]+"),
    "float": re.compile(r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|(\+|-)?INF|NaN"),
    "double": re.compile(r"(\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?|(\+|-)?INF|NaN"),
}


def validate_graphml(path: str | Path) -> list[str]:
    """Schema violations of the GraphML file at ``path`` (empty when it is valid): the structure
    against ``graphml.xsd``, and every typed value against its XML Schema type (a boolean is
    ``true``, ``false``, ``1`` or ``0``, not Python's ``True``)."""
    try:
        doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as err:
        return [f"{path}: not XML ({err})"]
    schema = _schema()
    if not schema.validate(doc):
        return [f"{path}:{e.line}: {e.message}" for e in schema.error_log]
    return [f"{path}:{data.sourceline}: {data.text!r} is not a valid xs:{kind} (key {data.get('key')})"
            for kind, data in _typed_data(doc.getroot())
            if kind in _LEXICAL and not _LEXICAL[kind].fullmatch((data.text or "").strip())]
