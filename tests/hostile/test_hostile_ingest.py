"""Random bytes and random HTML through ingest: a Document with clean text, or an InputError."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import HOSTILE, html_pages, words

from kg.errors import InputError
from kg.network.actors import sanitize_text
from kg.ingest import parse_html, parse_text, read_document
from kg.model import Document

# Hostile examples are big by design; hypothesis warns when it prints them.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# What must never reach RDF or XML: controls but newline, lone surrogates, XML non-characters.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile-ingest")


def assert_clean(doc: Document) -> None:
    for value in (doc.text, doc.title, doc.author, doc.outlet, doc.source, *doc.furniture):
        if value is None:
            continue
        assert not _FORBIDDEN.search(value), repr(value)
        assert sanitize_text(value) == value  # GraphML would carry it unchanged
        ox.Literal(value)  # and so would the store
    assert doc.text.strip()
    assert all(p and p == p.strip() and "\n" not in p for p in doc.text.split("\n\n"))


def read(folder: Path, raw: bytes, suffix: str) -> Document | None:
    path = folder / f"input{suffix}"
    path.write_bytes(raw)
    try:
        doc = read_document(path)
    except InputError as err:
        assert err.path == path.as_posix() and str(err).startswith(path.as_posix() + ": ")
        assert "\n" not in str(err)
        return None
    assert doc.source == path.as_posix()
    assert_clean(doc)
    return doc


@HOSTILE
@given(raw=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".html", ".htm"]))
def test_random_bytes(folder, raw, suffix):
    read(folder, raw, suffix)


@HOSTILE
@given(raw=st.binary(max_size=2000), text=words, bom=st.sampled_from(["", "utf-8-sig", "utf-16", "utf-16-be"]))
def test_random_bytes_around_text_in_any_encoding(folder, raw, text, bom):
    body = f"{text}\n\n{text} Iran and Pakistan agreed to expand border cooperation, officials said.\n"
    encoded = (body.encode(bom, "surrogatepass") if bom else body.encode("utf-8", "surrogatepass"))
    if bom == "utf-16-be":
        encoded = b"\xfe\xff" + encoded
    read(folder, encoded + raw, ".txt")


@HOSTILE
@given(page=html_pages)
def test_random_html(page):
    try:
        doc = parse_html(page, source="page.html")
    except InputError as err:
        assert str(err).startswith("page.html: ") and "\n" not in str(err)
        return
    assert_clean(doc)
    assert "root:" not in doc.text  # no DOCTYPE in the strategy may make it read /etc/passwd
    assert "lollol" not in doc.text  # entity declarations are never expanded


@HOSTILE
@given(page=html_pages, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_html_files(folder, page, encoding):
    read(folder, page.encode(encoding, "replace" if encoding == "cp1252" else "surrogatepass"), ".html")


@HOSTILE
@given(text=st.text(max_size=3000) | words)
def test_random_text(text):
    try:
        doc = parse_text(text, source="t.txt")
    except InputError:
        return
    assert_clean(doc)
