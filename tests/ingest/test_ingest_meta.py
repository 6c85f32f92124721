"""Tests for kg.ingest.meta: title, date, author and outlet from an HTML page's markup."""
from __future__ import annotations

import datetime as dt

from ingest_helpers import BODY, HTML, paragraphs, write

from kg.ingest import read_document


def test_html_og_meta_article():
    doc = read_document(HTML / "frontier_post.html")
    assert doc.title == "Pakistan, Iran agree joint patrols along Balochistan border"
    assert doc.date == dt.date(2023, 7, 18)  # published, not modified
    assert doc.author == "Ayesha Siddiqa"
    assert doc.outlet == "The Frontier Post"
    paras = paragraphs(doc)
    assert paras[0] == doc.title
    assert doc.text.count(doc.title) == 1  # the <h1> does not repeat the title
    caption = "Security officials at the Taftan crossing on the Pakistan–Iran border. [File photo]"
    assert paras.count(caption) == 1  # figcaption and the <p> copy: kept once
    assert "Trade crossings" in paras  # sub-heading kept as its own paragraph
    assert paras[-1].startswith("The two sides also discussed reopening")
    for junk in ("Home", "Facebook", "Advertisement", "Read more", "Share this", "Most Read",
                 "Petrol price", "cookies", "All rights reserved", "Tags", "dataLayer", "min-height"):
        assert junk not in doc.text, junk


def test_html_json_ld_without_article_element():
    doc = read_document(HTML / "regional_monitor.html")
    # <title> suffix " - Outlet" stripped; outlet from JSON-LD publisher (an @id reference).
    assert doc.title == "Iranian guards seize arms cache near Saravan"
    assert doc.outlet == "Regional Security Monitor"
    assert doc.date == dt.date(2024, 2, 27)
    assert doc.author == "Kamran Yousefi and Sara Malik"
    paras = paragraphs(doc)
    assert paras[1].startswith("The Islamic Revolutionary Guard Corps (IRGC) ground forces said")
    caption = "Weapons displayed by IRGC ground forces in Saravan, February 26, 2024. (Tasnim)"
    assert paras.count(caption) == 1
    assert paras[-1].startswith("Three suspects were arrested")
    for junk in ("Last update", "Portuguese", "English", "Sign up", "Also read", "Tags", "Jaish al-Adl\n",
                 "Most popular", "Subscribe", "Copyright"):
        assert junk not in doc.text, junk
    assert "Iran, Pakistan, IRGC, Jaish al-Adl" in doc.furniture


def test_html_cp1252_meta_charset_byline_and_time():
    doc = read_document(HTML / "legacy_cp1252.htm")
    assert doc.title == "Café owners protest new tax in Karachi"  # article <h1>, not the logo <h1>
    assert doc.author == "Omar Farooq"
    assert doc.date == dt.date(2022, 11, 3)
    assert doc.outlet is None
    paras = paragraphs(doc)
    assert paras[0] == doc.title and doc.text.count(doc.title) == 1
    assert "“The tax is unfair to small businesses,” said Naeem Qureshi" in doc.text
    for junk in ("Karachi Daily Chronicle", "by Omar", "3 November 2022", "Advertisement", "Great article"):
        assert junk not in doc.text, junk


def test_html_title_suffix_and_jsonld_author_fallbacks(tmp_path):
    page = f"""<html><head><title>Army chief visits Tehran | Daily Bulletin</title>
    <meta property="og:site_name" content="Daily Bulletin">
    <script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2023-07-16",
      "author": {{"@type": "Organization", "name": "Daily Bulletin"}}}}</script>
    <script type="application/ld+json">{{ this is broken json </script>
    </head><body><div class="main"><p class="byline">By Hamid Mir, Reuters</p>
    <p>{BODY}</p><p>Second paragraph of the article text.</p></div></body></html>"""
    doc = read_document(write(tmp_path / "bulletin.html", page))
    assert doc.title == "Army chief visits Tehran"
    assert doc.outlet == "Daily Bulletin"
    assert doc.date == dt.date(2023, 7, 16)
    assert doc.author == "Hamid Mir"  # organisation author skipped; agency dropped from byline
    assert paragraphs(doc) == ["Army chief visits Tehran", BODY, "Second paragraph of the article text."]
