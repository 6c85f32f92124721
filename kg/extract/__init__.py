"""Document -> mentions, roles, relations and events, from spaCy's parse and `ontology/` data.

Nothing here knows the seeds' wording: entity types come from the entity ruler, the statistical
NER and lexicon cues; roles from title phrases and appositions in the parse; events and relations
from the trigger table (`ontology/triggers.toml`) applied to dependency slots.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg import dates
from kg.ontology.gazetteer import Gazetteer, load_gazetteer, normalize
from kg.model import Casualty, Document, Event, Extraction, Mention, Relation, Role
from kg.paths import ONTOLOGY_DIR
from kg.ontology.lexicon import Frame, Lexicon, RelFrame, Triggers, load_lexicon, load_triggers
from kg.ontology.schema import fits, subclasses

if TYPE_CHECKING:  # annotations only: resolution imports this module, and needs no spaCy
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# Label sets, from the ontology's class tree
AGENT_TYPES = set(subclasses("Agent") - {"Agent"})
PLACE_TYPES = set(subclasses("Place"))
VIOLENT = ("Attack", "Killing")  # event types a claim of responsibility or a condemnation points at
ORG_TYPES = set(subclasses("Organization"))
NUMBERS = {
    "one": 1, "a": 1, "an": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30,
}
CASUALTY_KIND = {"Killing": "killed", "Arrest": "arrested"}


def org_type(name: str, lex: Lexicon) -> str:
    """An organisation's subtype from cue words in its name ("... News Agency" -> media)."""
    words = f" {normalize(name)} "
    for typ in lex.org_type_order:
        for cue in lex.org_cues.get(typ, ()):
            if f" {cue} " in words:
                return typ
    return "Organization"


@lru_cache(maxsize=4)
def _rank_index(ranks: tuple[tuple[str, ...], ...]) -> tuple[dict, dict]:
    """The rank sequences by first and by last word, each list in the lexicon's order."""
    first: dict[str, list] = {}
    last: dict[str, list] = {}
    for seq in ranks:
        if seq:
            first.setdefault(seq[0], []).append(seq)
            last.setdefault(seq[-1], []).append(seq)
    return first, last


