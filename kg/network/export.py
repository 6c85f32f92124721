"""A view of the store, written to a file (`kg export`) or drawn (`kg viz`).

The one place that joins the views (`kg.network.views`) to the writers (`kg.network.formats`,
`kg.network.viz`), so that neither of those needs the other.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.network import formats
from kg.network.views import Filters, build_view
from kg.network.viz import draw

__all__ = ["draw_view", "export", "network"]


def network(store: Any, view: str = "actors", *, types: str | list[str] | tuple[str, ...] = "",
            since: str | None = None, until: str | None = None, min_weight: float = 0.0,
            entity: str | None = None, hops: int = 1, cooccurrence: str = "sentence") -> Any:
    """`kg.network`: ``view`` ("actors", "events" or "comentions") of ``store`` (an open store or
    a store's folder) as a networkx graph, with the filters of `kg export` (``types`` a list or
    a comma-separated string of class names, ``since``/``until`` ISO dates, ...)."""
    from kg.network.views import parse_filters
    from kg.store import using_store

    if view not in ("actors", "events", "comentions"):
        raise ExportError(f"unknown view {view!r} (choose from actors, events, comentions)")
    if not isinstance(types, str):
        types = ",".join(types)
    filters = parse_filters(types, since, until, min_weight, entity, hops, cooccurrence)
    with using_store(store) as opened:
        return build_view(opened, view, filters)


def export(store: Any, fmt: str, out: str | Path, view: str = "actors", filters: Filters | None = None) -> dict[str, int]:
    """Build ``view`` of ``store`` (with `kg.network.views.Filters`) and write it; returns node and edge counts."""
    if fmt not in formats.FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(formats.FORMATS)})")
    graph = build_view(store, view, filters)
    formats.write(graph, fmt, out)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def draw_view(store: Any, out: str | Path, view: str = "actors", filters: Filters | None = None, *,
              everything: bool = False) -> dict[str, int]:
    """Build ``view`` of ``store`` and draw it to ``out`` (``.png`` or ``.html``, see
    `kg.network.viz.draw`); returns node and edge counts, and under ``left_out`` how many nodes
    were not drawn.

    Unless ``everything``, only the connected part is drawn: nodes without any edge are left out,
    since on a real corpus hundreds of them fill the picture with a grid of lone labels.
    """
    graph = build_view(store, view, filters)
    left_out = 0
    if not everything:
        lone = [n for n in graph if graph.degree(n) == 0]
        left_out = len(lone)
        graph.remove_nodes_from(lone)
    draw(graph, out)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "left_out": left_out}
