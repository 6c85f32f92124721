"""Plain-text scrapes: paragraphs from lines (hard-wrapped text joined back), then cleaned."""
from __future__ import annotations

from kg.ingest.chars import clean_chars, norm
from kg.ingest.clean import Cleaned, clean_paragraphs, make_document
from kg.ingest.furniture import FurnitureRules, load_furniture
from kg.ingest.meta import Meta
from kg.model import Document


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text scrape.

    Scrapes put one paragraph per line; hard-wrapped text (every line short, paragraphs as
    blocks of lines) is joined back into paragraphs instead.
    """
    lines = [norm(line) for line in clean_chars(text).split("\n")]
    nonblank = [line for line in lines if line]
    if not nonblank:
        return []
    followed = sum(1 for a, b in zip(lines, lines[1:]) if a and b)
    wrapped = max(map(len, nonblank)) <= 100 and followed >= 0.3 * len(nonblank) and len(nonblank) >= 4
    if not wrapped:
        return nonblank
    paras: list[str] = []
    block: list[str] = []
    for line in lines + [""]:
        if line:
            block.append(line)
        elif block:
            paras.append(" ".join(block))
            block = []
    return paras


def parse_text(text: str, *, source: str, rules: FurnitureRules | None = None, meta: Meta | None = None,
               url: str | None = None) -> Document:
    """A `Document` from the decoded text of a plain-text scrape.

    ``meta`` holds what is known of the article already (a collection's title, date, author,
    outlet): the text's own lines fill in only what it lacks.
    """
    rules = rules or load_furniture()
    meta = meta or Meta()
    cleaned = clean_paragraphs(text_paragraphs(text), rules, meta, find_title=meta.title is None)
    if not cleaned.body and cleaned.title:
        # A single short line is a note, not a headline over an empty article.
        cleaned = Cleaned(title=None, body=[cleaned.title], furniture=cleaned.furniture)
        meta.title = None
    return make_document(source, cleaned, meta, url=url)
