"""Tests for kg.ingest.bylines: what is a byline and what only looks like one."""
from __future__ import annotations

from ingest_helpers import BODY, paragraphs, write

from kg.ingest import read_document


def test_byline_lookalikes_stay_in_text(tmp_path):
    line = "By the end of the day, the two sides had agreed on a new border regime"
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{line}\n\n{BODY}\n"))
    assert doc.author is None
    assert line in paragraphs(doc)


def test_headline_starting_with_by_is_not_a_byline(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"By Land and Sea\n\n{BODY}\n"))
    assert doc.title == "By Land and Sea" and doc.author is None
    doc = read_document(write(tmp_path / "b.txt", f"Border talks resume\n\nBy Reuters Staff\n\n{BODY}\n"))
    assert doc.author is None  # an agency byline names no person
    assert "Reuters Staff" not in doc.text
