"""Dates in news text resolved against the article's date.

"8 July", "June 14" take the year that puts them on or before the reference date; "Saturday" is
the last such day before it; "late May", "8-9 July", "last year", "the weekend" are intervals;
"two days ago" counts back from it; "in recent years" stays open (None).
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
_TO = r"\s*(?:-|–|—|to|until|till|and)\s*"
_DAY2 = r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?"
_MONTH2 = r"(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Ranges, tried before single days (which would read "8-9 July" as 9 July): "8-9 July (2023)",
# "July 8-9(, 2023)", "30 June - 2 July (2023)", "June 30 - July 2(, 2023)".
_RANGES = [
    re.compile(rf"\b(?:between\s+)?{_DAY}{_TO}{_DAY2}\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_TO}{_DAY2}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_DAY}\s+{_MONTH}{_TO}{_DAY2}\s+{_MONTH2}(?:,?\s+{_YEAR})?\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_TO}{_MONTH2}\s+{_DAY2}(?:,?\s+{_YEAR})?\b", re.I),
]
# 20/05/2023, 20.05.2023, 2023/05/20: only when the order cannot be mistaken (a part over 12).
_NUMERIC = re.compile(r"^(?:on\s+)?(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>(?:19|20)\d\d)$")
_NUMERIC_YMD = re.compile(r"^(?:on\s+)?(?P<year>(?:19|20)\d\d)/(?P<month>\d{1,2})/(?P<day>\d{1,2})$")
_YEAR_ONLY = re.compile(rf"^(?:in|during|throughout|for)?\s*(?:the\s+year\s+)?{_YEAR}$", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2}
_AGO = re.compile(r"^(?:about\s+|some\s+|nearly\s+|almost\s+|around\s+|just\s+)?(?P<n>\d{1,3}|a couple of|"
                  + "|".join(k for k in _NUMBER_WORDS if k != "a couple of")
                  + r")\s+(?P<unit>day|week|month|year)s?\s+ago$", re.I)
_WEEKEND = re.compile(r"^(?:(?:over|during|at|on)\s+)?(?:the|last|this|past)\s+weekend$", re.I)


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
    numeric = _numeric(text)
    if numeric is not False:
        return numeric, None
    span = _range(text, ref)
    if span is not None:
        return span
    m = _YEAR_ONLY.match(text)
    if m:
        year = int(m.group("year"))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
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
    return _relative(low, ref)


def _minus_months(ref: dt.date, months: int) -> dt.date:
    """``ref`` moved back by whole months (the 31st becomes the month's last day)."""
    y, m = divmod(ref.year * 12 + ref.month - 1 - months, 12)
    return dt.date(y, m + 1, min(ref.day, calendar.monthrange(y, m + 1)[1]))


def _relative(low: str, ref: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Expressions counted from the reference date: "two days ago", "last year", "the weekend",
    "earlier this month"."""
    m = _AGO.match(low)
    if m:
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMBER_WORDS[m.group("n").lower()]
        unit = m.group("unit").lower()
        if unit in ("day", "week"):
            return ref - dt.timedelta(days=n * (7 if unit == "week" else 1)), None
        return _minus_months(ref, n * (12 if unit == "year" else 1)), None
    if _WEEKEND.match(low):
        # the Saturday and Sunday on or before the reference date (a Sunday paper's "this
        # weekend" is the one it is printed in)
        sunday = ref - dt.timedelta(days=(ref.weekday() - 6) % 7)
        return sunday - dt.timedelta(days=1), sunday
    low = re.sub(r"^(?:in|during)\s+", "", low)
    if low in {"last year", "past year"}:
        return dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31)
    if low in {"this year", "earlier this year"}:
        return dt.date(ref.year, 1, 1), ref
    if low in {"this month", "earlier this month"}:
        return ref.replace(day=1), ref
    if low in {"this week", "earlier this week"}:
        return ref - dt.timedelta(days=ref.weekday()), ref
    return None, None


def _range(text: str, ref: dt.date | None) -> tuple[dt.date | None, dt.date | None] | None:
    """(first, last day) of a range of days ("8-9 July", "June 30 - July 2, 2023"); None when
    ``text`` holds none; (None, None) when it cannot be placed."""
    for pat in _RANGES:
        m = pat.search(text)
        if not m:
            continue
        month = MONTHS[m.group("month").lower()]
        month2 = MONTHS[m.group("month2").lower()] if "month2" in pat.groupindex else month
        day, day2 = int(m.group("day")), int(m.group("day2"))
        if month2 == month and day2 <= day:
            continue  # "8-8 July", "9-8 July": not a range
        if m.group("year"):
            year2 = int(m.group("year"))
            year = year2 - 1 if month2 < month else year2
        elif ref is None:
            return None, None
        else:
            year2 = _year_for(month2, day2, ref)
            year = year2 - 1 if month2 < month else year2
        start, end = _safe(year, month, day), _safe(year2, month2, day2)
        if start and end:
            return start, end
    return None


def _numeric(text: str) -> dt.date | None | bool:
    """A numeric date ("20/05/2023", "2023/05/20"): the date, None when the day and month could
    be swapped, False when ``text`` is no numeric date."""
    m = _NUMERIC_YMD.match(text)
    if m:
        return _safe(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    m = _NUMERIC.match(text)
    if not m:
        return False
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if a > 12 >= b:
        return _safe(year, b, a)
    if b > 12 >= a:
        return _safe(year, a, b)
    return _safe(year, a, b) if a == b else None
