"""Page furniture rules: what a news page prints around an article that is not part of it.

The rules are data, kept in ``ontology/furniture.toml`` (see it for their meaning), so users can
extend them for new outlets without touching code; this module compiles and applies them.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.ingest.chars import SENTENCE_END
from kg.paths import ONTOLOGY_DIR

DEFAULT_FURNITURE = ONTOLOGY_DIR / "furniture.toml"


@dataclass(frozen=True)
class FurnitureRules:
    """Compiled page-furniture rules (see ``ontology/furniture.toml`` for their meaning)."""

    literals: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    header_words: frozenset[str] = frozenset()
    header_max_lines: int = 6
    header_max_words: int = 12
    end_patterns: tuple[re.Pattern[str], ...] = ()
    languages: frozenset[str] = frozenset()
    outlet_patterns: tuple[re.Pattern[str], ...] = ()
    not_names: frozenset[str] = frozenset()
    drop_tags: frozenset[str] = frozenset()
    drop_roles: frozenset[str] = frozenset()
    drop_class_patterns: tuple[re.Pattern[str], ...] = ()
    source: str = ""

    def is_literal(self, para: str) -> bool:
        """A line that is furniture as written ("Show Comments"), case and trailing ":" aside."""
        return _literal_key(para) in self.literals

    def is_header(self, para: str) -> bool:
        """A header ("Tags", "Topics") over a block of tag lines, all of them furniture."""
        return _literal_key(para) in self.header_words

    def matches_pattern(self, para: str) -> bool:
        """A line that one of the furniture patterns matches whole."""
        return any(p.fullmatch(para) for p in self.patterns)

    def is_end_marker(self, para: str) -> bool:
        """A line after which the page holds no more of the article ("Related Articles")."""
        # Guard against short sentences that happen to start like a marker ("More on that later.").
        if para.endswith(SENTENCE_END) or len(para.split()) > 10:
            return False
        return any(p.fullmatch(para) for p in self.end_patterns)

    def is_language_switcher(self, para: str) -> bool:
        """A line of language names only ("English | Français")."""
        if not self.languages:
            return False
        key = para.casefold().strip()
        if key in self.languages:
            return True
        parts = [p.strip() for p in re.split(r"[/|·•,]", key)]
        if len(parts) > 1 and all(p in self.languages for p in parts if p) and any(parts):
            return True
        words = key.split()
        return len(words) > 1 and all(w in self.languages for w in words)

    def outlet_of(self, para: str) -> str | None:
        """The outlet a furniture line names ("© 2023 X", "Source: X"), if it is one."""
        for pat in self.outlet_patterns:
            m = pat.fullmatch(para)
            if m:
                name = " ".join(m.group("outlet").split()).strip(" ,;-–—")
                if name and any(c.isalpha() for c in name):
                    return name
        return None


def _literal_key(para: str) -> str:
    return para.casefold().rstrip(" :»›>…|").strip()


@functools.lru_cache(maxsize=8)
def _load_furniture_cached(path: str, mtime_ns: int) -> FurnitureRules:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as err:
        raise InputError(f"cannot read furniture rules: {err.strerror or err}", path) from err
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"furniture rules are not valid TOML: {err}", path) from err

    def strings(section: str, key: str) -> list[str]:
        value = data.get(section, {}).get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"[{section}] {key} must be a list of strings", path)
        return value

    def integer(section: str, key: str, default: int) -> int:
        value = data.get(section, {}).get(key, default)
        if not isinstance(value, int) or value < 0:
            raise InputError(f"[{section}] {key} must be a non-negative integer", path)
        return value

    def compiled(section: str, key: str, *, group: str | None = None) -> tuple[re.Pattern[str], ...]:
        out = []
        for src in strings(section, key):
            try:
                pat = re.compile(src, re.IGNORECASE)
            except re.error as err:
                raise InputError(f"[{section}] {key}: bad regular expression {src!r}: {err}", path) from err
            if group and group not in pat.groupindex:
                raise InputError(f"[{section}] {key}: {src!r} has no (?P<{group}>...) group", path)
            out.append(pat)
        return tuple(out)

    return FurnitureRules(
        literals=frozenset(_literal_key(s) for s in strings("lines", "literal")),
        patterns=compiled("lines", "patterns"),
        header_words=frozenset(_literal_key(s) for s in strings("headers", "words")),
        header_max_lines=integer("headers", "max_lines", 6),
        header_max_words=integer("headers", "max_words", 12),
        end_patterns=compiled("end", "patterns"),
        languages=frozenset(s.casefold() for s in strings("languages", "names")),
        outlet_patterns=compiled("outlet", "patterns", group="outlet"),
        not_names=frozenset(s.casefold() for s in strings("byline", "not_names")),
        drop_tags=frozenset(s.lower() for s in strings("html", "drop_tags")),
        drop_roles=frozenset(s.lower() for s in strings("html", "drop_roles")),
        drop_class_patterns=compiled("html", "drop_class_patterns"),
        source=path,
    )


def load_furniture(path: str | Path | None = None) -> FurnitureRules:
    """Load and compile furniture rules (default ``ontology/furniture.toml``); cached per file version."""
    p = Path(path) if path is not None else DEFAULT_FURNITURE
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as err:
        raise InputError("furniture rules not found", p.as_posix()) from err
    return _load_furniture_cached(p.as_posix(), mtime)
