"""Check a built graph against the SHACL shapes in `ontology/shapes.ttl`.

    report = validate(store)            # a kg.store.KGStore
    report = validate_graph(graph)      # an rdflib Graph or Dataset
    report.conforms, report.violations  # bool, [Violation(focus, path, message, severity, value, shape)]
    print(format_report(report))

prints one line per result and a summary; for the seed build with one entity's type removed:

    violation doc:efc65093c0cca91d#m4 kg:refersTo: mention must refer to exactly one entity (...) (value id:person/asim-munir)
    violation id:person/asim-munir rdf:type: entity has no type: it needs one rdf:type from the ontology (...)
    ...
    warning   id:event/e36354ae93ec0244-10 kg:agent|kg:participant|kg:target: event has no participant, only a place: ...
    11 violations in 11 nodes (202 nodes checked); 1 warning in 1 node

and "conforms: 202 nodes checked; ..." when there is no violation.

The shapes see the union of all named graphs (the document graph names are not needed:
provenance is checked through kg:inDocument). A store is checked in shards (`validate`,
`kg.checks.sharding`: each group of nodes with what the shapes read about them, in memory that
follows the group); `validate_whole` and `validate_graph` copy it all into one in-memory rdflib
Graph. The ontology
`ontology/kg.ttl` is added for the class and property hierarchy (sh:class kg:Entity must accept a
kg:ArmedGroup), and pySHACL validates it with no inference and SHACL Advanced Features on (the
SPARQL-based shapes). Results of severity sh:Warning or sh:Info are reported but do not make the
graph non-conforming.
"""
from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Identifier, Node

from kg.checks.sharding import (SHARD_NODES, Plan, flat_shapes, focus_nodes, plan, shard_graph, shards,
                               sparql_targets, with_target_nodes)
from kg.query.results import shorten as short_term
from kg.store.subsets import select_nodes
from kg.ontology import schema
from kg.paths import ONTOLOGY_DIR

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_FILE = schema.ONTOLOGY_FILE
KGSH = "https://w3id.org/newskg/shapes#"

_SHAPES_NS = [(KGSH, "kgsh"), (str(SH), "sh")]  # beside the project's prefixes (kg.query.shorten)
_IRI = re.compile(r"https?://[^\s,;()<>\"]+")  # IRIs pySHACL writes into messages from {?var}
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    ``focus`` is the node that fails, ``value`` the offending value when there is one (a literal,
    an IRI) and ``path`` the property checked, written with prefixes ("kg:date",
    "kg:agent|kg:participant|kg:target"); ``shape`` names the shape ("kgsh:EntityOneType", or the
    node shape that holds an anonymous property shape); ``severity`` is "Violation", "Warning" or
    "Info".
    """

    focus: Identifier
    path: str | None
    message: str
    severity: str
    value: Identifier | None
    shape: str

    def line(self) -> str:
        """The result as one readable line: severity, focus node, path, message and value."""
        where = shorten(self.focus) + (f" {self.path}" if self.path else "")
        text = f"{self.severity.lower():9} {where}: {self.message}"
        if self.value is not None and self.value != self.focus:
            text += f" (value {shorten(self.value)})"
        return text


@dataclass
class ValidationReport:
    """The outcome of a validation: ``conforms`` is False when there is a result of severity
    Violation; warnings are listed in ``violations`` too, with severity "Warning"."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    nodes: int = 0  # distinct subject nodes in the data checked
    triples: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]


def shorten(term: Node) -> str:
    """An IRI with the project's prefixes (kg:, id:, doc:, ...) or kgsh:/sh:; literals in Turtle
    form, cut to 80 characters."""
    if isinstance(term, URIRef):
        s = str(term)
        for ns, prefix in _SHAPES_NS:
            if s.startswith(ns) and len(s) > len(ns):
                return f"{prefix}:{s[len(ns):]}"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > 80:
            text = text[:77] + "..."
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{shorten(term.datatype)}"
        return text
    return short_term(term)


@functools.cache
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@functools.cache
def _ontology() -> tuple:
    return tuple(schema.load(ONTOLOGY_FILE).graph)


def _plain(o: Node) -> Node:
    """"x"^^xsd:string as "x": the same RDF 1.1 literal, but rdflib (and so sh:in, sh:hasValue)
    tells them apart, and Oxigraph hands every simple literal back with the datatype."""
    if isinstance(o, Literal) and o.datatype == XSD.string and not o.language:
        return Literal(str(o))
    return o


def _union(data: Graph | Dataset) -> Graph:
    """A private in-memory copy of ``data``: the union of its graphs for a Dataset."""
    g = Graph()
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        triples = ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        triples = iter(data)
    for s, p, o in triples:
        g.add((s, p, _plain(o)))
    return g


WORKERS = 2  # processes checking shards at once by default (this machine class has two cores)


