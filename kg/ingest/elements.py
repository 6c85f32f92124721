"""Small readers of parsed HTML elements, shared by the page-metadata and main-text code."""
from __future__ import annotations

from lxml import etree

from kg.ingest.chars import norm


def tag_name(el: etree._Element) -> str:
    """The element's tag in lower case; "" for anything that is not an element (a comment, an entity)."""
    return el.tag.lower() if isinstance(el.tag, str) else ""


def text_of(el: etree._Element) -> str:
    """All text inside the element, on one line."""
    return norm(el.text_content())


def attr(el: etree._Element, name: str) -> str:
    """An attribute's value on one line ("" when absent)."""
    return norm(el.get(name) or "")


def ancestor_tags(el: etree._Element) -> set[str]:
    """The tags of the element's ancestors."""
    return {tag_name(a) for a in el.iterancestors()}
