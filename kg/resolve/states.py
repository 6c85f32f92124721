"""What belongs to a state without being named: its offices ("President X" with no country
named) and its forces ("Malian troops", "the Colombian police"), from lexicon.toml
([offices] national, [coreference.national_bodies]) and the gazetteer."""
from __future__ import annotations

from collections import Counter

from kg.model import Extraction
from kg.ontology.gazetteer import Gazetteer, normalize
from kg.ontology.lexicon import Lexicon, load_lexicon
from kg.resolve.names import group_key

__all__ = ["is_national_office", "national_body", "national_offices", "province_name", "story_country"]


def is_national_office(lex: Lexicon, title: str) -> bool:
    """Whether a title is an office of a state ("Defence Minister", "President"), not of a
    company, court or party (lexicon.toml [offices] national / not_national)."""
    words = normalize(title).replace("-", " ").split()
    if not words or set(words) & lex.not_national:
        return False
    text = f" {' '.join(words)} "
    return any(f" {o.replace('-', ' ')} " in text for o in lex.national_offices)


def org_in_title(x: Extraction, entities: dict, r) -> str | None:
    """The organisation a title names without a mention of it ("chief executive of Rogers", once
    "Rogers" is known as Rogers Communications) or points back to ("its chief executive": the
    organisation named last before it)."""
    words = normalize(r.title).split()
    # "Uber and its chief executive": the organisation named last before, in the same sentence
    orgs = [(m.start, m.entity) for m in x.mentions if m.entity and m.start < r.start and m.sent == r.sent
            and m.entity in entities and entities[m.entity].type not in _NOT_ORGS]
    if words[:1] in (["its"], ["their"]):
        return max(orgs)[1] if orgs else None
    text = f" {' '.join(words)} "
    best = None
    for m in x.mentions:
        ent = entities.get(m.entity) if m.entity else None
        if ent is None or ent.type in _NOT_ORGS:
            continue
        for name in (ent.label, *ent.aliases):
            key = normalize(name)
            if key and f" {key} " in text and (best is None or len(key) > best[0]):
                best = (len(key), m.entity)
    return best[1] if best else None


_NOT_ORGS = frozenset({"Person", "Country", "Province", "City", "Place", "BorderArea"})


def national_body(gaz: Gazetteer, country: str, typ: str) -> tuple[str, str, str | None] | None:
    """(key, label, gazetteer id) of a country's armed forces (``typ`` MilitaryOrganization) or
    police (GovernmentBody): the gazetteer's entry named generically for that country ("the
    army" of Pakistan) or under its full name ("Armed Forces of Iran"), else a node of its own,
    ``org/<country>-armed-forces`` or ``org/<country>-police``. None for an unknown country."""
    military = typ == "MilitaryOrganization"
    for generic in ("the army", "the armed forces", "the military") if military else ("the police",):
        hit = gaz.lookup_generic(generic, country)
        if hit is not None and hit.type == typ:
            return _gaz_key(hit), hit.name, hit.id
    place = gaz.entries.get(country)
    if place is None:
        return None
    names = (f"Armed Forces of {place.name}", f"{place.name} Armed Forces") if military \
        else (f"{place.name} Police", f"National Police of {place.name}")
    for name in names:
        hit = gaz.lookup(name)
        if hit is not None and hit.type == typ:
            return _gaz_key(hit), hit.name, hit.id
    if military:
        return f"org/{country}-armed-forces", f"Armed Forces of {place.name}", None
    return f"org/{country}-police", f"Police of {place.name}", None


def _gaz_key(entry) -> str:
    return group_key(entry.type, entry.id)


def national_offices(x: Extraction, positions: dict, entities: dict, home: str | None) -> None:
    """A state's office named with no organisation or country ("President Ivan Duque") is the
    holder's country's, as the data or the text elsewhere says it, else the country the story is
    about (``home``, its dateline's, else the one it names most). Read after every role of the
    document, so "Colombian President Ivan Duque" later in the text counts. Sets the org of the
    positions (``positions``: the resolver's, by "person|title")."""
    lex = load_lexicon()
    story = home
    for r in x.roles:
        person = x.mentions[r.person].entity
        if not person or not r.title or r.org is not None or r.country:
            continue
        pos = positions.get(f"{person}|{normalize(r.title.strip())}")
        if pos is None or pos.org is not None:
            continue
        named = org_in_title(x, entities, r)
        if named is not None:
            pos.org = named
            continue
        if not is_national_office(lex, r.title):
            continue
        country = entities[person].country
        if country is None:
            story = story or story_country(x, entities)
            country = story
        if country:
            pos.org = country
            entities[person].country_votes[country] += 1


def story_country(x: Extraction, entities: dict) -> str | None:
    """The country a story names most (demonyms count), the first named breaking a tie."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for m in x.mentions:
        ent = entities.get(m.entity) if m.entity else None
        if ent is not None and ent.type == "Country":
            counts[m.entity] += 1
            first.setdefault(m.entity, m.start)
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], first[k]))


def province_name(name: str) -> str:
    """The key name of a province: "Sulu province" is "Sulu", so the two are one node; unless
    the bare name is a big city ("Donetsk region" is not Donetsk)."""
    from kg.ontology.places import load_places

    words = name.split()
    if len(words) < 2 or words[-1] not in load_lexicon().place_kind_words:
        return name
    bare = " ".join(words[:-1])
    hit = load_places().lookup(bare, alternates=False)
    if hit is not None and hit.type == "City" and hit.population >= _BIG_CITY:
        return name
    return bare


_BIG_CITY = 100_000
