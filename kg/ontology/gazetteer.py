"""The gazetteer: known entities, their aliases and demonyms, read from files in `ontology/`.

`gazetteer.toml` holds actors and places; `countries.tsv` the world's countries with demonyms.
The NLP stage turns it into entity-ruler patterns; resolution uses its alias indexes.

`gazetteer.toml` is checked as it is read, and bad data stops the load with a `kg.errors.InputError`
naming the file and the entry: unknown fields, duplicate ids, a type that is not an entity class of
`ontology/kg.ttl`, a country or `part_of` that does not exist, a name or alias already taken by
another entry, and any `sameAs` that is not an English Wikipedia or DBpedia page, that comes
without its `sameAs_source`, or a DBpedia link without the Wikipedia page of the same title.
"""
from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from kg.errors import InputError
from kg.iri import is_valid_iri, slug_of_key
from kg.ontology import schema
from kg.paths import ONTOLOGY_DIR

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACE = re.compile(r"\s+")
_POSS = re.compile(r"['\u2019]s\b")


# A pure function of names that recur in every document; the cache is small, so a large
# corpus's one-off names do not grow the memory of its build.
@lru_cache(maxsize=4096)
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
    """A readable IRI segment for a name ("Asim Munir" -> "asim-munir"); valid whatever it holds."""
    return slug_of_key(normalize(name))


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
    same_as_source: str | None = None  # the page the sameAs titles were verified in
    capitals: list[str] = field(default_factory=list)  # countries: where "Tehran said" comes from


@dataclass
class Gazetteer:
    entries: dict[str, GazEntry]
    alias_index: dict[str, str]  # normalized alias -> id
    generic_index: dict[tuple[str, str], str]  # (country id, normalized generic name) -> id
    demonyms: dict[str, str]  # lower-case demonym -> country id
    capitals: dict[str, str] = field(default_factory=dict)  # normalized capital -> country id

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

    def capital_of(self, name: str) -> str | None:
        """The country whose capital (seat of government) ``name`` is, if any."""
        return self.capitals.get(normalize(name))

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
                    capitals=[c for c in (row.get("capitals") or "").split("|") if c],
                )
            )
    return out


# -- validation of gazetteer.toml ---------------------------------------------------------------
_FIELDS = {"id", "name", "type", "country", "aliases", "generic", "part_of", "sameAs", "sameAs_source"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_TAIL = r"([^\s<>\"{}|\\^`?#]+)"
_WIKIPEDIA = re.compile(r"^https://en\.wikipedia\.org/wiki/" + _IRI_TAIL + "$")
_DBPEDIA = re.compile(r"^https?://dbpedia\.org/resource/" + _IRI_TAIL + "$")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


@lru_cache(maxsize=4)
def entity_classes(ontology: Path | None = None) -> frozenset[str]:
    """Local names of the ontology's entity classes: kg:Entity's subclasses, at any depth."""
    return schema.load(ontology or schema.ONTOLOGY_FILE).subclasses("Entity") - {"Entity"}


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings")
    return list(value)


def _same_as(raw: dict) -> tuple[list[str], str | None]:
    links = _strings(raw.get("sameAs", []), "sameAs")
    source = raw.get("sameAs_source")
    if source is not None and (not isinstance(source, str) or not _URL.match(source)):
        raise ValueError(f"sameAs_source must be the absolute http(s) address of a page, not {source!r}")
    if links and source is None:
        raise ValueError("sameAs needs a sameAs_source: the address of the page the title was verified in")
    if source is not None and not links:
        raise ValueError("sameAs_source is given but there is no sameAs")
    wiki_titles = set()
    for link in links:
        m = _WIKIPEDIA.match(link)
        if m:
            wiki_titles.add(unquote(m.group(1)))
        elif not _DBPEDIA.match(link):
            raise ValueError(
                f"sameAs {link!r} is not an English Wikipedia page (https://en.wikipedia.org/wiki/...)"
                " or a DBpedia resource (https://dbpedia.org/resource/...)"
            )
    for link in links:
        if not is_valid_iri(link):  # the patterns let control characters through
            raise ValueError(f"sameAs {link!r} is not a valid IRI")
        m = _DBPEDIA.match(link)
        if m and unquote(m.group(1)) not in wiki_titles:
            raise ValueError(f"sameAs {link!r} has no Wikipedia page of the same title beside it")
    return links, source


def _entry(raw: object, types: frozenset[str], countries: set[str]) -> GazEntry:
    if not isinstance(raw, dict):
        raise ValueError("an entity must be a table")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_FIELDS))})")
    for key in ("id", "name", "type"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key} is missing or empty")
    if not _ID.match(raw["id"]):
        raise ValueError(f"id {raw['id']!r} must be lower-case letters and digits joined by hyphens")
    if raw["type"] not in types:
        known = ", ".join(sorted(types))
        raise ValueError(f"type {raw['type']!r} is not an entity class of the ontology ({known})")
    for key in ("country", "part_of"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key]):
            raise ValueError(f"{key} must be an id")
    if raw.get("country") is not None and raw["country"] not in countries:
        raise ValueError(f"country {raw['country']!r} is not a country id of countries.tsv")
    links, source = _same_as(raw)
    return GazEntry(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        country=raw.get("country"),
        aliases=_strings(raw.get("aliases", []), "aliases"),
        generic=_strings(raw.get("generic", []), "generic"),
        part_of=raw.get("part_of"),
        same_as=links,
        same_as_source=source,
    )