# ------------------------------------------------------------------------------ extractor
class _Extractor:
    def __init__(self, document: Document, sdoc: Doc, gaz: Gazetteer, lex: Lexicon, trig: Triggers):
        self.d, self.sdoc, self.gaz, self.lex, self.trig = document, sdoc, gaz, lex, trig
        self.sents = [s for s in sdoc.sents]
        self.sent_of: dict[int, int] = {}
        for i, s in enumerate(self.sents):
            for t in range(s.start, s.end):
                self.sent_of[t] = i
        # the tokens and what the rule loops test first, read once: every doc[i] makes a new
        # Token object, and the rank rules look at every position, so a token that cannot match
        # costs a list lookup, not a Token and its attributes (py-spy: the loops were most of
        # extraction)
        self.toks = list(sdoc)
        self.lowers = [t.lower_ for t in self.toks]
        self.lemmas = [t.lemma_.lower() for t in self.toks]
        self.pos = [t.pos_ for t in self.toks]
        self.ranks_from, self.ranks_to = _rank_index(lex.ranks)
        self.x = Extraction(document, [(s.start_char, s.end_char) for s in self.sents])
        self.tok_mention: dict[int, int] = {}  # token index -> mention index
        self.role_person: dict[int, int] = {}  # office-word token -> the person it describes
        self.spans: list[Span] = []  # the token span of each mention
        self.datelines: set[int] = set()  # first token of the dateline place
        self._title_end: dict[int, int] = {}  # "of" of an office title -> token after the title
        self._dates_in: dict[int, list[Span]] | None = None  # sentence -> its DATE entities (_date_ents)
        self.x.ref_date = document.date or self._latest_date()

    def _latest_date(self):
        found = dates.full_dates(self.d.text)
        return max(found) if found else None

    # -- mentions ------------------------------------------------------------------------
    def _add_mention(self, span: Span, label: str, kind: str = "name", gaz_id: str | None = None,
                     role_words: tuple[str, ...] = ()) -> int:
        idx = len(self.x.mentions)
        m = Mention(span.text, label, span.start_char, span.end_char, self.sent_of.get(span.start, 0),
                    kind=kind, gaz_id=gaz_id or None, role_words=role_words)
        self.x.mentions.append(m)
        self.spans.append(span)
        for t in span:
            self.tok_mention.setdefault(t.i, idx)
        return idx

    def _type_of(self, ent: Span) -> str | None:
        label = ent.label_
        if label in AGENT_TYPES | PLACE_TYPES:
            return label  # set by the entity ruler from the gazetteer
        text = ent.text
        if label in ("ORG", "FAC", "GPE", "LOC") and normalize(text).split()[-1:] and \
                normalize(text).split()[-1] in self.lex.facilities:
            return "Place"  # "Combined Military Hospital", "Makki Mosque": a building or site
        if label == "PERSON":
            return "Person"
        if label == "ORG":
            return org_type(text, self.lex)
        if label in ("GPE", "LOC", "FAC"):
            words = set(normalize(text).split())
            nxt = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
            for typ in ("Province", "BorderArea", "City"):
                if words & self.lex.context_types[typ] or nxt in self.lex.context_types[typ]:
                    return typ
            return "City" if label == "GPE" else "Place"
        return None

    def _trim(self, ent: Span) -> Span:
        """Drop determiners, possessive endings and leading titles from an entity span."""
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        while end > start and doc[end - 1].text in ("'s", "\u2019s", "'", "-", "\u2014"):
            end -= 1
        if ent.label_ in ("PERSON", "Person") and not ent.ent_id_:
            while start < end - 1:
                skip = self._rank_at(start, end)
                if skip:
                    start += skip
                elif doc[start].lower_ in self.lex.office_heads:
                    start += 1
                else:
                    break
        return doc[start:end]

    def _extend_left(self, span: Span) -> Span:
        """Take in name parts the model left out: "Mok-e Sukhteh", "Hamood uz Zaman Khan"."""
        doc, start = span.doc, span.start
        for _ in range(3):
            j = start - 1
            while j >= 0 and (doc[j].text == "-" or (doc[j].lower_ in self.lex.particles and doc[j].is_lower)):
                j -= 1
            if j == start - 1 or j < 0:
                break
            t = doc[j]
            if t.is_title and t.pos_ == "PROPN" and t.i not in self.tok_mention and t.ent_type_ in ("", "ORG", "PERSON", "GPE", "LOC"):
                start = j
                continue
            break
        return doc[start : span.end]

    def _rank_at(self, i: int, limit: int) -> int:
        """Length of a rank/honorific token sequence starting at token i (0 when none)."""
        if i >= len(self.lowers):
            return 0
        lowers = self.lowers
        for seq in self.ranks_from.get(lowers[i], ()):
            n = len(seq)
            if i + n <= limit and tuple(lowers[i : i + n]) == seq:
                return n
        return 0

    def mentions(self) -> None:
        doc = self.sdoc
        person_last: dict[str, str] = {}
        self._datelines()
        for ent in doc.ents:
            if ent.start in self.tok_mention:
                continue
            if ent.label_ == "NORP":
                country = self.gaz.country_of_demonym(ent.text)
                if country:
                    self._add_mention(ent, "Country", kind="demonym", gaz_id=country)
                continue
            typ = self._type_of(ent)
            if typ is None:
                continue
            span = self._trim(ent)
            if not span.text.strip() or not any(t.is_alpha for t in span):
                continue
            if not any(t.is_title or t.is_upper for t in span) and ent.label_ not in AGENT_TYPES:
                continue  # "south-eastern": a direction, not a name ("the foreign ministry" is one)
            if all(t.lower_ in self.lex.descriptors for t in span if t.is_alpha):
                continue  # "Sunni Baluchi": descriptive adjectives, not a name
            if span.text.lower() in self.lex.not_entities:
                continue
            words = tuple(t.lower_ for t in span if t.is_alpha)
            if typ != "Person" and (words in self.lex.ranks or (words and words[-1] in self.lex.office_heads)):
                continue  # "Major General", "District Police Officer": a rank or an office, not a body
            if not ent.ent_id_ and typ != "Country":
                span = self._extend_left(span)
            if typ in ORG_TYPES | {"Person"} and not ent.ent_id_ and span.root.dep_ == "pobj" \
                    and span.root.head.lower_ in ("near", "outside"):
                typ = "Place"
            nxt = doc[span.end] if span.end < len(doc) else None
            # "Interior" in "Interior Minister Ahmad Vahidi": a word of a title, not an organisation
            if (typ in ORG_TYPES and not ent.ent_id_ and len(span) == 1 and nxt is not None
                    and nxt.lower_ in self.lex.office_heads):
                continue
            gaz_id = ent.ent_id_ or None
            if typ == "Country" and not gaz_id:
                hit = self.gaz.lookup(span.text)
                gaz_id = hit.id if hit and hit.type == "Country" else None
            if typ in ("City", "Place") and not gaz_id:
                hit = self.gaz.lookup(span.text)
                if hit and hit.type == "Country":
                    typ, gaz_id = "Country", hit.id
            if typ == "Person":
                person_last.setdefault(span[-1].lower_, span.text)
            self._add_mention(span, typ, gaz_id=gaz_id)
        # "the Imam Hussein division": a unit named after a person is an organisation
        for m, span in zip(self.x.mentions, self.spans):
            nxt = doc[span.end] if span.end < len(doc) else None
            if m.label == "Person" and m.kind == "name" and nxt is not None and nxt.lemma_.lower() in self.lex.named_units:
                grown = doc[span.start : span.end + 1]
                m.text, m.end, m.label, m.gaz_id = grown.text, grown.end_char, "MilitaryOrganization", None
                self.spans[self.spans.index(span)] = grown
                self.tok_mention[nxt.i] = self.tok_mention[span.start]
                person_last.pop(span[-1].lower_, None)
        # A surname the model did not tag at all is still a mention of the person named in full
        surnames = {v.split()[-1]: v for v in person_last.values() if len(v.split()) > 1}
        for i, pos in enumerate(self.pos):
            if surnames and pos == "PROPN" and i not in self.tok_mention and self.toks[i].text in surnames:
                self._add_mention(doc[i : i + 1], "Person")
        # A bare surname tagged as a place or organisation ("Munir" as GPE) is the person met
        # earlier or later in the same document under the full name.
        for m, span in zip(self.x.mentions, self.spans):
            if m.label != "Person" and m.kind == "name" and not m.gaz_id and len(span) == 1:
                if span[0].lower_ in person_last and person_last[span[0].lower_] != span.text:
                    m.label = "Person"
        self._context_types()
        self._countries()
        self._metonymy()
        self._governments()
        self._role_mentions()
        self._units()
        self._seated_in()

    def _expand_titles(self) -> None:
        """"COAS" in a title is the Chief of Army Staff (lexicon.toml [offices] acronyms), so the
        acronym and the spelt-out office are one position."""
        if self.lex.office_acronyms:
            for r in self.x.roles:
                r.title = _expand(r.title, self.lex.office_acronyms)
        for r in self.x.roles:
            # "Chief of the Army Staff" and "Chief of Army Staff" are one office
            r.title = re.sub(r"\bof the\b", "of", r.title)

    def _seated_in(self) -> None:
        """"the Foreign Office in Islamabad", "the General Headquarters in Rawalpindi": a body
        placed in a known place belongs to that place's country (which picks the right entry for
        a generic name)."""
        for m, span in zip(self.x.mentions, self.spans):
            if m.label not in ORG_TYPES or m.gaz_id or m.country or m.kind not in ("name",):
                continue
            for c in span.root.children:
                if c.dep_ != "prep" or c.lower_ != "in":
                    continue
                for p in c.children:
                    pm = self.tok_mention.get(p.i)
                    if p.dep_ != "pobj" or pm is None:
                        continue
                    place = self.x.mentions[pm]
                    entry = self.gaz.entries.get(place.gaz_id) if place.gaz_id else self.gaz.lookup(place.text)
                    if entry is not None:
                        m.country = entry.id if entry.type == "Country" else entry.country

    def _units(self) -> None:
        """Branches of an organisation named by description: "the Guards' ground forces", "the
        ground forces of the Guards", "the intelligence department of the IRGC". Each is a
        mention of kind "unit" whose owner is the organisation's mention (resolve names it and
        looks it up in the gazetteer), and a memberOf relation to the owner."""
        heads = self.lex.unit_heads
        for i, lemma in enumerate(self.lemmas):
            if lemma not in heads and self.lowers[i] not in heads or i in self.tok_mention:
                continue
            if self.pos[i] not in ("NOUN", "PROPN"):
                continue
            tok = self.toks[i]
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                    and c.i not in self.tok_mention and c.is_alpha]
            if not mods:
                continue  # "the forces of X" is X itself
            owner, end = None, tok.i + 1
            for c in tok.children:
                om = self.tok_mention.get(c.i)
                if c.dep_ == "poss" and om is not None:
                    owner = om
                elif c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        pm = self.tok_mention.get(p.i)
                        if p.dep_ == "pobj" and pm is not None:
                            owner, end = pm, self.spans[pm].end
            if owner is None or self.x.mentions[owner].label not in ORG_TYPES:
                continue
            start = min([m.i for m in mods] + ([self.spans[owner].start] if end == tok.i + 1 else []))
            while start > 0 and self.sdoc[start - 1].dep_ == "det" and self.sdoc[start - 1].head is tok:
                start -= 1
            span = self.sdoc[start:end]
            if any(t.i in self.tok_mention and self.tok_mention[t.i] != owner for t in span):
                continue
            words = tuple(t.lower_ for t in sorted(mods, key=lambda t: t.i)) + (tok.lower_,)
            owner_label = self.x.mentions[owner].label
            label = owner_label if owner_label in ("MilitaryOrganization", "GovernmentBody", "ArmedGroup") \
                else "Organization"
            # the unit's span swallows its owner's tokens: they keep pointing at the owner
            idx = len(self.x.mentions)
            self.x.mentions.append(Mention(span.text, label, span.start_char, span.end_char, self.sent_of[tok.i],
                                           kind="unit", role_words=words, owner=owner))
            self.spans.append(span)
            for t in span:
                if t.i not in self.tok_mention:
                    self.tok_mention[t.i] = idx
            self.tok_mention[tok.i] = idx
            self._relation(idx, "memberOf", owner, tok, 0.8)

    def _np_head(self, span: Span) -> Token:
        """The noun a mention names or modifies: "Jaish" in "group Jaish", "province" in
        "Balochistan province"."""
        root = span.root
        if root.dep_ in ("compound", "appos", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
            return root.head
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
            return root.head.head
        return root

    def _context_types(self) -> None:
        armed = self.lex.context_types["ArmedGroup"]
        for mi, (m, span) in enumerate(zip(self.x.mentions, self.spans)):
            if m.kind != "name":
                continue
            head = self._np_head(span)
            near = {t.lower_ for t in head.children if t.dep_ in ("amod", "compound")} | {head.lower_}
            near |= {t.lower_ for t in span.root.children if t.dep_ in ("amod", "compound")}
            if head is not span.root:
                near |= {c.lower_ for c in head.children if c.dep_ == "amod"}
            if m.label in ORG_TYPES | {"Person"} and not m.gaz_id and near & armed:
                m.label = "ArmedGroup"
            if m.label in ("City", "Place") and not m.gaz_id:
                for typ in ("Province", "BorderArea", "City"):
                    if head.lower_ in self.lex.context_types[typ]:
                        m.label = typ
                        break
            # "the designated terrorist group X" names what the group is called
            if m.label in ORG_TYPES and head is not span.root and head.pos_ == "NOUN":
                words = [t.text for t in head.subtree if t.i < span.start and t.dep_ in ("amod", "compound")]
                if words or head.lower_ in self.lex.org_nouns:
                    self.x.designations[mi] = " ".join([*words, head.text])

    def _countries(self) -> None:
        """Attribute mentions to countries from possessives and demonyms: "Iran's IRGC"."""
        for m, span in zip(self.x.mentions, self.spans):
            if m.kind != "name" or m.label == "Country":
                continue
            head = self._np_head(span)
            for tok in (*span.root.children, *head.children):
                if tok.dep_ in ("poss", "amod", "compound") and tok.i not in range(span.start, span.end):
                    other = self.tok_mention.get(tok.i)
                    if other is not None and self.x.mentions[other].label == "Country":
                        m.country = self.x.mentions[other].gaz_id
                        break

    def _role_mentions(self) -> None:
        """Definite descriptions as role mentions: "the Pakistani army chief", "Iran's top
        general", "the group", "the provincial capital", "the Guards"."""
        for i, low in enumerate(self.lowers):
            if self.pos[i] not in ("NOUN", "PROPN"):
                continue
            is_person = low in self.lex.coref_person
            types = self.lex.type_nouns.get(low)
            if not is_person and types is None:
                continue
            tok = self.toks[i]
            if not is_person and self._bare_head(tok) and not any(
                    c.dep_ in ("det", "poss") for t in (tok, *tok.lefts) for c in (t, *t.children)):
                # "a Guards colonel", "Guards intelligence personnel": the head of an earlier
                # name alone (the Revolutionary Guards); resolution keeps it only if one came before
                self._add_mention(self.sdoc[tok.i : tok.i + 1], "Organization", kind="role", role_words=(low,))
                continue
            # "the Chief of Army Staff" standing alone; "Pakistan's Chief of Army Staff General X"
            # is the title of a name and stays part of that name's role
            title_of = self._title_of(tok) if is_person and any(
                c.dep_ == "det" and c.lower_ == "the" for c in tok.children) else None
            if tok.dep_ == "compound" or any(c.dep_ == "acl" or (c.dep_ == "prep" and (title_of is None or c.i != title_of.i))
                                             for c in tok.children):
                continue  # "the group leader", "the head of X"
            if any(c.dep_ == "appos" and (not is_person or self.sdoc[c.left_edge.i - 1].text != ",")
                   for c in tok.children):
                continue  # "the group Jaish al-Adl" is a name; "the army chief, General X" a mention of X
            if any(c.dep_ == "relcl" and not any(t.text == "," for t in self.sdoc[tok.i : c.i]) for c in tok.children):
                continue  # "the minister who resigned" picks someone out; ", who ..." does not
            taken = self.tok_mention.get(tok.i)
            if taken is not None and not self._bare_description(taken, is_person):
                continue
            # the determiner may sit on a compound: "[Iran's armed forces] chief"
            det = next((c for t in (tok, *(c for c in tok.lefts if c.dep_ == "compound"))
                        for c in t.children if c.dep_ in ("det", "poss")), None)
            if det is None and is_person and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") \
                    and any(c.dep_ in ("amod", "compound") and c.pos_ != "PROPN" for c in tok.lefts):
                det = next(c for c in tok.lefts if c.dep_ in ("amod", "compound"))  # "army chief wraps up"
            if det is not None and det.dep_ == "poss" and det.pos_ == "PRON" and is_person and low in self.lex.any_role:
                det = next((c for c in tok.lefts if c.dep_ == "amod"), None)  # "his Iranian counterpart"
                if det is None:
                    continue
            if det is None:
                continue
            country = None
            if det.dep_ == "poss" and det.pos_ != "PRON":
                # "Iran's top general", "Pakistan's army chief": a named country's office-holder,
                # not "its leader"
                mi = self.tok_mention.get(det.i)
                if not is_person or mi is None:
                    continue
                pm = self.x.mentions[mi]
                country = pm.gaz_id if pm.label == "Country" else pm.country
                if country is None and pm.gaz_id in self.gaz.entries:
                    country = self.gaz.entries[pm.gaz_id].country
                if country is None:
                    continue
            elif det.dep_ == "det" and det.lower_ not in ("the", "this", "that"):
                continue
            left = [c for c in tok.lefts if c.dep_ in ("amod", "compound")]
            # nouns only: "top" in "Iran's top general" says nothing about the office
            words = tuple(c.lower_ for c in left if c.pos_ in ("NOUN", "PROPN")) + (low,)
            for c in left:
                mi = self.tok_mention.get(c.i)
                if mi is not None:
                    mm = self.x.mentions[mi]
                    country = mm.gaz_id if mm.label == "Country" else mm.country
                    if mm.label != "Country" and mm.gaz_id:
                        country = country or (self.gaz.entries[mm.gaz_id].country if mm.gaz_id in self.gaz.entries else None)
                else:
                    country = country or self.gaz.country_of_demonym(c.text)
            start = min(c.i for c in (det, *left))
            end = tok.i + 1
            if title_of is not None:  # "the Chief of Army Staff": the title's words all count
                end = self._title_end[title_of.i]
                words += tuple(t.lower_ for t in self.sdoc[tok.i + 1 : end] if t.pos_ in ("NOUN", "PROPN"))
            span = self.sdoc[start:end]
            label = "Person" if is_person else next((t for t in types or () if t in PLACE_TYPES), "Organization")
            if taken is not None:
                m = self.x.mentions[taken]
                m.text, m.start, m.end, m.kind, m.label = span.text, span.start_char, span.end_char, "role", label
                m.role_words = words
                self.spans[taken] = span
                idx = taken
            else:
                idx = self._add_mention(span, label, kind="role", role_words=words)
            self.x.mentions[idx].country = country

    def _governments(self) -> None:
        """"the government of Pakistan" is a mention of Pakistan as an actor."""
        for mi, (m, span) in enumerate(zip(self.x.mentions, self.spans)):
            if m.label != "Country" or m.kind != "name":
                continue
            prep = span.root.head
            gov = prep.head
            if span.root.dep_ != "pobj" or prep.lower_ != "of" or gov.lower_ not in self.lex.government_nouns:
                continue
            det = next((c for c in gov.children if c.dep_ == "det"), None)
            whole = self.sdoc[(det or gov).i : span.end]
            m.text, m.start = whole.text, whole.start_char
            self.spans[mi] = whole
            for t in whole:
                self.tok_mention.setdefault(t.i, mi)

    def _not_a_title(self, title: str) -> bool:
        """A phrase the parse offered as a title that is a circumstance ("at the General
        Headquarters on Wednesday"), not an office."""
        words = title.split()
        return not words or words[0] in self.lex.not_title_starts

    def _title_of(self, tok: Token) -> Token | None:
        """The "of" of a capitalised office title that names no organisation ("the Chief of Army
        Staff"), so the whole title is one description of its holder."""
        if not tok.is_title:
            return None
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if prep is None:
            return None
        # the title runs on over capitalised words, up to a name or punctuation ("..., General X")
        sub = []
        for t in self.sdoc[prep.i + 1 : prep.right_edge.i + 1]:
            if not t.is_title or t.i in self.tok_mention or self._rank_at(t.i, len(self.sdoc)):
                break
            sub.append(t)
        # a title run straight into a name ("Chief of Army Staff General Asim Munir") is part of
        # that name's mention, not a description of its own
        nxt = sub[-1].i + 1 if sub else None
        if sub and (nxt >= len(self.sdoc) or self.sdoc[nxt].is_punct
                    or (not self._rank_at(nxt, len(self.sdoc)) and nxt not in self.tok_mention
                        and sub[-1].i == prep.right_edge.i)):
            self._title_end[prep.i] = sub[-1].i + 1
            return prep
        return None

    def _bare_head(self, tok: Token) -> bool:
        """A capitalised description noun standing alone, not inside a title or name ("Chief of
        Army Staff")."""
        prev = self.sdoc[tok.i - 1] if tok.i else None
        return (tok.is_title and not tok.is_sent_start and tok.i not in self.tok_mention
                and not (tok.head is not tok and tok.head.is_title)
                and (prev is None or (prev.lower_ not in self.lex.connectors and not prev.is_title)))

    def _bare_description(self, mi: int, is_person: bool) -> bool:
        """A one-word name the model found that is only a description noun ("the Guards")."""
        m, span = self.x.mentions[mi], self.spans[mi]
        return (not is_person and m.kind == "name" and not m.gaz_id and len(span) == 1
                and span[0].i > 0 and self.sdoc[span[0].i - 1].lower_ == "the")

    def _metonymy(self) -> None:
        """A capital named as an actor stands for its country: "Tehran lists ...", "ties with
        Islamabad", "Kabul's response"; a capital as a place ("in Tehran") stays a city."""
        for m, span in zip(self.x.mentions, self.spans):
            if m.kind != "name" or m.label not in ("City", "Place", "Organization") or span.start in self.datelines:
                continue
            country = self.gaz.capital_of(m.text)
            if country and self._acts(span.root):
                m.label, m.gaz_id, m.kind = "Country", country, "metonym"

    def _acts(self, tok: Token) -> bool:
        lex = self.lex
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head  # "Islamabad, Riyadh and Abu Dhabi all deny"
        dep, head = tok.dep_, tok.head
        if dep == "nsubj":
            return head.lemma_.lower() not in lex.city_verbs
        if dep == "poss":
            return head.lower_ not in lex.city_nouns and head.i not in self.tok_mention
        if dep == "dobj":
            return head.lemma_.lower() in lex.object_verbs
        if dep == "pobj":
            if head.dep_ == "agent":
                return True  # "a deadline set by Washington"
            gov = head.head
            if f"{gov.lemma_.lower()} {head.lower_}" in lex.object_phrasal:
                return True  # "turned on Islamabad", "called on Kabul"
            if head.lower_ in ("with", "between"):
                # "ties with Tehran", or "welcomed cooperation with Islamabad" (the verb's object)
                objs = [c for c in gov.children if c.dep_ == "dobj"]
                objs += [c for o in objs for c in o.conjuncts]
                words = {gov.lower_, gov.lemma_.lower()} | {o.lower_ for o in objs}
                return bool(words & lex.relation_words)
        return False

    def _datelines(self) -> None:
        """"TEHRAN -", "ISLAMABAD, Dec. 12 -": the capitalised place a report opens with."""
        doc, text = self.sdoc, self.d.text
        for sent in self.sents[:8]:
            if sent.start_char > 0 and text[sent.start_char - 1] != "\n":
                continue  # a dateline opens a paragraph
            toks = []
            for t in sent:
                if t.is_upper and t.is_alpha and len(t) > 1:
                    toks.append(t)
                else:
                    break
            if not toks or len(toks) > 3:
                continue
            nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
            if nxt is None or nxt.text not in (",", "-", "\u2013", "\u2014", "(", ":"):
                continue
            span = doc[toks[0].i : toks[-1].i + 1]
            hit = self.gaz.lookup(span.text)  # case-insensitive
            label, gaz_id = ("City", None) if hit is None else (hit.type, hit.id)
            self.x.dateline = self._add_mention(span, label, gaz_id=gaz_id)
            self.datelines.add(span.start)
            return

    # -- roles ---------------------------------------------------------------------------
    def roles(self) -> None:
        for pi, (m, span) in enumerate(zip(self.x.mentions, self.spans)):
            if m.label != "Person" or m.kind != "name":
                continue
            self._title_before(pi, span)
            self._appositive_roles(pi, span)

    def _title_before(self, pi: int, span: Span) -> None:
        """A title phrase right before a name: "Iran's Interior Minister Ahmad Vahidi"."""
        doc, lex = self.sdoc, self.lex
        i = span.start - 1
        toks: list[Token] = []
        owner = None
        while i >= 0:
            t = doc[i]
            dm = self.tok_mention.get(i)
            if dm is not None and self.x.mentions[dm].kind == "demonym":
                owner = dm
                break
            if t.is_sent_start and t.i != span.start:
                if t.is_title or t.is_upper:
                    toks.append(t)
                break
            if t.text in ("'s", "\u2019s"):
                owner = self.tok_mention.get(i - 1)
                break
            mi = self.tok_mention.get(i)
            if mi is not None and self.x.mentions[mi].label == "Person":
                break
            if mi is not None and self.x.mentions[mi].kind == "demonym":
                owner = mi
                break
            if t.is_title or t.is_upper or t.lower_ in lex.connectors or t.text == "-":
                toks.append(t)
                i -= 1
                continue
            break
        toks.reverse()
        while toks and (toks[0].lower_ in lex.connectors or toks[0].text == "-"):
            toks.pop(0)
        if not toks:
            return
        # split a trailing rank/honorific run ("Brigadier-General Seyyed") from the office
        rank_start = len(toks)
        j = 0
        while j < len(toks):
            n = self._rank_at(toks[j].i, toks[-1].i + 1)
            if n and j + n <= len(toks):
                if rank_start == len(toks) or rank_start > j:
                    rank_start = min(rank_start, j)
                j += n
            else:
                rank_start = len(toks)
                j += 1
        office, rank = toks[:rank_start], toks[rank_start:]
        if office and not any(t.lower_ in lex.office_heads for t in office):
            office = []
        if not office and not rank:
            return
        org = None
        for t in office:
            mi = self.tok_mention.get(t.i)
            if mi is not None and self.x.mentions[mi].label != "Person":
                org = mi
                if self.x.mentions[mi].label != "Country":
                    break
        country = None
        if owner is not None:
            om = self.x.mentions[owner]
            if om.label == "Country":
                country = om.gaz_id
            if org is None:
                org = owner if om.kind != "demonym" else None
        title = doc[office[0].i : office[-1].i + 1].text if office else ""
        rank_text = doc[rank[0].i : rank[-1].i + 1].text if rank else None
        if title or rank_text:
            s, e = (office or rank)[0].idx, span.end_char
            if title and self._not_a_title(title):
                return
            self.x.roles.append(Role(pi, title, org, None, rank_text, self.sent_of[span.start], s, e, country))

    def _appositive_roles(self, pi: int, span: Span) -> None:
        """Roles in apposition: "X, commander of the IRGC" and "the Chief of ..., General X"."""
        root = span.root
        cands = []
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
            cands.append(root.head)
        cands += [c for c in root.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")]
        before = len(self.x.roles)
        for head in cands:
            if head.lower_ not in self.lex.office_heads and not head.lower_.startswith("commander"):
                continue
            skip = set(t.i for t in root.subtree) if head is root.head else set()
            toks = [t for t in head.subtree if t.i not in skip and t.i not in range(span.start, span.end)]
            toks = [t for t in toks if t.i >= head.left_edge.i]
            # contiguous phrase around the head, without leading determiners and edge punctuation
            toks.sort(key=lambda t: t.i)
            phrase = []
            for t in toks:
                if phrase and t.i != phrase[-1].i + 1:
                    if t.i > head.i:
                        break
                    phrase = []
                phrase.append(t)
            while phrase and (phrase[0].dep_ in ("det", "punct") or phrase[0].text in ("'s",)):
                phrase.pop(0)
            while phrase and (phrase[-1].is_punct and phrase[-1].text != ")"):
                phrase.pop()
            if not phrase:
                continue
            owner_country = None
            org = None
            ents_in = [self.tok_mention[t.i] for t in phrase if t.i in self.tok_mention]
            # the possessor before the office ("Pakistan's Chief of Army Staff") is the owner
            title_start = 0
            first_office = next((k for k, t in enumerate(phrase) if self._is_office(t)), len(phrase))
            poss_org = None
            for k, t in enumerate(phrase[:first_office]):
                if t.text in ("'s", "\u2019s"):
                    title_start = k + 1
                    om = self.tok_mention.get(phrase[k - 1].i) if k else None
                    if om is not None and self.x.mentions[om].label == "Country":
                        owner_country = self.x.mentions[om].gaz_id
                    elif om is not None and self.x.mentions[om].label != "Person":
                        poss_org = om  # "the group's spokesman", "the TTP's spokesman"
            # the last organisation named, the outer one first ("the Guards' ground forces")
            for mi in sorted(set(ents_in), key=lambda k: (self.x.mentions[k].label not in PLACE_TYPES,
                                                          self.spans[k].end, len(self.spans[k])), reverse=True):
                mm = self.x.mentions[mi]
                if mm.label != "Person" and mm.kind != "demonym" and self.spans[mi].start >= phrase[title_start].i:
                    org = mi
                    if mm.label != "Country":
                        break
            if org is None:
                org = poss_org
            if org is None:
                for mi in ents_in:
                    if self.x.mentions[mi].label == "Country":
                        org = mi
            title_toks = phrase[title_start:]
            # the office title stops before "of <organisation>"
            title_toks = _until_comma(title_toks)
            cut = _cut_before_org(title_toks, org, self.tok_mention)
            title = " ".join(t.text for t in title_toks[:cut]).replace(" - ", "-").strip()
            if not title:
                continue
            s = phrase[0].idx
            e = phrase[-1].idx + len(phrase[-1].text)
            if self._not_a_title(title):
                continue
            self.x.roles.append(Role(pi, title, org, None, None, self.sent_of[head.i], min(s, span.start_char),
                                     max(e, span.end_char), owner_country))
            self._mark_role_phrase(phrase, pi)
        if len(self.x.roles) == before:
            self._surface_apposition(pi, span)

    def _mark_role_phrase(self, phrase: list[Token], pi: int) -> None:
        for t in phrase:
            if t.lower_ in self.lex.office_heads or t.lower_.startswith("commander"):
                self.role_person.setdefault(t.i, pi)

    def _surface_apposition(self, pi: int, span: Span) -> None:
        """Appositions the parser missed, read from punctuation: "ROLE, [rank] NAME," and
        "NAME, ROLE,"; the role phrase must contain an office word."""
        doc, lex = self.sdoc, self.lex
        sent = self.sents[self.sent_of[span.start]]
        # "ROLE, [rank] NAME": skip a rank before the name, then expect a comma
        j = span.start - 1
        while j > sent.start and (doc[j].is_title or doc[j].text == "-") and self._rank_before(j):
            j -= 1
        phrases = []
        if j > sent.start and doc[j].text == ",":
            k = j - 1
            while k >= sent.start and not (doc[k].is_punct and doc[k].text not in ("-", "(", ")", "'s")) \
                    and doc[k].lower_ not in ("between", "and", "with", "by", "to", "from") and doc[k].pos_ not in ("VERB", "AUX"):
                k -= 1
            phrases.append(list(doc[k + 1 : j]))
        # "NAME, ROLE,"
        j = span.end
        if j < sent.end and doc[j].text == ",":
            k = j + 1
            while k < sent.end and not (doc[k].is_punct and doc[k].text not in ("-", "(", ")", "'s")) and doc[k].pos_ not in ("VERB", "AUX"):
                k += 1
            if doc[j + 1].pos_ != "CCONJ":
                phrases.append(list(doc[j + 1 : k]))
        for phrase in phrases:
            while phrase and phrase[0].dep_ in ("det",) or (phrase and phrase[0].lower_ in ("the", "a", "an", "his", "her", "its", "their")):
                phrase.pop(0)
            while phrase and phrase[-1].text in ("(", "-"):
                phrase.pop()
            if not phrase or not any(t.lower_ in lex.office_heads or t.lower_.startswith("commander") for t in phrase):
                continue
            if any(self.tok_mention.get(t.i) is not None and self.x.mentions[self.tok_mention[t.i]].label == "Person" for t in phrase):
                continue
            owner_country, org, title_start = None, None, 0
            first_office = next((k for k, t in enumerate(phrase) if self._is_office(t)), len(phrase))
            for k, t in enumerate(phrase[:first_office]):
                if t.text in ("'s", "\u2019s") and k:
                    title_start = k + 1
                    om = self.tok_mention.get(phrase[k - 1].i)
                    if om is not None and self.x.mentions[om].label == "Country":
                        owner_country = self.x.mentions[om].gaz_id
            title_toks = _until_comma(phrase[title_start:])
            ents_in = [self.tok_mention[t.i] for t in title_toks if t.i in self.tok_mention]
            for mi in dict.fromkeys(ents_in):
                if self.x.mentions[mi].kind != "demonym":
                    org = mi
                    if self.x.mentions[mi].label != "Country":
                        break
            cut = _cut_before_org(title_toks, org, self.tok_mention)
            title = doc[title_toks[0].i : title_toks[cut - 1].i + 1].text if cut else ""
            if not title or not any(t.lower_ in lex.office_heads or t.lower_.startswith("commander") for t in title_toks[:cut]):
                continue
            if org is None and owner_country is not None:
                org = self.tok_mention.get(phrase[title_start - 2].i) if title_start >= 2 else None
            if self._not_a_title(title):
                continue
            self.x.roles.append(Role(pi, title, org, None, None, self.sent_of[span.start], phrase[0].idx,
                                     span.end_char, owner_country))
            self._mark_role_phrase(phrase, pi)

    def _is_office(self, t: Token) -> bool:
        return t.lower_ in self.lex.office_heads or t.lower_.startswith("commander")

    def _rank_before(self, j: int) -> bool:
        if not 0 <= j < len(self.lowers):
            return False
        lowers = self.lowers
        for seq in self.ranks_to.get(lowers[j], ()):
            n = len(seq)
            if j - n + 1 >= 0 and tuple(lowers[j - n + 1 : j + 1]) == seq:
                return True
        return False

    # -- argument resolution -------------------------------------------------------------
    def args(self, tok: Token, depth: int = 0) -> list[int]:
        """The mentions a syntactic argument denotes, following conjunctions and the nouns
        that stand for a group ("militants belonging to X", "delegations from A, B and C")."""
        if depth > 4:
            return []
        out: list[int] = []
        mi = self.tok_mention.get(tok.i)
        if mi is not None:
            m = self.x.mentions[mi]
            if m.kind == "demonym":
                mi = None
            elif m.label != "Person" or m.kind == "role":
                # a role noun with an appositive name: "his counterpart, General X"
                for c in tok.children:
                    if c.dep_ == "appos" and self.tok_mention.get(c.i) is not None:
                        pm = self.tok_mention[c.i]
                        if self.x.mentions[pm].label == "Person":
                            mi = pm
        if mi is None:
            for c in tok.children:
                if c.dep_ == "appos":
                    cm = self.tok_mention.get(c.i)
                    if cm is not None and self.x.mentions[cm].kind != "demonym":
                        mi = cm
                        break
        if mi is None and tok.i in self.role_person:
            mi = self.role_person[tok.i]
        if mi is None and tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i in self.tok_mention:
            hm = self.tok_mention[tok.head.i]
            if self.x.mentions[hm].kind != "demonym":
                return [hm]  # "Sistan-Baluchestan, a province of Iran that ...": the named one
        if mi is None and tok.tag_ in ("PRP", "PRP$"):
            mi = self._antecedent(tok)
        if mi is None and tok.i not in self.tok_mention and tok.lemma_.lower() in self.lex.pairs:
            out += self._pair(tok)
        if mi is not None and self.spans[mi].root.dep_ == "amod" and self.x.mentions[mi].label != "Person":
            mi = None  # adjectives tagged as a name ("Sunni Baluchi group")
        if mi is None and tok.i not in self.tok_mention and tok.pos_ == "NOUN":
            for c in tok.children:
                if c.dep_ == "amod" and c.i in self.tok_mention:
                    dm = self.tok_mention[c.i]
                    if self.x.mentions[dm].kind == "demonym" and tok.lower_ in self.lex.forces:
                        out.append(dm)  # "the Iranian forces" act for Iran
        if mi is None and tok.pos_ in ("NOUN", "PROPN") and tok.i not in self.tok_mention:
            poss = []
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "from", "to"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            out += self.args(p, depth + 1)
                elif c.dep_ == "acl" and c.lemma_ in ("belong", "affiliate", "link", "loyal"):
                    for p in c.children:
                        if p.dep_ == "prep":
                            for q in p.children:
                                if q.dep_ == "pobj":
                                    out += self.args(q, depth + 1)
                elif c.dep_ in ("compound", "nmod") and c.i in self.tok_mention:
                    cm = self.tok_mention[c.i]
                    if self.x.mentions[cm].kind != "demonym" and self.spans[cm].root.dep_ != "amod":
                        out.append(cm)
                elif c.dep_ == "poss" and c.i in self.tok_mention:
                    poss.append(self.tok_mention[c.i])
            if not out:
                out += [p for p in poss if self.x.mentions[p].kind != "demonym"]
        if mi is not None:
            out.append(mi)
        for c in tok.children:
            if c.dep_ == "conj":
                out += self.args(c, depth + 1)
        if mi is not None and self.x.mentions[mi].label == "Person":
            # "met Imran Khan, his counterpart Shah Mehmood Qureshi and General Bajwa": the parser
            # takes a list of people for appositions; another name there is another person
            for a in (c for c in tok.children if c.dep_ == "appos"):
                for b in [a, *(g for g in a.children if g.dep_ == "appos")]:
                    bm = self.tok_mention.get(b.i)
                    if bm is not None and bm != mi and self.x.mentions[bm].label == "Person" \
                            and self.x.mentions[bm].kind == "name":
                        out.append(bm)
                    out += [m for g in b.children if g.dep_ == "conj" for m in self.args(g, depth + 1)]
        return list(dict.fromkeys(out))

    def _antecedent(self, tok: Token) -> int | None:
        """The mention a third-person pronoun stands for: the nearest earlier person ("he", "his")
        or organisation ("it", "its", "they") in this sentence or the two before, subjects first.

        Only subjects and possessors are resolved, where the nearest fitting name is usually right.
        """
        word = tok.lower_
        if word in self.lex.person_pronouns:
            fits = lambda m: m.label == "Person"  # noqa: E731
        elif word in self.lex.group_pronouns:
            fits = lambda m: m.label in ORG_TYPES  # noqa: E731
        else:
            return None
        if tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return None
        first = self.sents[max(0, self.sent_of[tok.i] - 2)].start
        best, best_key = None, None
        for j in range(tok.i - 1, first - 1, -1):
            mi = self.tok_mention.get(j)
            if mi is None and j in self.role_person:
                mi = self.role_person[j]
            if mi is None:
                continue
            m = self.x.mentions[mi]
            if m.kind == "demonym" or not fits(m):
                continue
            span = self.spans[mi]
            subject = span.root.dep_ in ("nsubj", "nsubjpass")
            key = (self.sent_of[j] == self.sent_of[tok.i] or subject, -(tok.i - j))
            if best_key is None or key > best_key:
                best, best_key = mi, key
        return best

    def _pair(self, tok: Token) -> list[int]:
        """"the two sides", "both countries", "the two commanders": the two most recent distinct
        entities of the kind the noun names (pairs in lexicon.toml), when exactly two are in play."""
        if not any((c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet") and c.lower_ == "both")
                   for c in tok.children):
            return []
        kinds = self.lex.pairs[tok.lemma_.lower()]
        found: list[int] = []
        keys: list[str] = []
        for j in range(tok.i - 1, -1, -1):
            mi = self.tok_mention.get(j)
            if mi is None and j in self.role_person:
                mi = self.role_person[j]
            if mi is None:
                continue
            m = self.x.mentions[mi]
            if m.label not in kinds:
                continue
            key = m.gaz_id or normalize(m.text).split()[-1]
            if m.kind == "demonym" and m.label == "Country":
                pass  # "the Iranian side" still names Iran as one of the two
            if key in keys:
                continue
            keys.append(key)
            found.append(mi)
            if len(found) == 2:
                break
        return [m for m in found if self.x.mentions[m].kind != "demonym"] if len(found) == 2 else []

    def _subject(self, verb: Token, depth: int = 0) -> tuple[list[int], Token | None]:
        """The subject of a verb, inherited through control, coordination and participles."""
        if depth > 4:
            return [], None
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj"):
                if c.tag_ == "WDT" or c.lower_ in ("who", "which", "that"):
                    if verb.dep_ == "relcl":
                        return self.args(verb.head), verb.head
                    if verb.dep_ == "ccomp" and verb.head.dep_ == "relcl":
                        # "X, which Iran says operates from Y": the relative clause's noun
                        return self.args(verb.head.head), verb.head.head
                return self.args(c), c
        if verb.dep_ == "xcomp":
            for c in verb.head.children:
                if c.dep_ == "dobj":
                    return self.args(c), c
        if verb.dep_ == "relcl":
            return self.args(verb.head), verb.head
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl") and verb.head is not verb:
            head = verb.head
            if head.dep_ == "prep" or head.pos_ == "ADP":
                head = head.head
            if head.pos_ in ("VERB", "AUX"):
                for c in head.children:
                    if c.dep_ == "nsubjpass":
                        return self.args(c), c
                return self._subject(head, depth + 1)
            if verb.dep_ == "acl":
                return self.args(head), head
        return [], None

    def _slot(self, trig: Token, slot: str, is_noun: bool) -> list[int]:
        if slot == "nsubj":
            return [] if is_noun else self._subject(trig)[0]
        if slot in ("dobj", "nsubjpass", "attr", "poss"):
            return [m for c in trig.children if c.dep_ == slot for m in self.args(c)]
        if slot == "agent":
            return [m for c in trig.children if c.dep_ == "agent" for p in c.children
                    if p.dep_ == "pobj" for m in self.args(p)]
        if slot.startswith("prep:"):
            words = slot.split(":")[1:]
            out = []
            frontier = [trig]
            gov = self._governor(trig) if is_noun and trig.dep_ == "dobj" else None
            if gov is not None and gov.lemma_ in self.trig.light_verbs:
                frontier.append(gov)  # "held talks on Tuesday with X": the phrase hangs on the verb
            for w in words:
                nxt = []
                for f in frontier:
                    for c in f.children:
                        if c.dep_ in ("prep", "agent") and c.lower_ == w:
                            # "with A, with B and with C": coordinated prepositions too
                            for prep in [c, *(g for g in c.children if g.dep_ == "conj" and g.lower_ == w)]:
                                nxt += [p for p in prep.children if p.dep_ == "pobj"]
                frontier = nxt
            for p in frontier:
                out += self.args(p)
            return out
        if slot == "host":
            return self._host(trig)
        return []

    @staticmethod
    def _prep_heads(trig: Token, is_noun: bool) -> list[Token]:
        """Where a verb trigger's place phrase may hang: the verb and its direct object.

        The parser often attaches the phrase to the object ("attacked a post near Saravan"), which
        for the event's place means the same as attaching it to the verb. Not for actor slots:
        "received a briefing on the army" does not meet the army.
        """
        if is_noun:
            return [trig]
        return [trig, *(c for c in trig.children if c.dep_ == "dobj")]

    def _governor(self, trig: Token) -> Token | None:
        """The verb a noun trigger hangs from, directly or through a preposition."""
        head = trig.head
        if trig.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
            return head
        if (trig.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "at", "during")
                and head.head.pos_ in ("VERB", "AUX")):
            return head.head
        return None

    def _host(self, trig: Token) -> list[int]:
        gov = self._governor(trig)
        if gov is None:
            return []
        if trig.dep_ == "dobj" and gov.lemma_ not in self.trig.light_verbs:
            return []
        subj, _ = self._subject(gov)
        if not subj:
            subj = [m for c in gov.children if c.dep_ == "nsubjpass" for m in self.args(c)] if trig.dep_ == "pobj" else []
        return subj

    # -- events --------------------------------------------------------------------------
    def events(self) -> None:
        title_end = len(self.d.title) if self.d.title and self.d.text.startswith(self.d.title) else -1
        nouns = self.trig.nouns
        for i, lemma in enumerate(self.lemmas):
            pos = self.pos[i]
            if pos != "VERB" and (pos != "NOUN" or lemma not in nouns):
                continue  # no frame below can match
            tok = self.toks[i]
            if tok.idx < title_end:
                continue  # headline grammar is too loose for event frames; the body restates it
            phrasal = next((f"{lemma} {c.lower_}" for c in tok.children if c.dep_ in ("prep", "prt")
                            and f"{lemma} {c.lower_}" in self.trig.verbs), None) if tok.pos_ == "VERB" else None
            if phrasal is not None:
                frames, is_noun = self.trig.verbs[phrasal], False
            elif tok.pos_ in ("VERB",) and lemma in self.trig.verbs:
                frames, is_noun = self.trig.verbs[lemma], False
            elif tok.pos_ == "NOUN" and lemma in self.trig.nouns:
                frames, is_noun = self.trig.nouns[lemma], True
            else:
                continue
            for frame in frames:
                ev = self._event(tok, frame, is_noun)
                if ev is not None:
                    self.x.events.append(ev)
                    break
        self._drop_claim_content()
        self._fold_casualties()
        self._victims_as_targets()
        self._responsibility()
        self._corefer_attacks()
        self._merge_same_events()
        self._reactions()

    def _event(self, tok: Token, frame: Frame, is_noun: bool) -> Event | None:
        sent_i = self.sent_of[tok.i]
        sent = self.sents[sent_i]
        roles: dict[str, list[int]] = {"agent": [], "participant": [], "target": [], "place": []}
        explicit_between = False
        hub: list[int] = []
        for slot, role in frame.slots.items():
            if role not in roles:
                continue
            if slot == "host":
                continue
            if slot in ("nsubj", "poss") and role == "participant":
                hub += self._slot(tok, slot, is_noun)
            if role == "place" and slot.startswith("prep:"):
                found = [m for h in self._prep_heads(tok, is_noun) for c in h.children
                         if c.dep_ == "prep" and c.lower_ == slot.split(":")[1]
                         for p in c.children if p.dep_ == "pobj" for m in self._place_args(p)]
            else:
                found = self._slot(tok, slot, is_noun)
            if slot == "prep:between" and found:
                explicit_between = True
                if len(found) < 2:
                    found += self._between_surface(tok, found)
            roles[role] += found
        host_role = frame.slots.get("host")
        if host_role in roles and not explicit_between:
            hosted = self._host(tok)
            roles[host_role] += hosted
            if host_role == "participant":
                hub += hosted
        # places: place slots give places; agents and targets must be actors
        places = [m for m in roles["place"] if self.x.mentions[m].label in PLACE_TYPES]
        for role in ("agent", "participant", "target"):
            keep = []
            for m in roles[role]:
                lab = self.x.mentions[m].label
                if lab in AGENT_TYPES or self.x.mentions[m].kind == "role":
                    keep.append(m)
                elif lab in PLACE_TYPES and role == "target" and frame.between in ("agent-target",):
                    keep.append(m)
                elif lab in PLACE_TYPES and role == "target" and frame.type in ("Visit",):
                    places.append(m)
            roles[role] = list(dict.fromkeys(keep))
        if frame.type == "Visit" and not places:
            places = [m for m in roles["target"] if self.x.mentions[m].label in PLACE_TYPES]
        casualties = self._counts(tok, frame)
        actors = roles["agent"] + roles["participant"] + roles["target"]
        if frame.type != "Statement" and not places:
            places = self._nearby_places(tok) or self._sentence_places(sent, actors)
        if not actors and not casualties and not (places and frame.type in ("Attack", "Clash")):
            return None
        if frame.type == "Statement" and not roles["agent"]:
            return None
        # symmetric events need two sides; agent-target events need an agent or a casualty
        if frame.between == "participants" and len(set(self._keys(roles["participant"]))) < 2 and frame.type not in ("Clash", "Meeting"):
            if frame.type != "Meeting" or not roles["participant"]:
                return None
        date, date_end, date_text = self._date(tok, sent, own_clause=frame.type == "Statement")
        conf = 0.9 if not is_noun else 0.8
        if any(c.dep_ == "neg" for c in tok.children):
            conf = 0.2
        hedges = self.lex.hedges
        if any(c.lower_ in hedges for c in tok.children) or any(c.lower_ in hedges for c in tok.head.children if tok.dep_ in ("xcomp", "ccomp")):
            conf = min(conf, 0.5)
        ev = Event(
            type=frame.type, trigger=tok.text, trigger_i=tok.i, sent=sent_i, start=sent.start_char, end=sent.end_char,
            agents=roles["agent"], participants=roles["participant"], targets=roles["target"],
            places=list(dict.fromkeys(places)), date=date, date_end=date_end,
            date_text=date_text, casualties=casualties, confidence=conf,
        )
        if frame.type == "Statement":
            ev.quote = self._quote(sent)
        else:
            speaker, denied = self._speaker(tok)
            if speaker is not None:
                ev.claimed_by = speaker
                ev.confidence = min(ev.confidence, 0.2 if denied else self.lex.reported_confidence)
            if denied or any(c.dep_ == "neg" for c in tok.children):
                ev.negated = True
        ev.relation, ev.between, ev.claim = frame.relation, frame.between, frame.claim
        ev.hub = [m for m in dict.fromkeys(hub) if m in ev.participants]
        return ev

    def _between_surface(self, tok: Token, found: list[int]) -> list[int]:
        """The other side of "between A and B" when the parser attached B elsewhere: the people
        (or role phrases standing for them) after the "and" that follows A."""
        sent = self.sents[self.sent_of[tok.i]]
        prep = next((c for c in tok.children if c.lower_ == "between"), None)
        if prep is None:
            return []
        out = []
        seen_and = False
        for t in self.sdoc[prep.i + 1 : sent.end]:
            if t.lower_ == "and" and t.dep_ in ("cc",):
                seen_and = True
                continue
            if not seen_and:
                continue
            if t.pos_ in ("VERB",) and t.dep_ not in ("amod", "compound"):
                break
            mi = self.tok_mention.get(t.i)
            if mi is not None and self.x.mentions[mi].label == "Person" and mi not in found + out:
                out.append(mi)
                break
            if t.i in self.role_person and self.role_person[t.i] not in found + out:
                out.append(self.role_person[t.i])
                break
        return out

    def _keys(self, mentions: list[int]) -> list[str]:
        return [normalize(self.x.mentions[m].text) for m in mentions]

    def _speaker_keys(self, mentions: list[int], full_names: dict[str, set[str]]) -> frozenset[str]:
        """Keys that read a bare surname as the one full name in this document that ends with it
        ("Zardani" is "Arif Zardani"); with two such names it stays apart."""
        out = set()
        for k in self._keys(mentions):
            names = full_names.get(k, set()) if " " not in k else set()
            out.add(next(iter(names)) if len(names) == 1 else k)
        return frozenset(out)

    def _counts(self, tok: Token, frame: Frame) -> list[Casualty]:
        kind = CASUALTY_KIND.get(frame.type)
        if kind is None:
            return []
        out = []
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "nsubj" and tok.tag_ == "VBN"):
                count = self._number(c)
                mentions = self.args(c)
                aff = mentions[0] if mentions else None
                if count is not None or c.pos_ == "NOUN":
                    who = c.lemma_ if c.pos_ == "NOUN" else ""
                    if c.pos_ == "NOUN" and c.tag_ == "NNS":
                        who = c.text.lower()
                    out.append(Casualty(kind, count, who.strip('"'), aff))
        return out

    def _number(self, tok: Token) -> int | None:
        for c in tok.children:
            if c.dep_ == "nummod":
                return _to_int(c.text)
        if tok.pos_ in ("NUM", "PRON", "DET") or tok.lower_ in NUMBERS:
            return _to_int(tok.text)
        return None

    def _date_ents(self, sent: Span) -> list[Span]:
        """The DATE entities within ``sent`` (as ``sent.ents`` has them), from one pass over the
        document's entities: ``Span.ents`` walks all of them at every call, once per event."""
        if self._dates_in is None:
            self._dates_in = {}
            for e in self.sdoc.ents:
                if e.label_ == "DATE":
                    self._dates_in.setdefault(self.sent_of.get(e.start, 0), []).append(e)
        i = self.sent_of.get(sent.start, 0)
        return [e for e in self._dates_in.get(i, ()) if sent.start <= e.start and e.end <= sent.end]

    def _date(self, tok: Token, sent: Span, own_clause: bool = False):
        """The date of an event: a DATE entity in the trigger's clause, else in its sentence.

        With ``own_clause`` (statements) no date of what is said: in "a woman was held two days
        ago, he said" and "he said that the guards were freed last year" the date is not the saying's.
        """
        ents = self._date_ents(sent)
        if ents and own_clause:
            ents = [e for e in ents if not _reported(tok, _clause_verb(e.root))]
        if not ents:
            return None, None, None
        ranked = ents
        if len(ents) > 1:
            # prefer dates inside the trigger's subtree or its governing verb's subtree: tested
            # by the date's ancestors, not by walking the subtree (a clause's subtree can be
            # most of a long sentence, and the test runs for every event)
            doc = tok.doc
            gov = tok.head if tok.pos_ == "NOUN" else tok

            def under(root: Token, i: int) -> bool:
                return i == root.i or root.is_ancestor(doc[i])

            ranked = sorted(ents, key=lambda e: (not under(tok, e.start), not under(gov, e.start), abs(e.start - tok.i)))
        for e in ranked:
            start, end = dates.resolve(e.text, self.x.ref_date)
            if start is not None:
                return start, end, e.text
        return None, None, ranked[0].text

    def _sentence_places(self, sent: Span, exclude: list[int]) -> list[int]:
        """Places named in a locative phrase anywhere in the sentence, when the trigger has none."""
        out = []
        for t in sent:
            mi = self.tok_mention.get(t.i)
            if mi is None or mi in exclude or self.x.mentions[mi].label not in PLACE_TYPES - {"Country"}:
                continue
            head = self.spans[mi].root
            while head.dep_ in ("compound", "appos", "pobj", "conj") and head.head is not head and head.dep_ != "pobj":
                head = head.head
            if head.dep_ == "pobj" and head.head.lower_ in ("in", "near", "at", "outside", "inside"):
                out.append(mi)
        return out

    def _nearby_places(self, tok: Token) -> list[int]:
        """Places in locative phrases of the trigger or its governing verb ("in Tehran")."""
        out = []
        heads = [tok] + ([tok.head] if tok.head is not tok else [])
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "near", "at", "outside", "inside"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            out += self._place_args(p)
        return out

    def _place_args(self, tok: Token) -> list[int]:
        """The most specific place in a locative noun phrase: Zahedan in "Iran's provincial
        capital of Zahedan"."""
        found = [m for m in self.args(tok) if self.x.mentions[m].label in PLACE_TYPES]
        inner = []
        for t in tok.subtree:
            mi = self.tok_mention.get(t.i)
            if mi is not None and self.x.mentions[mi].label in PLACE_TYPES and self.x.mentions[mi].kind != "demonym":
                if t.dep_ != "poss" and mi not in inner:
                    inner.append(mi)
        return inner or found

    def _quote(self, sent: Span) -> str | None:
        m = re.search(r"[\"\u201c]([^\"\u201d]{3,})[\"\u201d]?", sent.text)
        return m.group(1).strip() if m else None

    def _drop_claim_content(self) -> None:
        """"Iran accuses X of inciting locals to clash": the clash is what is alleged, not a
        reported event; the accusation keeps it."""
        claims = [self.sdoc[e.trigger_i] for e in self.x.events if e.claim]
        if not claims:
            return
        inside = {t.i for c in claims for t in c.subtree if t.i != c.i}
        self.x.events = [e for e in self.x.events if e.claim or e.trigger_i not in inside]

    def _fold_casualties(self) -> None:
        """Killing/arrest clauses without an agent of their own are casualty figures of the
        attack, clash or operation in the same sentence or the one before."""
        main_types = ("Attack", "Clash", "Operation")
        kept: list[Event] = []
        last_main: Event | None = None
        for ev in self.x.events:
            if ev.type in main_types:
                last_main = ev
            kept.append(ev)
        out = []
        for ev in kept:
            if ev.type in CASUALTY_KIND and ev.casualties:
                host = None
                same = [e for e in kept if e.type in main_types and e.sent == ev.sent]
                if same:
                    host = same[0]
                elif not ev.agents:
                    prev = [e for e in kept if e.type in main_types and ev.sent - 2 <= e.sent < ev.sent]
                    host = prev[-1] if prev else None
                if host is not None:
                    host.casualties += ev.casualties
                    if ev.agents and not host.agents:
                        host.agents = ev.agents
                    if ev.sent != host.sent and ev.sent not in host.extra_sents:
                        host.extra_sents.append(ev.sent)
                    continue
            out.append(ev)
        self.x.events = out

    def _victims_as_targets(self) -> None:
        """"killed 27 members of the IRGC": the group the victims belong to was the target."""
        for ev in self.x.events:
            if ev.type in VIOLENT:
                for c in ev.casualties:
                    if c.affiliation is not None and c.kind != "arrested" and c.affiliation not in ev.targets \
                            and c.affiliation not in ev.agents \
                            and self.x.mentions[c.affiliation].label in AGENT_TYPES - {"Country"}:
                        ev.targets.append(c.affiliation)

    def _attack_at(self, tok: Token | None) -> Event | None:
        """The violent event a phrase refers to: the one triggered by ``tok``, else the
        document's main one (the first with victims or targets, else the first)."""
        violent = [e for e in self.x.events if e.type in VIOLENT]
        if tok is not None:
            for e in violent:
                if e.trigger_i == tok.i:
                    return e
        main = [e for e in violent if e.targets or e.casualties]
        return (main or violent or [None])[0]

    def _responsibility(self) -> None:
        """Claims of responsibility make the claimant the agent of the attack: "X claimed
        (responsibility for) the attack", "a bombing claimed by X", "X said it was responsible".
        The claim itself is a Statement by X."""
        lex = self.lex
        attack_nouns = {w for w, frames in self.trig.nouns.items() if any(f.type in VIOLENT for f in frames)}
        for i, lemma in enumerate(self.lemmas):
            if not ((self.pos[i] == "VERB" and lemma in lex.responsibility_verbs)
                    or self.lowers[i] in lex.responsibility_adjectives):
                continue  # neither branch below can match
            tok = self.toks[i]
            claimant: list[int] = []
            target_tok: Token | None = None
            if tok.pos_ == "VERB" and lemma in lex.responsibility_verbs:
                objs = [c for c in tok.children if c.dep_ == "dobj"]
                obj = objs[0] if objs else None
                if obj is not None and obj.lemma_.lower() in lex.responsibility_nouns:
                    target_tok = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "for"
                                       for p in c.children if p.dep_ == "pobj"), None)
                elif obj is not None and obj.lemma_.lower() in attack_nouns:
                    target_tok = obj
                elif tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in attack_nouns:
                    target_tok = tok.head  # "a suicide bombing claimed by Jaish al-Adl"
                else:
                    continue
                by = [m for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                      for m in self.args(p)]
                claimant = by or ([] if tok.dep_ in ("acl",) else self._subject(tok)[0])
            elif tok.lower_ in lex.responsibility_adjectives and tok.dep_ == "acomp":
                claimant = self._subject(tok.head)[0]
                target_tok = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"
                                   for p in c.children if p.dep_ == "pobj"), None)
            else:
                continue
            claimant = [m for m in claimant if self.x.mentions[m].label in AGENT_TYPES - {"Country"}]
            if not claimant:
                continue
            ev = self._attack_at(target_tok)
            if ev is None:
                sent_i = self.sent_of[tok.i]
                sent = self.sents[sent_i]
                ev = Event("Attack", tok.text, sent_i, sent.start_char, sent.end_char, trigger_i=tok.i,
                           relation="attacks", between="agent-target", confidence=0.7)
                self.x.events.append(ev)
            ev.agents += [m for m in claimant if m not in ev.agents]

    def _corefer_attacks(self) -> None:
        """Definite or undated mentions of an attack ("the bombing", "last Wednesday's attack")
        are the document's main violent event when their dates do not disagree: one event with
        the agent from one sentence and the victims from another."""
        main = self._attack_at(None)
        if main is None:
            return
        out = []
        for ev in self.x.events:
            if ev is main or ev.type not in VIOLENT:
                out.append(ev)
                continue
            trig = self.sdoc[ev.trigger_i]
            definite = trig.pos_ == "NOUN" and any(
                c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) for c in trig.children)
            dated_apart = ev.date is not None and main.date is not None and ev.date != main.date
            counts_apart = any(c.count != d.count for c in ev.casualties for d in main.casualties if c.kind == d.kind
                               and c.count is not None and d.count is not None)
            if not definite or dated_apart or counts_apart:
                out.append(ev)
                continue
            for attr in ("agents", "targets", "places"):
                getattr(main, attr).extend(m for m in getattr(ev, attr) if m not in getattr(main, attr))
            main.casualties += [c for c in ev.casualties if c not in main.casualties]
            if main.date is None and ev.date is not None:
                main.date, main.date_end, main.date_text = ev.date, ev.date_end, ev.date_text
            if ev.type == "Attack":
                main.type, main.relation, main.between = "Attack", ev.relation, ev.between
            if ev.sent != main.sent and ev.sent not in main.extra_sents:
                main.extra_sents.append(ev.sent)
        self.x.events = out

    def _reactions(self) -> None:
        """Condemning or blaming an attack ("condemned the shelling") is aimed at whoever
        carried it out, when the text names them."""
        for ev in self.x.events:
            if ev.relation not in self.lex.reaction_predicates or ev.targets:
                continue
            trig = self.sdoc[ev.trigger_i]
            objs = [c for c in trig.children if c.dep_ == "dobj"]
            objs += [p for c in trig.children if c.dep_ == "prep" and c.lower_ in ("for", "over", "of")
                     for p in c.children if p.dep_ == "pobj"]
            for obj in objs:
                if obj.lemma_.lower() not in self.trig.nouns and obj.lemma_.lower() not in self.lex.attack_words:
                    continue
                attack = self._attack_at(obj)
                if attack is not None:
                    ev.targets += [m for m in attack.agents if m not in ev.targets and m not in ev.agents]
                    break

    def _merge_same_events(self) -> None:
        """Within one document: one event per type, date and overlapping actors; and one
        statement per speaker for plain reported speech."""
        full_names: dict[str, set[str]] = {}
        for m in self.x.mentions:
            words = normalize(m.text).split()
            if m.label == "Person" and len(words) > 1:
                full_names.setdefault(words[-1], set()).add(" ".join(words))
        out: list[Event] = []
        for ev in self.x.events:
            ev_keys = set(self._keys(ev.agents + ev.participants + ev.targets))
            speaker = self._speaker_keys(ev.agents, full_names) if _plain_speech(ev) else None
            twin = None
            for o in out:
                if speaker and _plain_speech(o) and (o.date == ev.date or None in (o.date, ev.date)) \
                        and self._speaker_keys(o.agents, full_names) == speaker:
                    twin = o  # what one speaker says in one article is one statement
                    break
                if o.type != ev.type or o.date != ev.date:
                    continue
                o_keys = set(self._keys(o.agents + o.participants + o.targets))
                if (o.sent == ev.sent and o.type != "Statement") or (ev_keys and ev_keys <= o_keys) or (o_keys and o_keys <= ev_keys):
                    if ev.type == "Statement" and o.sent != ev.sent:
                        continue
                    twin = o
                    break
            if twin is None:
                out.append(ev)
                continue
            for attr in ("agents", "participants", "targets", "places"):
                merged = getattr(twin, attr) + [m for m in getattr(ev, attr) if m not in getattr(twin, attr)]
                setattr(twin, attr, merged)
            twin.casualties += [c for c in ev.casualties if c not in twin.casualties]
            if ev.sent != twin.sent and ev.sent not in twin.extra_sents:
                twin.extra_sents.append(ev.sent)
            if twin.date is None and ev.date is not None:
                twin.date, twin.date_end, twin.date_text = ev.date, ev.date_end, ev.date_text
        self.x.events = out

    # -- relations without events --------------------------------------------------------
    def static_relations(self) -> None:
        relations = self.trig.relations
        for i, lemma in enumerate(self.lemmas):
            frames = relations.get(lemma) or relations.get(self.lowers[i])
            if not frames:
                continue
            tok = self.toks[i]
            for fr in frames:
                subj = self._rel_subject(tok, fr.predicate)
                objs: list[int] = []
                for slot in fr.objects:
                    objs += self._slot(tok, slot, tok.pos_ == "NOUN")
                    if slot.startswith("prep:"):
                        # "in cooperation with X": the preposition hangs from a noun under the word
                        for c in tok.children:
                            if c.dep_ == "prep":
                                for p in c.children:
                                    if p.dep_ == "pobj" and p.lemma_ in self.trig.relations:
                                        objs += self._slot(p, slot, True)
                for s in subj:
                    for o in objs:
                        if s != o:
                            self._relation(*((o, fr.predicate, s) if fr.inverse else (s, fr.predicate, o)), tok)
                # "cooperation between A and B": every pair, when the frame has no subject
                sides = objs if not subj else []
                if len(sides) > 1 and fr.predicate in self.lex.symmetric_relations:
                    for a in sides:
                        for b in sides:
                            if a < b:
                                self._relation(a, fr.predicate, b, tok)
        self._place_relations()

    def _rel_subject(self, tok: Token, predicate: str) -> list[int]:
        if tok.pos_ in ("VERB", "AUX"):
            subj, _ = self._subject(tok)
            if subj:
                return subj
            return [m for c in tok.children if c.dep_ == "nsubjpass" for m in self.args(c)]
        # a noun's possessor first: "the Guards' base in Rask" is the Guards', whoever the verb's
        # subject; when the ontology lets it be the relation's subject ("the army's border" is not)
        if tok.pos_ in ("NOUN", "PROPN"):
            owner = [m for c in tok.children if c.dep_ == "poss" for m in self.args(c)
                     if fits(predicate, self.x.mentions[m].label, None)]
            if owner:
                return owner
        # adjectives and nouns: the noun they describe, or the subject of "X is a ... group"
        head = tok.head if tok.dep_ in ("amod", "acl", "acomp", "dobj", "pobj", "attr", "nsubj", "appos") else tok
        if tok.dep_ == "pobj":
            head = head.head  # through the preposition
        for _ in range(3):
            found = self.args(head)
            if found:
                return found
            if head.dep_ in ("attr", "acomp", "dobj") and head.head.pos_ in ("VERB", "AUX"):
                subj, _ = self._subject(head.head)
                return subj
            if head.dep_ == "relcl" or head.pos_ in ("VERB", "AUX"):
                subj, _ = self._subject(head)
                return subj
            if head.head is head:
                break
            head = head.head
        return []

    def _place_relations(self) -> None:
        """partOf / locatedIn from possessives and "of" phrases: "Iran's Sistan-Baluchestan
        province", "Iran's provincial capital of Zahedan"."""
        for mi, (m, span) in enumerate(zip(self.x.mentions, self.spans)):
            if m.label not in ("Province", "City", "Place", "BorderArea") or m.kind != "name":
                continue
            head = self._np_head(span)
            for t in (*head.children, *span.root.children):
                if t.dep_ != "poss":
                    continue
                oi = self.tok_mention.get(t.i)
                if oi is None or oi == mi:
                    continue
                om = self.x.mentions[oi]
                if om.label in ("Country", "Province"):
                    pred = "partOf" if m.label == "Province" and om.label == "Country" else "locatedIn"
                    self._relation(mi, pred, oi, head)
        self._containment()

    def _containment(self) -> None:
        """locatedIn / partOf between places from the shape of the noun phrase: "Mirjaveh in
        Sistan-Baluchestan province", "CHAMAN, Balochistan", "Zahedan, the capital of Sistan-
        Baluchestan", "the town of Mirjaveh in ...", "the Balochistan border town of Chaman",
        "the Mirjaveh area of ...". The container must rank above the contained place
        (place_ranks in lexicon.toml), so lists of peers ("Zahedan, Mashhad") give nothing."""
        ranks = self.lex.place_ranks
        nouns = self.lex.place_nouns
        for mi, (m, span) in enumerate(zip(self.x.mentions, self.spans)):
            if m.kind != "name" or m.label not in ranks:
                continue
            root = span.root
            anchors = [root]
            # the place noun the name hangs from: "the town of X", "the X area", "border town of X"
            if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_ in nouns:
                anchors.append(root.head.head)
            if root.dep_ == "compound" and root.head.lemma_ in nouns:
                anchors.append(root.head)
            containers: list[int] = []
            for a in anchors:
                for c in a.children:
                    if c.dep_ == "prep" and c.lower_ in ("in", "of") and not (a is root and c.lower_ == "of"):
                        containers += [o for p in c.children if p.dep_ == "pobj" for o in self._place_args(p)]
                    elif c.dep_ == "appos":
                        cm = self.tok_mention.get(c.i)
                        if cm is not None:
                            containers.append(cm)
                        elif c.lemma_ in nouns:  # "X, the capital of Y"
                            containers += [o for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                                           for q in p.children if q.dep_ == "pobj" for o in self._place_args(q)]
                    elif a is not root and c.dep_ in ("compound", "poss", "nmod") and c.i in self.tok_mention:
                        containers.append(self.tok_mention[c.i])
            # "CHAMAN, Balochistan": a name, a comma, a bigger place and no list going on
            end = span.end
            if end + 1 < len(self.sdoc) and self.sdoc[end].text == "," and (end + 1) in self.tok_mention:
                ci = self.tok_mention[end + 1]
                after = self.spans[ci].end
                if after >= len(self.sdoc) or self.sdoc[after].text not in (",", "and", "or"):
                    containers.append(ci)
            for ci in dict.fromkeys(containers):
                c = self.x.mentions[ci]
                if ci == mi or c.kind == "demonym" or c.label not in ranks or ranks[c.label] <= ranks[m.label]:
                    continue
                pred = "partOf" if m.label == "Province" and c.label == "Country" else "locatedIn"
                self._relation(mi, pred, ci, root)

    def _speaker(self, tok: Token) -> tuple[int | None, bool]:
        """Who a clause is reported from: "Iran says X operates from Pakistan" gives Iran; the
        flag is True when the speaker denies it ("Islamabad denied that ..."). The nearest
        reporting verb above ``tok`` (lexicon [claims] reporting/denying) decides."""
        lex = self.lex
        cur = tok
        for _ in range(8):
            head = cur.head
            if head is cur:
                break
            lemma = head.lemma_.lower()
            if head.pos_ in ("VERB", "AUX") and (lemma in lex.reporting or lemma in lex.denying) \
                    and cur.dep_ in ("ccomp", "parataxis"):
                subj = [m for m in self._subject(head)[0] if self.x.mentions[m].kind != "demonym"]
                if not subj:
                    subj = [m for c in head.children if c.dep_ == "agent" for p in c.children
                            if p.dep_ == "pobj" for m in self.args(p)]
                return (subj[0] if subj else None), lemma in lex.denying
            cur = head
        return None, False

    def _relation(self, s: int, pred: str, o: int, tok: Token, conf: float = 0.8) -> None:
        sent_i = self.sent_of[tok.i]
        sent = self.sents[sent_i]
        neg = any(c.dep_ == "neg" for c in tok.children)
        for r in self.x.relations:
            if (r.subject, r.predicate, r.object, r.sent) == (s, pred, o, sent_i):
                return
        speaker, denied = self._speaker(tok)
        if speaker in (s, o):
            speaker = None  # "X said it was based in Y": X speaks of itself; kept as reported
        if denied:
            neg = True
        if any(c.lower_ in self.lex.hedges for c in tok.children):
            conf = min(conf, 0.5)
        if speaker is not None:
            conf = min(conf, self.lex.reported_confidence)
        self.x.relations.append(Relation(s, pred, o, sent_i, sent.start_char, sent.end_char,
                                         0.2 if neg else conf, claimed_by=speaker, negated=neg))

    def run(self) -> Extraction:
        self.mentions()
        self.roles()
        self._expand_titles()
        self.events()
        self.static_relations()
        return self.x


