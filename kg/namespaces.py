"""Namespaces as objects, shared by every stage that writes or reads RDF."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD



class TermNamespace(Namespace):
    """A `rdflib.Namespace` that makes each of its terms once.

    ``Namespace.__getattr__`` builds and checks a new `URIRef` at every ``KG.evidence``, and a
    build names the ontology's terms hundreds of times per document. Here the first access
    stores the term as an attribute, so later ones are plain attribute lookups, and ``KG[name]``
    reads a dict.
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)  # raises AttributeError for special names
        self.__dict__[name] = term
        return term

    def term(self, name: str) -> URIRef:
        terms = self.__dict__.setdefault("_terms", {})
        term = terms.get(name)
        if term is None:
            term = terms[name] = super().term(name)
        return term


KG = TermNamespace("https://w3id.org/newskg/ontology#")
ID = Namespace("https://w3id.org/newskg/id/")
DOC = Namespace("https://w3id.org/newskg/doc/")
GRAPH = Namespace("https://w3id.org/newskg/graph/")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")

ENTITY_GRAPH = GRAPH["entities"]
BUILD_LOG_GRAPH = GRAPH["builds"]  # PROV-O record of every build and removal (kg.build.log)
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
