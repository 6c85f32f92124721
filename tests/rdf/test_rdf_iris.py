"""kg.rdf.iris: a document's IRI names its source and its content."""
import hashlib

from kg.namespaces import DOC
from kg.rdf import doc_iri_for


def test_document_iri_depends_on_source_and_content():
    h = "0" * 64
    assert doc_iri_for("seeds/a.txt", h) == doc_iri_for("./seeds//a.txt", h)
    assert str(doc_iri_for("seeds/a.txt", h)).endswith(
        hashlib.sha256((h + "seeds/a.txt").encode()).hexdigest()[:16])
    assert doc_iri_for("seeds/a.txt", h) != doc_iri_for("seeds/b.txt", h)
    assert doc_iri_for("seeds/a.txt", h) != doc_iri_for("seeds/a.txt", "1" * 64)
    assert str(doc_iri_for("a", h)).startswith(str(DOC))
