"""`kg query`: a query named on the command line, answered by the local store or an endpoint.

The local store answers in a child process with a time limit and a row cap (`kg.query.sandbox`);
an endpoint is asked over HTTP after the same checks (`kg.query.remote`, imported only then).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import QueryError
from kg.limits import check_seconds
from kg.query.sandbox import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, Limited, query_store
from kg.query.saved import load_query

__all__ = ["answer", "parse_params"]


def parse_params(params: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (``--param``) as bindings; a leading ``?`` on a name is dropped."""
    bindings = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {p!r}: expected NAME=VALUE")
        bindings[name.strip().lstrip("?")] = value
    return bindings


def answer(query: str, store_path: str | Path, params: Iterable[str] = (), *, endpoint: str | None = None,
           infer: bool = False, timeout: float | None = DEFAULT_TIMEOUT_S,
           max_rows: int | None = DEFAULT_MAX_ROWS) -> Limited:
    """Run ``query`` (a ``.rq`` file, a saved query's name or inline SPARQL, see
    `kg.query.saved.load_query`) with ``params`` (``NAME=VALUE``) on the store at ``store_path``,
    or on the SPARQL endpoint ``endpoint`` when one is given; at most ``max_rows`` rows and
    ``timeout`` seconds. ``infer`` works on the local store only."""
    if timeout is not None:
        try:
            timeout = check_seconds(timeout)
        except ValueError as err:
            raise QueryError(str(err)) from None
    bindings = parse_params(params)
    q = load_query(query)
    if endpoint:
        from kg.query.remote import query_endpoint

        if infer:
            raise QueryError("--infer works on the local store only (the endpoint has its own reasoning, if any)")
        return query_endpoint(endpoint, q, bindings, timeout=timeout, max_rows=max_rows)
    return query_store(store_path, q, bindings, infer=infer, timeout=timeout, max_rows=max_rows)
