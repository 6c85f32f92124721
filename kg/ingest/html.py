"""HTML pages: parsed with lxml (nothing fetched, nesting and element count bounded), the
element holding the story found, furniture elements pruned, block elements made paragraphs."""
from __future__ import annotations

import lxml.html
from lxml import etree

from kg.errors import InputError
from kg.ingest.chars import clean_chars, norm
from kg.ingest.clean import clean_paragraphs, make_document
from kg.ingest.elements import tag_name, text_of
from kg.ingest.furniture import FurnitureRules, load_furniture
from kg.ingest.meta import html_metadata
from kg.limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS
from kg.model import Document

_BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "figcaption", "figure", "div", "section", "article", "main", "pre", "table", "thead", "tbody",
    "tr", "td", "th", "caption", "address", "center", "details", "summary", "hr", "br", "body",
})
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


def _p_text_len(el: etree._Element) -> int:
    return sum(len(text_of(p)) for p in el.iter("p"))


def _body_root(root: etree._Element) -> etree._Element:
    """<article> (the one with most paragraph text), else the element with most <p> text.

    An <article> that holds less than half as much paragraph text as the best other element is
    a teaser card, not the story, and is passed over.
    """
    best, best_len = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        n = sum(len(text_of(p)) for p in el if tag_name(p) == "p")
        if n > best_len:
            best, best_len = el, n
    articles = list(root.iter("article"))
    if articles:
        article = max(articles, key=_p_text_len)
        if _p_text_len(article) * 2 >= best_len:
            return article
    if best is not None:
        return best
    body = root.find(".//body")
    return body if body is not None else root


def _prune(body: etree._Element, rules: FurnitureRules) -> None:
    """Remove non-article elements inside `body` (tags, roles, hidden, furniture classes)."""
    total = max(_p_text_len(body), 1)
    doomed = []
    for el in body.iterdescendants():
        if not isinstance(el.tag, str):
            doomed.append(el)
            continue
        tag = tag_name(el)
        role = (el.get("role") or "").strip().lower()
        style = (el.get("style") or "").replace(" ", "").lower()
        if (
            tag in rules.drop_tags
            or role in rules.drop_roles
            or el.get("hidden") is not None
            or "display:none" in style
        ):
            doomed.append(el)
            continue
        marks = " ".join(filter(None, [el.get("class"), el.get("id")]))
        if marks and any(p.search(marks) for p in rules.drop_class_patterns):
            # A wrapper such as class="article-body comments-on" must not take the article with it.
            if _p_text_len(el) * 3 < total:
                doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the text that follows the removed element: it belongs to the parent.
        tail = el.tail
        prev = el.getprevious()
        parent.remove(el)
        # Cleaned again: lxml decodes "&#1;" into a control character it then refuses to set.
        if tail:
            if prev is not None:
                prev.tail = clean_chars((prev.tail or "") + tail)
            else:
                parent.text = clean_chars((parent.text or "") + tail)


def _html_paragraphs(body: etree._Element) -> list[str]:
    """Text of block elements, each block its own paragraph (nested blocks split the parent)."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        t = norm("".join(buf))
        if t:
            out.append(t)
        buf.clear()

    # Depth-first with an explicit stack (no recursion, whatever the nesting): an element is
    # entered, then its children, then left; its tail belongs to the parent, after it.
    todo: list[tuple[bool, etree._Element]] = [(True, body)]
    while todo:
        entering, el = todo.pop()
        block = tag_name(el) in _BLOCK_TAGS
        if entering:
            if block:
                flush()
            if el.text and isinstance(el.tag, str):
                buf.append(el.text)
            todo.append((False, el))
            todo.extend((True, child) for child in reversed(el))
        else:
            if block:
                flush()
            if el is not body and el.tail:
                buf.append(el.tail)
    flush()
    return out


def parse_html(text: str, *, source: str, rules: FurnitureRules | None = None,
               max_depth: int = DEFAULT_MAX_DEPTH, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Document:
    """A `Document` from the decoded text of an HTML page (nothing is fetched).

    A page nested deeper than ``max_depth`` elements is refused with an `InputError`, never cut
    short silently (libxml2 drops everything below its own depth ceiling); so is a page of more
    than ``max_elements`` elements.
    """
    rules = rules or load_furniture()
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
    meta = html_metadata(root, rules)
    body = _body_root(root)
    _prune(body, rules)
    paras = _html_paragraphs(body)
    cleaned = clean_paragraphs(paras, rules, meta, find_title=meta.title is None)
    return make_document(source, cleaned, meta)
