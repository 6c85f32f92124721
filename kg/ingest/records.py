"""Records: one article out of a file that holds many (a JSON Lines or CSV export, a web archive,
a feed), made into a `Document` whose source names the file and the record (FILE#URL or FILE#N).

Which keys or columns hold what is data, in ``ontology/collections.toml``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kg.errors import InputError, display_name
from kg.ingest.blocks import block_paragraphs
from kg.ingest.chars import norm
from kg.ingest.clean import clean_paragraphs, make_document
from kg.ingest.dates import parse_date_value
from kg.ingest.furniture import FurnitureRules
from kg.ingest.html import parse_html, parse_tree
from kg.ingest.meta import Meta
from kg.ingest.text import parse_text
from kg.limits import IngestLimits
from kg.model import Document
from kg.paths import ONTOLOGY_DIR

COLLECTIONS = ONTOLOGY_DIR / "collections.toml"
FIELDS = ("text", "html", "title", "date", "url", "outlet", "author")


@dataclass
class Record:
    """One article of a collection, as the collection states it (the kinds of body: ``text``, a
    whole ``html`` page, or an HTML ``fragment`` such as a feed item's content)."""

    number: int  # counted from 1 in its file
    text: str | None = None
    html: str | None = None
    fragment: str | None = None
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


@functools.lru_cache(maxsize=1)
def field_names() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The accepted names of each field (normalised), and the keys a .json file's list may be under."""
    with open(COLLECTIONS, "rb") as fh:
        data = tomllib.load(fh)
    fields = {f: tuple(_key(n) for n in data["fields"].get(f, [])) for f in FIELDS}
    return fields, tuple(_key(n) for n in data["json"]["lists"])


def _as_text(value: object) -> str | None:
    """A field's value as one string: names in a list joined, an object's "name" taken."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, Mapping):
        return _as_text(value.get("name"))
    if isinstance(value, list):
        parts = [t for t in (_as_text(v) for v in value) if t]
        return " and ".join(parts) if parts else None
    return None


def record_from_fields(number: int, values: Mapping[str, object]) -> Record:
    """A `Record` from a JSON object or CSV row, its keys matched to the accepted names."""
    by_key: dict[str, object] = {}
    for k, v in values.items():
        if isinstance(k, str):
            by_key.setdefault(_key(k), v)
    fields, _ = field_names()
    found: dict[str, str | None] = {}
    for field in FIELDS:
        found[field] = next((t for t in (_as_text(by_key.get(n)) for n in fields[field]) if t), None)
    return Record(
        number=number, text=found["text"], html=found["html"], title=_one_line(found["title"]),
        date=parse_date_value(found["date"]), url=_one_line(found["url"]), outlet=_one_line(found["outlet"]),
        author=_one_line(found["author"]),
    )


def _one_line(value: str | None) -> str | None:
    return norm(value) or None if value else None


def record_source(container: str, record: Record, seen: set[str]) -> str:
    """FILE#URL, or FILE#N when the record has no URL or its URL came earlier in the file."""
    key = record.url if record.url and record.url not in seen else str(record.number)
    seen.add(key)
    return f"{container}#{key}"


def record_document(record: Record, source: str, *, rules: FurnitureRules, limits: IngestLimits) -> Document:
    """The `Document` of one record; `InputError` naming ``source`` when it holds no article."""
    name = display_name(source)
    if record.text is None and record.html is None and record.fragment is None:
        fields, _ = field_names()
        raise InputError("no article text (no field named " + ", ".join(fields["text"][:4]) + " or html; "
                         "see ontology/collections.toml)", source)
    for body in (record.text, record.html, record.fragment):
        if body is not None and len(body) > limits.max_bytes:
            raise InputError(f"record too large ({len(body):,} characters; the limit is "
                             f"{limits.max_bytes:,}, see --max-bytes)", source)
    meta = Meta(title=record.title, date=record.date, author=record.author, outlet=record.outlet)
    if record.text is not None:
        return parse_text(record.text, source=name, rules=rules, meta=meta, url=record.url)
    if record.fragment is not None:
        root = parse_tree(f"<html><body>{record.fragment}</body></html>", source=name,
                          max_depth=limits.max_depth, max_elements=limits.max_elements)
        body = root.find(".//body")
        paras = block_paragraphs(body if body is not None else root)
        cleaned = clean_paragraphs(paras, rules, meta, find_title=meta.title is None, repeats="adjacent")
        return make_document(name, cleaned, meta, url=record.url)
    return _page_document(record, name, rules, limits, meta)


def _page_document(record: Record, name: str, rules: FurnitureRules, limits: IngestLimits,
                   given: Meta) -> Document:
    """A record's whole HTML page, read as a page is; the record's metadata fills what the page lacks
    (a web archive's capture date is no publication date, so the page's own date comes first)."""
    import dataclasses

    doc = parse_html(record.html or "", source=name, rules=rules, max_depth=limits.max_depth,
                     max_elements=limits.max_elements, url=record.url)
    changes = {f: getattr(given, f) for f in ("date", "author", "outlet")
               if getattr(given, f) and getattr(doc, f) is None}
    return dataclasses.replace(doc, **changes) if changes else doc


def documents_of(container: str, records: Iterator[Record | InputError], *, rules: FurnitureRules,
                 limits: IngestLimits) -> Iterator[Document | InputError]:
    """Each record's `Document`, or the `InputError` that refused it, in the file's order."""
    seen: set[str] = set()
    for rec in records:
        if isinstance(rec, InputError):
            yield rec
            continue
        source = record_source(container, rec, seen)
        try:
            yield record_document(rec, source, rules=rules, limits=limits)
        except InputError as err:
            yield err
