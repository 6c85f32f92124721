"""Tests for kg.ingest.text: plain-text scrapes into paragraphs."""
from __future__ import annotations

from ingest_helpers import paragraphs, write

from kg.ingest import read_document


def test_hard_wrapped_text_is_rejoined(tmp_path):
    text = (
        "Border talks resume\n\n"
        "Iran and Pakistan agreed on Saturday to expand border cooperation\n"
        "after talks in Tehran between senior military officials from both\n"
        "countries, officials said.\n\n"
        "The two sides will meet again in Islamabad next month to sign a\n"
        "memorandum on joint patrols along the frontier.\n"
    )
    doc = read_document(write(tmp_path / "a.txt", text))
    assert paragraphs(doc) == [
        "Border talks resume",
        "Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
        "between senior military officials from both countries, officials said.",
        "The two sides will meet again in Islamabad next month to sign a memorandum on joint "
        "patrols along the frontier.",
    ]


def test_one_line_note_is_text_not_title(tmp_path):
    doc = read_document(write(tmp_path / "note.txt", "Imran Khan visited Tehran\n"))
    assert doc.text == "Imran Khan visited Tehran"
    assert doc.title is None
