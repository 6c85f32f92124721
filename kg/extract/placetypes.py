"""Types of names from reference data and page furniture kept out of the graph.

- A name the model tags as a place, person or organisation that the place data knows (countries,
  subdivisions, cities: `kg.ontology.places`) gets the data's type: "Rwanda" is a country whatever
  the model says, "Songkhla" a province, "Goma" a city. A person or organisation only yields to
  the data when nothing in the document says otherwise (a person's name part, an organisation's
  longer name holding the word: "Liverpool" of "Liverpool FC" stays the club).
- Photo credits and captions ("AFP/File", "Reuters/Jane Doe", "Getty Images"), units, time zones
  and currencies are not entities (`lexicon.toml` [junk]).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.ontology.gazetteer import normalize
from kg.ontology.people import is_given_name
from kg.ontology.places import load_places

if TYPE_CHECKING:
    from spacy.tokens import Span

    from kg.extract.context import Context
    from kg.ontology.gazetteer import Gazetteer
    from kg.ontology.lexicon import Lexicon

__all__ = ["DocNames", "cities_as_organisations", "data_type", "is_junk", "one_type_per_name", "org_short_forms", "org_type"]

# A person or an organisation is retyped as a city only for cities this big, by their main name:
# small towns share names with people and firms too often.
_ACTOR_CITY_POPULATION = 100_000


class DocNames:
    """What the whole document says of its names, read once before mentions are typed."""

    def __init__(self, ctx: Context) -> None:
        self.person_parts: set[str] = set()
        self.org_parts: set[str] = set()
        self.countries: set[str] = set()  # ISO codes of the countries the text names (demonyms too)
        places = load_places()
        for ent in ctx.doc.ents:
            words = [t.lower_ for t in ent if t.is_alpha]
            if ent.label_ in ("PERSON", "Person") and len(words) > 1:
                self.person_parts.update(words)
            elif ent.label_ == "ORG" and len(words) > 1:
                self.org_parts.update(words)
            gaz_id = ctx.gaz.country_of_demonym(ent.text)
            name = ctx.gaz.entries[gaz_id].name if gaz_id in ctx.gaz.entries else ent.text
            hit = places.lookup(name, alternates=False)
            if hit is not None and hit.type == "Country":
                self.countries.add(hit.country)


def is_junk(ctx: Context, span: Span) -> bool:
    """A photo credit, a unit, a time zone or a currency amount rather than a name."""
    junk = ctx.lex.junk
    text = span.text
    if "/" in text:  # "AFP/File", "Reuters/Jane Doe": a credit line, never a name in running text
        return True
    words = [t.lower_ for t in span if t.is_alpha]
    if not words:
        return True
    letters = [c for c in text if c.isalpha()]
    if sum(not _latin(c) for c in letters) * 2 > len(letters):
        return True  # a fragment in another script ("امام", "Путин") in an English text
    if words[-1] in junk["credit_last"] or " ".join(words) in junk["names"]:
        return True
    if len(words) == 1 and words[0] in junk["units"]:
        return True
    # a credit in parentheses right after a caption: "(Getty Images)", "(AP Photo)"
    doc = span.doc
    after = doc[span.end].text if span.end < len(doc) else ""
    return span.start > 0 and doc[span.start - 1].text == "(" and after == ")" and words[0] in junk["agencies"] \
        and len(words) > 1


def _latin(c: str) -> bool:
    import unicodedata

    return c.isascii() or unicodedata.name(c, "").startswith("LATIN")


def org_type(name: str, lex: Lexicon) -> str:
    """An organisation's subtype from cue words in its name ("... News Agency" -> media)."""
    words = f" {normalize(name)} "
    for typ in lex.org_type_order:
        for cue in lex.org_cues.get(typ, ()):
            if f" {cue} " in words:
                return typ
    return "Organization"


