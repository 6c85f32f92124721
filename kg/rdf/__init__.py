"""Extractions + resolution -> RDF: pure functions, no store (`kg.rdf.triples`, `kg.rdf.iris`,
`kg.rdf.literals`)."""
from kg.rdf.iris import doc_iri, doc_iri_for, entity_iri, source_key
from kg.rdf.literals import date_literal, decimal_literal, int_literal, short_literal
from kg.rdf.triples import Triple, document_triples, entity_triples

__all__ = ["Triple", "date_literal", "decimal_literal", "doc_iri", "doc_iri_for", "document_triples", "entity_iri",
           "entity_triples", "int_literal", "short_literal", "source_key"]
