"""Checking a query and running it on the store.

A query reaches the store only after ``check_query`` has read its tokens (`kg.query.check`) and
found no update, no ``SERVICE`` and no dataset clause naming a graph outside the store: both
rdflib and Oxigraph would make the HTTP request for ``SERVICE``, and rdflib reads
``FROM <file:///...>`` from disk (docs/sources.md, "RDF and SPARQL libraries").
Queries are then parsed and answered by Oxigraph through ``KGStore.execute``, never by rdflib's
evaluator, which is far too slow for a real graph (docs/sources.md).
"""
from __future__ import annotations

import functools
import re
from itertools import islice
from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef

import kg.query.check as sparqlcheck
from kg.errors import QueryError
from kg.iri import is_valid_iri
from kg.namespaces import PREFIXES, bind_namespaces, sparql_prefixes
from kg.query.check import CheckedQuery
from kg.query.results import QueryResult
from kg.query.saved import SavedQuery

__all__ = ["STORE_IRI_BASE", "check_query", "prepare_query", "run_query"]

# Dataset clauses (FROM / FROM NAMED) may only name graphs of the store; every graph the build
# writes is under this base (documents, the entity graph).
STORE_IRI_BASE = "https://w3id.org/newskg/"

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


def _param_term(value: Any) -> URIRef | Literal:
    """An absolute http(s) IRI becomes an IRI, anything else a plain string literal."""
    if isinstance(value, (URIRef, Literal)):
        return value
    text = str(value)
    if re.match(r"^https?://", text, re.IGNORECASE):
        if not is_valid_iri(text):  # Oxigraph's IRI check is strict (docs/sources.md)
            return Literal(text)
        return URIRef(text)
    return Literal(text)


def prepare_query(sparql: str | SavedQuery, params: Mapping[str, str] | None = None
                  ) -> tuple[str, dict[str, URIRef | Literal], str]:
    """Check ``sparql`` and its ``params``: (text with the project's PREFIXes, bindings, kind).

    Kind is SELECT, ASK, CONSTRUCT or DESCRIBE. Parameters must be variables of the query (and,
    when the query has ``# param:`` lines, of that list); their values become terms, never query text.
    """
    saved = sparql if isinstance(sparql, SavedQuery) else None
    text = saved.sparql if saved else sparql
    params = dict(params or {})
    checked = _checked(text)

    for name in params:
        if not _VARNAME.match(str(name)):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    if saved is not None and not saved.free_parameters:
        missing = [p for p in saved.parameters if p not in params]
        if missing:
            wanted = "; ".join(f"{p}: {saved.parameters[p] or 'no description'}" for p in missing)
            raise QueryError(f"{saved.title} needs parameter(s) {wanted}")
        unknown = [p for p in params if p not in saved.parameters]
        if unknown:
            takes = ", ".join(saved.parameters) or "none"
            raise QueryError(f"{saved.title} takes no parameter {unknown[0]!r} (it takes: {takes}; "
                             "its `# param: NAME` lines say which)")
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
    max_rows: int | None = None,
) -> QueryResult:
    """Check ``sparql`` and run it on ``store`` (a ``KGStore``) with Oxigraph.

    With ``infer`` the ontology's RDFS/OWL RL entailments are visible (see `kg.store.infer`).

    The project's PREFIXes are added unless the query declares them. ``params`` are bound as
    initial values of the variables of the same name (never pasted into the text). Oxigraph
    binds only variables the SELECT returns, so a parameter must be one of its columns.
    ``max_rows`` stops collecting rows (triples) after that many: memory stays bounded by it.
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
            return QueryResult("SELECT", vars=names, rows=[tuple(map(convert, row)) for row in islice(res, max_rows)])
        graph = Graph()
        bind_namespaces(graph)
        for t in islice(res, max_rows):
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
        # rdflib's own evaluator would follow SERVICE / FROM, and is far too slow on a real graph.
        raise QueryError("queries run only on an Oxigraph-backed KGStore")
