"""SPARQL over the store: saved queries, safety checks, parameters and result formats.

A query reaches the store only after ``check_query`` has read its tokens (`kg.query.check`) and
found no update, no ``SERVICE`` and no dataset clause naming a graph outside the store: both
rdflib and Oxigraph would make the HTTP request for ``SERVICE``, and rdflib reads
``FROM <file:///...>`` from disk (REFERENCE.md, "RDF and SPARQL libraries: hazards").
Queries are then parsed and answered by Oxigraph through ``KGStore.execute``, never by rdflib's
evaluator, which took minutes where Oxigraph takes milliseconds (REFERENCE.md, measured
2026-11-23).
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import paths

from kg.query import check as sparqlcheck
from kg.errors import QueryError
from kg.iri import is_valid_iri
from kg.namespaces import PREFIXES, bind_namespaces, sparql_prefixes
from kg.query.check import CheckedQuery

__all__ = [
    "FORMATS",
    "QueryResult",
    "SavedQuery",
    "check_query",
    "format_result",
    "list_saved_queries",
    "load_query",
    "prepare_query",
    "run_query",
]

# Dataset clauses (FROM / FROM NAMED) may only name graphs of the store; every graph the build
# writes is under this base (documents, the entity graph).
STORE_IRI_BASE = "https://w3id.org/newskg/"

FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "json-ld": "json-ld"}

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_LINE = re.compile(r"^param\s*:\s*([^\s:-]+)\s*(?:[-\u2013:]\s*(.*))?$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Saved queries
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedQuery:
    """A query file: its name (file stem), path, SPARQL text and comment header.

    ``description`` is the header's first paragraph (the title line in the project's files),
    ``details`` the paragraphs after it, ``parameters`` maps each ``# param:`` name to its help.
    """

    name: str
    path: Path
    sparql: str
    description: str = ""
    details: str = ""
    parameters: dict[str, str] = field(default_factory=dict)


def _parse_header(text: str) -> tuple[str, str, dict[str, str]]:
    """Read the leading ``#`` comment block: (first paragraph, other paragraphs, params)."""
    lines: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped[1:].strip())
    params: dict[str, str] = {}
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        m = _PARAM_LINE.match(line)
        if m:
            params[m.group(1)] = (m.group(2) or "").strip()
        elif line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    texts = [" ".join(p) for p in paragraphs if p]
    first = texts[0] if texts else ""
    return first, "\n\n".join(texts[1:]), params


def _read_saved(path: Path) -> SavedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"cannot read the query file ({err})", str(path)) from err
    description, details, params = _parse_header(text)
    return SavedQuery(path.stem, path, text, description, details, params)


def list_saved_queries() -> list[SavedQuery]:
    """Every ``queries/*.rq`` file, sorted by name."""
    folder = paths.QUERIES_DIR
    if not folder.is_dir():
        return []
    return [_read_saved(p) for p in sorted(folder.glob("*.rq"))]


def _looks_like_name(spec: str) -> bool:
    # A saved query's name is one word; SPARQL always has spaces or braces.
    return bool(spec) and not re.search(r"[\s{}]", spec)


def load_query(spec: str) -> SavedQuery | str:
    """Resolve ``spec``: a path to a ``.rq`` file, a saved query's name, or inline SPARQL.

    Inline SPARQL is returned unchanged as a ``str``; files come back as ``SavedQuery``.
    """
    one_line = "\n" not in spec and spec.strip() == spec
    is_pathish = one_line and (spec.endswith(".rq") or "/" in spec or "\\" in spec)
    if is_pathish:
        path = Path(spec).expanduser()
        if path.is_file():
            return _read_saved(path)
    if _looks_like_name(spec):
        name = spec[:-3] if spec.endswith(".rq") else spec
        saved = paths.QUERIES_DIR / f"{name}.rq"
        if "/" not in name and "\\" not in name and saved.is_file():
            return _read_saved(saved)
        names = ", ".join(q.name for q in list_saved_queries()) or "(none)"
        if is_pathish:
            raise QueryError(f"no such query file, and no saved query of that name; saved queries: {names}", spec)
        raise QueryError(f"no saved query named {spec!r}; saved queries: {names}")
    if is_pathish and spec.endswith(".rq") and not re.search(r"[{}]", spec):
        raise QueryError("no such query file", spec)
    if not spec.strip():
        raise QueryError("the query is empty")
    return spec


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _checked(sparql: str) -> CheckedQuery:
    return sparqlcheck.check(sparql, {p: str(ns) for p, ns in PREFIXES.items()}, STORE_IRI_BASE)


