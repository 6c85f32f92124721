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

__all__ = ["draw_view", "export"]


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
