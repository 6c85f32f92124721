"""What a query returned, and its text: a table for people, the W3C SPARQL 1.1 results formats
(CSV, TSV, JSON) for programs, Turtle, N-Triples or JSON-LD for a graph.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.namespaces import PREFIXES

__all__ = ["FORMATS", "GRAPH_FORMATS", "QueryResult", "format_result", "shorten"]

FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "json-ld": "json-ld"}


@dataclass
class QueryResult:
    """What a query returned.

    ``kind`` is SELECT, ASK, CONSTRUCT or DESCRIBE. SELECT fills ``vars`` and ``rows`` (tuples
    of rdflib terms, None where unbound); ASK fills ``boolean``; CONSTRUCT/DESCRIBE ``graph``.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        return len(self.rows)


_SORTED_NS = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def shorten(term: Any) -> str:
    """A term as a person reads it: IRIs with project prefixes, literals as plain text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for ns, prefix in _SORTED_NS:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _width(text: str) -> int:
    w = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _cell(term: Any, max_width: int | None) -> str:
    text = re.sub(r"\s+", " ", shorten(term)).strip()
    if max_width and _width(text) > max_width:
        while text and _width(text) > max_width - 1:
            text = text[:-1]
        text += "\u2026"
    return text


def _table(result: QueryResult, max_width: int | None) -> str:
    header = list(result.vars)
    body = [[_cell(t, max_width) for t in row] for row in result.rows]
    widths = [_width(h) for h in header]
    for row in body:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))

    def line(cells: Iterable[str]) -> str:
        return "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(cells)).rstrip()

    out = [line(header), line("-" * w for w in widths)] if header else []
    out += [line(r) for r in body]
    n = len(body)
    out.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(out) + "\n"


def _csv_value(term: Any) -> str:
    # SPARQL 1.1 CSV: IRIs and literals as their plain text, blank nodes as _:label.
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _nt(term: Any) -> str:
    """A term in N-Triples syntax (SPARQL 1.1 TSV)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = "".join(_NT_ESCAPES.get(c, c) for c in str(term))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    return f'"{term}"'


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
    return out


def format_result(result: QueryResult, fmt: str = "table", *, max_width: int | None = None) -> str:
    """Render ``result`` as ``table``, ``csv``, ``tsv`` or ``json``.

    csv/tsv/json are the W3C SPARQL 1.1 Query Results formats. ASK gives its boolean
    (``true``/``false``, or the JSON boolean document). CONSTRUCT/DESCRIBE give Turtle for
    ``table``/``turtle``, N-Triples for ``nt``, JSON-LD for ``json``. ``max_width`` cuts long
    table cells.
    """
    fmt = (fmt or "table").lower()
    if result.graph is not None:
        target = {"table": "turtle", "json": "json-ld"}.get(fmt, GRAPH_FORMATS.get(fmt))
        if target is None:
            raise QueryError(
                f"a {result.kind} result cannot be written as {fmt}; use turtle, nt or json"
            )
        return result.graph.serialize(format=target)
    if fmt not in FORMATS:
        if fmt in GRAPH_FORMATS:
            raise QueryError(f"{fmt} is for CONSTRUCT/DESCRIBE results; use one of {', '.join(FORMATS)}")
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}")

    if result.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"

    if fmt == "table":
        return _table(result, max_width)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")  # the W3C format uses CRLF
        writer.writerow(result.vars)
        for row in result.rows:
            writer.writerow([_csv_value(t) for t in row])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        lines += ["\t".join(_nt(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    doc = {
        "head": {"vars": list(result.vars)},
        "results": {
            "bindings": [
                {v: _json_term(t) for v, t in zip(result.vars, row) if t is not None}
                for row in result.rows
            ]
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
