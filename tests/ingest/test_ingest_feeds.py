"""Tests for kg.ingest.feeds: RSS and Atom items as documents, .xml files sniffed by their root."""
from __future__ import annotations

import datetime as dt

from ingest_helpers import BODY, write, write_rss

from kg.errors import InputError
from kg.ingest import read_documents
from kg.ingest.feeds import root_element


def read(path):
    errors: list[InputError] = []
    return list(read_documents([path], on_error=errors.append)), errors


def test_rss_items_with_full_content(tmp_path):
    rows = [{"title": "Border talks resume", "date": "2023-07-16", "author": "Jane Doe", "outlet": "",
             "url": "https://news.example/1", "text": f"{BODY}\n\n{BODY.upper()}"},
            {"title": "", "date": "", "author": "", "outlet": "", "url": "https://news.example/2", "text": BODY}]
    path = write_rss(tmp_path / "feed.xml", rows, channel="Daily Bulletin")
    docs, errors = read(path)
    assert not errors
    assert [d.source for d in docs] == [f"{path.as_posix()}#https://news.example/1",
                                        f"{path.as_posix()}#https://news.example/2"]
    first = docs[0]
    # 23:30 at +05:00 is the next day in UTC: the date as the feed wrote it is kept
    assert (first.title, first.date, first.author, first.outlet) == (
        "Border talks resume", dt.date(2023, 7, 16), "Jane Doe", "Daily Bulletin")
    assert first.text.split("\n\n") == ["Border talks resume", BODY, BODY.upper()]
    assert docs[1].url == "https://news.example/2" and docs[1].date is None


def test_atom_entry_summary_when_there_is_no_content(tmp_path):
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
    <entry><title>Border talks resume</title><link rel="alternate" href="https://news.example/x"/>
    <id>tag:news.example,2023:x</id><published>2023-07-17T08:00:00Z</published>
    <author><name>Jane Doe</name></author><summary type="text">{BODY}</summary></entry></feed>"""
    docs, errors = read(write(tmp_path / "wire.atom", atom))
    assert not errors and docs[0].text == f"Border talks resume\n\n{BODY}"
    assert docs[0].date == dt.date(2023, 7, 17) and docs[0].outlet == "Wire"


def test_xml_that_is_no_feed_is_named(tmp_path):
    sitemap = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><!-- <rss> --><urlset><url/></urlset>')
    docs, errors = read(sitemap)
    assert not docs and "not an RSS or Atom feed (its root element is <urlset>)" in str(errors[0])
    assert root_element(b'<?xml version="1.0"?>\n<!DOCTYPE x>\n<rdf:RDF xmlns:rdf="x">') == "rdf"


def test_feed_never_fetches_a_url_it_is_given_as_text(tmp_path):
    # feedparser fetches a string that looks like a URL: ingest hands it the file's bytes only.
    docs, errors = read(write(tmp_path / "odd.rss", "http://127.0.0.1:9/feed.xml"))
    assert not docs and "not an RSS or Atom feed" in str(errors[0])
