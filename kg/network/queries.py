"""What the network exports read from the store, shared by `kg.network.actors` (the raw relation
multigraph) and `kg.network.views` (the exported views): the relations the ontology declares, the
entity rows, and one way to run a fixed query and name a node.
"""
from __future__ import annotations

from typing import Any

from rdflib import URIRef

from kg.errors import ExportError
from kg.namespaces import KG, sparql_prefixes
from kg.ontology import schema

__all__ = ["ENTITIES", "local_name", "relation_properties", "select"]

# One row per entity of the entity graph: its class, preferred label and country, each the
# smallest when there are several, so the same store always gives the same node.
ENTITIES = """
SELECT ?e (MIN(STR(?t)) AS ?type) (MIN(?l) AS ?label) (MIN(?cl) AS ?country) WHERE {
  GRAPH <%(entities)s> {
    ?e a ?t .
    FILTER(STRSTARTS(STR(?t), STR(kg:)))
    OPTIONAL { ?e skos:prefLabel ?l }
    OPTIONAL { ?e kg:country ?c . OPTIONAL { ?c skos:prefLabel ?cl0 } BIND(COALESCE(?cl0, STR(?c)) AS ?cl) }
  }
} GROUP BY ?e
"""


def relation_properties() -> list[URIRef]:
    """Every property under ``kg:relatedTo`` in ``ontology/kg.ttl`` except ``kg:holdsPosition``.

    Read from the ontology, not hard-coded, so a relation added there is exported too.
    """
    return [KG[p] for p in schema.relation_properties() if p != "holdsPosition"]


def select(store: Any, sparql: str) -> list[tuple]:
    """The rows of one of the exports' own fixed SELECT queries (the project's PREFIXes added) on
    ``store`` (a KGStore); any failure of the store is raised as an ExportError."""
    try:
        return [tuple(row) for row in store.query(sparql_prefixes() + sparql)]
    except Exception as err:  # noqa: BLE001 - report any store failure as an export error
        raise ExportError(f"cannot read the store ({err})") from err


def local_name(iri: Any) -> str:
    """The part of ``iri`` after its last ``#`` or ``/`` (the whole text when that part is empty)."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text
