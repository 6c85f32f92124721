"""Tests for kg.ingest.furniture: the rules are data, read from TOML."""
from __future__ import annotations

import pytest
from ingest_helpers import BODY, paragraphs, write

from kg import ingest
from kg.errors import InputError
from kg.ingest import load_furniture, read_document


def test_furniture_rules_come_from_toml(tmp_path):
    rules_file = write(tmp_path / "furniture.toml", """
[lines]
literal = ["Bonus Line"]
patterns = ['''promo\\s*#\\d+''']
[headers]
words = ["Themen"]
""")
    rules = load_furniture(rules_file)
    text = f"Border talks resume\n\nBonus Line\n\nShow Comments\n\nPromo #42\n\n{BODY}\n\nThemen\nIran Pakistan\n"
    doc = read_document(write(tmp_path / "a.txt", text), rules=rules)
    assert paragraphs(doc) == ["Border talks resume", "Show Comments", BODY]  # default rules not loaded
    assert doc.furniture == ("Bonus Line", "Promo #42", "Themen", "Iran Pakistan")


def test_bad_furniture_file_is_reported(tmp_path):
    bad = write(tmp_path / "bad.toml", "[lines]\npatterns = ['(unclosed']\n")
    with pytest.raises(InputError, match="bad regular expression") as err:
        load_furniture(bad)
    assert bad.as_posix() in str(err.value)


def test_default_rules_file_present():
    rules = load_furniture()
    assert rules.source == ingest.DEFAULT_FURNITURE.as_posix()
    assert rules.is_literal("Show Comments") and rules.is_header("Categories")
