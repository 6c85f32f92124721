"""Mentions -> canonical entities, within each document and across documents.

Keys are readable and stable (``person/asim-munir``, ``org/irgc``): a gazetteer id when the name
is known, else the normalised full name, so building the same files again gives the same nodes.
Within a document a surname joins the full name met in it, an acronym joins the expansion it
follows in parentheses, and a role phrase ("the Pakistani army chief") joins the person whose
position matches it. A bare surname never joins a person of another document: two people who
share a surname stay apart.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.extract import load_lexicon
from kg.extract.placetypes import short_forms
from kg.model import Extraction, Mention, Role
from kg.ontology.acronyms import stands_for
from kg.ontology.gazetteer import Gazetteer, load_gazetteer, normalize, slug
from kg.ontology.schema import is_a
from kg.resolve.described import Descriptions
from kg.resolve.fuzzy import candidates, spelling_merges
from kg.resolve.names import ACRONYM, group_of, position_label
from kg.resolve.states import national_offices, province_name

GENERIC_TYPES = {"Organization", "Place", "City"}  # weaker votes than specific types


@dataclass
class Entity:
    """A canonical entity: its key, label, the votes for its type and country, its names."""

    key: str
    label: str
    type_votes: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    gaz_id: str | None = None
    country_votes: Counter = field(default_factory=Counter)
    ranks: set[str] = field(default_factory=set)
    same_as: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # (extraction index, mention index)
    names: set[str] = field(default_factory=set)  # the texts of its name mentions (no descriptions)

    @property
    def type(self) -> str:
        """The ontology class most voted for, a specific one before a generic one on a tie. A
        plain Organization vote says only that no cue was seen: any vote for a kind of
        organisation ("ArmedGroup" from an attack it made) outweighs it."""
        if not self.type_votes:
            return "Organization"
        votes = self.type_votes
        if votes.get("Organization") and any(t != "Organization" and is_a(t, "Organization") for t in votes):
            votes = Counter({t: v for t, v in votes.items() if t != "Organization"})
        best = max(votes.values())
        tops = sorted(t for t, v in votes.items() if v == best)
        specific = [t for t in tops if t not in GENERIC_TYPES]
        return (specific or tops)[0]

    @property
    def country(self) -> str | None:
        """The key of the country most voted for, or None."""
        if not self.country_votes:
            return None
        return sorted(self.country_votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


@dataclass
class Position:
    """An office held by a person (title, organisation), with the roles that state it."""

    key: str
    label: str
    title: str
    person: str
    org: str | None
    evidence: list[tuple[int, Role]] = field(default_factory=list)

    @property
    def former(self) -> bool:
        """Held no longer: every role that states it says "former"."""
        return bool(self.evidence) and all(r.former for _, r in self.evidence)


@dataclass
class Resolution:
    """What resolution found over a corpus: entities, positions, bylines' authors and outlets."""

    entities: dict[str, Entity]
    positions: dict[str, Position]
    authors: dict[int, str]  # extraction index -> person key of the byline
    outlets: dict[int, str]  # extraction index -> org key of the outlet
    # (extraction index, mention index) -> why a name joined an entity of another spelling
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    _positions_by_doc: dict[int, list] | None = field(default=None, repr=False, compare=False)

    def entity_of(self, m: Mention) -> Entity | None:
        """The entity mention ``m`` was resolved to, or None."""
        return self.entities.get(m.entity) if m.entity else None

    def positions_in(self, xi: int) -> list[tuple[Position, Role]]:
        """The positions document ``xi`` states, with the role that states each, in the order of
        ``positions`` and their evidence (indexed once: every document asks)."""
        if self._positions_by_doc is None:
            index: dict[int, list] = {}
            for p in self.positions.values():
                for x, role in p.evidence:
                    index.setdefault(x, []).append((p, role))
            self._positions_by_doc = index
        return self._positions_by_doc.get(xi, [])


