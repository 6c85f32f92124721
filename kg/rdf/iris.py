"""The IRIs of documents and entities, derived from what they are, so that building the same
files again gives the same nodes."""
from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import URIRef

from kg.iri import mint
from kg.model import Extraction
from kg.namespaces import DOC, ID


def source_key(source: str | Path) -> str:
    """The form of a source path that identifies a document (as kg:sourcePath stores it):
    posix separators, no ``.`` parts or doubled slashes."""
    return Path(str(source)).as_posix()


def doc_iri_for(source: str | Path, content_hash: str) -> URIRef:
    """A document graph's IRI: SHA-256 of its content hash followed by its source path.

    The content hash has a fixed length, so the two need no separator, and SHACL can check the
    IRI with SPARQL's SHA256 (ontology/shapes.ttl, DocumentHashShape).
    """
    digest = hashlib.sha256(f"{content_hash}{source_key(source)}".encode("utf-8")).hexdigest()
    return DOC[digest[:16]]


def doc_iri(x: Extraction) -> URIRef:
    """The document's named graph: derived from its source path and content hash."""
    return doc_iri_for(x.doc.source, x.doc.content_hash)


def entity_iri(key: str) -> URIRef:
    """The entity's IRI under ``id:``; checked valid, whatever characters the key holds."""
    return mint(str(ID), key)
