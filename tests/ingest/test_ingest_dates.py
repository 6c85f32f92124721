"""Tests for kg.ingest.dates: date lines, datelines, and dates that are not the publication date."""
from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import BODY, paragraphs, write

from kg import ingest
from kg.ingest import read_document


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 17, 2023", dt.date(2023, 6, 17)),
        ("17 July 2023", dt.date(2023, 7, 17)),
        ("Published: Sat 17 Jun 2023 | 10:30 AM", dt.date(2023, 6, 17)),
        ("2023-06-17T09:41:00+05:00", dt.date(2023, 6, 17)),
        ("17/06/2023", dt.date(2023, 6, 17)),
        ("06/07/2023", None),  # day-first or month-first: not guessed
        ("June 17, 2023 in Tehran", None),
        ("February 30, 2023", None),
    ],
)
def test_date_lines(line, expected):
    assert ingest.parse_date_line(line) == expected


def test_text_iso_date_line_and_no_title(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"2023-06-17\n\n{BODY}\n\n{BODY}\n"))
    assert doc.date == dt.date(2023, 6, 17)
    assert doc.title is None
    assert doc.text == BODY  # the repeated paragraph is kept once


def test_dateline_gives_date_and_stays_in_text(tmp_path):
    first = "TEHRAN, June 17, 2023 (IRNA) - " + BODY
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{first}\n"))
    assert doc.date == dt.date(2023, 6, 17)
    assert paragraphs(doc) == ["Border talks resume", first]


def test_text_last_update_is_not_the_publication_date(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"Last update: March 1, 2024 01:47\n\nBorder talks resume\n\n{BODY}\n"))
    assert doc.date is None
    assert "Last update" not in doc.text
