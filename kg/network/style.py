"""Colours and sizes of nodes, from ``ontology/viz.toml``: the same in GEXF, PNG and HTML."""
from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path

from rdflib.namespace import RDFS

from kg import paths
from kg.errors import ExportError
from kg.namespaces import KG
from kg.ontology import schema

__all__ = ["color_hex", "color_rgb", "node_size"]


@lru_cache(maxsize=2)
def _style(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        colors = {str(k): str(v) for k, v in data["colors"].items()}
        sizes = {k: float(v) for k, v in data["sizes"].items()}
        for name, value in colors.items():
            if len(value) != 7 or value[0] != "#":
                raise ValueError(f"colour of {name} is not #RRGGBB: {value!r}")
            int(value[1:], 16)
        if not 0 < sizes["min"] <= sizes["max"]:
            raise ValueError("sizes need 0 < min <= max")
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as err:
        raise ExportError(f"cannot read the viz styles ({err})", str(path)) from err
    return {"colors": colors, "sizes": sizes}


def _styles() -> dict:
    return _style(paths.ONTOLOGY_DIR / "viz.toml")


@lru_cache(maxsize=64)
def color_hex(type_name: str) -> str:
    """``#RRGGBB`` for a class local name: its own colour or its nearest listed superclass's."""
    colors = _styles()["colors"]
    if type_name in colors:
        return colors[type_name]
    onto = schema.load().graph
    frontier = [KG[type_name]]
    seen = set()
    while frontier:  # breadth first: the nearest superclass wins
        nxt = []
        for c in frontier:
            for sup in sorted(onto.objects(c, RDFS.subClassOf)):
                name = str(sup).rsplit("#", 1)[-1]
                if name in colors:
                    return colors[name]
                if sup not in seen:
                    seen.add(sup)
                    nxt.append(sup)
        frontier = nxt
    return colors.get("Entity", "#777777")


def color_rgb(type_name: str) -> tuple[int, int, int]:
    h = color_hex(type_name)
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


def node_size(weighted_degree: float, largest: float) -> float:
    """Size for a node of ``weighted_degree`` when the largest in the graph is ``largest``."""
    s = _styles()["sizes"]
    share = math.sqrt(max(weighted_degree, 0.0) / largest) if largest > 0 else 0.0
    return round(s["min"] + (s["max"] - s["min"]) * share, 3)
