"""Shared by the tests of kg.ingest: an article paragraph, files written on the fly, and the
check that a file is refused with an `InputError` naming it."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import read_document

HTML = Path(__file__).resolve().parent.parent / "data" / "html"

BODY = (
    "Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
    "between senior military officials from both countries, officials said."
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def paragraphs(doc) -> list[str]:
    return doc.text.split("\n\n")


def assert_input_error(path: Path, match: str, **kw) -> InputError:
    with pytest.raises(InputError, match=match) as err:
        read_document(path, **kw)
    assert err.value.path == path.as_posix()
    assert str(err.value).startswith(path.as_posix() + ": ")
    return err.value


# --------------------------------------------------------------------------------------------
# Collections made from articles: the same articles as JSON Lines, CSV, WARC and RSS files.
# --------------------------------------------------------------------------------------------
def article_rows(docs) -> list[dict]:
    """Export rows of documents read from .txt files: title, date, author, outlet, url, text."""
    rows = []
    for i, d in enumerate(docs, 1):
        text = d.text.split("\n\n", 1)[1] if d.title else d.text
        rows.append({"title": d.title or "", "date": d.date.isoformat() if d.date else "",
                     "author": d.author or "", "outlet": d.outlet or "",
                     "url": f"https://news.example/{i}", "text": text})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    import json

    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def write_csv(path: Path, rows: list[dict], delimiter: str = ",") -> Path:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return write(path, out.getvalue())


def write_warc(path: Path, pages: list[tuple[str, bytes]], extra: bool = True) -> Path:
    """A gzipped WARC of HTML responses (url, page); with ``extra`` also a request, an image and a
    404, which are no articles."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(writer, url: str, body: bytes, status: str = "200 OK", kind: str = "text/html; charset=utf-8"):
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, page in pages:
            if extra:
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            response(writer, url, page)
        if extra:
            response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", kind="image/png")
            response(writer, "https://news.example/gone", b"<html><body>Not found</body></html>", "404 Not Found")
    return path


def write_rss(path: Path, rows: list[dict], channel: str | None = None) -> Path:
    """An RSS 2.0 feed of the rows, each item's full text in content:encoded as paragraphs."""
    import datetime as dt
    import email.utils
    from xml.sax.saxutils import escape

    items = []
    for r in rows:
        body = "".join(f"<p>{escape(p)}</p>" for p in r["text"].split("\n\n"))
        when = email.utils.format_datetime(dt.datetime.fromisoformat(r["date"] + "T23:30:00+05:00")) if r["date"] else ""
        items.append(
            "<item>" + (f"<title>{escape(r['title'])}</title>" if r["title"] else "")
            + f"<link>{r['url']}</link>" + (f"<pubDate>{when}</pubDate>" if when else "")
            + (f"<dc:creator>{escape(r['author'])}</dc:creator>" if r["author"] else "")
            + f"<description>{escape(r['text'][:120])}</description>"
            + f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")
    title = f"<title>{escape(channel)}</title>" if channel else ""
    return write(path, '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
                       'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                       'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                       + title + "".join(items) + "</channel></rss>")
