"""The gazetteer: known entities, their aliases and demonyms, read from files in `ontology/`.

`gazetteer.toml` holds actors and places; `countries.tsv` the world's countries with demonyms.
The NLP stage turns it into entity-ruler patterns; resolution uses its alias indexes.
"""
from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.paths import ONTOLOGY_DIR

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACE = re.compile(r"\s+")
_POSS = re.compile(r"['\u2019]s\b")


def normalize(name: str) -> str:
    """A matching key for a name: case, accents, hyphens, a leading 'the' and possessives ignored."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _POSS.sub("", s.lower())
    s = _DASHES.sub(" ", s).replace("'", "").replace("\u2019", "").replace(".", "")
    s = _SPACE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def slug(name: str) -> str:
    """A readable IRI segment for a name ("Asim Munir" -> "asim-munir")."""
    s = normalize(name)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:80] or "x"


@dataclass
class GazEntry:
    id: str
    name: str
    type: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)
    part_of: str | None = None
    demonyms: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    entries: dict[str, GazEntry]
    alias_index: dict[str, str]  # normalized alias -> id
    generic_index: dict[tuple[str, str], str]  # (country id, normalized generic name) -> id
    demonyms: dict[str, str]  # lower-case demonym -> country id

    def lookup(self, name: str) -> GazEntry | None:
        i = self.alias_index.get(normalize(name))
        return self.entries[i] if i else None

    def lookup_generic(self, name: str, country: str | None) -> GazEntry | None:
        if not country:
            return None
        i = self.generic_index.get((country, normalize(name)))
        return self.entries[i] if i else None

    def country_of_demonym(self, word: str) -> str | None:
        return self.demonyms.get(word.lower())

    def names(self, entry: GazEntry) -> list[str]:
        return [entry.name, *entry.aliases]


def _country_entries(path: Path) -> list[GazEntry]:
    out = []
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            name = row["name"].strip()
            out.append(
                GazEntry(
                    id=slug(name),
                    name=name,
                    type="Country",
                    aliases=[a for a in (row.get("aliases") or "").split("|") if a],
                    demonyms=[d for d in (row.get("demonyms") or "").split("|") if d],
                )
            )
    return out


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path | None = None, enabled: bool = True) -> Gazetteer:
    """Read the gazetteer files; with ``enabled=False`` only countries and demonyms are kept.

    Countries stay even without the gazetteer: demonyms ("Iranian" -> Iran) are language data
    that role attribution needs, not knowledge of particular actors.
    """
    directory = directory or ONTOLOGY_DIR
    entries: dict[str, GazEntry] = {}
    for e in _country_entries(directory / "countries.tsv"):
        entries[e.id] = e
    if enabled:
        data = tomllib.loads((directory / "gazetteer.toml").read_text(encoding="utf-8"))
        for raw in data.get("entity", []):
            e = GazEntry(
                id=raw["id"],
                name=raw["name"],
                type=raw["type"],
                country=raw.get("country"),
                aliases=list(raw.get("aliases", [])),
                generic=list(raw.get("generic", [])),
                part_of=raw.get("part_of"),
                same_as=list(raw.get("sameAs", [])),
            )
            if e.id in entries:
                raise ValueError(f"{directory / 'gazetteer.toml'}: duplicate id {e.id!r}")
            entries[e.id] = e
    alias_index: dict[str, str] = {}
    generic_index: dict[tuple[str, str], str] = {}
    demonyms: dict[str, str] = {}
    for e in entries.values():
        for name in (e.name, *e.aliases):
            alias_index.setdefault(normalize(name), e.id)
        for g in e.generic:
            if e.country:
                generic_index[(e.country, normalize(g))] = e.id
        for d in e.demonyms:
            demonyms[d.lower()] = e.id
    return Gazetteer(entries, alias_index, generic_index, demonyms)