def org_cue_free(ctx: Context, text: str) -> bool:
    """No word of the name marks an organisation ("Ministry", "Forces", "News", "FC")."""
    words = f" {normalize(text)} "
    if any(f" {cue} " in words for cues in ctx.lex.org_cues.values() for cue in cues):
        return False
    return not set(words.split()) & ctx.lex.junk["org_words"]


def data_type(ctx: Context, ent: Span, span: Span, typ: str, names: DocNames) -> str:
    """The type the place data gives ``span`` (tagged ``ent.label_``, typed ``typ`` so far), or
    ``typ`` unchanged."""
    if ent.ent_id_ or typ not in ("City", "Place", "Person", "Organization"):
        return typ  # the gazetteer decided, or a cue word did ("... province", "... News Agency")
    text = span.text
    if ctx.gaz.capital_of(text):
        return "City"  # metonymy decides later whether a capital stands for its country
    places = load_places()
    words = [t.lower_ for t in span if t.is_alpha]
    root = span.root
    locative = root.dep_ == "pobj" and root.head.lower_ in ctx.lex.junk["locative_preps"]
    if typ in ("City", "Place") or (locative and (typ == "Person" or org_cue_free(ctx, text))):
        # the model or the syntax says it is a place: the data says which kind
        if not locative and len(words) == 1 and words[0] in names.person_parts and words[0] not in names.org_parts:
            return "Person"  # "Lucas" of "Lucas Moura", whatever town shares the name
        if not org_cue_free(ctx, text) and not set(words) & ctx.lex.facilities \
                and places.lookup(text, alternates=False) is None:
            return org_type(text, ctx.lex)  # "Marvel Entertainment", "Quorvana Holdings"
        hit = places.lookup(text)
        return hit.type if hit else "Place"  # a city the data does not know is as likely a region
    # a given name first is a person's sign ("Lucas Moura"), unless it is a particle that also
    # opens names of groups and clubs ("Abu Sayyaf", "El Nogal"), or the name ends in another
    # given name, as firms named after their founders do ("Quinn Emanuel")
    first_given = bool(words) and is_given_name(words[0]) and words[0] not in ctx.lex.particles
    if typ == "Person" and len(words) > 1 and not first_given:
        if not org_cue_free(ctx, text):
            return org_type(text, ctx.lex)  # "Rogers Communications", "Santos FC"
        if places.lookup(span[0].text, alternates=False, min_population=_ACTOR_CITY_POPULATION) \
                and not any(is_given_name(w) for w in words[1:]):
            return "Organization"  # "Manchester United", "Tottenham Hotspur": named after a city
    if typ == "Organization" and len(words) > 1 and first_given and not is_given_name(words[-1]) \
            and org_cue_free(ctx, text) \
            and all(t.is_title for t in span if t.is_alpha) and places.lookup(text, alternates=False) is None:
        return "Person"  # "Lucas Moura" tagged as an organisation: a given name first
    if typ == "Organization" and len(words) == 1 and words[0] in names.person_parts \
            and words[0] not in names.org_parts:
        return "Person"  # "Lucas" of "Lucas Moura"
    hit = places.lookup(text, alternates=False, min_population=_ACTOR_CITY_POPULATION)
    if hit is None:
        near = places.lookup(text, alternates=False)
        if near is not None and near.country in names.countries and org_cue_free(ctx, text) \
                and not first_given and not set(words) & (names.person_parts | names.org_parts):
            return near.type  # "Stepanakert", "Koro": a place of a country the story names
        return typ
    if hit.type == "Country":
        return "Country"
    if typ == "Person" and (len(words) > 1 or words[0] in names.person_parts):
        return typ  # "Jackson" of "Andrew Jackson"
    if typ == "Organization" and (set(words) & names.org_parts):
        return typ  # "Liverpool" of "Liverpool FC": the club's short form
    return hit.type


