"""SPARQL over the store: saved queries, safety checks, parameters and result formats.

- `kg.query.saved`    the saved queries (``.rq`` files) and how a query is named on the command line
- `kg.query.run`      the safety checks, parameters, and running a query on the store with Oxigraph
- `kg.query.results`  what a query returned and its formats (table, CSV, TSV, JSON, graphs)
- `kg.query.answer`   `kg query`: a query on the local store (`kg.query.sandbox`) or an endpoint (`kg.query.remote`)

The names below are re-exported from those modules; the modules themselves never import this one.
The package is callable: ``kg.query(store, sparql_or_name, **params)`` (`kg.query.api.query`).
"""
from __future__ import annotations

import sys
from typing import Any

from kg import CallablePackage

from kg.query.results import FORMATS, GRAPH_FORMATS, QueryResult, format_result, shorten
from kg.query.run import STORE_IRI_BASE, check_query, prepare_query, run_query
from kg.query.saved import SavedQuery, format_saved_queries, list_saved_queries, load_query

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "QueryResult",
    "STORE_IRI_BASE",
    "SavedQuery",
    "check_query",
    "format_result",
    "format_saved_queries",
    "list_saved_queries",
    "load_query",
    "prepare_query",
    "run_query",
    "shorten",
]


def __call__(store: Any, sparql_or_name: str, **options: Any) -> Any:
    """`kg.query`: see `kg.query.api.query`."""
    from kg.query.api import query

    return query(store, sparql_or_name, **options)


sys.modules[__name__].__class__ = CallablePackage
