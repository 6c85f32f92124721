"""Pictures of a network view for people without Gephi: a PNG (networkx + matplotlib) and one
self-contained HTML page (inline SVG drawn by inline JavaScript, positions computed here with a
seeded layout; a Content-Security-Policy forbids every fetch, so the page works offline and
cannot reach out). matplotlib is imported only here, so `kg export` starts without it; it is an
optional dependency (the ``viz`` extra), needed for the PNG only."""
from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ExportError
from kg.network.formats.common import atomic_open, check_target, clean_graph
from kg.network.style import color_hex

__all__ = ["LAYOUT_SEED", "draw", "layout", "write_html", "write_png"]

LAYOUT_SEED = 7  # the same store always gives the same picture
_MAX_LABEL = 28
_MAX_EDGE_LABELS = 80  # past this, relation names on edges are noise


def layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Node positions in [0, 1] x [0, 1]: each connected component gets a seeded force layout in
    its own box, boxes sized by the component's size and packed in rows, largest first (one
    layout of the whole graph squeezes every component into a blob)."""
    und = nx.Graph()
    und.add_nodes_from(sorted(graph.nodes))
    for u, v, d in graph.edges(data=True):
        und.add_edge(u, v, weight=1.0 + math.log1p(float(d.get("weight", 1))))
    comps = sorted((sorted(c) for c in nx.connected_components(und)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    # Shelf packing: a box of side sqrt(n) per component, rows as wide as the largest box or
    # the square root of the total area, whichever is wider.
    sides = [2.4 * math.sqrt(len(c)) if len(c) > 2 else 1.7 for c in comps]  # room for a lone label
    row_width = max(max(sides), math.sqrt(sum(s * s for s in sides)) * 1.25)
    gap = 0.6  # room for the labels that stick out of a box
    boxes, x, y, row_h = [], 0.0, 0.0, 0.0
    for side in sides:
        if x > 0 and x + side > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        boxes.append((x, y, side))
        x, row_h = x + side + gap, max(row_h, side)
    total_w = max(bx + side for bx, _, side in boxes)
    total_h = max(by + side for _, by, side in boxes)
    scale = max(total_w, total_h)
    pos: dict[Any, tuple[float, float]] = {}
    for comp, (bx, by, side) in zip(comps, boxes):
        if len(comp) == 1:
            local = {comp[0]: (0.5, 0.5)}
        else:
            sub = und.subgraph(comp)
            raw = nx.spring_layout(sub, seed=LAYOUT_SEED, k=3.0 / math.sqrt(len(comp)), iterations=500,
                                   weight=None)  # heavy edges pulling nodes onto each other hide them
            xs = [p[0] for p in raw.values()]
            ys = [p[1] for p in raw.values()]
            span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
            local = {n: (0.1 + 0.8 * (p[0] - min(xs)) / span_x, 0.1 + 0.8 * (p[1] - min(ys)) / span_y)
                     for n, p in raw.items()}
        for n, (lx, ly) in local.items():
            # y grows downwards in the packing, upwards in the picture: the largest box is on top.
            pos[n] = ((bx + lx * side) / scale, 1.0 - (by + ly * side) / scale)
    return pos


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


def _radius(degree: float, largest: float) -> float:
    return 4.0 + 14.0 * math.sqrt(degree / largest) if largest > 0 else 4.0


# --------------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------------
def write_png(graph: nx.Graph, path: str | Path) -> None:
    """A labelled picture: nodes coloured by type and sized by degree, edges thicker by weight."""
    try:
        import matplotlib
    except ImportError:
        raise ExportError("a PNG needs matplotlib, which newskg installs only with its viz extra: "
                          "pip install 'newskg[viz]' (an .html page needs nothing more)", str(path)) from None

    matplotlib.use("Agg")  # no display: draw to a file
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    g = clean_graph(graph)
    pos = layout(g)
    largest = max((d for _, d in g.degree()), default=0)
    fig, ax = plt.subplots(figsize=(16, 11), dpi=110)
    try:
        ax.set_axis_off()
        for u, v, d in g.edges(data=True):
            (x1, y1), (x2, y2) = pos[u], pos[v]
            w = float(d.get("weight", 1))
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=1,
                        arrowprops=dict(arrowstyle="-|>" if g.is_directed() and not d.get("mutual") else "-",
                                        color="#8a8a8a", alpha=0.7, lw=0.6 + 0.7 * math.log1p(w),
                                        shrinkA=6, shrinkB=8, mutation_scale=9))
            if g.number_of_edges() <= _MAX_EDGE_LABELS:
                ax.text((x1 + x2) / 2, (y1 + y2) / 2, _short(str(d.get("label", ""))), fontsize=6.5,
                        color="#666666", ha="center", va="center", zorder=1,
                        bbox=dict(boxstyle="round,pad=0.05", fc="white", ec="none", alpha=0.6))
        types = sorted({str(d.get("type", "Entity")) for _, d in g.nodes(data=True)})
        for n, d in g.nodes(data=True):
            x, y = pos[n]
            r = _radius(float(g.degree(n)), float(largest))
            ax.scatter([x], [y], s=(2.2 * r) ** 2, color=color_hex(str(d.get("type", "Entity"))),
                       edgecolors="white", linewidths=0.8, zorder=2)
            ax.text(x, y - 0.012 - r / 900, _short(str(d.get("label", n))), ha="center", va="top",
                    fontsize=8.5, zorder=3, color="#222222",
                    bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.7))
        handles = [Line2D([0], [0], marker="o", linestyle="", markersize=9, color=color_hex(t), label=t)
                   for t in types]
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False,
                      title="type")
        ax.set_title(f"newskg {g.graph.get('view', 'network')} view: {g.number_of_nodes()} nodes, "
                     f"{g.number_of_edges()} edges (size: degree; colour: type)", fontsize=12)
        ax.set_xlim(-0.04, 1.04)
        ax.set_ylim(-0.04, 1.04)
        with atomic_open(path, "PNG") as fh:
            fig.savefig(fh, format="png", bbox_inches="tight", metadata={"Software": None})
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
 body { margin: 0; font: 13px system-ui, sans-serif; color: #222; background: #fafafa; }
 header { padding: 6px 12px; border-bottom: 1px solid #ddd; background: #fff; }
 #wrap { position: relative; }
 svg { display: block; width: 100vw; height: calc(100vh - 64px); cursor: grab; }
 line.edge { stroke: #999; stroke-opacity: .6; }
 line.edge.on { stroke: #333; stroke-opacity: 1; }
 circle.node { stroke: #fff; stroke-width: 1.2; cursor: pointer; }
 circle.node.dim, text.label.dim { opacity: .15; }
 line.edge.dim { stroke-opacity: .05; }
 text.label { font-size: 11px; pointer-events: none; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
 #tip { position: absolute; display: none; max-width: 420px; background: #fff; border: 1px solid #bbb;
        padding: 6px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.15); pointer-events: none; white-space: pre-wrap; }
 #legend span { display: inline-block; margin-right: 10px; }
 #legend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; }
</style>
</head>
<body>
<header><b>__TITLE__</b> &middot; hover a node or edge for its attributes, click a node to show its
neighbours, drag to move, wheel to zoom. <span id="legend"></span></header>
<div id="wrap"><svg id="net" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 700"></svg><div id="tip"></div></div>
<script type="application/json" id="graph-data">__DATA__</script>
<script>
"use strict";
(function () {
  // Errors are recorded on the page itself, where a headless browser test can read them.
  var errors = [];
  function record(msg) { errors.push(String(msg)); document.body.setAttribute("data-errors", errors.join(" | ")); }
  window.addEventListener("error", function (e) { record(e.message || "error"); });
  window.addEventListener("unhandledrejection", function (e) { record(e.reason); });
  var consoleError = console.error;
  console.error = function () { record(Array.prototype.join.call(arguments, " ")); consoleError.apply(console, arguments); };
  document.body.setAttribute("data-errors", "");
})();
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("net"), tip = document.getElementById("tip");
  var W = 1000, H = 700, M = 40;
  var view = { x: 0, y: 0, w: W, h: H };
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    parent.appendChild(e);
    return e;
  }
  function px(n) { return M + n.x * (W - 2 * M); }
  function py(n) { return M + (1 - n.y) * (H - 2 * M); }
  function describe(obj) {
    var lines = [];
    for (var k in obj) { if (k !== "x" && k !== "y" && k !== "r" && k !== "color") { lines.push(k + ": " + obj[k]); } }
    return lines.join("\\n");
  }
  var defs = el("defs", {}, svg);
  var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "9",
                              markerHeight: "9", markerUnits: "userSpaceOnUse",
                              orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#999" }, marker);
  var byId = {}, gEdges = el("g", {}, svg), gNodes = el("g", {}, svg), gLabels = el("g", {}, svg);
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeEls = data.edges.map(function (e) {
    var s = byId[e.source], t = byId[e.target];
    var dx = px(t) - px(s), dy = py(t) - py(s), len = Math.sqrt(dx * dx + dy * dy) || 1;
    var line = el("line", { "class": "edge", x1: px(s), y1: py(s),
                            x2: px(t) - dx / len * (t.r + 2), y2: py(t) - dy / len * (t.r + 2),
                            "stroke-width": e.width }, gEdges);
    if (data.directed && !e.mutual) { line.setAttribute("marker-end", "url(#arrow)"); }
    line.addEventListener("mousemove", function (ev) { show(ev, s.label + " \\u2192 " + t.label + "\\n" + describe(e.attrs)); });
    line.addEventListener("mouseleave", hide);
    return { el: line, s: e.source, t: e.target };
  });
  var nodeEls = {};
  data.nodes.forEach(function (n) {
    var c = el("circle", { "class": "node", cx: px(n), cy: py(n), r: n.r, fill: n.color, "data-id": n.id }, gNodes);
    var label = el("text", { "class": "label", x: px(n), y: py(n) + n.r + 11, "text-anchor": "middle" }, gLabels);
    label.textContent = n.short;
    c.addEventListener("mousemove", function (ev) { show(ev, describe(n.attrs)); });
    c.addEventListener("mouseleave", hide);
    c.addEventListener("click", function (ev) { ev.stopPropagation(); focus(n.id); });
    nodeEls[n.id] = { c: c, label: label };
  });
  function show(ev, text) {
    tip.textContent = text; tip.style.display = "block";
    tip.style.left = (ev.offsetX + 14) + "px"; tip.style.top = (ev.offsetY + 14) + "px";
  }
  function hide() { tip.style.display = "none"; }
  var focused = null;
  function focus(id) {
    focused = focused === id ? null : id;
    var near = {}; near[id] = true;
    edgeEls.forEach(function (e) { if (e.s === id) { near[e.t] = true; } if (e.t === id) { near[e.s] = true; } });
    Object.keys(nodeEls).forEach(function (k) {
      var dim = focused !== null && !near[k];
      nodeEls[k].c.classList.toggle("dim", dim); nodeEls[k].label.classList.toggle("dim", dim);
    });
    edgeEls.forEach(function (e) {
      var on = focused !== null && (e.s === id || e.t === id);
      e.el.classList.toggle("on", on); e.el.classList.toggle("dim", focused !== null && !on);
    });
  }
  svg.addEventListener("click", function () { if (focused !== null) { focus(focused); } });
  function setView() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var f = ev.deltaY > 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
    var mx = view.x + (ev.clientX - r.left) / r.width * view.w, my = view.y + (ev.clientY - r.top) / r.height * view.h;
    view.x = mx - (mx - view.x) * f; view.y = my - (my - view.y) * f; view.w *= f; view.h *= f; setView();
  }, { passive: false });
  var drag = null;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY }; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    view.x -= (ev.clientX - drag.x) / r.width * view.w; view.y -= (ev.clientY - drag.y) / r.height * view.h;
    drag = { x: ev.clientX, y: ev.clientY }; setView();
  });
  var legend = document.getElementById("legend");
  data.legend.forEach(function (t) {
    var s = document.createElement("span"), i = document.createElement("i");
    i.style.background = t.color; s.appendChild(i); s.appendChild(document.createTextNode(t.type)); legend.appendChild(s);
  });
  document.body.setAttribute("data-rendered-nodes", String(data.nodes.length));
  document.body.setAttribute("data-rendered-edges", String(edgeEls.length));
})();
</script>
</body>
</html>
"""


