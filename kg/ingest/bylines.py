"""Bylines: the author (and sometimes the date) a page prints above or below its story,
reduced to person names ("By Jane Doe and John Roe in Tehran" -> "Jane Doe and John Roe")."""
from __future__ import annotations

import datetime as dt
import re

from kg.ingest.chars import norm
from kg.ingest.dates import TIME_TAIL, WEEKDAY, find_date
from kg.ingest.furniture import FurnitureRules
from kg.ontology.lexicon import load_lexicon

_BYLINE_PREFIX = re.compile(r"^(?:by|written by|words by|author|authors|posted by|reported by)\s*:?\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.I)
_NAME_STOP = frozenset({"in", "at", "from", "for", "with", "reporting", "contributed", "via", "on"})
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’.\-]*$")


def _is_name_token(tok: str) -> bool:
    if tok.lower() in load_lexicon().particles:
        return True
    if not _NAME_TOKEN.match(tok):
        return False
    return not tok[0].islower()  # capitalised, or a script without case (Arabic, Chinese...)


def _person_names(s: str, rules: FurnitureRules) -> list[str] | None:
    """Person names in a byline remainder ("Jane Doe and John Roe in Tehran"), or None if it is not one.

    Returns [] when it is a byline that names no person ("Reuters Staff").
    """
    s = s.strip(" ,;:|-–—")
    if not s or len(s.split()) > 16:
        return None
    names: list[str] = []
    for part in _NAME_SPLIT.split(s):
        toks = part.split()
        if not toks:
            continue
        kept: list[str] = []
        for t in toks:
            if t.lower() in _NAME_STOP:
                break  # "Jane Doe in Tehran": the place is not part of the name
            kept.append(t)
        if not kept:
            continue
        if not all(_is_name_token(t) for t in kept):
            return None
        if len(kept) < 2 or len(kept) > 5 or any(t.casefold().strip(".") in rules.not_names for t in kept):
            continue
        if all(t.lower() in load_lexicon().particles for t in kept):
            continue
        names.append(" ".join(kept))
    return names


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def parse_byline(s: str, rules: FurnitureRules) -> tuple[str | None, dt.date | None] | None:
    """(author, date) from a byline such as "By Nigar Bayramli June 17, 2023"; None if not a byline."""
    m = _BYLINE_PREFIX.match(s)
    if not m:
        return None
    rest = s[m.end():]
    date = None
    found = find_date(rest)
    if found:
        date, start, end = found
        tail = rest[end:]
        if not TIME_TAIL.fullmatch(tail):
            return None
        rest = rest[:start]
        rest = re.sub(rf"(?:{WEEKDAY}|\b(?:published|posted|updated|on)\b)\s*[:,]?\s*$", "", rest, flags=re.I)
    names = _person_names(rest, rules)
    if names is None:
        return None
    if not names and date is None and not any(t.casefold().strip(".,") in rules.not_names for t in rest.split()):
        return None  # "By Land and Sea" is a headline, not a byline naming an agency
    return (_join_names(names) if names else None), date


def clean_author(value: str | None, rules: FurnitureRules, outlet: str | None) -> str | None:
    """A metadata author value reduced to person names; URLs and the outlet's own name refused."""
    if not value:
        return None
    value = norm(value)
    if not value or re.search(r"https?://|www\.|@", value):
        return None
    parsed = parse_byline(value, rules) if _BYLINE_PREFIX.match(value) else None
    if parsed is not None:
        author = parsed[0]
    else:
        found = find_date(value)
        if found:
            value = value[: found[1]]
        names = _person_names(value, rules)
        author = _join_names(names) if names else None
    if author and outlet and author.casefold() == outlet.casefold():
        return None
    return author
