"""Reading article files: each file checked, decoded and parsed as text or HTML under the
ingest limits, errors reported per file so one bad file does not stop the others."""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError, display_name
from kg.ingest.decode import binary_kind, decode_text, looks_like_html
from kg.ingest.files import HTML_SUFFIXES, SUFFIXES, iter_files, read_bytes
from kg.ingest.furniture import FurnitureRules, load_furniture
from kg.ingest.html import parse_html
from kg.ingest.text import parse_text
from kg.limits import IngestLimits
from kg.model import Document

# "kg.ingest.reader", a child of "kg.ingest": whoever sets the level of, or captures, the
# "kg.ingest" logger gets these records too.
log = logging.getLogger(__name__)


def read_documents(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    max_bytes: int | None = None,
    rules: FurnitureRules | None = None,
    limits: IngestLimits | None = None,
) -> Iterator[Document]:
    """Read every article file under `paths`.

    With ``strict`` the first `InputError` propagates. Otherwise it goes to ``on_error`` (or to
    the log as a warning when no callback is given) and reading goes on with the next file; a
    folder that cannot be read is reported the same way and the rest of the tree is still read.
    ``limits`` (``max_bytes`` overrides its size limit) bound what each file may cost.
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
        try:
            doc = read_document(f, limits=limits, rules=rules)
        except InputError as err:
            failed(err)
            continue
        yield doc


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
) -> Document:
    """Read one ``.txt`` or ``.html``/``.htm`` file into a clean `Document`.

    Raises `InputError` naming the file when it is missing, unreadable, not a regular file,
    over a limit of ``limits`` (size on disk, HTML nesting, text length; ``max_bytes`` and
    ``max_depth`` override them), binary, or has no article text once furniture is removed.
    The document's ``source`` is the path as messages show it (`kg.errors.display_name`).
    """
    limits = _limits(limits, max_bytes=max_bytes, max_depth=max_depth)
    p = Path(path)
    name = p.as_posix()
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("unsupported file type; expected .txt, .html or .htm", name)
    raw = read_bytes(p, name, limits.max_bytes)
    if not raw:
        raise InputError("empty file (0 bytes): no article text", name)
    if not raw.strip():
        raise InputError("empty file (only blank space): no article text", name)
    kind = binary_kind(raw)
    if kind:
        raise InputError(f"looks like {kind}, not text", name)
    is_html = suffix in HTML_SUFFIXES or looks_like_html(raw)
    text = decode_text(raw, name, html=is_html)
    rules = rules or load_furniture()
    source = display_name(name)
    if is_html:
        doc = parse_html(text, source=source, rules=rules, max_depth=limits.max_depth,
                         max_elements=limits.max_elements)
    else:
        doc = parse_text(text, source=source, rules=rules)
    if len(doc.text) > limits.max_chars:
        raise InputError(f"article text too long ({len(doc.text):,} characters; the limit is "
                         f"{limits.max_chars:,})", name)
    return doc