def check_query(sparql: str) -> None:
    """Refuse (QueryError) what must not reach the store.

    Refused: updates, any ``SERVICE`` clause, ``FROM``/``FROM NAMED`` naming a graph that is
    not one of the store's, undeclared prefixes (the project's count as declared) and brackets
    nested too deeply (`kg.query.check`). The grammar is checked by Oxigraph when the query
    runs: a syntax error comes from `run_query` with its line and column.
    """
    _checked(sparql)


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------
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


def _param_term(value: Any) -> URIRef | Literal:
    """An absolute http(s) IRI becomes an IRI, anything else a plain string literal."""
    if isinstance(value, (URIRef, Literal)):
        return value
    text = str(value)
    if re.match(r"^https?://", text, re.IGNORECASE):
        if not is_valid_iri(text):  # Oxigraph's IRI check is strict (REFERENCE.md)
            return Literal(text)
        return URIRef(text)
    return Literal(text)


def prepare_query(sparql: str | SavedQuery, params: Mapping[str, str] | None = None
                  ) -> tuple[str, dict[str, URIRef | Literal], str]:
    """Check ``sparql`` and its ``params``: (text with the project's PREFIXes, bindings, kind).

    Kind is SELECT, ASK, CONSTRUCT or DESCRIBE. Parameters must be variables of the query (and
    of a saved query's ``# param:`` list); their values become terms, never query text.
    """
    saved = sparql if isinstance(sparql, SavedQuery) else None
    text = saved.sparql if saved else sparql
    params = dict(params or {})
    checked = _checked(text)

    for name in params:
        if not _VARNAME.match(str(name)):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    if saved is not None:
        missing = [p for p in saved.parameters if p not in params]
        if missing:
            wanted = "; ".join(f"{p}: {saved.parameters[p] or 'no description'}" for p in missing)
            raise QueryError(f"saved query {saved.name!r} needs parameter(s) {wanted}")
        unknown = [p for p in params if p not in saved.parameters]
        if unknown:
            takes = ", ".join(saved.parameters) or "none"
            raise QueryError(f"saved query {saved.name!r} takes no parameter {unknown[0]!r} (it takes: {takes})")
    used = checked.variables
    for name in params:
        if name not in used:
            raise QueryError(f"parameter {name!r}: the query has no variable ?{name}")
    bindings = {name: _param_term(value) for name, value in params.items()}

    declared = checked.declared_prefixes
    prologue = "".join(
        line for line in sparql_prefixes().splitlines(keepends=True)
        if line.split()[1].rstrip(":") not in declared
    )
    kind = checked.form
    return prologue + text, bindings, kind


def run_query(
    store: Any,
    sparql: str | SavedQuery,
    params: Mapping[str, str] | None = None,
    *,
    infer: bool = False,
) -> QueryResult:
    """Check ``sparql`` and run it on ``store`` (a ``KGStore``) with Oxigraph.

    With ``infer`` the ontology's RDFS/OWL RL entailments are visible (see `kg.store.infer`).

    The project's PREFIXes are added unless the query declares them. ``params`` are bound as
    initial values of the variables of the same name (never pasted into the text). Oxigraph
    binds only variables the SELECT returns, so a parameter must be one of its columns.
    """
    full, bindings, kind = prepare_query(sparql, params)
    _require_oxigraph(store)
    try:
        from kg.store import result_form, term_converter

        res = store.execute(full, bindings, infer=infer)
        convert = term_converter(plain_strings=True)
        if result_form(res) == "ASK":
            return QueryResult("ASK", boolean=bool(res))
        if result_form(res) == "SELECT":
            names = [v.value for v in res.variables]
            return QueryResult("SELECT", vars=names, rows=[tuple(map(convert, row)) for row in res])
        graph = Graph()
        bind_namespaces(graph)
        for t in res:
            graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
        return QueryResult(kind if kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", graph=graph)
    except QueryError:
        raise
    except SyntaxError as err:  # Oxigraph's parser
        text = sparql.sparql if isinstance(sparql, SavedQuery) else sparql
        shift = full[: len(full) - len(text)].count("\n")  # the PREFIX lines added above it
        raise QueryError(sparqlcheck.syntax_message(err, text, line_shift=shift)) from None
    except Exception as err:
        msg = str(err)
        m = re.search(r"does not contains? variable \?(\w+) in its SELECT projection", msg)
        if m:
            raise QueryError(
                f"parameter {m.group(1)!r}: ?{m.group(1)} must be one of the SELECT's columns "
                "(Oxigraph binds parameters only to variables the query returns)"
            ) from None
        raise QueryError(f"the query failed: {msg}") from err


def _require_oxigraph(store: Any) -> None:
    from kg.store import KGStore

    if not isinstance(store, KGStore):
        # rdflib's own evaluator would follow SERVICE / FROM and take minutes on a real graph.
        raise QueryError("queries run only on an Oxigraph-backed KGStore")


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------
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
