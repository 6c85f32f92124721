"""newskg: news articles -> knowledge graph (RDF in Oxigraph, SPARQL, Gephi exports)."""
__version__ = "0.1.0"
