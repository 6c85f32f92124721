"""Tests for kg.ingest.clean: furniture and repeats dropped, title, byline and date taken from the head."""
from __future__ import annotations

import datetime as dt

from conftest import SEEDS
from ingest_helpers import BODY, assert_input_error, paragraphs, write

from kg.ingest import read_document

MEMO = SEEDS / "000_cec75e075edad840.txt"
IRAN_INTL = SEEDS / "003_7e09eed4d988b256.txt"


def test_seed_memo_title_and_furniture():
    doc = read_document(MEMO)
    assert doc.title == "Iran's IRGC to work with Pakistan army on border security"
    assert doc.text.startswith(doc.title + "\n\n")
    caption = (
        "The Chief of Army Staff of the Pakistan Army, General Asim Munir, gifts a Pakistan Ordnance "
        "Factory gold-plated submachine gun"
    )
    assert doc.text.count(caption) == 1
    assert paragraphs(doc)[1].startswith(caption)
    for junk in ("READ:", "Show Comments", "Categories", "Asia & Americas", "Order your copy", "Portuguese / English"):
        assert junk not in doc.text
    assert "Portuguese / English" in doc.furniture
    assert "Categories" in doc.furniture
    # The page names no author, date or outlet: none may be invented.
    assert doc.author is None and doc.date is None and doc.outlet is None
    # Body kept, in order, ending with the last article paragraph.
    assert "Salami was quoted as saying:" in doc.text  # no-break spaces normalised
    assert paragraphs(doc)[-1].startswith("On 8 July, four militants")
    assert doc.source == MEMO.as_posix()


def test_seed_iran_international_metadata():
    doc = read_document(IRAN_INTL)
    assert doc.title == "Iran, Pakistan Defense Officials Discuss Cooperation to Fight Terrorism"
    assert doc.author == "Nigar Bayramli"
    assert doc.date == dt.date(2023, 6, 17)
    for junk in ("Newsroom logo", "Last update", "By Nigar Bayramli", "March 1, 2024"):
        assert junk not in doc.text
    assert paragraphs(doc)[0] == doc.title
    assert paragraphs(doc)[1].startswith("Iranian Deputy Minister of Defense")
    assert paragraphs(doc)[-1].startswith("The three countries decided")
    assert all(p == p.strip() and "  " not in p and "\n" not in p for p in paragraphs(doc))


def test_text_furniture_rules_generalise(tmp_path):
    text = "\n".join([
        "Skip to main content",
        "English | Français | العربية",
        "Site Logo",
        "WORLD",
        "Pakistan army chief meets Iranian commander in Tehran",
        "Saturday, 17 July 2023 10:30 GMT",
        "By Jane Doe and John Roe in Islamabad",
        "Advertisement",
        "",
        BODY,
        "",
        "Also read: Iran opens new border market",
        "Share this article",
        "We use cookies to give you the best experience on our website.",
        "Subscribe to our newsletter for daily updates",
        "Second paragraph, which the article needs to keep in full.",
        "Tags:",
        "Iran, Pakistan, Border security",
        "Related Articles",
        "Some other story entirely about football results",
        "© 2023 Example News Network. All rights reserved.",
    ])
    doc = read_document(write(tmp_path / "a.txt", text))
    assert doc.title == "Pakistan army chief meets Iranian commander in Tehran"
    assert doc.date == dt.date(2023, 7, 17)
    assert doc.author == "Jane Doe and John Roe"
    assert paragraphs(doc) == [doc.title, BODY, "Second paragraph, which the article needs to keep in full."]
    assert "WORLD" in doc.furniture  # section label above the headline
    assert "Some other story entirely about football results" in doc.furniture


def test_text_outlet_only_when_stated(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{BODY}\n\nSource: Dawn\n"))
    assert doc.outlet == "Dawn"
    assert "Source:" not in doc.text
    doc = read_document(write(tmp_path / "b.txt", f"Border talks resume\n\n{BODY}\n\nCopyright 2023 Iran Daily.\n"))
    assert doc.outlet == "Iran Daily"
    doc = read_document(write(tmp_path / "c.txt", f"Border talks resume\n\n{BODY}\n"))
    assert doc.outlet is None


def test_one_line_tag_list_and_tags_before_headline(tmp_path):
    text = f"Topics\nIran\nPakistan\nPakistan army chief meets Iranian commander in Tehran\n\n{BODY}\n\nTags: Iran, Pakistan\n"
    doc = read_document(write(tmp_path / "a.txt", text))
    assert doc.title == "Pakistan army chief meets Iranian commander in Tehran"
    assert paragraphs(doc) == [doc.title, BODY]
    assert doc.furniture == ("Topics", "Iran", "Pakistan", "Tags: Iran, Pakistan")


def test_only_furniture_is_no_article_text(tmp_path):
    assert_input_error(write(tmp_path / "f.txt", "Show Comments\nAdvertisement\nShare this article\n"), "no article text")
    assert_input_error(write(tmp_path / "f.html", "<html><body><nav>Home</nav><script>x()</script></body></html>"), "no article text")
