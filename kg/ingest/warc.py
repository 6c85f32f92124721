"""Web archives (WARC, as crawlers and `kg build --urls` save pages): each HTML response one
document, named FILE#URL, its URL kept and its capture date used when the page states none.

Requests, redirects, images and other non-HTML records are not articles and are passed over.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.dates import parse_date_value
from kg.ingest.decode import decode_text
from kg.ingest.files import open_regular
from kg.ingest.records import Record
from kg.limits import IngestLimits

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html_response(record) -> bool:
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or headers.get_statuscode() != "200":
            return False
        kind = headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        kind = record.rec_headers.get_header("Content-Type") or ""
    else:
        return False
    return kind.split(";")[0].strip().lower() in _HTML_TYPES


def warc_records(path: Path, name: str, limits: IngestLimits) -> Iterator[Record | InputError]:
    """The HTML pages of a .warc or .warc.gz file, in the archive's order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    fd, _ = open_regular(path, name)
    number = 0
    with os.fdopen(fd, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if not record.format.startswith("warc"):
                    # warcio also takes any text for the older ARC format, one "record" a line
                    raise ArchiveLoadFailed(f"no WARC record header, the file reads as {record.format}")
                if not _is_html_response(record):
                    continue
                number += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                source = f"{name}#{url or number}"
                raw = record.content_stream().read(limits.max_bytes + 1)
                if len(raw) > limits.max_bytes:
                    yield InputError(f"page too large (more than {limits.max_bytes:,} bytes; see --max-bytes)", source)
                    continue
                try:
                    html = decode_text(raw, source, html=True)
                except InputError as err:
                    yield err
                    continue
                yield Record(number=number, html=html, url=url,
                             date=parse_date_value(record.rec_headers.get_header("WARC-Date")))
        except (ArchiveLoadFailed, ValueError, OSError, EOFError) as err:
            yield InputError(f"not a readable WARC archive ({err})", name)