def _expand(title: str, acronyms: dict[str, str]) -> str:
    return " ".join(acronyms.get(w.lower().strip("."), w) for w in title.split())


def _plain_speech(ev: Event) -> bool:
    """A statement that only reports speech: no target and no relation (not a warning or a
    condemnation, which stay events of their own)."""
    return ev.type == "Statement" and ev.relation is None and not ev.targets and not ev.negated


def _until_comma(toks: list[Token]) -> list[Token]:
    for k, t in enumerate(toks):
        if t.text == ",":
            return toks[:k]
    return toks


def _cut_before_org(title: list[Token], org: int | None, tok_mention: dict[int, int]) -> int:
    """Where an office title ends: before the "of" that introduces its organisation ("Chief of
    Army Staff | of the Pakistan Army"), the one right before the organisation's name, so an "of"
    inside that name ("the Islamic Republic of Iran Army") stays in the name."""
    if org is None:
        return len(title)
    cut = len(title)
    for k, t in enumerate(title):
        if t.lower_ != "of":
            continue
        rest = [r for r in title[k + 1 :] if r.lower_ != "the"][:1]
        if rest and tok_mention.get(rest[0].i) == org and \
                (rest[0].i == 0 or tok_mention.get(rest[0].i - 1) != org):
            return k  # the organisation's name starts right after this "of"
        if any(tok_mention.get(r.i) == org for r in title[k + 1 :]):
            cut = k
    return cut



