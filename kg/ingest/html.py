"""HTML pages: parsed with lxml under newskg's limits (nothing fetched, nesting and element count
bounded), the story found by the extractor (extractor.py), then newskg's furniture rules applied
to its paragraphs (clean.py) and the page's metadata taken where measured best.

Where each field comes from (measured on the dev set's pages and the public article-extraction
benchmark, bench/extraction.py): the text from trafilatura, newskg's own main-element finder
(blocks.py) only when trafilatura finds none; the date from htmldate, the markup newskg reads
(meta.py) when htmldate finds none; the title and the outlet from newskg's reading of the markup
(it strips the outlet's name from titles, which trafilatura keeps); the author from newskg's
reading, else trafilatura's, reduced to person names by newskg's byline rules.
"""
from __future__ import annotations

import lxml.html
from lxml import etree

from kg.errors import InputError
from kg.ingest.blocks import fallback_paragraphs, with_captions
from kg.ingest.bylines import clean_author
from kg.ingest.chars import clean_chars
from kg.ingest.clean import clean_paragraphs, make_document
from kg.ingest.extractor import Extracted, extract_article
from kg.ingest.furniture import FurnitureRules, load_furniture
from kg.ingest.meta import Meta, html_metadata
from kg.limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS
from kg.model import Document

_LIBXML2_DEPTH = 256  # libxml2 stops nesting here without huge_tree, and drops the rest (measured)


def _html_parser(max_depth: int = DEFAULT_MAX_DEPTH) -> etree.HTMLParser:
    # no_network: never fetch DTDs or anything else. libxml2's HTML parser reads no DOCTYPE
    # internal subset, so entity declarations are never expanded (tests/ingest/test_ingest_html.py
    # checks both). huge_tree only when asked for more nesting than libxml2's default ceiling of
    # 256 levels.
    return lxml.html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True,
        recover=True, huge_tree=max_depth >= _LIBXML2_DEPTH, collect_ids=False,
    )


def _deeper_than(root: etree._Element, levels: int) -> bool:
    """True when some element sits more than ``levels`` deep (``<html>`` is level 1)."""
    # One XPath step per level, evaluated in C: no Python recursion, linear in the tree.
    return bool(root.xpath("boolean(" + "/*" * (levels + 1) + ")"))


def parse_tree(text: str, *, source: str, max_depth: int = DEFAULT_MAX_DEPTH,
               max_elements: int = DEFAULT_MAX_ELEMENTS) -> etree._Element:
    """The page's element tree; `InputError` when it cannot be parsed or is over a limit.

    A page nested deeper than ``max_depth`` elements is refused, never cut short silently
    (libxml2 drops everything below its own depth ceiling); so is a page of more than
    ``max_elements`` elements.
    """
    parser = _html_parser(max_depth)
    try:
        root = lxml.html.document_fromstring(clean_chars(text).encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise InputError(f"no article text (HTML could not be parsed: {err})", source) from err
    limited = [e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT]
    if any("depth" in e.message.lower() for e in limited) or _deeper_than(root, max_depth):
        raise InputError(f"HTML nested too deep (more than {max_depth} levels of elements; "
                         "the limit is set by --max-depth)", source)
    if limited:
        raise InputError(f"HTML beyond the parser's limits ({limited[0].message.strip()})", source)
    elements = int(root.xpath("count(//*)"))
    if elements > max_elements:
        raise InputError(f"HTML has too many elements ({elements:,}; the limit is {max_elements:,})", source)
    return root


def _merge_metadata(meta: Meta, found: Extracted, rules: FurnitureRules) -> None:
    """Fill ``meta`` (newskg's reading of the markup) from the extractor, field by field as measured."""
    if found.date is not None:
        meta.date = found.date
    if meta.title is None:
        meta.title = found.title
    if meta.author is None:
        names = [a for a in (clean_author(n, rules, meta.outlet) for n in found.authors) if a]
        meta.author = " and ".join(names) if names else None


def parse_html(text: str, *, source: str, rules: FurnitureRules | None = None,
               max_depth: int = DEFAULT_MAX_DEPTH, max_elements: int = DEFAULT_MAX_ELEMENTS,
               url: str | None = None) -> Document:
    """A `Document` from the decoded text of an HTML page (nothing is fetched).

    Over a limit (see `parse_tree`), or with no article text to be found, the page is refused
    with an `InputError` naming ``source``. ``url`` is the page's address when known: a hint for
    the date, and the document's ``url``.
    """
    rules = rules or load_furniture()
    root = parse_tree(text, source=source, max_depth=max_depth, max_elements=max_elements)
    meta = html_metadata(root, rules)
    found = extract_article(root, url)
    _merge_metadata(meta, found, rules)
    # The extractor's paragraphs repeat text only where the page does (a recipe's "Eat every
    # 2-3 hours" under each meal), so only a paragraph printed twice in a row is a repeat.
    paras = with_captions(found.paragraphs, root) if found.paragraphs else fallback_paragraphs(root, rules)
    cleaned = clean_paragraphs(paras, rules, meta, find_title=meta.title is None,
                               repeats="adjacent" if found.paragraphs else "all")
    return make_document(source, cleaned, meta, url=url)
