"""Cross-document merges of spelling variants: "Mohammad Bagheri" in one article and "Mohammed
Bagheri" in another are one person, though no gazetteer lists either spelling.

Names are compared on normalised keys (`spelling_key`: unidecode, lower case, punctuation and the
particles of ``ontology/spellings.toml`` dropped) with rapidfuzz's ``ratio``, only between entities
of one kind (same type, or a generic and a specific type of one group), of compatible countries,
and with names of at least two words. Transliterations of one name differ by a letter or two;
two different people's names differ by more, so the threshold is high (`THRESHOLD`, chosen on the
development set's gold clusters, docs/quality.md). Each merge is recorded, so `kg explain` says
which spelling a mention is of and how similar, and a build can turn merging off
(``fuzzy_merge=False``, ``kg build --no-fuzzy-merge``).
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

from kg.ontology.gazetteer import normalize
from kg.ontology.schema import is_a
from kg.paths import ONTOLOGY_DIR

# A score at or above this merges. Transliteration variants score above it; two different
# people who share a first name and an initial score below (docs/quality.md has the figures).
THRESHOLD = 92
MAX_LENGTH_GAP = 3  # letters: a transliteration doubles or swaps a letter or two, a word is more
GENERIC = {"Organization", "Place", "City"}  # a type resolution gives when it knows no better
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Words left out of a spelling key ("al", "bin", "de", "the")."""
    d = tomllib.loads((ONTOLOGY_DIR / "spellings.toml").read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in d["particles"])


def spelling_key(name: str) -> str:
    """The key names are compared on: "Abu al-Hasan Al-Muhajir" -> "abu hasan muhajir"."""
    drop = particles()
    return " ".join(w for w in _WORD.findall(unidecode(name).lower()) if w not in drop)


def similarity(a: str, b: str) -> int:
    """rapidfuzz ``ratio`` of the two names' spelling keys, 0-100 (rounded)."""
    return round(fuzz.ratio(spelling_key(a), spelling_key(b)))


@dataclass(frozen=True)
class Candidate:
    """What merging needs of an entity: its key, names, type, country, whether the gazetteer
    knows it, and its weight (mentions) for choosing which side the other joins."""

    key: str
    names: tuple[tuple[str, frozenset], ...]  # (spelling key, the places it names) of each name
    type: str
    country: str | None
    known: bool
    weight: int


def _group(t: str) -> str:
    if is_a(t, "Person"):
        return "person"
    return "place" if is_a(t, "Place") else "org"


def compatible(a: Candidate, b: Candidate) -> bool:
    """Same kind (type, or a generic and a specific type of one group) and no two countries."""
    if a.type != b.type and not (_group(a.type) == _group(b.type) and (a.type in GENERIC or b.type in GENERIC)):
        return False
    return a.country is None or b.country is None or a.country == b.country


def _keys(c: Candidate) -> list[str]:
    return [k for k, _ in c.names]


def best_score(a: Candidate, b: Candidate) -> int:
    """The highest similarity between a name of ``a`` and a name of ``b`` that name the same
    places ("Foreign Ministry of Iran" is not "... of Iraq") and differ in length by a few
    letters, not a word ("Ta'ang National Liberation Army" is not "National Liberation Army"),
    with the same first letters of their first and last words ("Sara Kholdani" is not "Dara
    Kholdani", though the letters differ no more than "Hosein" and "Hossein")."""
    best = 0
    for x, px in a.names:
        for y, py in b.names:
            if px == py and _initials(x) == _initials(y) and abs(len(x.replace(" ", "")) - len(y.replace(" ", ""))) <= MAX_LENGTH_GAP:
                best = max(best, round(fuzz.ratio(x, y)))
    return best


def _initials(key: str) -> str:
    words = key.split()
    return words[0][0] + words[-1][0]


def _blocks(c: Candidate) -> set[tuple[str, str]]:
    # only names of the same initials are compared (`best_score` wants them): comparing every
    # pair would be quadratic in the corpus
    return {(_group(c.type), _initials(k)) for k in _keys(c)}


def spelling_merges(cands: Iterable[Candidate], threshold: int | None = None) -> dict[str, tuple[str, int]]:
    """Which entity joins which: {key: (key it joins, similarity)}; ``threshold``: the least
    similarity that merges (default `THRESHOLD`).

    Entities are taken heaviest first (gazetteer entries, then the most mentioned, then by key,
    so the outcome does not depend on the order of documents); each joins the most similar
    entity taken before it that joined no other, so merges never chain (A ~ B and B ~ C do not
    make A ~ C). Two gazetteer entries never merge: the gazetteer already tells them apart.
    """
    threshold = THRESHOLD if threshold is None else threshold
    order = sorted(cands, key=lambda c: (not c.known, -c.weight, c.key))
    heads_in: dict[tuple[str, str], list[Candidate]] = {}
    merges: dict[str, tuple[str, int]] = {}
    for c in order:
        best: tuple[int, str] | None = None
        blocks = _blocks(c)
        seen: set[str] = set()
        for b in blocks:
            for h in heads_in.get(b, ()):
                if h.key in seen or (c.known and h.known) or not compatible(c, h):
                    continue
                seen.add(h.key)
                s = best_score(c, h)
                if s >= threshold and (best is None or (s, h.key) > best):
                    best = (s, h.key)
        if best is not None:
            merges[c.key] = (best[1], best[0])
            continue
        for b in blocks:
            heads_in.setdefault(b, []).append(c)
    return merges


def candidates(entities: Mapping, generic: Collection[str] = (),
               place_of: Callable[[str], str | None] = lambda word: None) -> list[Candidate]:
    """The entities of resolution (`kg.resolve.entities.Entity` by key) that may merge by
    spelling: named ones, not a document's own surname (``person/x--doc``), by their names
    that are not ``generic`` (normalised names like "foreign office", which every country has).
    ``place_of`` gives the place a word names ("iran", "iranian" -> "iran"), or None."""
    out = []
    for key, e in entities.items():
        if "--" in key or not e.mentions:
            continue
        names = {e.label, *e.names} if e.gaz_id else e.names or {e.label}
        keys = {spelling_key(n) for n in names if normalize(n) not in generic}
        # names of two words or more: a lone word ("Bagheri", "IRGC") never merges by spelling
        keys = tuple(sorted((k, frozenset(filter(None, map(place_of, k.split())))) for k in keys
                            if len(k.split()) >= 2))
        if not keys:
            continue
        out.append(Candidate(key, keys, e.type, e.country, bool(e.gaz_id), len(e.mentions)))
    return out
