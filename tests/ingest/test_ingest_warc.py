"""Tests for kg.ingest.warc: each HTML response of a web archive one document, named FILE#URL."""
from __future__ import annotations

import datetime as dt

from ingest_helpers import BODY, write, write_warc

from kg.errors import InputError
from kg.ingest import read_documents

PAGE = f"""<html><head><title>Border talks resume</title></head><body><article><h1>Border talks resume</h1>
<p>{BODY}</p><p>{BODY.replace("Saturday", "Sunday")}</p></article></body></html>"""


def test_html_responses_become_documents_the_rest_is_passed_over(tmp_path):
    dated = PAGE.replace("<head>", '<head><meta property="article:published_time" content="2023-07-16">')
    path = write_warc(tmp_path / "crawl.warc.gz", [("https://news.example/a", PAGE.encode()),
                                                   ("https://news.example/b", dated.encode())])
    errors: list[InputError] = []
    docs = list(read_documents([path], on_error=errors.append))
    assert not errors
    assert [d.source for d in docs] == [f"{path.as_posix()}#https://news.example/a",
                                        f"{path.as_posix()}#https://news.example/b"]
    assert [d.url for d in docs] == ["https://news.example/a", "https://news.example/b"]
    assert docs[0].title == "Border talks resume" and docs[0].text.endswith(BODY.replace("Saturday", "Sunday"))
    assert docs[0].date == dt.date.today()  # no date on the page: the capture date (WARC-Date)
    assert docs[1].date == dt.date(2023, 7, 16)  # the page's own date first


def test_uncompressed_warc_and_a_page_without_article(tmp_path):
    empty = b"<html><head><title>Loading</title></head><body><div id='app'></div></body></html>"
    path = write_warc(tmp_path / "crawl.warc", [("https://news.example/a", PAGE.encode()),
                                                ("https://news.example/spa", empty)], extra=False)
    errors: list[InputError] = []
    docs = list(read_documents([path], on_error=errors.append))
    assert len(docs) == 1
    assert [e.path for e in errors] == [f"{path.as_posix()}#https://news.example/spa"]
    assert "no article text" in str(errors[0])


def test_not_a_warc(tmp_path):
    path = write(tmp_path / "fake.warc", f"{BODY}\n")
    errors: list[InputError] = []
    assert list(read_documents([path], on_error=errors.append)) == []
    assert "not a readable WARC archive" in str(errors[0]) and errors[0].path == path.as_posix()