def validate(store, *, shapes: Graph | None = None, shard_nodes: int = SHARD_NODES,
             workers: int | None = None) -> ValidationReport:
    """Validate every graph of a :class:`kg.store.KGStore` (read only: nothing is written).

    The store is checked ``shard_nodes`` nodes at a time (`kg.checks.sharding`): each shard
    holds its nodes' whole descriptions and the neighbouring triples the shapes read, so the
    report is the one a check of the whole store gives (`validate_whole`), in memory that
    follows the shard, not the store. A reader's shards are checked in ``workers`` processes
    (default: two, or one on a machine with one core), each reading the generation the reader
    opened; a writer's (whose unpublished copy no other process may open) in this process.
    """
    sg = shapes if shapes is not None else _shapes()
    start = time.perf_counter()
    p = plan(store, sg, _ontology())
    groups = list(shards(p, shard_nodes))
    if workers is None:
        workers = min(WORKERS, os.cpu_count() or 1)
    generation = getattr(store, "generation", None) if getattr(store, "read_only", False) else None
    if workers > 1 and len(groups) > 1 and generation is not None:
        results = _in_workers(str(generation), groups, p, shapes, workers)
    else:
        checker = _ShardChecker(sg)
        results = (checker.check(store, group, p) for group in groups)
    found: set[Violation] = set()
    nodes = triples = 0
    for mine, n, t in results:
        found |= mine
        nodes, triples = nodes + n, triples + t
    return _report(found, nodes, triples, time.perf_counter() - start)


class _ShardChecker:
    """Checks one shard at a time with the shapes prepared once (`kg.checks.sharding`)."""

    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.flat = flat_shapes(sg)
        self.selects = sparql_targets(self.flat)

    def check(self, store, group: list, p: Plan) -> tuple[set[Violation], int, int]:
        """The results whose focus is a node of ``group``; the group's subject nodes and triples."""
        g, n, t = shard_graph(store, group, p)
        focus = focus_nodes(group, g)
        targets = select_nodes(g, self.selects)
        if focus is not None:  # targets of other shards are theirs to check
            targets = {shape: nodes & focus for shape, nodes in targets.items()}
        mine = set(group)
        # the neighbours are described only in part: their results are other shards' to give
        found = {v for v in _check(g, with_target_nodes(self.flat, targets), focus, names=self.sg) if v.focus in mine}
        return found, n, t


_WORKER: dict = {}  # a worker process's store, checker and plan parts (`_worker_start`)


def _worker_start(generation: str, schema: list, relations: frozenset, shapes_ttl: str | None) -> None:
    from kg.store import KGStore

    _WORKER["store"] = KGStore.reading(generation)
    sg = Graph().parse(data=shapes_ttl, format="turtle") if shapes_ttl else _shapes()
    _WORKER.update(checker=_ShardChecker(sg), schema=schema, relations=relations)


def _worker_check(group: list, links: dict) -> tuple[set[Violation], int, int]:
    p = Plan(group, links, _WORKER["schema"], _WORKER["relations"])
    return _WORKER["checker"].check(_WORKER["store"], group, p)


def _in_workers(generation: str, groups: list, p: Plan, shapes: Graph | None, workers: int
                ) -> Iterator[tuple[set[Violation], int, int]]:
    """The shards' results from ``workers`` processes (spawned: this process has a store open,
    which forking would share), at most two shards in flight per worker so that memory stays
    bounded by the shards, not their number."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ttl = shapes.serialize(format="turtle") if shapes is not None else None
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start,
                             initargs=(generation, p.schema, p.relations, ttl)) as pool:
        todo, pending = iter(groups), set()
        while True:
            for group in todo:
                pending.add(pool.submit(_worker_check, group, {n: p.links[n] for n in group if n in p.links}))
                if len(pending) >= 2 * workers:
                    break
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def validate_whole(store, *, shapes: Graph | None = None) -> ValidationReport:
    """`validate` in one piece: the whole store copied into one in-memory graph. Memory grows
    with the store (5.7 GB for 3.6M triples); kept as the reference the shards must match."""
    from kg.store.infer import INFERRED_GRAPH

    g = Graph()
    for s, p, o, graph in store.quads():
        if graph == INFERRED_GRAPH:
            continue  # what the ontology entails is checked by the reasoner, not the shapes
        g.add((s, p, _plain(o)))
    return _run(g, shapes)


def validate_graph(graph: Graph | Dataset, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib Graph, or the union of the graphs of a Dataset; ``graph`` is not changed."""
    return _run(_union(graph), shapes)


def _run(g: Graph, shapes: Graph | None) -> ValidationReport:
    nodes = len({s for s in g.subjects() if not isinstance(s, Literal)})
    triples = len(g)
    for t in _ontology():  # the class and property hierarchy, for sh:class and rdfs:subPropertyOf*
        g.add(t)
    sg = shapes if shapes is not None else _shapes()
    start = time.perf_counter()
    found = _check(g, sg)
    return _report(found, nodes, triples, time.perf_counter() - start)


def _check(g: Graph, sg: Graph, focus: frozenset | None = None, names: Graph | None = None) -> set[Violation]:
    """pySHACL's results on ``g`` (changed in place), with no inference and SHACL-AF on; with
    ``focus``, only shapes' targets among those nodes are checked (`_focused`). Shapes are
    named as in ``names`` (default ``sg``)."""
    import pyshacl

    options = dict(inference="none", advanced=True, inplace=True, allow_warnings=True, allow_infos=True)
    if focus:
        results = _focused(g, sg, focus, options)
    else:
        _, results, _ = pyshacl.validate(g, shacl_graph=sg, **options)
    return {_violation(results, r, names if names is not None else sg)
            for r in results.subjects(RDF.type, SH.ValidationResult)}


