"""What a build would read, without building: each document's source, metadata and text, as
`kg ingest` prints them (one line each, or one JSON object a line for other programs)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.language import ENGLISH
from kg.ingest.reader import read_documents
from kg.limits import IngestLimits
from kg.model import Document

FORMATS = ("text", "json")


def body_text(doc: Document) -> str:
    """The document's text without its title (the title is the text's first paragraph)."""
    if doc.title and doc.text.startswith(doc.title + "\n\n"):
        return doc.text[len(doc.title) + 2:]
    return doc.text


def document_record(doc: Document) -> dict:
    """The document as a JSON-ready dict: source, url, title, date, author, outlet, language, text."""
    return {
        "source": doc.source, "url": doc.url, "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None, "author": doc.author, "outlet": doc.outlet,
        "language": doc.language, "text": body_text(doc),
    }


def format_document(doc: Document, fmt: str = "text") -> str:
    """One line for ``doc``: "source  date  title" (text) or a JSON object (json)."""
    if fmt == "json":
        return json.dumps(document_record(doc), ensure_ascii=False)
    return "\t".join([doc.source, doc.date.isoformat() if doc.date else "-", doc.title or "-"])


def ingest(paths: Iterable[str | Path], *, fmt: str = "text", on_error: Callable[[InputError], None] | None = None,
           limits: IngestLimits | None = None, language: str | None = ENGLISH) -> Iterator[str]:
    """`kg ingest`: a line for each document the build would read from ``paths`` (see
    `format_document`); files and records it would skip go to ``on_error``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    for doc in read_documents(paths, on_error=on_error, limits=limits, language=language):
        yield format_document(doc, fmt)
