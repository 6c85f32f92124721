"""Dates in news text resolved against the article's date.

"8 July", "June 14" take the year that puts them on or before the reference date; "Saturday" is
the last such day before it; "late May" is an interval; "in recent years" stays open (None).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),  # 8 July (2023)
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I),  # June 14(, 2023)
]
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_PART = re.compile(rf"\b(?P<part>early|mid|late|end of|beginning of)[\s-]+{_MONTH}(?:\s+{_YEAR})?\b", re.I)
_MONTH_ONLY = re.compile(rf"^(?:in\s+)?{_MONTH}(?:\s+{_YEAR})?$", re.I)
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(WEEKDAYS) + r")\b", re.I)


def _year_for(month: int, day: int, ref: dt.date) -> int:
    """The year that puts month/day on or before ``ref`` (news reports the past), allowing a
    week ahead for announced events."""
    year = ref.year
    try:
        if dt.date(year, month, day) > ref + dt.timedelta(days=7):
            year -= 1
    except ValueError:
        pass
    return year


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def full_dates(text: str) -> list[dt.date]:
    """Every date in ``text`` that states its year ("17 July 2023", "June 17, 2023", ISO)."""
    out = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if m.group("year"):
                d = _safe(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))
                if d:
                    out.append(d)
    for m in _ISO.finditer(text):
        d = _safe(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        if d:
            out.append(d)
    return out


def resolve(expr: str, ref: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of a date expression; end is None for a single day; (None, None) when the
    expression cannot be placed (no year and no reference date, or vague like "recent years")."""
    text = expr.strip()
    m = _ISO.search(text)
    if m:
        d = _safe(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        return d, None
    for pat in _PATTERNS:
        m = pat.search(text)
        if m:
            month, day = MONTHS[m.group("month").lower()], int(m.group("day"))
            if m.group("year"):
                return _safe(int(m.group("year")), month, day), None
            if ref is None:
                return None, None
            return _safe(_year_for(month, day, ref), month, day), None
    m = _PART.search(text)
    if m:
        month = MONTHS[m.group("month").lower()]
        year = int(m.group("year")) if m.group("year") else (ref and _year_for(month, 1, ref))
        if not year:
            return None, None
        last = calendar.monthrange(year, month)[1]
        part = m.group("part").lower()
        if part == "early" or part == "beginning of":
            return dt.date(year, month, 1), dt.date(year, month, 10)
        if part == "mid":
            return dt.date(year, month, 11), dt.date(year, month, 20)
        return dt.date(year, month, 21), dt.date(year, month, last)
    m = _MONTH_ONLY.search(text)
    if m:
        month = MONTHS[m.group("month").lower()]
        year = int(m.group("year")) if m.group("year") else (ref and _year_for(month, 1, ref))
        if not year:
            return None, None
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if ref is None:
        return None, None
    low = text.lower()
    if low in {"today", "this morning", "tonight", "this evening"}:
        return ref, None
    if low in {"yesterday", "last night"}:
        return ref - dt.timedelta(days=1), None
    m = _WEEKDAY.search(low)
    if m and not re.search(r"\bnext\b", low):
        # The last such weekday on or before the reference date: a report on Monday about
        # "Saturday" means two days before; news style names the day even for the day of
        # publication ("on Sunday" in Sunday's paper is that day).
        back = (ref.weekday() - WEEKDAYS[m.group("wd")]) % 7
        return ref - dt.timedelta(days=back), None
    if low in {"last week", "past week"}:
        return ref - dt.timedelta(days=7), ref
    if low in {"last month", "past month"}:
        first = ref.replace(day=1)
        prev = first - dt.timedelta(days=1)
        return prev.replace(day=1), prev
    return None, None