def _focused(g: Graph, sg: Graph, focus: frozenset, options: dict) -> Graph:
    """pySHACL's report on ``g`` for the targets among ``focus`` only: a shard's neighbours are
    targets too (an entity whose type is there for sh:class), and checking them would double a
    shard's work for results thrown away.

    pySHACL's ``focus_nodes`` option does this filtering, but keeps the nodes in a list and
    tests every target against it (a shard's thousands of nodes times its targets); so this
    is how `pyshacl.validate` runs a Validator on an rdflib graph (pySHACL 0.40), with the
    executor's nodes as a frozenset. The filter also applies to the nodes a shape reaches
    through ``sh:node``, so ``focus`` must hold those too (`kg.checks.sharding.focus_nodes`).
    """
    try:
        from pyshacl import Validator
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.monkey import apply_patches
        from pyshacl.validator import assign_baked_in
    except ImportError:  # another pySHACL: every target checked, the caller keeps its own results
        import pyshacl

        return pyshacl.validate(g, shacl_graph=sg, **options)[1]

    class Focused(Validator):
        def make_executor(self):  # type: ignore[no-untyped-def]
            executor = super().make_executor()
            executor.focus_nodes = focus
            return executor

    apply_patches()
    assign_baked_in()
    _, results, _ = Focused(DataGraph.from_rdflib(g), shacl_graph=sg, options=dict(options)).run()
    return results


def _report(found: set[Violation], nodes: int, triples: int, seconds: float) -> ValidationReport:
    ordered = sorted(found, key=lambda v: (_ORDER.get(v.severity, 3), str(v.focus), v.path or "", v.message,
                                           str(v.value)))
    return ValidationReport(conforms=not any(v.severity == "Violation" for v in ordered), violations=ordered,
                            nodes=nodes, triples=triples, seconds=seconds)


def _violation(rg: Graph, r: Node, sg: Graph) -> Violation:
    shape = rg.value(r, SH.sourceShape)
    path = rg.value(r, SH.resultPath)
    message = rg.value(r, SH.resultMessage)
    if message is None:  # a shape without sh:message: say which constraint failed
        message = shorten(rg.value(r, SH.sourceConstraintComponent)) + " failed"
    return Violation(
        focus=rg.value(r, SH.focusNode),
        path=_path(rg, path) if path is not None else None,
        message=_IRI.sub(lambda m: shorten(URIRef(m.group(0))), str(message)),
        severity=_SEVERITY.get(rg.value(r, SH.resultSeverity), "Violation"),
        value=rg.value(r, SH.value),
        shape=_shape_name(sg, shape),
    )


def _path(g: Graph, path: Node) -> str:
    """A SHACL property path in the report graph, written like a SPARQL path with prefixes."""
    if isinstance(path, URIRef):
        return shorten(path)
    if (path, RDF.first, None) in g:
        return "/".join(_path(g, p) for p in Collection(g, path))
    for pred, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = g.value(path, pred)
        if inner is not None:
            return fmt.format(_path(g, inner))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "|".join(_path(g, p) for p in Collection(g, alt))
    return shorten(path)


def _shape_name(sg: Graph, shape: Node | None) -> str:
    """A named shape by its name; an anonymous property shape by the node shape that holds it."""
    if shape is None:
        return ""
    if isinstance(shape, BNode):
        parent = next(iter(sg.subjects(SH.property, shape)), None) or next(iter(sg.subjects(SH.sparql, shape)), None)
        if parent is not None:
            return _shape_name(sg, parent)
    return shorten(shape)


def format_report(report: ValidationReport, fmt: str = "text") -> str:
    """One line per result (violations first, then warnings), then a summary line; or with
    ``fmt`` "json" the same as one JSON object (``conforms``, ``nodes``, ``results``)."""
    if fmt == "json":
        import json

        results = [{"severity": v.severity, "focus": str(v.focus), "path": v.path, "message": v.message,
                    "value": None if v.value is None else str(v.value), "shape": v.shape}
                   for v in report.violations]
        return json.dumps({"conforms": report.conforms, "nodes": report.nodes, "triples": report.triples,
                           "violations": len(report.errors), "warnings": len(report.warnings),
                           "results": results}, ensure_ascii=False, indent=1)
    lines = [v.line() for v in report.violations]
    errors, warnings = report.errors, report.warnings

    def count(items: list[Violation], word: str) -> str:
        nodes = len({v.focus for v in items})
        return f"{len(items)} {word}{'s' if len(items) != 1 else ''} in {nodes} node{'s' if nodes != 1 else ''}"

    if errors:
        summary = count(errors, "violation") + f" ({report.nodes} nodes checked)"
    else:
        summary = f"conforms: {report.nodes} nodes checked"
    if warnings:
        summary += "; " + count(warnings, "warning")
    return "\n".join(lines + [summary])
