"""The main text of a page: its paragraphs with furniture and repeats dropped, the title,
byline and date lines of its head taken into the page's metadata, and the `Document` made.

Both readers, plain text and HTML, end here with the page's paragraphs in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.ingest.bylines import parse_byline
from kg.ingest.chars import SENTENCE_END, norm
from kg.ingest.dates import dateline_date, parse_date_line
from kg.ingest.furniture import FurnitureRules
from kg.ingest.meta import Meta
from kg.model import Document

# Bylines and date lines are only looked for among the first paragraphs: further down, a line
# "By X" or a lone date is more likely a quote or a list than the page's own metadata.
_HEAD_PARAGRAPHS = 8
_TITLE_MAX_WORDS = 25
_BODY_MIN_WORDS = 20  # a paragraph this long means the article body has started


@dataclass
class _Para:
    text: str
    drop: bool = False  # furniture, duplicate, or metadata line: not in the body
    role: str = "body"  # body | furniture | duplicate | byline | date | title | kicker


@dataclass
class Cleaned:
    """A page's paragraphs sorted out: the title, the body in order, and the furniture dropped."""

    title: str | None
    body: list[str]
    furniture: list[str] = field(default_factory=list)


def _drop(p: _Para, role: str) -> None:
    p.drop, p.role = True, role


def _looks_like_headline(s: str) -> bool:
    """Short, no final full stop (or colon, comma, ellipsis), not starting in lower case."""
    words = s.split()
    return (
        2 <= len(words) < _TITLE_MAX_WORDS
        and len(s) <= 250
        and not s.endswith((".", ":", ",", ";", "\u2026"))
        and any(c.isalpha() for c in s)
        and not s[0].islower()
    )


def _is_label(s: str) -> bool:
    """A section label printed above a headline ("Middle East", "WORLD")."""
    words = [w for w in s.split() if any(c.isalnum() for c in w)]
    return 1 <= len(words) <= 3 and not s.endswith(SENTENCE_END) and not s[0].islower()


def _looks_like_tags(s: str, max_words: int) -> bool:
    """A line of taxonomy names ("Iran, Pakistan", "Asia & AmericasIranMiddle East"), not a headline."""
    words = s.split()
    if len(words) > max_words or s.endswith(SENTENCE_END):
        return False
    if len(words) <= 3:
        return True
    items = [i.split() for i in re.split(r"[,|·•/;]", s)]
    if len(items) > 1 and all(len(i) <= 4 for i in items):
        return True
    return len(words) <= 6 and all(not w[0].islower() for w in words)


def clean_paragraphs(texts: list[str], rules: FurnitureRules, meta: Meta, *, find_title: bool,
                     repeats: str = "all") -> Cleaned:
    """Drop furniture and duplicates, take title/byline/date from the head, keep the body in order.

    ``repeats``: "all" drops every paragraph that repeats an earlier one (a scrape prints a
    caption twice), "adjacent" only one that repeats the paragraph just before it.
    """
    paras = [_Para(t) for t in (norm(t) for t in texts) if t]
    _mark_furniture(paras, rules, meta)
    _mark_repeats(paras, adjacent_only=repeats == "adjacent")

    kept = [p for p in paras if not p.drop]
    title_para = _read_head(kept[:_HEAD_PARAGRAPHS], rules, meta, find_title=find_title)
    if title_para is not None:
        _drop(title_para, "title")
        meta.title = title_para.text

    if meta.date is None:
        for p in kept:
            if not p.drop:
                meta.date = dateline_date(p.text)
                break

    if meta.title:
        key = meta.title.casefold()
        for p in paras:
            if not p.drop and p.text.casefold() == key:
                _drop(p, "duplicate")  # the <h1> repeating og:title

    return Cleaned(
        title=meta.title,
        body=[p.text for p in paras if not p.drop],
        furniture=[p.text for p in paras if p.drop and p.role != "title"],
    )


