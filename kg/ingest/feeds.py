"""RSS and Atom feeds saved as files: each item one document, named FILE#LINK, its link, date,
author and the feed's title (as the outlet) kept. The item's content, or else its summary, is the
article text: many feeds carry only a summary.

A .xml file is read as a feed only when its root element is one (<rss>, <feed>, <rdf:RDF>).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.dates import parse_date_value
from kg.ingest.files import read_bytes
from kg.ingest.records import Record
from kg.limits import IngestLimits

_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
# The first element of an XML file, after its declaration, comments, processing instructions
# and DOCTYPE: "<rss", "<feed", "<rdf:RDF".
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def root_element(raw: bytes) -> str | None:
    """The local name of the XML root element, in lower case (None when there is none)."""
    head = raw[:65536]
    pos = 0
    while True:
        m = _ROOT.search(head, pos)
        if m is None:
            return None
        before = head[max(0, m.start() - 4):m.start()]
        if _inside_markup(head, m.start()) or before.endswith(b"<!--"):
            pos = m.end()
            continue
        return m.group(2).decode("ascii").lower()


def _inside_markup(head: bytes, at: int) -> bool:
    """True when ``at`` lies inside a comment, a processing instruction or a DOCTYPE."""
    for start, end in ((b"<!--", b"-->"), (b"<?", b"?>"), (b"<!", b">")):
        i = head.rfind(start, 0, at + 1)
        if i != -1 and head.find(end, i) >= at:
            return True
    return False


def _entry_date(entry: dict) -> dt.date | None:
    """The item's date as the feed wrote it (RFC 822 in RSS, ISO 8601 in Atom), not moved to UTC."""
    for key in ("published", "updated", "created", "dc_date"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            return email.utils.parsedate_to_datetime(value).date()
        except (TypeError, ValueError, IndexError):
            pass
        found = parse_date_value(value)
        if found:
            return found
    return None


def _entry_body(entry: dict) -> tuple[str | None, str | None]:
    """(plain text, HTML) of the item: its full content when it has one, else its summary."""
    parts = [c for c in entry.get("content", []) if isinstance(c, dict) and c.get("value")]
    if parts:
        body, kind = "\n".join(c["value"] for c in parts), parts[0].get("type", "text/html")
    else:
        body = entry.get("summary") or entry.get("description")
        kind = (entry.get("summary_detail") or {}).get("type", "text/html")
    if not body:
        return None, None
    return (body, None) if kind == "text/plain" else (None, body)


def feed_records(path: Path, name: str, limits: IngestLimits) -> Iterator[Record | InputError]:
    """The items of an RSS or Atom feed file, in its order."""
    raw = read_bytes(path, name, limits.max_bytes)
    root = root_element(raw)
    if root not in _FEED_ROOTS:
        what = f"its root element is <{root}>" if root else "no XML element found"
        raise InputError(f"not an RSS or Atom feed ({what})", name)
    import feedparser

    # Given the bytes (a stream), never a string: feedparser fetches a string that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(raw), resolve_relative_uris=False, sanitize_html=True)
    if not parsed.entries:
        problem = f": {parsed.bozo_exception}" if parsed.get("bozo") else ""
        raise InputError(f"feed has no items{problem}", name)
    outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, 1):
        text, fragment = _entry_body(entry)
        yield Record(number=number, text=text, fragment=fragment, title=entry.get("title") or None,
                     date=_entry_date(entry), url=entry.get("link") or entry.get("id") or None,
                     outlet=outlet, author=entry.get("author") or None)
