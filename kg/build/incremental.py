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


def _real(source: str | Path) -> str:
    """The file a source path names, whatever its spelling (``$(pwd)/x/a.txt``, ``./x/a.txt``,
    a link): two spellings of one file are one document."""
    return os.path.realpath(str(source))


def plan(store: KGStore, docs: Sequence) -> Plan:
    """Sort ``docs`` (kg.model.Document) into new, changed and unchanged against the store.

    Sources are compared as the files they name (`_real`): a file stored under one spelling of
    its path and read under another is the same document, unchanged if its text is; its graph
    keeps the IRI of the spelling first stored. Two spellings of one file in the same build are
    read once."""
    by_real: dict[str, list[tuple[str, str]]] = {}  # file -> [(stored source, graph IRI)]
    for key, iris in stored_sources(store).items():
        for g in iris:
            by_real.setdefault(_real(key), []).append((key, g))
    out = Plan()
    seen: set[str] = set()
    for doc in docs:
        real = _real(doc.source)
        if real in seen:
            continue
        seen.add(real)
        iri = str(doc_iri_for(doc.source, doc.content_hash))
        stored = by_real.get(real, [])
        old = sorted(g for _, g in stored)
        same_text = {str(doc_iri_for(key, doc.content_hash)) for key, _ in stored}
        if len(old) == 1 and old[0] in same_text:
            out.unchanged.append(doc)
        elif old:
            out.changed.append(doc)
            out.replaced += [o for o in old if o != iri]
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
    (a collection's record: whose file no longer exists).

    A path that does not exist or cannot be read proves nothing about the files under it (a
    mistyped path, an unmounted disk, a folder without permission): nothing under it counts as
    missing, and neither does a file whose existence cannot be checked."""
    roots = [os.path.abspath(str(p)) for p in paths if _readable(str(p))]
    out = []
    for d in stored_documents(store):
        src = os.path.abspath(file_of(d.source))
        inside = any(src == r or src.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        if inside and _gone(src):
            out.append(d)
    return out


def _readable(path: str) -> bool:
    if os.path.isdir(path):
        try:
            os.listdir(path)
        except OSError:
            return False
        return True
    return os.path.exists(path)


def _gone(src: str) -> bool:
    """Whether ``src`` certainly does not exist: its folder can be listed and lacks it."""
    try:
        os.stat(src)
        return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    folder = os.path.dirname(src)
    while folder and not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    try:
        os.listdir(folder)  # the nearest folder that exists can be read: the file is gone
    except OSError:
        return False
    return True