def one_type_per_name(ctx: Context) -> None:
    """A name is one thing within a document: its mentions the model typed differently ("Bamako"
    as a city, a person and an organisation) take the type most of them have, the data's type
    breaking a tie, so that resolution makes one node of them."""
    from collections import Counter

    groups: dict[str, list] = {}
    for m in ctx.x.mentions:
        if m.kind == "name" and not m.gaz_id:
            groups.setdefault(normalize(m.text), []).append(m)
    places = load_places()
    for key, ms in groups.items():
        votes = Counter(m.label for m in ms)
        if len(votes) < 2:
            continue
        hit = places.lookup(key, alternates=False)
        best = max(votes.values())
        tops = [t for t, v in votes.items() if v == best]
        label = hit.type if hit and hit.type in votes and votes[hit.type] == best else sorted(tops)[0]
        if hit and hit.type in votes and len(tops) > 1 and hit.type not in tops:
            label = sorted(tops)[0]
        for m in ms:
            m.label = label


def short_forms(lex: Lexicon, gaz: Gazetteer, name: str) -> set[str]:
    """What a multi-word organisation name is called for short: its first word ("Harlow" of
    "Harlow Industries") unless generic, and the name without company words ("Shaw" of "Shaw
    Communications Inc.")."""
    words = normalize(name).split()
    if len(words) < 2:
        return set()
    out = set()
    junk = lex.junk
    if words[0] not in junk["org_generic_first"] and len(words[0]) > 2 and not gaz.lookup(words[0]) \
            and not gaz.country_of_demonym(words[0]):
        out.add(words[0])
    core = list(words)
    while len(core) > 1 and core[-1] in junk["org_words"]:
        core.pop()
    if core != words:
        out.add(" ".join(core))
    return out


def org_short_forms(ctx: Context) -> None:
    """Organisation short forms before any person surname rule: in a document that names
    "Harlow Industries", a bare "Harlow" the model took for a person or a place is the company
    (a full personal name, "Dana Harlow", stays the person)."""
    from kg.extract.labels import ORG_TYPES

    forms: dict[str, str] = {}
    for m in ctx.x.mentions:
        if m.kind == "name" and m.label in ORG_TYPES:
            for f in short_forms(ctx.lex, ctx.gaz, m.text):
                forms.setdefault(f, m.label)
    if not forms:
        return
    for m, span in zip(ctx.x.mentions, ctx.spans):
        key = normalize(m.text)
        if m.kind != "name" or m.gaz_id or m.label in ORG_TYPES or key not in forms:
            continue
        root = span.root
        if m.label != "Person" and root.dep_ == "pobj" and root.head.lower_ in ctx.lex.junk["locative_preps"]:
            continue  # "in Liverpool": the city
        m.label = forms[key]


def cities_as_organisations(ctx: Context) -> None:
    """A city's name that acts as a club or a firm is one: it heads a staff word ("the Liverpool
    manager") or is the active subject of a verb only an organisation does ("Liverpool signed",
    "Tottenham beat"); lexicon.toml [junk] club_staff / club_verbs. Every mention of that name in
    the document becomes the organisation, but for those after a locative preposition."""
    junk = ctx.lex.junk
    staff, verbs = set(junk.get("club_staff", ())), set(junk.get("club_verbs", ()))
    acting: set[str] = set()
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.kind != "name" or m.label not in ("City", "Place") or m.gaz_id:
            continue
        root = span.root
        head = root.head
        if root.dep_ in ("compound", "poss") and head.lower_ in staff:
            acting.add(normalize(m.text))
        elif root.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() in verbs \
                and any(c.dep_ in ("dobj", "prt", "prep") for c in head.children):
            acting.add(normalize(m.text))
    if not acting:
        return
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.kind == "name" and not m.gaz_id and normalize(m.text) in acting and m.label in ("City", "Place"):
            root = span.root
            if not (root.dep_ == "pobj" and root.head.lower_ in junk["locative_preps"]):
                m.label = "Organization"