def _json_for_script(data: Any) -> str:
    # Inside <script>, "</" would end the element and "<!--" open a comment: escape "<".
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def html_page(graph: nx.Graph) -> str:
    """The self-contained interactive page of ``graph``."""
    g = clean_graph(graph)
    pos = layout(g)
    largest = max((d for _, d in g.degree()), default=0)
    nodes = []
    for n, d in g.nodes(data=True):
        t = str(d.get("type", "Entity"))
        nodes.append({"id": n, "label": str(d.get("label", n)), "short": _short(str(d.get("label", n))),
                      "x": round(pos[n][0], 5), "y": round(pos[n][1], 5), "color": color_hex(t),
                      "r": round(_radius(float(g.degree(n)), float(largest)), 2),
                      "attrs": {"id": n, **{k: v for k, v in sorted(d.items())}}})
    edges = [{"source": u, "target": v, "mutual": bool(d.get("mutual", False)),
              "width": round(0.8 + math.log1p(float(d.get("weight", 1))), 2), "attrs": dict(sorted(d.items()))}
             for u, v, d in g.edges(data=True)]
    types = sorted({str(d.get("type", "Entity")) for _, d in g.nodes(data=True)})
    data = {"directed": g.is_directed(), "nodes": nodes, "edges": edges,
            "legend": [{"type": t, "color": color_hex(t)} for t in types]}
    title = html.escape(f"newskg {g.graph.get('view', 'network')} view: {g.number_of_nodes()} nodes, "
                        f"{g.number_of_edges()} edges")
    return _PAGE.replace("__TITLE__", title).replace("__DATA__", _json_for_script(data))


def write_html(graph: nx.Graph, path: str | Path) -> None:
    """Write the interactive page of ``graph`` at ``path``, all or nothing."""
    page = html_page(graph)
    with atomic_open(path, "HTML") as fh:
        fh.write(page.encode("utf-8"))


def draw(graph: nx.Graph, out: str | Path) -> None:
    """Draw ``graph`` to ``out``: a ``.png`` picture or an ``.html`` page, by the file's suffix."""
    out = check_target(out)
    suffix = out.suffix.lower()
    if suffix == ".png":
        write_png(graph, out)
    elif suffix in (".html", ".htm"):
        write_html(graph, out)
    else:
        raise ExportError("kg viz writes a .png picture or an .html page; name the file so", str(out))
