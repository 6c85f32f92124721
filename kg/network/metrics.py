"""Node metrics that Gephi users expect as columns, computed once for every view and format."""
from __future__ import annotations

import networkx as nx

__all__ = ["LOUVAIN_SEED", "add_metrics", "pagerank"]

# Louvain is randomised: one seed makes the same store give the same communities every time.
LOUVAIN_SEED = 42


def _undirected_weighted(graph: nx.Graph) -> nx.Graph:
    """The undirected projection, weights of both directions summed."""
    und = nx.Graph()
    und.add_nodes_from(sorted(graph.nodes))
    for u, v, d in graph.edges(data=True):
        w = float(d.get("weight", 1) or 1)
        if und.has_edge(u, v):
            und[u][v]["weight"] += w
        else:
            und.add_edge(u, v, weight=w)
    return und


def pagerank(graph: nx.Graph, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200) -> dict:
    """Weighted PageRank by power iteration, the same as ``nx.pagerank`` but without SciPy
    (``nx.pagerank`` imports it, a large dependency for one metric). Dangling nodes spread
    their rank evenly; an undirected graph counts each edge both ways."""
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    directed = graph.is_directed()
    out_w: dict = {u: 0.0 for u in nodes}
    links: dict = {u: [] for u in nodes}
    for u, v, d in graph.edges(data=True):
        w = float(d.get("weight", 1) or 1)
        pairs = [(u, v)] if directed else [(u, v), (v, u)]
        for a, b in pairs:
            links[a].append((b, w))
            out_w[a] += w
    rank = {u: 1.0 / n for u in nodes}
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out_w[u] == 0) / n
        new = {u: (1.0 - alpha) / n + dangling for u in nodes}
        for u in nodes:
            if out_w[u]:
                share = alpha * rank[u] / out_w[u]
                for v, w in links[u]:
                    new[v] += share * w
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def add_metrics(graph: nx.Graph) -> None:
    """Set ``degree`` (int), ``weighted_degree``, ``pagerank``, ``betweenness`` (floats) and
    ``community`` (int, Louvain on the undirected weighted projection; 0 is the largest) on every
    node of ``graph``, in place."""
    if graph.number_of_nodes() == 0:
        return
    und = _undirected_weighted(graph)
    degree = dict(graph.degree())
    wdeg = dict(graph.degree(weight="weight"))
    ranks = pagerank(graph)
    # Betweenness on the undirected projection: brokers between sides whatever the direction.
    betweenness = nx.betweenness_centrality(und, normalized=True)
    parts = nx.community.louvain_communities(und, weight="weight", seed=LOUVAIN_SEED)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    community = {n: i for i, p in enumerate(parts) for n in p}
    for n, d in graph.nodes(data=True):
        d["degree"] = int(degree[n])
        d["weighted_degree"] = float(wdeg[n])
        d["pagerank"] = float(ranks.get(n, 0.0))
        d["betweenness"] = float(betweenness.get(n, 0.0))
        d["community"] = int(community[n])
