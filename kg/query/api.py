"""`kg.query(store, sparql_or_name, **params)`: a query's answer as Python values, for notebooks.

The same checks as `kg query` (`kg.query.run`), run in this process on an open store or a
store's folder. SELECT gives a list of dicts (one per row, the variables as keys, unbound ones
left out) whose values are Python values (an IRI as a string, numbers as numbers, dates as
``datetime.date``), or a pandas DataFrame with ``frame=True``; ASK gives a bool; CONSTRUCT and
DESCRIBE give an rdflib Graph.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from kg.errors import KGError
from kg.query.run import run_query
from kg.query.saved import load_query
from kg.store import KGStore, using_store

__all__ = ["query"]


def _python(term: Any) -> Any:
    if isinstance(term, Literal):
        return term.toPython()
    if isinstance(term, URIRef):
        return str(term)
    return None if term is None else str(term)


def query(store: KGStore | str | Path, sparql_or_name: str, *, params: Mapping[str, str] | None = None,
          infer: bool = False, frame: bool = False, **more_params: str) -> Any:
    """Run ``sparql_or_name`` (inline SPARQL, a saved query's name or a ``.rq`` file) on ``store``.

    Parameters bind query variables as data: ``entity="Munir"`` (or ``params={"entity": "Munir"}``
    for a variable called like one of the options). ``infer`` sees the ontology's entailments.
    ``frame`` returns a pandas DataFrame (pandas must be installed).
    """
    bindings = {**(params or {}), **more_params}
    with using_store(store) as opened:
        result = run_query(opened, load_query(sparql_or_name), bindings, infer=infer)
    if result.kind == "ASK":
        return bool(result.boolean)
    if result.kind != "SELECT":
        return result.graph
    rows = [{v: _python(x) for v, x in zip(result.vars, row) if x is not None} for row in result.rows]
    if not frame:
        return rows
    try:
        import pandas
    except ImportError:
        raise KGError("frame=True needs pandas: pip install pandas") from None
    return pandas.DataFrame(rows, columns=list(result.vars))
