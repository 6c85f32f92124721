"""Ingest: turn saved news pages (plain-text scrapes or HTML) into clean `Document`s.

HTML pages go through a maintained extractor (trafilatura for the text, htmldate for the date;
extractor.py) with newskg's own limits in front of it and its furniture rules after it.

Reading is strict about what it accepts (text files only, bounded size) and lenient about
how they are encoded. Page furniture -- navigation, share buttons, tag lists, promos, captions
printed twice -- is removed by rules kept as data in ``ontology/furniture.toml``, so users can
extend them for new outlets without touching code. Nothing here touches the network but
``fetch``, and only when asked to fetch a list of URLs.

Besides single pages, files holding many articles are read record by record: JSON Lines, JSON
and CSV exports (collections.py, the accepted keys in ``ontology/collections.toml``), web
archives (warc.py) and RSS/Atom feeds (feeds.py); each record's document is named FILE#URL or
FILE#N (records.py). Articles not in English are refused by name (language.py).

The work is done in the submodules, one concern each: ``files`` (which files, their bytes),
``decode`` (bytes to text), ``chars`` (unwanted characters), ``furniture`` (the rules),
``dates`` and ``bylines`` (metadata lines), ``meta`` (page metadata), ``elements``,
``extractor`` (trafilatura, htmldate), ``blocks`` (newskg's own block reading), ``html`` and
``text`` (the two page formats), ``clean`` (main text, `Document`), ``reader`` (the
entry points). This package only re-exports their public API.
"""
from __future__ import annotations

from kg.ingest.bylines import parse_byline
from kg.ingest.chars import clean_line
from kg.ingest.dates import find_date, parse_date_line
from kg.ingest.files import COLLECTION_SUFFIXES, HTML_SUFFIXES, TEXT_SUFFIXES, check_paths, iter_files
from kg.ingest.furniture import DEFAULT_FURNITURE, FurnitureRules, load_furniture
from kg.ingest.html import parse_html
from kg.ingest.language import check_language
from kg.ingest.reader import read_document, read_documents
from kg.ingest.text import parse_text
from kg.limits import DEFAULT_MAX_BYTES, IngestLimits

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestLimits",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "COLLECTION_SUFFIXES",
    "DEFAULT_FURNITURE",
    "FurnitureRules",
    "load_furniture",
    "check_paths",
    "iter_files",
    "read_document",
    "read_documents",
    "parse_text",
    "clean_line",
    "parse_html",
    "parse_byline",
    "parse_date_line",
    "find_date",
    "check_language",
]