def _gazetteer_entries(path: Path, countries: dict[str, GazEntry], types: frozenset[str]) -> list[GazEntry]:
    """The entries of gazetteer.toml, each checked; InputError names the file and the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the gazetteer: {exc.strerror or exc}", str(path)) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from exc
    raws = data.get("entity", [])
    if not isinstance(raws, list):
        raise InputError("'entity' must be an array of tables ([[entity]])", str(path))
    out: list[GazEntry] = []
    ids: dict[str, GazEntry] = dict(countries)
    names = {normalize(n): e.id for e in countries.values() for n in (e.name, *e.aliases)}
    for n, raw in enumerate(raws, 1):
        rid = raw.get("id") if isinstance(raw, dict) else None
        label = f"entity {n}" + (f" ({rid!r})" if isinstance(rid, str) else "")
        try:
            e = _entry(raw, types, set(countries))
            if e.id in ids:
                taken = "a country of countries.tsv" if e.id in countries else "used by an earlier entity"
                raise ValueError(f"duplicate id: {e.id!r} is already {taken}")
            own: set[str] = set()
            for name in (e.name, *e.aliases):
                key = normalize(name)
                other = names.get(key)
                if other is not None and other != e.id:
                    raise ValueError(f"name or alias {name!r} is already a name of {other!r}")
                own.add(key)
            names.update(dict.fromkeys(own, e.id))
        except ValueError as exc:
            raise InputError(f"{label}: {exc}", str(path)) from None
        ids[e.id] = e
        out.append(e)
    for n, e in enumerate(out, 1):
        if e.part_of is not None and e.part_of not in ids:
            raise InputError(f"entity {n} ({e.id!r}): part_of {e.part_of!r} is not a known id", str(path))
    return out


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path | None = None, enabled: bool = True, path: Path | None = None) -> Gazetteer:
    """Read the gazetteer files; with ``enabled=False`` only countries and demonyms are kept.

    Countries stay even without the gazetteer: demonyms ("Iranian" -> Iran) are language data
    that role attribution needs, not knowledge of particular actors. ``path`` reads another
    gazetteer file than ``directory``/gazetteer.toml; entity types are those of ``ontology/kg.ttl``.
    Bad data in the gazetteer raises `kg.errors.InputError` naming the file and the entry.
    """
    directory = directory or ONTOLOGY_DIR
    entries: dict[str, GazEntry] = {}
    for e in _country_entries(directory / "countries.tsv"):
        entries[e.id] = e
    if enabled:
        ontology = directory / "kg.ttl"
        types = entity_classes(ontology if ontology.exists() else None)
        for e in _gazetteer_entries(path or directory / "gazetteer.toml", dict(entries), types):
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
    capitals = {normalize(c): e.id for e in entries.values() for c in e.capitals}
    return Gazetteer(entries, alias_index, generic_index, demonyms, capitals)