def _reported(say: Token, verb: Token) -> bool:
    """Whether the clause of ``verb`` is what ``say`` reports: its complement ("said that ...") or,
    in "..., he said", the clause ``say`` hangs from."""
    if verb is say:
        return False
    if say.dep_ in ("ccomp", "parataxis") and say.head is verb:
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and (c is verb or c.is_ancestor(verb)) for c in say.children)


def _clause_verb(t: Token) -> Token:
    """The verb heading the clause ``t`` is in (``t`` itself for a verb; the root when none)."""
    while t.pos_ not in ("VERB", "AUX") and t.head is not t:
        t = t.head
    return t

def _to_int(text: str) -> int | None:
    t = text.lower().strip('"')
    if t.isdigit():
        return int(t)
    return NUMBERS.get(t)


# ------------------------------------------------------------------------------ public API
def extract_doc(document: Document, sdoc: Doc, *, use_gazetteer: bool = True) -> Extraction:
    """Extract from a document already parsed by the pipeline of `kg.nlp`."""
    return _Extractor(document, sdoc, load_gazetteer(enabled=use_gazetteer), load_lexicon(), load_triggers()).run()


def extract(documents: Iterable[Document], nlp: Language, *, use_gazetteer: bool = True,
            batch_size: int = 16, n_process: int = 1) -> Iterator[Extraction]:
    """Parse documents in batches with ``nlp.pipe`` and extract from each, in order."""
    docs = list(documents) if not isinstance(documents, list) else documents
    texts = (d.text for d in docs)
    for document, sdoc in zip(docs, nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
        yield extract_doc(document, sdoc, use_gazetteer=use_gazetteer)
