"""Publication dates as pages print them: a date line ("Published: Sat 17 Jun 2023 | 10:30"),
a dateline opening the story ("TEHRAN, June 17, 2023 (IRNA) - ..."), a metadata value.

Only unambiguous calendar dates count: 06/07/2023 could be June or July, and is not guessed.
"""
from __future__ import annotations

import datetime as dt
import re

from kg.dates import MONTHS

_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_RES = (
    ("mdy", re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m>{_MON}),?\s+(?P<y>\d{{4}})\b", re.I)),
    ("ymd", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])", re.I)),
    ("ymd", re.compile(r"\b(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b", re.I)),
    ("num", re.compile(r"\b(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})\b", re.I)),
)
WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s+)"
_DATE_PREFIX = re.compile(
    rf"^(?:(?:first\s+)?(?:published|posted|date|dated|publication date|pub(?:lished)? date)(?:\s+(?:on|at))?\s*[:\-–—|]?\s*)?{WEEKDAY}?",
    re.I,
)
# What may follow a date on its own line: a time and zone, an "updated" note.
TIME_TAIL = re.compile(
    r"""(?:\s*(?:[,|•·@\-–—]|\bat\b)?\s*
        (?:T?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?
           (?:\s*\(?(?:z|[a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?
         |[ap]\.?m\.?))?
        (?:\s*[|•·,;\-–—]\s*(?:last\s+)?(?:updated?|modified)\b.*)?
        \s*[.,]?\s*$""",
    re.I | re.X,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’\-]{1,40}(?:,\s*[A-Za-z .'’\-]{2,30})?,\s*")


def _mk_date(y: int, m: int, d: int) -> dt.date | None:
    if not 1800 <= y <= 2200:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _date_from_match(kind: str, m: re.Match[str]) -> dt.date | None:
    y = int(m.group("y"))
    if kind in ("mdy", "dmy"):
        return _mk_date(y, MONTHS[m.group("m").lower()[:3]], int(m.group("d")))
    if kind == "ymd":
        return _mk_date(y, int(m.group("m")), int(m.group("d")))
    a, b = int(m.group("a")), int(m.group("b"))
    # dd/mm/yyyy or mm/dd/yyyy: only decide when one of them cannot be a month.
    if a > 12 >= b:
        return _mk_date(y, b, a)
    if b > 12 >= a:
        return _mk_date(y, a, b)
    if a == b:
        return _mk_date(y, a, b)
    return None


def find_date(s: str) -> tuple[dt.date, int, int] | None:
    """The first unambiguous calendar date written in `s`, with its span."""
    best: tuple[dt.date, int, int] | None = None
    for kind, rx in _DATE_RES:
        for m in rx.finditer(s):
            d = _date_from_match(kind, m)
            if d is not None:
                if best is None or m.start() < best[1]:
                    best = (d, m.start(), m.end())
                break
    return best


def parse_date_line(s: str) -> dt.date | None:
    """The date when `s` is only a date (optionally "Published:", weekday, time), else None."""
    s = s.strip()
    pm = _DATE_PREFIX.match(s)
    rest = s[pm.end():] if pm else s
    for kind, rx in _DATE_RES:
        m = rx.match(rest)
        if m and TIME_TAIL.fullmatch(rest[m.end():]):
            return _date_from_match(kind, m)
    return None


def parse_date_value(value: str | None) -> dt.date | None:
    """A machine date from metadata ("2023-06-17T10:00:00+04:30", "20230617", "June 17, 2023")."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s_])", value)
    if m:
        # The date as the outlet wrote it, without converting time zones: that is the page's date.
        return _mk_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    found = find_date(value)
    return found[0] if found else None


def dateline_date(s: str) -> dt.date | None:
    """The date of a dateline opening the first paragraph: "TEHRAN, June 17, 2023 (IRNA) - ..."."""
    m = _DATELINE.match(s)
    if not m:
        return None
    rest = s[m.end():]
    for kind, rx in _DATE_RES:
        dm = rx.match(rest)
        if dm and re.match(r"\s*(?:\([^)]{1,40}\))?\s*[-–—:]", rest[dm.end():]):
            return _date_from_match(kind, dm)
    return None
