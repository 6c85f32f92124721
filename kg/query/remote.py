"""Remote stores: query any SPARQL 1.1 endpoint, push the store's graphs to a Graph Store.

`query_endpoint` sends a query by the SPARQL 1.1 Protocol (POST, form-encoded) after the same
checks as a local query (`kg.query.prepare_query`: no SERVICE, no update, no FROM outside the
store), so a refused query never leaves this machine. `push` PUTs each named graph of the store,
as N-Triples, to a SPARQL 1.1 Graph Store HTTP Protocol endpoint (Oxigraph's ``/store``,
Fuseki's ``/DATASET/data``, GraphDB's ``/repositories/REPO/rdf-graphs/service``). Plain urllib.

The local store's default graph is the union of its graphs; a remote server must be set up the
same way for queries without GRAPH to see pushed data (``oxigraph serve --union-default-graph``,
Fuseki's ``tdb2:unionDefaultGraph true``).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.store import parse_ntriples, to_ox
from kg.store.infer import INFERRED_GRAPH
from kg.query.sandbox import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, Limited
from kg.namespaces import bind_namespaces
from kg.query.results import QueryResult
from kg.query.run import check_query, prepare_query
from kg.query.saved import SavedQuery

_ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}


def check_url(url: str) -> str:
    """An http(s) URL with a host, or QueryError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryError("the endpoint must be an http:// or https:// URL", url)
    return url


def _values_clause(bindings: Mapping[str, Any]) -> str:
    # The protocol has no initial bindings: send them as a trailing VALUES row, each value
    # written by pyoxigraph's N-Triples serialiser (escaped as data, never pasted as text).
    names = sorted(bindings)
    row = " ".join(str(to_ox(bindings[n])) for n in names)
    return "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + row + ") }\n"


def _outer_only(text: str, bindings: Mapping[str, Any]) -> None:
    """Refuse a parameter used inside a sub-query: a trailing VALUES row would not reach it, and
    the endpoint would silently answer as if the parameter matched nothing."""
    from kg.query.check import subquery_variables

    inner = subquery_variables(text)
    for name in bindings:
        if name in inner:
            raise QueryError(f"parameter {name!r} is used inside a sub-query; with --endpoint a parameter "
                             "can only bind a variable of the outer query (run this one on a local store)")


def _term(j: Mapping[str, str]) -> Any:
    kind = j.get("type")
    if kind == "uri":
        return URIRef(j["value"])
    if kind == "bnode":
        return BNode(j["value"])
    if kind in ("literal", "typed-literal"):
        lang, dtype = j.get("xml:lang"), j.get("datatype")
        if lang:
            return Literal(j["value"], lang=lang)
        if dtype and dtype != "http://www.w3.org/2001/XMLSchema#string":
            return Literal(j["value"], datatype=URIRef(dtype))
        return Literal(j["value"])
    raise QueryError(f"the endpoint answered a term of unknown type {kind!r}")


def _http(req: urllib.request.Request, timeout: float | None, url: str) -> bytes:
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - scheme checked
            return resp.read()
    except urllib.error.HTTPError as err:
        body = err.read()[:300].decode("utf-8", "replace").strip()
        raise QueryError(f"the endpoint answered HTTP {err.code}: {body or err.reason}", url) from None
    except TimeoutError:
        raise QueryError(f"no answer within {timeout:g} s (the time limit; raise it with --timeout)", url) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise QueryError(f"no answer within {timeout:g} s (the time limit; raise it with --timeout)",
                             url) from None
        raise QueryError(f"cannot reach the endpoint ({reason})", url) from None


def query_endpoint(url: str, sparql: str | SavedQuery, params: Mapping[str, str] | None = None, *,
                   timeout: float | None = DEFAULT_TIMEOUT_S,
                   max_rows: int | None = DEFAULT_MAX_ROWS) -> Limited:
    """Run ``sparql`` on the SPARQL 1.1 endpoint ``url``; the result as a local query gives it.

    Checked before anything is sent. Parameters travel as a trailing VALUES row, which SPARQL
    joins with the query's top-level result: a parameter must be a variable of the outer query
    (one used inside a sub-query is refused rather than silently matching nothing).
    """
    check_url(url)
    text, bindings, kind = prepare_query(sparql, params)
    if bindings:
        _outer_only(text, bindings)
        text += _values_clause(bindings)
        check_query(text)  # what is sent is what was checked, VALUES row included
    data = urllib.parse.urlencode({"query": text}).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT[kind]})
    body = _http(req, timeout, url)
    truncated = False
    if kind in ("CONSTRUCT", "DESCRIBE"):
        try:
            triples = parse_ntriples(body)
        except (SyntaxError, ValueError) as err:
            raise QueryError(f"the endpoint's answer is not N-Triples ({err})", url) from None

        if max_rows is not None and len(triples) > max_rows:
            triples, truncated = triples[:max_rows], True
        graph = Graph()
        bind_namespaces(graph)
        for t in triples:
            graph.add(t)
        return Limited(QueryResult(kind, graph=graph), truncated, max_rows)
    try:
        doc = json.loads(body)
    except ValueError:
        raise QueryError("the endpoint's answer is not SPARQL JSON results", url) from None
    if "boolean" in doc:
        return Limited(QueryResult("ASK", boolean=bool(doc["boolean"])), False, max_rows)
    names = list(doc.get("head", {}).get("vars", []))
    rows = [tuple(_term(b[v]) if v in b else None for v in names) for b in doc.get("results", {}).get("bindings", [])]
    if max_rows is not None and len(rows) > max_rows:
        rows, truncated = rows[:max_rows], True
    return Limited(QueryResult("SELECT", vars=names, rows=rows), truncated, max_rows)


def push(store: Any, url: str, *, timeout: float | None = 60.0) -> dict[str, int]:
    """PUT every named graph of ``store`` (a KGStore) to the Graph Store endpoint ``url``.

    Each graph replaces the graph of the same name on the server (so pushing again is safe);
    the ``--infer`` entailments are not sent. Returns graph IRI -> triples sent.
    """
    check_url(url)
    sent: dict[str, int] = {}
    skip = str(INFERRED_GRAPH)
    for g in store.named_graphs():
        if g == skip:
            continue
        body, count = store.graph_ntriples(g)
        sep = "&" if urllib.parse.urlsplit(url).query else "?"
        target = f"{url}{sep}{urllib.parse.urlencode({'graph': g})}"
        req = urllib.request.Request(target, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        try:
            _http(req, timeout, url)
        except QueryError as err:
            raise StoreError(f"push stopped at graph <{g}>: {err}") from None
        sent[g] = count
    return sent
