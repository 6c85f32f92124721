"""The article extractor: trafilatura finds the story's text in a parsed page, and htmldate (which
trafilatura calls) its publication date.

newskg parses the page itself first (html.py), under its own limits, and hands trafilatura that
tree, so the extractor never parses a page the limits have not checked, and never fetches
anything: it is given no URL to open, only the page's own address as a hint (dates in URLs).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from lxml import etree

# Both log a warning for every page they find nothing in. newskg reports such a page itself, by
# name (html.py); without a handler of their own these warnings would reach stderr through
# logging's last-resort handler. A NullHandler keeps them out of a user's terminal and still lets
# an application that configures logging see them.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# htmldate's defaults refuse dates before 1995; news archives (and the dev set) go further back.
_EARLIEST = "1980-01-01"


@dataclass
class Extracted:
    """What the extractor read from a page: its text as paragraphs, and its metadata."""

    paragraphs: list[str]
    title: str | None = None
    date: dt.date | None = None
    authors: tuple[str, ...] = ()
    sitename: str | None = None


def _date_params() -> dict:
    return {
        "original_date": True,  # the publication date, not the last update
        "extensive_search": True,
        "min_date": _EARLIEST,
        "max_date": dt.date.today().isoformat(),
    }


def extract_article(root: etree._Element, url: str | None = None) -> Extracted:
    """The article in the parsed page ``root`` (not changed: the extractor works on a copy).

    ``paragraphs`` is empty when no article text was found.
    """
    import trafilatura

    found = trafilatura.bare_extraction(
        root, url=url, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params=_date_params(),
    )
    if found is None:
        return Extracted([])
    text = found.text or ""
    paragraphs = [line for line in (s.strip() for s in text.split("\n")) if line]
    return Extracted(
        paragraphs=paragraphs,
        title=found.title or None,
        date=_iso_date(found.date),
        authors=tuple(a.strip() for a in (found.author or "").split(";") if a.strip()),
        sitename=found.sitename or None,
    )


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