class Resolver(Descriptions):
    """Resolution in two passes: `document` for each extraction as it comes, then `finish` over
    the corpus."""

    def __init__(self, gaz: Gazetteer, *, fuzzy_merge: bool = True) -> None:
        lex = load_lexicon()
        self.gaz = gaz
        self.fuzzy_merge = fuzzy_merge  # spelling variants of other documents merge (kg.resolve.fuzzy)
        self.any_role = set(lex.any_role)  # "the Pakistani official" fits any position
        self.type_nouns = lex.type_nouns
        self.national_bodies = lex.national_bodies
        self.credits = lex.junk["agencies"]  # "(AFP)" after a name is a credit, not its acronym
        self.synonyms = lex.synonyms  # "the premier" fits a prime minister
        self.salient_types = lex.salient_types
        self.entities: dict[str, Entity] = {}
        self.positions: dict[str, Position] = {}
        self.positions_of: dict[str, list[Position]] = {}  # person key -> their positions, in order
        self.acronyms: dict[str, str] = {}  # acronym text -> key, over the whole corpus
        # document -> (author, outlet): `finish` needs no more of an extraction, and a build's
        # packed extractions are unpickled each time they are read
        self.bylines: dict[int, tuple[str | None, str | None]] = {}

    # -- keys ---------------------------------------------------------------------------
    def _gaz_key(self, gaz_id: str) -> str:
        e = self.gaz.entries[gaz_id]
        return f"{group_of(e.type)}/{e.id}"

    def _entity(self, key: str, label: str, gaz_id: str | None = None) -> Entity:
        ent = self.entities.get(key)
        if ent is None:
            ent = Entity(key, label, gaz_id=gaz_id)
            if gaz_id:
                g = self.gaz.entries[gaz_id]
                ent.label = g.name
                ent.type_votes[g.type] += 1000  # the gazetteer's type is decided, not voted
                if g.country:
                    ent.country_votes[f"place/{g.country}"] += 1000
                ent.same_as = list(g.same_as)
            self.entities[key] = ent
        return ent

    def _name_key(self, m: Mention, doc_country: str | None) -> tuple[str, str | None]:
        """(key, gazetteer id) of a named mention."""
        if m.gaz_id and m.gaz_id in self.gaz.entries:
            return self._gaz_key(m.gaz_id), m.gaz_id
        hit = self.gaz.lookup(m.text)
        if hit is not None and group_of(hit.type) == group_of(m.label):
            return self._gaz_key(hit.id), hit.id
        country = m.country or doc_country
        hit = self.gaz.lookup_generic(m.text, country)
        if hit is not None:
            return self._gaz_key(hit.id), hit.id
        name = normalize(m.text)
        if m.label == "Province":
            name = province_name(name)
        return f"{group_of(m.label)}/{slug(name)}", None

    # -- one document -------------------------------------------------------------------
    def document(self, xi: int, x: Extraction) -> None:
        """Resolve the mentions of document ``xi`` within it (sets each ``Mention.entity``);
        `finish` then joins what only the whole corpus can tell."""
        self.bylines[xi] = (x.doc.author, x.doc.outlet)
        ms = x.mentions
        for m in ms:
            m.entity = None  # resolving again (another gazetteer, more documents) starts afresh
        order = sorted(range(len(ms)), key=lambda i: ms[i].start)
        keys = self._name_keys(x, order)
        self._assign(xi, ms, keys)
        # a demonym standing as an actor ("Iranian commanders accused ...") acts for its country
        for m in ms:
            if m.kind == "demonym" and m.gaz_id and m.gaz_id in self.gaz.entries:
                m.entity = self._gaz_key(m.gaz_id)
                self._entity(m.entity, self.gaz.entries[m.gaz_id].name, m.gaz_id)
        # descriptions of organisations and places first: an office's organisation may be one
        # ("the group's spokesman"); descriptions of people need the offices
        self._role_mentions(xi, x, order, people=False)
        self._units(xi, x)
        self._roles(xi, x)
        self._role_mentions(xi, x, order, people=True)

    def _name_keys(self, x: Extraction, order: list[int]) -> dict[int, str]:
        """The key of each named mention of ``x`` (``order``: mention indexes in text order): an
        acronym joins its expansion, a surname the full name met in the document."""
        ms = x.mentions
        doc_tag = x.doc.content_hash[:8]
        keys: dict[int, str] = {}
        # the document's main country: the most named one, for generic names ("Foreign Ministry")
        countries = Counter(m.gaz_id for m in ms if m.label == "Country" and m.gaz_id)
        doc_country = countries.most_common(1)[0][0] if countries else None
        persons_full: list[tuple[int, list[str], str]] = []  # (start, tokens, key)
        local_acr: dict[str, str] = {}
        for i in order:
            m = ms[i]
            if m.kind in ("role", "demonym", "unit"):
                continue
            text = m.text
            # an acronym in parentheses right after its expansion: "Islamic ... Corps (IRGC)"
            prev = self._previous(ms, order, i)
            if prev is not None and prev in keys and ACRONYM.match(text):
                between = x.doc.text[ms[prev].end : m.start].strip()
                if between == "(" and stands_for(text, ms[prev].text, is_a(ms[prev].label, "Organization"),
                                                 self.credits):
                    keys[i] = keys[prev]
                    local_acr[text] = keys[prev]
                    m.kind = "acronym"
                    continue
            if text in local_acr:
                keys[i] = local_acr[text]
                m.kind = "acronym"
                continue
            if m.label == "Person" and not m.gaz_id:
                toks = normalize(text).split()
                match = self._match_person(toks, persons_full, m.start)
                if match is not None:
                    keys[i] = match
                    m.kind = "short"
                    continue
                if len(toks) == 1 and self.gaz.lookup(text) is None:
                    # a surname alone that no full name in this document explains: keep it to
                    # this document rather than merge strangers who share it
                    keys[i] = f"person/{slug(text)}--{doc_tag}"
                    m.kind = "short"
                    continue
            key, gaz_id = self._name_key(m, doc_country)
            keys[i] = key
            ent = self._entity(key, text, gaz_id)
            if m.label == "Person":
                persons_full.append((m.start, normalize(ent.label).split(), key))
                persons_full.append((m.start, normalize(text).split(), key))
        self._org_short_keys(ms, keys)
        # short person names used before the full name ("Munir ... General Asim Munir")
        for i, key in list(keys.items()):
            if "--" in key and key.startswith("person/"):
                toks = normalize(ms[i].text).split()
                match = self._match_person(toks, persons_full, 10**12)
                if match is not None:
                    keys[i] = match
        return keys

    def _org_short_keys(self, ms: list[Mention], keys: dict[int, str]) -> None:
        """An organisation's short form ("Harlow" of "Harlow Industries") is that organisation
        in the document, when one organisation alone is called so."""
        lex = load_lexicon()
        owners: dict[str, set[str]] = {}
        for i, key in keys.items():
            if key.startswith("org/") and ms[i].kind == "name":
                for f in short_forms(lex, self.gaz, ms[i].text):
                    owners.setdefault(f, set()).add(key)
        for i, key in list(keys.items()):
            m = ms[i]
            full = owners.get(normalize(m.text))
            if key.startswith("org/") and not m.gaz_id and full and len(full) == 1 and key not in full:
                keys[i] = next(iter(full))
                m.kind = "short"

    def _assign(self, xi: int, ms: list[Mention], keys: dict[int, str]) -> None:
        """Give each keyed mention of document ``xi`` its entity, and the entity its name and votes."""
        for i, key in keys.items():
            m = ms[i]
            ent = self._entity(key, m.text)
            m.entity = key
            ent.mentions.append((xi, i))
            if m.kind != "metonym":  # "Tehran" standing for Iran is not a name of Iran
                ent.aliases.add(m.text)
            if m.kind == "name":
                ent.names.add(m.text)
            ent.type_votes[m.label] += 1 if m.kind == "name" else 0
            if m.country:
                ent.country_votes[f"place/{m.country}"] += 1
            if m.kind == "acronym":  # spelt out in its document: the expansion is known
                self.acronyms.setdefault(m.text, key)

    def _units(self, xi: int, x: Extraction) -> None:
        """A branch described by its owner ("the Guards' ground forces"): the gazetteer entry named
        by the owner's names and the unit's words ("IRGC Ground Forces", "Ground Forces of the
        IRGC"), else an entity of its own named "<owner> <Unit Words>"."""
        ms = x.mentions
        for i, m in enumerate(ms):
            if m.kind != "unit" or m.owner is None or ms[m.owner].entity not in self.entities:
                continue
            owner = self.entities[ms[m.owner].entity]
            words = " ".join(m.role_words)
            names = [owner.label, *sorted(owner.aliases)]
            if owner.gaz_id:
                names += self.gaz.names(self.gaz.entries[owner.gaz_id])
            hit = None
            for n in names:
                for cand in (f"{n} {words}", f"{words} of {n}", f"{words} of the {n}"):
                    hit = self.gaz.lookup(cand)
                    if hit is not None and group_of(hit.type) == "org":
                        break
                    hit = None
                if hit is not None:
                    break
            if hit is not None:
                key = self._gaz_key(hit.id)
                ent = self._entity(key, hit.name, hit.id)
            else:
                label = f"{owner.label} {words.title()}"
                key = f"org/{slug(label)}"
                ent = self._entity(key, label)
            m.entity = key
            ent.mentions.append((xi, i))
            ent.aliases.add(m.text)
            ent.type_votes[m.label] += 1
            if owner.country:
                ent.country_votes[owner.country] += 1

    @staticmethod
    def _previous(ms: list[Mention], order: list[int], i: int) -> int | None:
        pos = order.index(i)
        return order[pos - 1] if pos else None

    @staticmethod
    def _match_person(toks: list[str], persons: list[tuple[int, list[str], str]], before: int) -> str | None:
        """The person whose full name ends with (or contains) these tokens, nearest before."""
        best = None
        for start, full, key in persons:
            if start > before or len(full) <= len(toks):
                continue
            if full[-len(toks):] == toks or (len(toks) == 1 and toks[0] in full[1:]):
                best = key
        return best

    def _roles(self, xi: int, x: Extraction) -> None:
        ms = x.mentions
        for r in x.roles:
            person = ms[r.person].entity
            if not person:
                continue
            ent = self.entities[person]
            if r.rank:
                ent.ranks.add(r.rank)
            if not r.title:
                continue
            org_key = ms[r.org].entity if r.org is not None else None
            if org_key is None and r.org is not None and ms[r.org].kind == "demonym":
                org_key = f"place/{ms[r.org].gaz_id}"
            if org_key is None and r.country:
                org_key = f"place/{r.country}"
            country = None
            if org_key:
                org_ent = self.entities.get(org_key)
                # a country's office gives that country; a province's or a city's gives theirs
                is_country = org_ent is not None and org_ent.type == "Country"
                country = org_key if is_country or (org_ent is None and org_key.startswith("place/")) \
                    else (org_ent.country if org_ent else None)
            if country is None and r.country:
                country = f"place/{r.country}"
            if country:
                ent.country_votes[country] += 2
            title = r.title.strip()
            title_norm = normalize(title)
            # one position per person and title: a country-level mention ("Pakistan's Chief of
            # Army Staff") joins the same title in the organisation of that country
            # (the key is unique per person and normalized title: a dictionary lookup, where a
            # scan of every position made resolution quadratic in the corpus)
            existing = self.positions.get(f"{person}|{title_norm}")
            if existing is not None:
                if existing.org is None and org_key:
                    existing.org = org_key  # "Chief of Army Staff" here, "... of the Pakistan Army" there
                elif existing.org and org_key and existing.org != org_key and existing.org.startswith("place/") \
                        and not org_key.startswith("place/"):
                    existing.org = org_key
                existing.evidence.append((xi, r))
                continue
            pos = self.positions[f"{person}|{title_norm}"] = Position("", "", title, person, org_key, [(xi, r)])
            self.positions_of.setdefault(person, []).append(pos)
        national_offices(x, self.positions, self.entities, self.home_country(x))

    def _role_mentions(self, xi: int, x: Extraction, order: list[int], people: bool) -> None:
        """Definite descriptions of people (or of anything else) joined to the entity they
        describe in context."""
        ms = x.mentions
        home = self.home_country(x)
        for pos, i in enumerate(order):
            m = ms[i]
            if m.kind != "role" or (m.label == "Person") != people:
                continue
            if m.label == "Person":
                target = self._apposed(x, order, pos) or self._fitting_person(ms, order, m)
            else:
                target = self._described(ms, order, m, home)
            if target:
                m.entity = target
                self.entities[target].mentions.append((xi, i))
                self.entities[target].aliases.add(m.text)

    def finish(self, extractions: Sequence[Extraction]) -> Resolution:
        """The corpus-level pass, after `document` saw every extraction: acronyms used alone join
        their expansion, labels, bylines, countries and positions are settled."""
        # an acronym used alone (before its expansion, or in another document) joins the
        # expansion, whatever type the model gave the bare letters ("IRGC" tagged as a place)
        remap = {}
        for acr, key in self.acronyms.items():
            for group in ("org", "place"):
                bare = f"{group}/{slug(acr)}"
                if bare != key and bare in self.entities and key in self.entities \
                        and not self.entities[bare].gaz_id:
                    remap[bare] = key
        self._merge(remap, extractions)
        # names spelt differently in different documents ("Hosein" / "Hossein"): one entity
        generic = {n for _, n in self.gaz.generic_index}  # "Foreign Office": every country has one
        spelt = spelling_merges(candidates(self.entities, generic, self._place_of)) if self.fuzzy_merge else {}
        spellings = self._merge({k: v[0] for k, v in spelt.items()}, extractions, spelling=True)
        # labels: the gazetteer's name, else the longest name form seen
        for ent in self.entities.values():
            if not ent.gaz_id:
                names = [a for a in ent.aliases if not ACRONYM.match(a) or len(ent.aliases) == 1]
                forms = [a for a in names if not a.lower().startswith("the ")] or names or [ent.label]
                ent.label = max(forms, key=lambda a: (len(a.split()), len(a), a))
        authors, outlets = {}, {}
        for xi, (author, outlet) in sorted(self.bylines.items()):
            if author:
                key = self._author_key(author)
                ent = self._entity(key, author)
                ent.type_votes["Person"] += 1
                ent.aliases.add(author)
                authors[xi] = key
            if outlet:
                hit = self.gaz.lookup(outlet)
                key = self._gaz_key(hit.id) if hit else f"org/{slug(outlet)}"
                ent = self._entity(key, outlet, hit.id if hit else None)
                ent.type_votes["MediaOrganization"] += 1
                ent.aliases.add(outlet)
                outlets[xi] = key
        # every country an entity points to is a node of its own
        for ent in list(self.entities.values()):
            c = ent.country
            if c and c not in self.entities and c.split("/", 1)[1] in self.gaz.entries:
                self._entity(c, self.gaz.entries[c.split("/", 1)[1]].name, c.split("/", 1)[1])
        positions = {}
        office_names: dict[str, tuple[str, str]] = {}
        for p in self.positions.values():
            if p.org is None and p.person in self.entities:
                # "President Hassan Rouhani": an office named without its organisation is an
                # office of the holder's country, when the text gives that country elsewhere
                home = self.entities[p.person].country
                if home and home in self.entities and self.entities[home].type == "Country":
                    p.org = home
            org = self.entities.get(p.org) if p.org else None
            p.label = label = position_label(p.title, org, self.entities, self.gaz)
            # an office of no known organisation ("President") is the holder's own: two
            # presidents of unknown countries are not one office
            p.key = f"position/{slug(label)}" if org is not None else f"position/{slug(label)}--{p.person.split('/')[-1]}"
            # one office, one title and label, whoever holds it ("President" and "president" of Nigeria)
            p.title, p.label = office_names.setdefault(p.key, (p.title, p.label))
            if p.key + "|" + p.person in positions:  # one office of two spellings of its holder
                positions[p.key + "|" + p.person].evidence += p.evidence
            else:
                positions[p.key + "|" + p.person] = p
        notes = {at: f"a spelling of {self.entities[spelt[old][0]].label} (similarity {spelt[old][1]})"
                 for at, old in spellings.items()}
        return Resolution(self.entities, positions, authors, outlets, notes)

    def _merge(self, remap: dict[str, str], extractions: Sequence[Extraction], *,
               spelling: bool = False) -> dict[tuple[int, int], str]:
        """Entity ``old`` joins ``remap[old]``: its names, votes, mentions and offices move.
        With ``spelling``, its name mentions become of kind "spelling"; returns the moved name
        mentions, (document, mention) -> the key they had."""
        moved: dict[int, list[tuple[int, str]]] = {}  # document -> (mention, new key), in order
        names: dict[tuple[int, int], str] = {}
        for old, new in remap.items():
            src = self.entities.pop(old)
            dst = self.entities[new]
            dst.aliases |= src.aliases
            dst.names |= src.names
            dst.mentions += src.mentions
            dst.type_votes.update(src.type_votes)
            if spelling:
                dst.country_votes.update(src.country_votes)
            for xi, mi in src.mentions:
                moved.setdefault(xi, []).append((mi, new))
            for p in self.positions_of.pop(old, []):
                p.person = new
                self.positions_of.setdefault(new, []).append(p)
        for p in self.positions.values():  # an office of an organisation that joined another
            if p.org in remap:
                p.org = remap[p.org]
        for xi, changes in moved.items():
            x = extractions[xi]
            for mi, new in changes:
                m = x.mentions[mi]
                if spelling and m.kind == "name":
                    names[(xi, mi)] = m.entity
                    m.kind = "spelling"
                m.entity = new
            if hasattr(extractions, "put"):
                extractions.put(xi, x)  # a sequence that hands out copies (kg.build's packed extractions)
        return names

    def _place_of(self, word: str) -> str | None:
        hit = self.gaz.lookup(word)
        return hit.id if hit is not None and group_of(hit.type) == "place" else self.gaz.country_of_demonym(word)

    def _author_key(self, name: str) -> str:
        hit = self.gaz.lookup(name)
        if hit is not None and hit.type == "Person":
            return self._gaz_key(hit.id)
        return f"person/{slug(name)}"


def resolve(extractions: list[Extraction], *, use_gazetteer: bool = True, fuzzy_merge: bool = True) -> Resolution:
    """Resolve every mention of every extraction; sets ``Mention.entity`` in place.
    ``fuzzy_merge``: spelling variants of other documents join (`kg.resolve.fuzzy`)."""
    r = Resolver(load_gazetteer(enabled=use_gazetteer), fuzzy_merge=fuzzy_merge)
    for xi, x in enumerate(extractions):
        r.document(xi, x)
    return r.finish(extractions)
