"""The persistent graph store: an Oxigraph database on disk, used through rdflib (oxrdflib).

Oxigraph answers joins and aggregates in milliseconds where rdflib's memory store takes minutes
(REFERENCE.md, measured 2026-11-23), and keeps the graph on disk between commands.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from kg import infer as inference
from kg.errors import StoreError
from kg.namespaces import PREFIXES, bind_namespaces

Triple = tuple[Identifier, Identifier, Identifier]

_opened = False  # has this process opened an Oxigraph store (and started its threads)?


def opened_in_this_process() -> bool:
    """Whether a store was opened here: forking such a process is unsafe (kg.sandbox)."""
    return _opened


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, Literal

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store term {term!r}")


class KGStore:
    """A knowledge-graph store in folder ``path``.

    ``dataset`` is an rdflib ``Dataset`` whose default graph is the union of all named graphs,
    so SPARQL without GRAPH clauses sees every document's statements.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not (self.path.is_dir() and any(self.path.iterdir())):
            raise StoreError("no knowledge-graph store here; run `kg build` first", str(self.path))
        # Oxigraph's read-only mode is undefined while another process writes (REFERENCE.md), and
        # it failed here on a store whose writer had just closed: readers open it normally.
        global _opened
        _opened = True
        try:
            self.ox = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            if "lock" in str(err).lower():
                raise StoreError("the store is in use by another process (a running build or load?); "
                                 "try again when it has finished", str(self.path)) from err
            raise StoreError(f"cannot open the store ({err})", str(self.path)) from err
        self.dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
        bind_namespaces(self.dataset)

    # -- writing -------------------------------------------------------------------------------
    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Make named graph ``graph`` hold exactly ``triples``; returns how many were written.

        The new quads go in with one ``extend`` call (one transaction) after the old graph is
        dropped, so re-building a document never leaves two versions of it.
        """
        g = ox.NamedNode(str(graph))
        quads = {ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), g) for s, p, o in triples}
        self._drop_inferred()
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)
        self.ox.extend(quads)
        return len(quads)

    def _drop_inferred(self) -> None:
        inference.drop(self.ox)  # entailments of the old state may not hold any more

    def add_triples(self, graph: URIRef, triples: Iterable[Triple]) -> int:
        """Add ``triples`` to named graph ``graph`` (one transaction); returns how many were given."""
        g = ox.NamedNode(str(graph))
        quads = {ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), g) for s, p, o in triples}
        self._drop_inferred()
        self.ox.extend(quads)
        return len(quads)

    def remove_graph(self, graph: URIRef) -> None:
        self._drop_inferred()
        g = ox.NamedNode(str(graph))
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)

    def flush(self) -> None:
        self.ox.flush()

    # -- reading -------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None, *,
              infer: bool = False) -> Result:
        """Run SPARQL over the union of all graphs. ``bindings`` are bound as values, not text.

        With ``infer`` the ontology's entailments (`kg.infer`) are part of the union; without,
        the graph that holds them is left out.
        """
        inferred = ox.NamedNode(str(inference.INFERRED_GRAPH))
        if infer and not self.ox.contains_named_graph(inferred):
            inference.materialize(self.ox)
        if infer or not self.ox.contains_named_graph(inferred):
            return self.dataset.query(sparql, initBindings=dict(bindings or {}))
        graphs = [g for g in self.ox.named_graphs() if g != inferred]
        return _result(self.ox.query(
            sparql, default_graph=graphs, named_graphs=graphs,
            prefixes={p: str(ns) for p, ns in PREFIXES.items()},
            substitutions={ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()},
        ))

    def graph(self, graph: URIRef) -> Graph:
        """A copy of one named graph in memory."""
        out = Graph()
        bind_namespaces(out)
        for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))):
            out.add(_from_ox(q.subject, q.predicate, q.object))
        return out

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs())

    def __len__(self) -> int:
        """Number of distinct triples over all graphs."""
        res = self.ox.query(
            "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(res))[0].value)

    def triple_count(self) -> int:
        """Distinct triples of the knowledge graph: every graph but the build log and the
        entailments of ``--infer`` (which change without the graph changing)."""
        from kg.namespaces import BUILD_LOG_GRAPH

        skip = {str(BUILD_LOG_GRAPH), str(inference.INFERRED_GRAPH)}
        graphs = [g for g in self.ox.named_graphs() if g.value not in skip]
        if not graphs:
            return 0
        res = self.ox.query(
            "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            default_graph=graphs,
        )
        return int(next(iter(res))[0].value)

    def quad_count(self) -> int:
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, None))

    def dump_nquads(self) -> bytes:
        """The whole store as sorted N-Quads (a stable form for comparisons)."""
        lines = sorted(str(q) + " .\n" for q in self.ox.quads_for_pattern(None, None, None, None))
        return "".join(lines).encode("utf-8")

    def close(self) -> None:
        """Flush and release the store's lock (so another process or command can open it)."""
        import gc

        self.flush()
        self.dataset.store._store = None  # type: ignore[attr-defined]
        del self.dataset
        del self.ox
        # rdflib's Dataset keeps reference cycles; the lock goes with the last reference
        gc.collect()

    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _result(res: Any) -> Result:
    """An rdflib Result from a pyoxigraph query result (as oxrdflib builds it)."""
    from oxrdflib._converter import from_ox
    from rdflib import Variable

    if isinstance(res, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(res)
    elif isinstance(res, ox.QuerySolutions):
        out = Result("SELECT")
        out.vars = [Variable(v.value) for v in res.variables]
        out.bindings = [{v: from_ox(val) for v, val in zip(out.vars, row) if val is not None} for row in res]
    else:
        out = Result("CONSTRUCT")
        out.graph = Graph()
        out.graph += (from_ox(t) for t in res)
    return out


def _from_ox(*terms: Any) -> tuple:
    from oxrdflib._converter import from_ox

    return tuple(from_ox(t) for t in terms)
