"""Incremental builds: which documents a build reads are new, changed or already stored, and
which stored documents are gone.

A document is identified by its source path (normalised) and the SHA-256 of its clean text; its
named graph's IRI is derived from both (`kg.rdf.doc_iri_for`). A build extracts only files whose
(source, hash) the store does not hold yet; a file whose source is stored with another hash
replaces the old graph. Removing a document (`kg.build.removal`) drops its graph and recomputes
what other graphs derive from all documents (`kg.build.derived`).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.rdf import doc_iri_for, source_key
from kg.store import KGStore, StoredDoc, document_sources, stored_documents


@dataclass
class Plan:
    """What a build does with each document it read."""

    new: list = field(default_factory=list)  # Documents to extract
    changed: list = field(default_factory=list)  # Documents to extract, replacing an older graph
    unchanged: list = field(default_factory=list)  # Documents already stored as they are
    replaced: list[str] = field(default_factory=list)  # IRIs of graphs the changed ones replace

    @property
    def todo(self) -> list:
        """The documents to extract: new, then changed."""
        return self.new + self.changed


def stored_sources(store: KGStore) -> dict[str, list[str]]:
    """The IRIs of the stored document graphs by source (`kg.rdf.source_key`).

    What `plan` needs, and no more: a document graph's IRI already names its content
    (`kg.rdf.doc_iri_for`), so no hash, title or date is read.
    """
    by_source: dict[str, list[str]] = {}
    for g, src in document_sources(store):
        by_source.setdefault(source_key(src), []).append(g)
    return by_source


def plan(store: KGStore, docs: Sequence) -> Plan:
    """Sort ``docs`` (kg.model.Document) into new, changed and unchanged against the store."""
    by_source = stored_sources(store)
    out = Plan()
    for doc in docs:
        iri = str(doc_iri_for(doc.source, doc.content_hash))
        old = by_source.get(source_key(doc.source), [])
        if iri in old and len(old) == 1:
            out.unchanged.append(doc)
        elif old:
            out.changed.append(doc)
            out.replaced += sorted(o for o in old if o != iri)
        else:
            out.new.append(doc)
    return out


def file_of(source: str) -> str:
    """The file a document was read from: its source, or for a record of a collection
    (``FILE#URL``, ``FILE#N``; see kg.ingest.records) the part before the first "#" that names
    an existing file."""
    if "#" in source and not os.path.exists(source):
        head = source.split("#", 1)[0]
        if os.path.isfile(head):
            return head
    return source


def missing_documents(store: KGStore, paths: Iterable[str | Path]) -> list[StoredDoc]:
    """Stored documents whose source lies under one of ``paths`` and no longer exists on disk
    (a collection's record: whose file no longer exists)."""
    roots = [os.path.abspath(str(p)) for p in paths]
    out = []
    for d in stored_documents(store):
        src = os.path.abspath(file_of(d.source))
        inside = any(src == r or src.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        if inside and not os.path.exists(src):
            out.append(d)
    return out