def _mark_furniture(paras: list[_Para], rules: FurnitureRules, meta: Meta) -> None:
    """Drop furniture lines, header blocks, and all that follows an end marker once the body has
    started; the outlet a furniture line names goes into ``meta``."""
    body_started = False
    i = 0
    while i < len(paras):
        p = paras[i]
        t = p.text
        if body_started and rules.is_end_marker(t):
            for q in paras[i:]:
                if not q.drop:
                    _drop(q, "furniture")
            break
        if rules.is_header(t):
            i = _drop_header_block(paras, i, rules)
            continue
        if rules.is_literal(t) or rules.matches_pattern(t) or rules.is_language_switcher(t):
            _drop(p, "furniture")
        else:
            outlet = rules.outlet_of(t)
            if outlet is not None:
                _drop(p, "furniture")
                if meta.outlet is None:
                    meta.outlet = outlet
            elif len(t.split()) >= _BODY_MIN_WORDS:
                body_started = True
        i += 1


def _drop_header_block(paras: list[_Para], i: int, rules: FurnitureRules) -> int:
    """Drop the header at ``i`` ("Tags", "Topics") and the tag lines under it; return the index after them."""
    _drop(paras[i], "furniture")
    j, n = i + 1, 0
    while (
        j < len(paras)
        and n < rules.header_max_lines
        and _looks_like_tags(paras[j].text, rules.header_max_words)
        and not rules.is_header(paras[j].text)
        and not rules.is_end_marker(paras[j].text)
    ):
        _drop(paras[j], "furniture")
        j, n = j + 1, n + 1
    return j


def _mark_repeats(paras: list[_Para], *, adjacent_only: bool = False) -> None:
    """Drop every kept paragraph that repeats an earlier one (a caption printed twice), or with
    ``adjacent_only`` the kept paragraph before it."""
    seen: set[str] = set()
    for p in paras:
        if p.drop:
            continue
        if p.text in seen:
            _drop(p, "duplicate")
        if adjacent_only:
            seen.clear()
        seen.add(p.text)


def _read_head(head: list[_Para], rules: FurnitureRules, meta: Meta, *, find_title: bool) -> _Para | None:
    """Take the byline and date lines of the page's head into ``meta``; with ``find_title``, the
    headline paragraph (section labels above it are dropped as kickers)."""
    title_para: _Para | None = None
    labels: list[_Para] = []
    title_done = not find_title
    for p in head:
        if p.drop or _take_head_metadata(p, rules, meta) or title_done:
            continue
        if _is_label(p.text) and len(labels) < 2:
            labels.append(p)
            continue
        if _looks_like_headline(p.text) and (not labels or len(p.text.split()) >= 4):
            title_para = p
            for lab in labels:
                _drop(lab, "kicker")
        title_done = True
    if find_title and title_para is None and labels:
        title_para = _title_among_labels(labels)
    return title_para


def _take_head_metadata(p: _Para, rules: FurnitureRules, meta: Meta) -> bool:
    """True (and ``p`` dropped, its values in ``meta``) when ``p`` is a byline, a date line, or the
    author's name alone."""
    byline = parse_byline(p.text, rules)
    if byline is not None:
        _drop(p, "byline")
        author, date = byline
        meta.author = meta.author or author
        meta.date = meta.date or date
        return True
    date = parse_date_line(p.text)
    if date is not None:
        _drop(p, "date")
        meta.date = meta.date or date
        return True
    if meta.author and p.text.casefold() == meta.author.casefold():
        _drop(p, "byline")  # an author box without "By"
        return True
    return False


def _title_among_labels(labels: list[_Para]) -> _Para | None:
    """The title when only short lines opened the page (see the comment inside)."""
    # No longer headline after the short line(s): the wordiest of them is a short headline,
    # a shorter one before it a section label ("World" above "Iran talks").
    fits = [k for k, lab in enumerate(labels) if _looks_like_headline(lab.text)]
    if not fits:
        return None
    k = max(fits, key=lambda k: (len(labels[k].text.split()), -k))
    for lab in labels[:k]:
        _drop(lab, "kicker")
    return labels[k]


def make_document(source: str, cleaned: Cleaned, meta: Meta, *, url: str | None = None) -> Document:
    """The `Document`: title and body paragraphs as its text; `InputError` when no body is left."""
    if not cleaned.body:
        raise InputError("no article text (nothing left after removing page furniture)", source)
    parts = ([cleaned.title] if cleaned.title else []) + cleaned.body
    return Document(
        source=source,
        text="\n\n".join(parts),
        title=cleaned.title,
        date=meta.date,
        author=meta.author,
        outlet=meta.outlet,
        furniture=tuple(cleaned.furniture),
        url=url,
    )
