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
import re
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.limits import check_seconds
from kg.store import parse_ntriples, to_ox
from kg.store.infer import INFERRED_GRAPH
from kg.query.sandbox import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, Limited
from kg.namespaces import bind_namespaces
from kg.query.results import QueryResult
from kg.query.run import check_query, prepare_query
from kg.query.saved import SavedQuery
from kg.query.fetch import check_url, http_body, redact

__all__ = ["check_url", "push", "query_endpoint"]

_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")  # BCP 47's shape, as RDF wants it

_ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}


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


def _term(j: Any) -> Any:
    if not isinstance(j, Mapping) or not isinstance(j.get("value"), str):
        raise ValueError("a term is not an object with a string value")
    kind = j.get("type")
    if kind == "uri":
        return URIRef(j["value"])
    if kind == "bnode":
        return BNode(j["value"])
    if kind in ("literal", "typed-literal"):
        lang, dtype = j.get("xml:lang"), j.get("datatype")
        if lang:
            if not isinstance(lang, str) or not _LANG.match(lang):
                raise ValueError(f"bad language tag {str(lang)[:40]!r}")
            return Literal(j["value"], lang=lang)
        if dtype and dtype != "http://www.w3.org/2001/XMLSchema#string":
            if not isinstance(dtype, str):
                raise ValueError("a datatype is not a string")
            return Literal(j["value"], datatype=URIRef(dtype))
        return Literal(j["value"])
    raise ValueError(f"a term of unknown type {str(kind)[:40]!r}")


def _json_result(body: bytes, url: str, max_rows: int | None) -> Limited:
    """SPARQL JSON results as a result, or QueryError naming what is wrong with them."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise QueryError("the endpoint's answer is not SPARQL JSON results", url) from None
    try:
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
        if "boolean" in doc:
            if not isinstance(doc["boolean"], bool):
                raise ValueError(f"the boolean is {json.dumps(doc['boolean'])[:40]}, not true or false")
            return Limited(QueryResult("ASK", boolean=doc["boolean"]), False, max_rows)
        names = doc.get("head", {}).get("vars", [])
        bindings = doc.get("results", {}).get("bindings", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not isinstance(bindings, list):
            raise ValueError("head.vars or results.bindings is not a list")
        truncated = max_rows is not None and len(bindings) > max_rows
        rows = [tuple(_term(b[v]) if v in b else None for v in names) for b in bindings[:max_rows]]
    except (ValueError, TypeError, AttributeError, KeyError) as err:
        raise QueryError(f"the endpoint's answer is not valid SPARQL JSON results ({err})", url) from None
    return Limited(QueryResult("SELECT", vars=list(names), rows=rows), truncated, max_rows)


def query_endpoint(url: str, sparql: str | SavedQuery, params: Mapping[str, str] | None = None, *,
                   timeout: float | None = DEFAULT_TIMEOUT_S,
                   max_rows: int | None = DEFAULT_MAX_ROWS) -> Limited:
    """Run ``sparql`` on the SPARQL 1.1 endpoint ``url``; the result as a local query gives it.

    Checked before anything is sent. Parameters travel as a trailing VALUES row, which SPARQL
    joins with the query's top-level result: a parameter must be a variable of the outer query
    (one used inside a sub-query is refused rather than silently matching nothing). The exchange
    is bounded (`kg.query.fetch`): ``timeout`` seconds in all, `MAX_ANSWER_BYTES`, redirects
    only within the server; a malformed answer is one QueryError.
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
    body = http_body(req, timeout)
    url = redact(url)
    if kind in ("CONSTRUCT", "DESCRIBE"):
        try:
            triples = parse_ntriples(body)
        except (SyntaxError, ValueError, RecursionError) as err:
            raise QueryError(f"the endpoint's answer is not N-Triples ({str(err)[:200]})", url) from None
        truncated = max_rows is not None and len(triples) > max_rows
        graph = Graph()
        bind_namespaces(graph)
        for t in triples[:max_rows]:
            graph.add(t)
        return Limited(QueryResult(kind, graph=graph), truncated, max_rows)
    return _json_result(body, url, max_rows)


def push(store: Any, url: str, *, timeout: float | None = 60.0) -> dict[str, int]:
    """PUT every named graph of ``store`` (a KGStore) to the Graph Store endpoint ``url``.

    Each graph replaces the graph of the same name on the server (so pushing again is safe);
    the ``--infer`` entailments are not sent. Returns graph IRI -> triples sent.
    """
    check_url(url)
    if timeout is not None:
        try:
            timeout = check_seconds(timeout)
        except ValueError as err:
            raise StoreError(str(err)) from None
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
            http_body(req, timeout)
        except QueryError as err:
            raise StoreError(f"push stopped at graph <{g}>: {err}") from None
        sent[g] = count
    return sent
