"""The one reader of `ontology/kg.ttl`: its class tree, its relations and what they may join.

Everything in the code that depends on the ontology asks here (is this type an organisation?
which properties are relations? which are symmetric? what may ``basedIn`` join?), so a class or
relation added to kg.ttl is seen everywhere and no copy of the tree lives in code. The file is
parsed once per path and process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import InputError
from kg.namespaces import KG
from kg.paths import ONTOLOGY_DIR

ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"

__all__ = ["ONTOLOGY_FILE", "Schema", "event_classes", "fits", "is_a", "load", "relation_properties",
           "subclasses", "symmetric_relations"]


def local(term: object) -> str | None:
    """The local name of a kg: IRI, or None for any other term."""
    text = str(term)
    return text[len(str(KG)):] if isinstance(term, URIRef) and text.startswith(str(KG)) else None


@dataclass(frozen=True)
class Schema:
    """What kg.ttl says, by local names in the kg: namespace."""

    graph: Graph
    ancestors: dict[str, frozenset[str]]        # class -> itself and every superclass
    signature: dict[str, tuple[str | None, str | None]]  # property -> (domain, range)
    relations: tuple[str, ...]                  # sub-properties of kg:relatedTo, at any depth
    symmetric: frozenset[str]                   # owl:SymmetricProperty

    def is_a(self, cls: str, other: str) -> bool:
        """``cls`` is ``other`` or one of its subclasses."""
        return other in self.ancestors.get(cls, frozenset({cls}))

    def subclasses(self, name: str) -> frozenset[str]:
        """``name`` and every class below it."""
        return frozenset({name} | {c for c, up in self.ancestors.items() if name in up})


def _closure(parents: dict[str, set[str]], start: str) -> frozenset[str]:
    seen, todo = {start}, [start]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return frozenset(seen)


@lru_cache(maxsize=4)
def load(path: Path = ONTOLOGY_FILE) -> Schema:
    """The schema of the ontology at ``path`` (parsed once per path)."""
    try:
        g = Graph().parse(path, format="turtle")
    except Exception as err:  # noqa: BLE001 - any parser failure means the file is unusable
        raise InputError(f"cannot read the ontology ({err})", str(path)) from err
    parents: dict[str, set[str]] = {}
    for c, sup in g.subject_objects(RDFS.subClassOf):
        if local(c) and local(sup):
            parents.setdefault(local(c), set()).add(local(sup))
    classes = set(parents) | {p for ps in parents.values() for p in ps}
    ancestors = {c: _closure(parents, c) for c in classes}
    signature = {}
    for prop in set(g.subjects(RDFS.domain, None)) | set(g.subjects(RDFS.range, None)):
        if local(prop):
            signature[local(prop)] = (local(g.value(prop, RDFS.domain)), local(g.value(prop, RDFS.range)))
    super_props: dict[str, set[str]] = {}
    for p, sup in g.subject_objects(RDFS.subPropertyOf):
        if local(p) and local(sup):
            super_props.setdefault(local(p), set()).add(local(sup))
    relations = tuple(sorted(p for p in super_props if "relatedTo" in _closure(super_props, p) - {p}))
    symmetric = frozenset(filter(None, map(local, g.subjects(RDF.type, OWL.SymmetricProperty))))
    return Schema(g, ancestors, signature, relations, symmetric)


def is_a(cls: str, other: str) -> bool:
    """``cls`` is ``other`` or one of its subclasses (local names in the kg: namespace)."""
    return load().is_a(cls, other)


def subclasses(name: str) -> frozenset[str]:
    """``name`` and the local names of all its subclasses in the ontology."""
    return load().subclasses(name)


def symmetric_relations() -> frozenset[str]:
    """Local names of the relations the ontology declares symmetric (``meetsWith``, ...)."""
    return load().symmetric


def relation_properties() -> tuple[str, ...]:
    """Local names of every property under ``kg:relatedTo`` (not ``relatedTo`` itself)."""
    return load().relations


def event_classes() -> list[URIRef]:
    """The IRIs of kg:Event's subclasses, sorted."""
    return sorted(KG[c] for c in subclasses("Event") if c != "Event")


def fits(predicate: str, subject_type: str | None, object_type: str | None) -> bool:
    """Whether the ontology allows ``predicate`` between entities of these types.

    An unknown type, or a property without a domain or range in kg.ttl, is not held against it.
    """
    domain, range_ = load().signature.get(predicate, (None, None))
    if domain and subject_type and not is_a(subject_type, domain):
        return False
    if range_ and object_type and not is_a(object_type, range_):
        return False
    return True
