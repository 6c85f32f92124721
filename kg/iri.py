"""IRIs minted from names: readable where the name allows, valid whatever the name holds.

Names come from scraped text and can hold anything: spaces, quotes, angle brackets, newlines,
right-to-left marks, scripts other than Latin, ten thousand characters. rdflib's own IRI check
misses newlines and tabs (docs/sources.md), so every minted IRI is checked with pyoxigraph's
`NamedNode`, which rejects every invalid IRI.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import URIRef

__all__ = ["SLUG_MAX", "slug_of_key", "mint", "is_valid_iri"]

SLUG_MAX = 80  # characters of a readable segment; longer names are cut and told apart by a hash
_HASH_CHARS = 8
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ASCII_ALNUM = re.compile(r"[a-z0-9]")
# Left as they are in a minted IRI's local part: unreserved characters and the path separator.
_SAFE = "/-._~"


def _digest(text: str) -> str:
    # surrogatepass: a lone surrogate must still give a stable digest, never an exception.
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]


def slug_of_key(key: str, max_len: int = SLUG_MAX) -> str:
    """A readable IRI segment of lower-case ASCII letters, digits and hyphens for a matching key.

    ``key`` is a name already normalised for matching (lower case, accents removed). When the
    segment would lose part of the name -- letters of another script, nothing readable at all,
    or more than ``max_len`` characters -- a short hash of the whole key is appended, so two
    different names never share a segment because of what the segment could not show.
    """
    readable = _NOT_SLUG.sub("-", key).strip("-")
    lost = any(ch.isalnum() for ch in _ASCII_ALNUM.sub("", key))
    if readable and not lost and len(readable) <= max_len:
        return readable
    cut = readable[: max_len - _HASH_CHARS - 1].rstrip("-")
    return f"{cut}-{_digest(key)}" if cut else f"x-{_digest(key)}"


@lru_cache(maxsize=4096)
def mint(base: str, local: str) -> URIRef:
    """``base`` + ``local`` as an IRI; characters an IRI cannot hold in ``local`` are %-encoded.

    Raises ValueError if the result is still not a valid IRI (only a bad ``base`` can cause it).
    """
    iri = base + quote(local, safe=_SAFE, encoding="utf-8", errors="surrogatepass")
    try:
        ox.NamedNode(iri)
    except ValueError as err:
        raise ValueError(f"cannot mint a valid IRI from {base!r} and {local!r}: {err}") from err
    return URIRef(iri)


def is_valid_iri(iri: str) -> bool:
    """True when ``iri`` is a valid absolute IRI (pyoxigraph's parser is the judge)."""
    try:
        ox.NamedNode(iri)
    except (ValueError, TypeError):
        return False
    return True
