"""The persistent graph store (`kg.store.core`), the conversions between rdflib's terms and
Oxigraph's (`kg.store.terms`), the documents it holds (`kg.store.documents`); `kg.store.dump` and
`kg.store.infer` are its dump/load and its entailments. pyoxigraph is used in this package only.
"""
from kg.store.core import (
    GENERATION_FILE,
    KEEP_PREVIOUS,
    LOCK_FILE,
    KGStore,
    open_store,
    opened_in_this_process,
    using_store,
)
from kg.store.documents import StoredDoc, document_sources, stored_documents
from kg.store.infer import INFERRED_GRAPH
from kg.store.terms import (
    Triple,
    from_ox,
    nquads,
    ntriples_line,
    parse_ntriples,
    rdflib_result,
    result_form,
    serialize_nquads,
    term_converter,
    to_ox,
)

__all__ = ["open_store", "using_store", "GENERATION_FILE", "INFERRED_GRAPH", "KEEP_PREVIOUS", "LOCK_FILE", "KGStore", "StoredDoc", "Triple",
           "document_sources", "from_ox", "nquads", "ntriples_line", "opened_in_this_process", "parse_ntriples",
           "rdflib_result", "result_form", "serialize_nquads", "stored_documents", "term_converter", "to_ox"]
