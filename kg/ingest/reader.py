"""Reading article files: each file checked, decoded and parsed (text, HTML, or a collection of
articles) under the ingest limits, its language identified, errors reported per file or record so
one bad file does not stop the others."""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError, display_name
from kg.ingest.collections import csv_records, json_records, jsonl_records
from kg.ingest.decode import binary_kind, decode_text, looks_like_html
from kg.ingest.feeds import feed_records
from kg.ingest.files import EXPECTED, iter_files, kind_of, read_bytes
from kg.ingest.furniture import FurnitureRules, load_furniture
from kg.ingest.html import parse_html
from kg.ingest.language import ENGLISH, check_language
from kg.ingest.records import documents_of
from kg.ingest.text import parse_text
from kg.ingest.warc import warc_records
from kg.limits import IngestLimits
from kg.model import Document

# "kg.ingest.reader", a child of "kg.ingest": whoever sets the level of, or captures, the
# "kg.ingest" logger gets these records too.
log = logging.getLogger(__name__)

_COLLECTIONS = {"jsonl": jsonl_records, "json": json_records, "csv": csv_records, "warc": warc_records,
                "feed": feed_records}


def read_documents(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    max_bytes: int | None = None,
    rules: FurnitureRules | None = None,
    limits: IngestLimits | None = None,
    language: str | None = ENGLISH,
) -> Iterator[Document]:
    """Read every article under `paths`: files, and the records of collection files.

    With ``strict`` the first `InputError` propagates. Otherwise it goes to ``on_error`` (or to
    the log as a warning when no callback is given) and reading goes on with the next file or
    record; a folder that cannot be read is reported the same way and the rest of the tree is
    still read. ``limits`` (``max_bytes`` overrides its size limit) bound what each file (each
    record of a collection) may cost. Articles not in ``language`` are refused (None: any).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    limits = _limits(limits, max_bytes=max_bytes)
    rules = rules or load_furniture()

    def failed(err: InputError) -> None:
        if strict:
            raise err
        if on_error is not None:
            on_error(err)
        else:
            log.warning("skipped %s", err)

    files: list[Path] = []
    for p in paths:
        # One bad argument must not hide the files named by the others.
        try:
            files.extend(iter_files([p], on_error=failed))
        except InputError as err:
            failed(err)
    seen: set[Path] = set()
    for f in sorted(files):
        if f in seen:
            continue
        seen.add(f)
        for item in _read_file(f, limits, rules, language):
            if isinstance(item, InputError):
                failed(item)
            else:
                yield item


def _read_file(f: Path, limits: IngestLimits, rules: FurnitureRules,
               language: str | None) -> Iterator[Document | InputError]:
    """The documents of one file (one, or a collection's), or the errors that refused them."""
    kind = kind_of(f)
    if kind not in _COLLECTIONS:
        try:
            yield read_document(f, limits=limits, rules=rules, language=language)
        except InputError as err:
            yield err
        return
    name = f.as_posix()
    try:
        for item in documents_of(display_name(name), _COLLECTIONS[kind](f, name, limits), rules=rules,
                                 limits=limits):
            yield item if isinstance(item, InputError) else _checked(item, limits, language)
    except InputError as err:
        yield err


def _checked(doc: Document, limits: IngestLimits, language: str | None,
             name: str | None = None) -> Document | InputError:
    """``doc`` with its language set, or the error refusing it (too long, another language),
    naming ``name`` (default: the document's source)."""
    name = name or doc.source
    try:
        if len(doc.text) > limits.max_chars:
            raise InputError(f"article text too long ({len(doc.text):,} characters; the limit is "
                             f"{limits.max_chars:,})", name)
        return dataclasses.replace(doc, language=check_language(doc.text, name, language))
    except InputError as err:
        return err


def _limits(limits: IngestLimits | None, *, max_bytes: int | None = None,
            max_depth: int | None = None) -> IngestLimits:
    limits = limits or IngestLimits()
    changes = {k: v for k, v in (("max_bytes", max_bytes), ("max_depth", max_depth)) if v is not None}
    return dataclasses.replace(limits, **changes) if changes else limits


def read_document(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    max_depth: int | None = None,
    rules: FurnitureRules | None = None,
    limits: IngestLimits | None = None,
    language: str | None = ENGLISH,
) -> Document:
    """Read one ``.txt`` or ``.html``/``.htm`` file into a clean `Document`.

    Raises `InputError` naming the file when it is missing, unreadable, not a regular file,
    over a limit of ``limits`` (size on disk, HTML nesting, text length; ``max_bytes`` and
    ``max_depth`` override them), binary, has no article text once furniture is removed, or is
    not in ``language`` (None: any language). The document's ``source`` is the path as messages
    show it (`kg.errors.display_name`). Collections (.jsonl, .csv, .warc, feeds) are read by
    `read_documents`.
    """
    limits = _limits(limits, max_bytes=max_bytes, max_depth=max_depth)
    p = Path(path)
    name = p.as_posix()
    kind = kind_of(p)
    if kind in _COLLECTIONS:
        raise InputError("holds many articles; read it with read_documents", name)
    if kind is None:
        raise InputError(f"unsupported file type; expected {EXPECTED}", name)
    raw = read_bytes(p, name, limits.max_bytes)
    if not raw:
        raise InputError("empty file (0 bytes): no article text", name)
    if not raw.strip():
        raise InputError("empty file (only blank space): no article text", name)
    what = binary_kind(raw)
    if what:
        raise InputError(f"looks like {what}, not text", name)
    is_html = kind == "html" or looks_like_html(raw)
    text = decode_text(raw, name, html=is_html)
    rules = rules or load_furniture()
    source = display_name(name)
    if is_html:
        doc = parse_html(text, source=source, rules=rules, max_depth=limits.max_depth,
                         max_elements=limits.max_elements)
    else:
        doc = parse_text(text, source=source, rules=rules)
    checked = _checked(doc, limits, language, name)
    if isinstance(checked, InputError):
        raise checked
    return checked
