"""SPARQL over the store: saved queries, safety checks, parameters and result formats.

A query reaches the store only after ``check_query`` has parsed it (rdflib's SPARQL parser) and
found no update, no ``SERVICE`` and no dataset clause naming a graph outside the store: both
rdflib and Oxigraph would make the HTTP request for ``SERVICE``, and rdflib reads
``FROM <file:///...>`` from disk (REFERENCE.md, "RDF and SPARQL libraries: hazards").
Queries are then answered by Oxigraph through ``KGStore.query``, never by rdflib's evaluator,
which took minutes where Oxigraph takes milliseconds (REFERENCE.md, measured 2026-11-23).
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg import paths
from kg.errors import QueryError
from kg.namespaces import PREFIXES, bind_namespaces, sparql_prefixes

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
def _walk(node: Any) -> Iterator[Any]:
    """Every value in a parse tree or algebra (CompValues, lists, dicts), depth first."""
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        if isinstance(cur, dict):  # CompValue is an OrderedDict
            stack.extend(cur.values())
        elif isinstance(cur, (list, tuple, set, frozenset)) or type(cur).__name__ == "ParseResults":
            stack.extend(list(cur))


def _syntax_message(err: ParseBaseException, text: str) -> str:
    line = text.splitlines()[err.lineno - 1] if 0 < err.lineno <= len(text.splitlines()) else ""
    where = f"line {err.lineno}, column {err.col}"
    pointer = f"\n    {line}\n    {' ' * (err.col - 1)}^" if line else ""
    return f"SPARQL syntax error at {where}: {err.msg}{pointer}"


def _strip_lexically(text: str) -> str:
    """``text`` with comments, string literals and IRIs blanked out.

    Used as a second opinion for SERVICE: if the word survives here as a keyword but rdflib's
    parser saw no SERVICE pattern, the two parsers disagree and the query is refused.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif c in "\"'":
            q3 = text[i : i + 3]
            delim = q3 if q3 in ('"""', "'''") else c
            j = i + len(delim)
            while j < n and not text.startswith(delim, j):
                if text[j] == "\\":
                    j += 1
                elif len(delim) == 1 and text[j] == "\n":
                    break
                j += 1
            i = j + len(delim)
            out.append(" ")
        elif c == "<":
            m = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>").match(text, i)
            if m:
                i = m.end()
                out.append(" ")
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_SERVICE_WORD = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.IGNORECASE)


def _parse_checked(sparql: str) -> tuple[Any, Any]:
    """Parse and check ``sparql``; returns (parse tree, translated query)."""
    if not sparql or not sparql.strip():
        raise QueryError("the query is empty")
    try:
        tree = parseQuery(sparql)
    except ParseBaseException as err:
        try:
            parseUpdate(sparql)
        except ParseBaseException:
            raise QueryError(_syntax_message(err, sparql)) from None
        raise QueryError(
            "updates are not accepted on the query path (INSERT, DELETE, LOAD, CLEAR, DROP, "
            "CREATE, ADD, MOVE, COPY): the store is changed only by `kg build`"
        ) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to check") from None

    if any(isinstance(v, CompValue) and v.name == "ServiceGraphPattern" for v in _walk(tree)):
        raise QueryError("SERVICE clauses are refused: a query must not make network requests")
    if _SERVICE_WORD.search(_strip_lexically(sparql)):
        # The parser saw no SERVICE pattern but the keyword is there: do not guess which
        # reading Oxigraph would take.
        raise QueryError("SERVICE clauses are refused: a query must not make network requests")

    try:
        query = translateQuery(tree, initNs=dict(PREFIXES))
    except Exception as err:  # rdflib raises bare Exceptions (unknown prefix, bad aggregate)
        known = ", ".join(sorted(PREFIXES))
        msg = str(err)
        if "prefix" in msg.lower():
            msg += f" (prefixes declared for you: {known})"
        raise QueryError(f"invalid query: {msg}") from None

    for v in _walk(query.algebra):
        if isinstance(v, CompValue) and v.name == "ServiceGraphPattern":
            raise QueryError("SERVICE clauses are refused: a query must not make network requests")
    for clause in query.algebra.get("datasetClause") or []:
        # CompValue.get answers a missing key with the key's name: test membership.
        is_named = "named" in clause
        iri = clause["named"] if is_named else clause["default"]
        keyword = "FROM NAMED" if is_named else "FROM"
        if not str(iri).startswith(STORE_IRI_BASE):
            raise QueryError(
                f"{keyword} <{iri}> is refused: a query may only read the store's own graphs "
                f"(IRIs starting with {STORE_IRI_BASE})"
            )
        if not is_named:
            # Oxigraph, asked for the union of all graphs as default graph, ignores FROM and
            # would silently answer over every document.
            raise QueryError(
                f"FROM <{iri}> is not supported: the default graph is always the union of all "
                f"graphs; use GRAPH <{iri}> {{ ... }} to read one graph"
            )
    return tree, query


