"""What the ontology says a relation may join: rdfs:domain and rdfs:range of each property in
`ontology/kg.ttl`, with the class hierarchy, so that extraction never writes "an army borders
with a country" or "a person is based in a person".
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.namespaces import KG
from kg.paths import ONTOLOGY_DIR


@lru_cache(maxsize=1)
def _ontology() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str | None, str | None]]]:
    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")

    def local(term) -> str | None:
        return str(term)[len(str(KG)):] if isinstance(term, URIRef) and str(term).startswith(str(KG)) else None

    parents: dict[str, set[str]] = {}
    for c, sup in g.subject_objects(RDFS.subClassOf):
        if local(c) and local(sup):
            parents.setdefault(local(c), set()).add(local(sup))
    ancestors: dict[str, frozenset[str]] = {}
    for c in parents:
        seen, todo = {c}, [c]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        ancestors[c] = frozenset(seen)
    signature = {}
    for prop in set(g.subjects(RDFS.domain, None)) | set(g.subjects(RDFS.range, None)):
        if local(prop):
            signature[local(prop)] = (local(g.value(prop, RDFS.domain)), local(g.value(prop, RDFS.range)))
    return ancestors, signature


def is_a(cls: str, other: str) -> bool:
    """``cls`` is ``other`` or one of its subclasses (local names in the kg: namespace)."""
    ancestors, _ = _ontology()
    return other in ancestors.get(cls, frozenset({cls}))


def fits(predicate: str, subject_type: str | None, object_type: str | None) -> bool:
    """Whether the ontology allows ``predicate`` between entities of these types.

    An unknown type, or a property without a domain or range in kg.ttl, is not held against it.
    """
    _, signature = _ontology()
    domain, range_ = signature.get(predicate, (None, None))
    if domain and subject_type and not is_a(subject_type, domain):
        return False
    if range_ and object_type and not is_a(object_type, range_):
        return False
    return True
