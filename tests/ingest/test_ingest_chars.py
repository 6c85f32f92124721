"""Tests for kg.ingest.chars: control characters, lone surrogates and XML non-characters never
reach the text."""
from __future__ import annotations

from ingest_helpers import BODY, paragraphs, write

from kg.ingest import read_document


def test_control_characters_and_lone_surrogates_removed(tmp_path):
    raw = ("Border talks\x07 resume\n\n" + BODY.replace("Tehran", "Teh\x1bran\u200b") + "\n").encode("utf-8")
    raw = raw.replace(b"Saturday", b"Satur\xed\xa0\x80day")  # an encoded lone surrogate
    doc = read_document(write(tmp_path / "a.txt", raw))
    assert doc.title == "Border talks resume"
    assert paragraphs(doc)[1] == BODY


def test_xml_illegal_non_characters_removed(tmp_path):
    raw = f"Border talks resume\n\n{BODY}\ufffe\uffff\n".encode("utf-8")
    doc = read_document(write(tmp_path / "nc.txt", raw))
    assert paragraphs(doc)[-1] == BODY
