"""Characters of decoded text: newlines unified, invisible and forbidden characters removed,
a paragraph folded onto one line."""
from __future__ import annotations

import re

# Zero-width space, word joiner, stray BOM, soft hyphen: invisible, and they split words.
# (ZWNJ/ZWJ stay: Persian, Urdu and Indic spelling needs them.)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
# Cc (but tab and newline; \r is turned into \n first), Cs, and the two non-characters XML 1.0
# forbids: removed from all text, so nothing of them reaches RDF or XML (docs/sources.md).
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a line ending a sentence ends with (a full stop, a closing quote, an ellipsis...).
SENTENCE_END = (".", "!", "?", '"', "\u201d", "\u2019", "'", "\u2026")


def clean_chars(s: str) -> str:
    """Newlines unified; control characters (but tab and newline) and lone surrogates removed."""
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _UNWANTED_CHARS.sub("", s.translate(_INVISIBLE))


def norm(s: str) -> str:
    """One paragraph on one line: every whitespace run becomes a single space."""
    return " ".join(clean_chars(s).split())


def clean_line(s: str) -> str:
    """``s`` as ingest stores any name or paragraph: one line, single spaces, and none of the
    characters RDF/XML output cannot carry (controls, lone surrogates, U+FFFE/U+FFFF)."""
    return norm(s)
