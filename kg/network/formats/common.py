"""What every exporter shares: values cleaned for XML and Gephi, and all-or-nothing writing."""
from __future__ import annotations

import io
import math
import numbers
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import networkx as nx
from rdflib import Literal

from kg.paths import output_target
from kg.errors import ExportError
from kg.paths import is_stdout, write_stdout

__all__ = ["atomic_open", "clean_graph", "sanitize_text", "check_target"]

# Characters XML 1.0 forbids; one of them aborts Gephi's whole import (docs/sources.md).
_ILLEGAL = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


def sanitize_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return text.translate(_ILLEGAL)


def clean_value(value: Any) -> Any:
    """A safe value (bool, int, float or str), or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Literal):
        value = value.toPython()
        if isinstance(value, Literal):
            value = str(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (numbers.Real, Decimal)):
        f = float(value)
        return f if math.isfinite(f) else None  # Gephi cannot parse nan/inf in a typed column
    if isinstance(value, (list, tuple, set, frozenset)):
        # A list makes networkx fail half-way through the file (docs/sources.md): join it.
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return sanitize_text("; ".join(str(v) for v in items if v is not None))
    return sanitize_text(str(value))


def clean_attrs(data: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = sanitize_text(str(k)).strip()
        value = clean_value(v)
        if key and value is not None:
            out[key] = value
    return out


def _unify_types(items: list[dict[str, Any]]) -> None:
    """Give each attribute one type over all elements, so every format writes one typed column."""
    kinds: dict[str, set[type]] = {}
    for d in items:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, ts in kinds.items():
        if len(ts) < 2:
            continue
        target: type = float if ts <= {int, float} else str
        for d in items:
            if k in d:
                d[k] = target(d[k]) if target is float else (
                    str(d[k]).lower() if isinstance(d[k], bool) else str(d[k])
                )


def _fix_weights(edges: list[dict[str, Any]]) -> None:
    """Every edge gets a weight > 0: Gephi drops edges of weight 0 (docs/sources.md)."""
    numeric = [d["weight"] for d in edges
               if isinstance(d.get("weight"), (int, float)) and not isinstance(d.get("weight"), bool)]
    one: int | float = 1.0 if any(isinstance(w, float) for w in numeric) else 1
    for d in edges:
        w = d.get("weight")
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not w > 0:
            d["weight"] = one
        elif isinstance(one, float):
            d["weight"] = float(w)


def clean_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` that follows Gephi's rules (docs/sources.md): node ids non-empty and unique
    once cleaned, labels never empty, one type per attribute, no None/nan, lists joined, edge ids
    (keys ``e0``, ``e1``, ...) unique, weights > 0. Returns a multigraph of the same direction."""
    out = nx.MultiDiGraph() if graph.is_directed() else nx.MultiGraph()
    out.graph.update(clean_attrs({k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default")}))

    ids: dict[Any, str] = {}
    node_data: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        nid = sanitize_text(str(node))
        if not nid.strip():
            raise ExportError(f"node {node!r} has an empty id once cleaned; Gephi refuses such files")
        if nid in ids.values():
            raise ExportError(f"two nodes have the same id once cleaned: {nid!r}")
        ids[node] = nid
        attrs = clean_attrs(data)
        if not str(attrs.get("label", "")).strip():
            attrs["label"] = nid  # Gephi shows the label; never leave it empty
        node_data.append(attrs)
    _unify_types(node_data)
    for node, attrs in zip(ids.values(), node_data):
        out.add_node(node, **attrs)

    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else (
        (u, v, None, d) for u, v, d in graph.edges(data=True)
    )
    edge_list = [(ids[u], ids[v], clean_attrs(d)) for u, v, _k, d in edges]
    edge_data = [d for _, _, d in edge_list]
    _unify_types(edge_data)
    _fix_weights(edge_data)
    for i, (u, v, d) in enumerate(edge_list):
        out.add_edge(u, v, key=f"e{i}", **d)  # the key is the edge's id: unique, as Gephi needs
    return out


def check_target(path: str | Path) -> Path:
    """``path`` as a Path, after checking that its folder exists and it is not a folder; a
    symlink's target, so the link is written through, and a special file refused
    (`kg.paths.output_target`)."""
    name = str(path)
    path, problem = output_target(path)
    if problem and path.exists() and not path.is_dir():
        raise ExportError(problem, name)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError("the folder to write into does not exist", str(path))
    if path.is_dir():
        raise ExportError("is a folder, not a file name", str(path))
    return path


@contextmanager
def atomic_open(path: str | Path, what: str = "the export") -> Iterator[IO[bytes]]:
    """A binary file handle whose content replaces ``path`` only when the block ends without error.

    The data goes to a temporary name in the same folder (so ``os.replace`` is atomic) and is
    synced before the move; on any failure the temporary file is removed and any previous file
    at ``path`` is left byte for byte as it was. Errors other than ExportError become ExportError.
    ``path`` `-` is standard output: the bytes are written there when the block ends.
    """
    if is_stdout(path):
        # Written only once complete, so a failure half-way prints nothing.
        buffer = io.BytesIO()
        try:
            yield buffer
            write_stdout(buffer.getvalue())
        except ExportError:
            raise
        except Exception as err:
            raise ExportError(f"cannot write {what} ({type(err).__name__}: {err})", "-") from err
        return
    path = check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        # 0o666 and O_EXCL: the new file gets the usual permissions (umask), never clobbers.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        if isinstance(err, ExportError) or not isinstance(err, Exception):
            raise
        raise ExportError(f"cannot write {what} ({type(err).__name__}: {err})", str(path)) from err
