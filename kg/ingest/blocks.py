"""newskg's own reading of a page's blocks: the element holding the story (the fallback when the
extractor finds no article, see extractor.py), furniture elements pruned from it, and block
elements turned into paragraphs (also how an HTML fragment such as a feed item's content is read).
"""
from __future__ import annotations

from lxml import etree

from kg.ingest.chars import clean_chars, norm
from kg.ingest.elements import tag_name, text_of
from kg.ingest.furniture import FurnitureRules

_BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
    "figcaption", "figure", "div", "section", "article", "main", "pre", "table", "thead", "tbody",
    "tr", "td", "th", "caption", "address", "center", "details", "summary", "hr", "br", "body",
})


def _p_text_len(el: etree._Element) -> int:
    return sum(len(text_of(p)) for p in el.iter("p"))


def main_element(root: etree._Element) -> etree._Element:
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


def prune(body: etree._Element, rules: FurnitureRules) -> None:
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
        _remove_keeping_tail(el)


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
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


def block_paragraphs(body: etree._Element) -> list[str]:
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


def fallback_paragraphs(root: etree._Element, rules: FurnitureRules) -> list[str]:
    """The paragraphs of the page's main element, its furniture elements pruned (changes ``root``)."""
    body = main_element(root)
    prune(body, rules)
    return block_paragraphs(body)


def with_captions(paragraphs: list[str], root: etree._Element) -> list[str]:
    """``paragraphs`` (the extractor's) with the captions of the story's figures put back.

    The extractor drops every <figcaption>. A caption right before a paragraph of the story goes
    in before that paragraph: captions state who met whom and where, and the dev set's relation
    scores fell without them (they are furniture only where a scrape prints them twice).
    """
    index = {p: i for i, p in reversed(list(enumerate(paragraphs)))}
    before: dict[int, list[str]] = {}
    pending: list[str] = []
    for el in root.iter("figcaption", "p", "h2", "h3", "li", "blockquote"):
        text = text_of(el)
        if not text:
            continue
        if tag_name(el) == "figcaption":
            if text not in index:
                pending.append(text)
        elif pending and text in index:
            before.setdefault(index[text], []).extend(pending)
            pending = []
    if not before:
        return paragraphs
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        out += before.get(i, [])
        out.append(p)
    return out
