"""Tunable limits, with their defaults in one place.

Ingest limits bound what one input file may cost before it is refused: its size on disk (checked
with ``stat`` before anything is read), the nesting depth of its HTML, and the length of its
clean text, and the number of elements of a page. The CLI exposes them as ``kg build --max-bytes/--max-depth``; library callers pass an
`IngestLimits`. This module imports nothing heavy, so the CLI can read the defaults cheaply.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "DEFAULT_MAX_CHARS", "DEFAULT_MAX_ELEMENTS",
           "MAX_DEPTH_CEILING", "MAX_SECONDS", "IngestLimits", "check_seconds", "parse_size", "format_size"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Real news pages nest a few dozen elements deep; libxml2 stops building the tree at 256 levels
# without its "huge" option and silently drops the rest of the page, so the limit sits below it.
DEFAULT_MAX_DEPTH = 200
# libxml2's own ceiling with huge_tree=True is 2048 levels; beyond it nothing can be checked.
MAX_DEPTH_CEILING = 2000
# spaCy refuses longer texts by default (nlp.max_length, error E088): its parser and NER need
# memory in proportion to the text, and no news article comes near this.
DEFAULT_MAX_CHARS = 1_000_000
# Reading a page costs time in proportion to its elements, and a small file can hold millions
# of empty tags; real news pages have a few thousand.
DEFAULT_MAX_ELEMENTS = 100_000

# Sizes above this are refused: a file read allocates its limit up front, and a larger
# article or dump is no one's input.
MAX_BYTES_CEILING = 1024 ** 3
# Time limits above this are refused: the clocks and polls that enforce them overflow on
# values like 1e308, and no query is meant to run for days.
MAX_SECONDS = 86_400

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


@dataclass(frozen=True)
class IngestLimits:
    """What one input file may cost before it is refused, named in the error it gets."""

    max_bytes: int = DEFAULT_MAX_BYTES  # file size on disk
    max_depth: int = DEFAULT_MAX_DEPTH  # element nesting of an HTML page, counted from <html>
    max_chars: int = DEFAULT_MAX_CHARS  # clean article text, in characters
    max_elements: int = DEFAULT_MAX_ELEMENTS  # elements of an HTML page

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_depth", "max_chars", "max_elements"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, not {value!r}")
        if self.max_depth > MAX_DEPTH_CEILING:
            raise ValueError(f"max_depth can be at most {MAX_DEPTH_CEILING} (the HTML parser's own ceiling)")


def parse_size(text: str) -> int:
    """Bytes from "1048576", "512K", "20M", "1G" (binary units; "MB" and "MiB" mean the same)."""
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a size (examples: 500000, 512K, 20M, 1G)")
    n = int(m.group(1)) * _UNITS[(m.group(2) or "")[:1].lower()]
    if n < 1:
        raise ValueError("a size must be at least 1 byte")
    if n > MAX_BYTES_CEILING:
        raise ValueError(f"{text.strip()} is more than {format_size(MAX_BYTES_CEILING)}, the largest size accepted")
    return n


def check_seconds(value: float, what: str = "--timeout") -> float:
    """``value`` if it is a finite number of seconds above 0 and at most `MAX_SECONDS`, else ValueError."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise ValueError(f"{what} must be a number of seconds above 0 and at most {MAX_SECONDS} (got {value})")
    return float(value)


def format_size(n: int) -> str:
    """A byte count as people read it: "20 MiB", "1.5 KiB", "700 bytes"."""
    for unit, size in (("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
