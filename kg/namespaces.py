"""Namespaces as objects, shared by every stage that writes or reads RDF."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/newskg/ontology#")
ID = Namespace("https://w3id.org/newskg/id/")
DOC = Namespace("https://w3id.org/newskg/doc/")
GRAPH = Namespace("https://w3id.org/newskg/graph/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

ENTITY_GRAPH = GRAPH["entities"]
BUILD_LOG_GRAPH = GRAPH["builds"]  # PROV-O record of every build and removal (kg.incremental)
FACTS_GRAPH = GRAPH["facts"]  # one kg:Fact per distinct asserted triple, with its support (kg.build)

PREFIXES = {
    "kg": KG,
    "id": ID,
    "doc": DOC,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "sem": SEM,
}


def bind_namespaces(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def sparql_prefixes() -> str:
    """PREFIX lines for every project namespace, to put before a user's query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
