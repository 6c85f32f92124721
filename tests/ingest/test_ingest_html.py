"""Tests for kg.ingest.html: the story element, nesting and element limits, entities, DTDs, nothing fetched."""
from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import BODY, assert_input_error, paragraphs, write

from kg.ingest import read_document
from kg.limits import IngestLimits


def test_html_external_references_ignored_and_unknown_entities_kept(tmp_path):
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://127.0.0.1:9/x.dtd">
    <html><head><title>Talks in Tehran</title></head><body><article><p>{BODY} Tom &amp; Jerry &bogus;</p>
    <iframe src="http://127.0.0.1:9/ad"></iframe><img src="http://127.0.0.1:9/p.png"></article></body></html>"""
    doc = read_document(write(tmp_path / "x.html", page))
    assert doc.text.endswith("Tom & Jerry &bogus;")


def test_html_teaser_article_elements_are_not_the_story(tmp_path):
    teaser = "<article class='card'><p>Cricket: Pakistan beat Sri Lanka.</p></article>"
    page = f"""<html><head><title>Border talks resume</title></head><body>
    <div id="story"><p>{BODY}</p><p>{BODY.replace("Saturday", "Sunday")}</p></div>
    <aside>{teaser * 3}</aside><div class="more">{teaser}</div></body></html>"""
    doc = read_document(write(tmp_path / "t.html", page))
    paras = paragraphs(doc)
    assert paras[0] == "Border talks resume" and paras[-2:] == [BODY, BODY.replace("Saturday", "Sunday")]
    # The extractor drops the <aside>'s cards, but keeps a lone card in a <div> with the story.
    # newskg's own rule (an <article> with under half the story's text is a teaser) is not applied
    # before it: on the article-extraction benchmark, removing such elements lost a page's whole
    # body (bench/extraction.py).
    assert paras.count("Cricket: Pakistan beat Sri Lanka.") <= 1


def test_html_with_title_but_no_body_is_no_article(tmp_path):
    page = "<html><head><title>Loading…</title><meta property='og:title' content='Border talks'></head>" \
           "<body><div id='app'></div><script>render()</script></body></html>"
    assert_input_error(write(tmp_path / "spa.html", page), "no article text")


def nested(depth: int, tag: str = "div") -> str:
    return (f"<html><body>{f'<{tag}>' * depth}<p>{BODY}</p>"
            f"<p>Closing paragraph at the bottom of the nest, with enough words to be article text.</p>"
            f"{f'</{tag}>' * depth}</body></html>")


def test_html_nested_100000_deep_is_refused_with_a_clean_message(tmp_path):
    # libxml2 alone stops nesting at 256 levels and silently drops the rest of the page.
    path = write(tmp_path / "deep.html", nested(100_000))
    err = assert_input_error(path, r"HTML nested too deep \(more than 200 levels")
    assert "\n" not in str(err)
    for tag in ("span", "b", "table", "ul"):
        assert_input_error(write(tmp_path / f"deep-{tag}.html", nested(100_000, tag)), "nested too deep")


def test_html_depth_limit_is_configurable(tmp_path):
    path = write(tmp_path / "d150.html", nested(150))
    doc = read_document(path)  # 150 levels: under the default
    assert paragraphs(doc)[-1].startswith("Closing paragraph at the bottom of the nest")
    assert_input_error(path, "more than 100 levels", max_depth=100)
    deep = write(tmp_path / "d600.html", nested(600))
    assert_input_error(deep, "more than 200 levels")
    # Above libxml2's default ceiling of 256 the parser's huge mode is used, and nothing is lost.
    doc = read_document(deep, limits=IngestLimits(max_depth=1000))
    assert BODY in doc.text and paragraphs(doc)[-1].startswith("Closing paragraph at the bottom of the nest")


def test_html_too_many_elements(tmp_path):
    page = "<html><body>" + f"<p>{BODY}</p>" + "<a></a>" * 500 + "</body></html>"
    path = write(tmp_path / "many.html", page)
    assert BODY in read_document(path).text
    assert_input_error(path, r"too many elements \(50[0-9]; the limit is 100\)",
                       limits=IngestLimits(max_elements=100))


_LAUGHS = ('<!DOCTYPE html [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
           + "]>")


def test_doctype_entity_declarations_are_never_expanded(tmp_path):
    page = _LAUGHS + f"<html><body><article><p>{BODY} &lol9;</p></article></body></html>"
    doc = read_document(write(tmp_path / "laughs.html", page))
    assert doc.text == f"{BODY} &lol9;"  # left as written: a billion "lol"s would be 3 GB


def test_external_entities_are_never_read(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-MARKER")
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret.as_posix()}">'
            f'<!ENTITY % p SYSTEM "file://{secret.as_posix()}"> %p;]>'
            f'<html><body><article><p>{BODY} &xxe;</p></article></body></html>')
    for suffix in (".html", ".txt"):  # a .txt file holding HTML is parsed as HTML
        doc = read_document(write(tmp_path / f"xxe{suffix}", page))
        assert "TOP-SECRET-MARKER" not in doc.text and doc.text.startswith(BODY)
    xhtml = '<?xml version="1.0"?>' + page.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')
    assert "TOP-SECRET-MARKER" not in read_document(write(tmp_path / "x.htm", xhtml)).text


def test_nothing_is_fetched(tmp_path):
    # A listening socket that every reference in the page points at: a fetch would connect to it.
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        page = (f'<!DOCTYPE html SYSTEM "{url}/dtd" [<!ENTITY ext SYSTEM "{url}/ent"><!ENTITY % pe SYSTEM "{url}/pe"> %pe;]>'
                f'<html><head><base href="{url}/"><link rel="stylesheet" href="{url}/css">'
                f'<script type="application/ld+json">{{"@context": "{url}/ctx", "@type": "NewsArticle", '
                f'"datePublished": "2023-07-17"}}</script><script src="{url}/js"></script></head>'
                f'<body><article><p>{BODY} &ext;</p><img src="{url}/img"><iframe src="{url}/frame"></iframe>'
                f'<object data="{url}/obj"></object><svg><use href="{url}/svg#x"/></svg></article></body></html>')
        doc = read_document(write(tmp_path / "refs.html", page))
        assert doc.text == f"{BODY} &ext;" and doc.date == dt.date(2023, 7, 17)
        with pytest.raises(BlockingIOError):
            server.accept()  # no connection was ever made