def check_query(sparql: str) -> None:
    """Refuse (QueryError) what must not reach the store.

    Refused: syntax errors (with the parser's line and column), updates, any ``SERVICE``
    clause, and ``FROM``/``FROM NAMED`` naming a graph that is not one of the store's.
    The project's prefixes count as declared.
    """
    _parse_checked(sparql)


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
        try:
            ox.NamedNode(text)  # Oxigraph's IRI check is strict (REFERENCE.md)
        except ValueError:
            return Literal(text)
        return URIRef(text)
    return Literal(text)


def _declared_prefixes(tree: Any) -> set[str]:
    prologue = tree[0] if len(tree) else []
    return {
        str(d.get("prefix") or "")
        for d in _walk(prologue)
        if isinstance(d, CompValue) and d.name == "PrefixDecl"
    }


def _plain(term: Any) -> Any:
    # RDF 1.1: "x"^^xsd:string is the simple literal "x"; Oxigraph spells the datatype out.
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def prepare_query(sparql: str | SavedQuery, params: Mapping[str, str] | None = None
                  ) -> tuple[str, dict[str, URIRef | Literal], str]:
    """Check ``sparql`` and its ``params``: (text with the project's PREFIXes, bindings, kind).

    Kind is SELECT, ASK, CONSTRUCT or DESCRIBE. Parameters must be variables of the query (and
    of a saved query's ``# param:`` list); their values become terms, never query text.
    """
    saved = sparql if isinstance(sparql, SavedQuery) else None
    text = saved.sparql if saved else sparql
    params = dict(params or {})
    tree, query = _parse_checked(text)

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
    used = {str(v) for v in _walk(tree) if isinstance(v, Variable)}
    for name in params:
        if name not in used:
            raise QueryError(f"parameter {name!r}: the query has no variable ?{name}")
    bindings = {name: _param_term(value) for name, value in params.items()}

    declared = _declared_prefixes(tree)
    prologue = "".join(
        line for line in sparql_prefixes().splitlines(keepends=True)
        if line.split()[1].rstrip(":") not in declared
    )
    kind = query.algebra.name.replace("Query", "").upper()
    return prologue + text, bindings, kind


def run_query(
    store: Any,
    sparql: str | SavedQuery,
    params: Mapping[str, str] | None = None,
    *,
    infer: bool = False,
) -> QueryResult:
    """Check ``sparql`` and run it on ``store`` (a ``KGStore``) with Oxigraph.

    With ``infer`` the ontology's RDFS/OWL RL entailments are visible (see `kg.infer`).

    The project's PREFIXes are added unless the query declares them. ``params`` are bound as
    initial values of the variables of the same name (never pasted into the text). Oxigraph
    binds only variables the SELECT returns, so a parameter must be one of its columns.
    """
    full, bindings, kind = prepare_query(sparql, params)
    _require_oxigraph(store)
    try:
        # A str query and no extra keyword arguments: oxrdflib answers it itself and never
        # raises the NotImplementedError that would make rdflib fall back to its evaluator.
        res = store.query(full, bindings, infer=infer)
        if res.type == "ASK":
            return QueryResult("ASK", boolean=bool(res.askAnswer))
        if res.type == "CONSTRUCT":
            graph = Graph()
            bind_namespaces(graph)
            for triple in res.graph:
                graph.add(tuple(_plain(t) for t in triple))
            return QueryResult(kind if kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", graph=graph)
        names = [str(v) for v in res.vars]
        rows = [tuple(_plain(t) for t in row) for row in res]
        return QueryResult("SELECT", vars=names, rows=rows)
    except QueryError:
        raise
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
    from oxrdflib import OxigraphStore

    backend = getattr(getattr(store, "dataset", None), "store", None)
    if not isinstance(backend, OxigraphStore):
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
