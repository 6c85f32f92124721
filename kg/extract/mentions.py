"""Entity mentions: names from the entity ruler and the statistical NER, typed from the gazetteer,
cue words and the words around them; demonyms, datelines, capitals standing for their country,
"the government of X", units of an organisation ("the Guards' ground forces") and the definite
descriptions that refer back to a name."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.acronyms import parenthesised_acronyms
from kg.extract.claims import add_relation
from kg.extract.context import Context, add_mention, np_head, rank_at
from kg.extract.descriptions import national_bodies, role_mentions
from kg.extract.labels import AGENT_TYPES, ORG_TYPES, PLACE_TYPES
from kg.extract.placetypes import (
    DocNames,
    cities_as_organisations,
    data_type,
    is_junk,
    one_type_per_name,
    org_short_forms,
    org_type,
)
from kg.extract.propagate import propagate_names, unseen_names
from kg.model import Mention
from kg.ontology.gazetteer import normalize
from kg.ontology.people import is_given_name

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["find_mentions", "org_type"]


def find_mentions(ctx: Context) -> None:
    """Every mention of the document: the dateline, the names, then what the words around
    them say of their type, country and role, then descriptions and units."""
    _datelines(ctx)
    person_last = _names(ctx)
    _demonyms(ctx)
    parenthesised_acronyms(ctx)
    propagate_names(ctx)
    unseen_names(ctx)
    _named_after_people(ctx, person_last)
    _context_types(ctx)
    org_short_forms(ctx)
    cities_as_organisations(ctx)
    one_type_per_name(ctx)
    _countries(ctx)
    _metonymy(ctx)
    _governments(ctx)
    role_mentions(ctx)
    national_bodies(ctx)
    _units(ctx)
    _seated_in(ctx)


def _names(ctx: Context) -> dict[str, str]:
    """A mention for each named entity that is one, typed and trimmed; returns each person's
    full name by its last word."""
    doc = ctx.doc
    person_last: dict[str, str] = {}
    names = DocNames(ctx)
    for ent in doc.ents:
        if ent.start in ctx.tok_mention:
            continue
        # a demonym is never a name of its own, whatever the model tagged it ("Azerbaijani" as PERSON)
        if ent.label_ == "NORP" or (not ent.ent_id_ and ctx.gaz.country_of_demonym(ent.text)):
            country = ctx.gaz.country_of_demonym(ent.text)
            if country:
                add_mention(ctx, ent, "Country", kind="demonym", gaz_id=country)
            elif org_type(ent.text, ctx.lex) == "PoliticalParty" and any(t.is_title for t in ent):
                # "the Social Democrats", "the Greens": a party the model took for a group of people
                add_mention(ctx, _trim(ctx, ent), "PoliticalParty")
            continue
        typ = _type_of(ctx, ent)
        if typ is None:
            continue
        span = _trim(ctx, ent)
        if not span.text.strip() or not any(t.is_alpha for t in span):
            continue
        span = _through_of(ctx, span)
        if not ent.ent_id_ and (is_junk(ctx, span) or _headline_fragment(ctx, span) or _common_word(ctx, span, typ)):
            continue
        typ = data_type(ctx, ent, span, typ, names)
        span, typ = _grown_right(ctx, span, typ)
        if not any(t.is_title or t.is_upper for t in span) and ent.label_ not in AGENT_TYPES:
            continue  # "south-eastern": a direction, not a name ("the foreign ministry" is one)
        if all(t.lower_ in ctx.lex.descriptors for t in span if t.is_alpha):
            continue  # "Sunni Baluchi": descriptive adjectives, not a name
        if span.text.lower() in ctx.lex.not_entities:
            continue
        words = tuple(t.lower_ for t in span if t.is_alpha)
        if typ != "Person" and (words in ctx.lex.ranks or (words and words[-1] in ctx.lex.office_heads)):
            continue  # "Major General", "District Police Officer": a rank or an office, not a body
        if not ent.ent_id_ and typ != "Country":
            span = _extend_left(ctx, span)
        if typ in ORG_TYPES | {"Person"} and not ent.ent_id_ and span.root.dep_ == "pobj" \
                and span.root.head.lower_ in ("near", "outside"):
            typ = "Place"
        nxt = doc[span.end] if span.end < len(doc) else None
        # "Interior" in "Interior Minister Ahmad Vahidi": a word of a title, not an organisation
        if (typ in ORG_TYPES and not ent.ent_id_ and len(span) == 1 and nxt is not None
                and nxt.lower_ in ctx.lex.office_heads):
            continue
        gaz_id = ent.ent_id_ or None
        if typ == "Country" and not gaz_id:
            hit = ctx.gaz.lookup(span.text)
            gaz_id = hit.id if hit and hit.type == "Country" else None
        if typ in ("City", "Place") and not gaz_id:
            hit = ctx.gaz.lookup(span.text)
            if hit and hit.type == "Country":
                typ, gaz_id = "Country", hit.id
        if typ == "Person":
            person_last.setdefault(span[-1].lower_, span.text)
        add_mention(ctx, span, typ, gaz_id=gaz_id)
    return person_last


def _demonyms(ctx: Context) -> None:
    """A demonym the model did not tag ("Malian troops" at a sentence's start): any capitalised
    adjective or proper noun the country table knows as one."""
    for i, tok in enumerate(ctx.toks):
        if i in ctx.tok_mention or not tok.is_title or ctx.pos[i] not in ("ADJ", "PROPN"):
            continue
        country = ctx.gaz.country_of_demonym(tok.text)
        if country:
            add_mention(ctx, ctx.doc[i : i + 1], "Country", kind="demonym", gaz_id=country)


def _named_after_people(ctx: Context, person_last: dict[str, str]) -> None:
    """Units named after a person, and surnames standing alone, once all names are known."""
    doc = ctx.doc
    # "the Imam Hussein division": a unit named after a person is an organisation
    for m, span in zip(ctx.x.mentions, ctx.spans):
        nxt = doc[span.end] if span.end < len(doc) else None
        if m.label == "Person" and m.kind == "name" and nxt is not None and nxt.lemma_.lower() in ctx.lex.named_units:
            grown = doc[span.start : span.end + 1]
            m.text, m.end, m.label, m.gaz_id = grown.text, grown.end_char, "MilitaryOrganization", None
            ctx.spans[ctx.spans.index(span)] = grown
            ctx.tok_mention[nxt.i] = ctx.tok_mention[span.start]
            person_last.pop(span[-1].lower_, None)
    # A surname the model did not tag at all is still a mention of the person named in full
    surnames = {v.split()[-1]: v for v in person_last.values() if len(v.split()) > 1}
    for i, pos in enumerate(ctx.pos):
        if surnames and pos == "PROPN" and i not in ctx.tok_mention and ctx.toks[i].text in surnames:
            add_mention(ctx, doc[i : i + 1], "Person")
    # A bare surname tagged as a place or organisation ("Munir" as GPE) is the person met
    # earlier or later in the same document under the full name.
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.label != "Person" and m.kind == "name" and not m.gaz_id and len(span) == 1:
            if span[0].lower_ in person_last and person_last[span[0].lower_] != span.text:
                m.label = "Person"


def _type_of(ctx: Context, ent: Span) -> str | None:
    label = ent.label_
    if label in AGENT_TYPES | PLACE_TYPES:
        return label  # set by the entity ruler from the gazetteer
    text = ent.text
    words = normalize(text).split()
    head = words[: words.index("of")][-1:] if "of" in words[1:] else words[-1:]
    if label in ("ORG", "FAC", "GPE", "LOC") and (words[-1:] and words[-1] in ctx.lex.facilities
                                                  or head and head[0] in ctx.lex.facilities):
        return "Place"  # "Combined Military Hospital", "Cathedral of Our Lady": a building or site
    if label == "PERSON":
        return "Person"
    if label == "ORG":
        return org_type(text, ctx.lex)
    if label in ("GPE", "LOC", "FAC"):
        words = set(normalize(text).split())
        nxt = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
        for typ in ("Province", "BorderArea", "City"):
            if words & ctx.lex.context_types[typ] or nxt in ctx.lex.context_types[typ]:
                return typ
        return "City" if label == "GPE" else "Place"
    return None


def _trim(ctx: Context, ent: Span) -> Span:
    """Drop determiners, possessive endings and leading titles from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].text in ("'s", "\u2019s", "'", "-", "\u2014"):
        end -= 1
    if not ent.ent_id_:
        while start < end - 1 and doc[start].lower_ in ctx.lex.junk["furniture_verbs"]:
            start += 1  # "Follow Jane Doe on Twitter"
    if ent.label_ in ("PERSON", "Person") and not ent.ent_id_:
        while start < end - 1:
            skip = rank_at(ctx, start, end)
            if skip:
                start += skip
            elif doc[start].lower_ in ctx.lex.office_heads:
                start += 1
            else:
                break
    return doc[start:end]


def _common_word(ctx: Context, span: Span, typ: str) -> bool:
    """One capitalised word the document also writes in lower case ("Speech", "Indigenous") is
    a common word the model took for an organisation, not a name."""
    if len(span) != 1 or typ not in ORG_TYPES or not span[0].is_title:
        return False
    low = span[0].lower_
    return low in ctx.lower_words or span[0].pos_ == "ADJ"


def _headline_fragment(ctx: Context, span: Span) -> bool:
    """A piece of a headline the model took for a name: it holds a number or a verb of the
    trigger table in its inflected form ("Kills 27 Guards", "Raid Kills"), or it stands in a
    title-case headline and the body never writes it."""
    verbs = ctx.trig.verbs
    if any(t.like_num for t in span) and not any(t.is_alpha and t.is_title for t in span[1:]):
        return False  # "M23", "Division 5" keep their numbers
    if any(t.lemma_.lower() in verbs and t.lower_ != t.lemma_.lower() and t.tag_ in ("VBZ", "VBD", "NNS", "VBP", "NNP")
           and t.i != span.root.i for t in span) or any(t.like_num for t in span[1:-1]):
        return True
    sent = ctx.sents[ctx.sent_of[span.start]]
    if ctx.sent_of[span.start] != 0 or ctx.document.title is None:
        return False
    words = [t for t in sent if t.is_alpha]
    if len(words) < 4 or sum(t.is_title or t.is_upper for t in words) < 0.8 * len(words):
        return False  # a headline in sentence case is read like the body
    body = ctx.document.text[sent.end_char:]
    return span.text not in body


def _grown_right(ctx: Context, span: Span, typ: str) -> tuple[Span, str]:
    """Name parts the model left on the right: a hyphen-joined end ("Dema" | "-ala"), and a
    place's kind or building word ("Donetsk" | "region", "Saadabad" | "Palace")."""
    doc = ctx.doc
    end = span.end
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and typ == "Person":
        end += 2  # "Louie Dema-ala"
    if end < len(doc) and end not in ctx.tok_mention and typ != "Country":
        nxt = doc[end]
        # "the Kherson region": a kind of place after a name makes it that place, whatever the
        # model tagged the name
        if nxt.lower_ in ctx.lex.place_kind_words and nxt.lower_ not in ctx.lex.sites["not_province_words"]:
            return doc[span.start : end + 1], ("Place" if nxt.lower_ == "district" else "Province")
    if typ in ("City", "Place", "Province") and end < len(doc) and end not in ctx.tok_mention:
        nxt = doc[end]
        if nxt.is_title and nxt.lower_ in ctx.lex.facilities | ctx.lex.sites["name_ends"]:
            return doc[span.start : end + 1], "Place"
    return doc[span.start : end], typ


def _through_of(ctx: Context, span: Span) -> Span:
    """A name the model cut after "of" ("Armed Forces of" | "the Philippines") runs on through
    the name that follows."""
    doc = ctx.doc
    if span.end + 1 < len(doc) and doc[span.end].lower_ == "of" and span[0].lower_ in ctx.lex.facilities \
            and doc[span.end + 1].is_title:
        # "Cathedral of Our Lady" | "of Mount Carmel": a building's name runs on through its "of"
        nxt = next((e for e in doc.ents if e.start == span.end + 1), None)
        if nxt is not None and not any(t.i in ctx.tok_mention for t in nxt):
            return doc[span.start : nxt.end]
    if len(span) < 2 or span[-1].lower_ != "of":
        return span
    starts = {span.end, span.end + (1 if span.end < len(doc) and doc[span.end].lower_ == "the" else 0)}
    nxt = next((e for e in doc.ents if e.start in starts), None)
    if nxt is None or any(t.i in ctx.tok_mention for t in nxt):
        return span
    return doc[span.start : nxt.end]


def _extend_left(ctx: Context, span: Span) -> Span:
    """Take in name parts the model left out: "Mok-e Sukhteh", "Hamood uz Zaman Khan"."""
    doc, start = span.doc, span.start
    for _ in range(3):
        j = start - 1
        while j >= 0 and (doc[j].text == "-" or (doc[j].lower_ in ctx.lex.particles and doc[j].is_lower)):
            j -= 1
        if j == start - 1 or j < 0:
            break
        t = doc[j]
        if t.is_title and t.pos_ == "PROPN" and t.i not in ctx.tok_mention and t.ent_type_ in ("", "ORG", "PERSON", "GPE", "LOC"):
            start = j
            continue
        break
    return doc[start : span.end]


def _datelines(ctx: Context) -> None:
    """"TEHRAN -", "ISLAMABAD, Dec. 12 -": the capitalised place a report opens with."""
    doc, text = ctx.doc, ctx.document.text
    for sent in ctx.sents[:8]:
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
        if is_junk(ctx, span):
            continue  # "BREAKING NEWS -", "EXCLUSIVE:": a banner, not a place
        hit = ctx.gaz.lookup(span.text)  # case-insensitive
        label, gaz_id = ("City", None) if hit is None else (hit.type, hit.id)
        ctx.x.dateline = add_mention(ctx, span, label, gaz_id=gaz_id)
        ctx.datelines.add(span.start)
        return


def _context_types(ctx: Context) -> None:
    armed = ctx.lex.context_types["ArmedGroup"]
    for mi, (m, span) in enumerate(zip(ctx.x.mentions, ctx.spans)):
        if m.kind != "name":
            continue
        head = np_head(span)
        near = {t.lower_ for t in head.children if t.dep_ in ("amod", "compound")} | {head.lower_}
        near |= {t.lower_ for t in span.root.children if t.dep_ in ("amod", "compound")}
        if head is not span.root:
            near |= {c.lower_ for c in head.children if c.dep_ == "amod"}
        # lemmas too ("rebels", "militants"), and an apposition's noun and its modifiers ("JNIM,
        # the main al-Qaeda affiliate")
        near |= {ctx.lemmas[t.i] for t in (head, *head.children) if t.dep_ in ("amod", "compound") or t is head}
        for c in span.root.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                near |= {ctx.lemmas[c.i]} | {ctx.lemmas[t.i] for t in c.children if t.dep_ in ("amod", "compound")}
        if m.label in ORG_TYPES | {"Person"} and not m.gaz_id and near & armed:
            m.label = "ArmedGroup"
        if m.label in ("City", "Place") and not m.gaz_id:
            for typ in ("Province", "BorderArea", "City"):
                if head.lower_ in ctx.lex.context_types[typ]:
                    m.label = typ
                    break
        elif m.label in ("Person", "Organization") and not m.gaz_id:
            _typed_by_apposition(ctx, m, span, head)
        # "the designated terrorist group X" names what the group is called
        if m.label in ORG_TYPES and head is not span.root and head.pos_ == "NOUN":
            words = [t.text for t in head.subtree if t.i < span.start and t.dep_ in ("amod", "compound")]
            if words or head.lower_ in ctx.lex.org_nouns:
                ctx.x.designations[mi] = " ".join([*words, head.text])


def _typed_by_apposition(ctx: Context, m: Mention, span: Span, head: Token) -> None:
    """A person or organisation tag that the words around the name contradict: "the fashion
    chain Ted Baker" is a firm; "Koke Ked, a village in Chana" and "Aghdam, Kalbajar and
    Lachin" (beside places) are places ([context_types] City, Province, Organization)."""
    ctypes = ctx.lex.context_types
    nouns = {ctx.lemmas[head.i]} if head is not span.root else set()
    nouns |= {ctx.lemmas[c.i] for c in span.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"}
    if m.label == "Person" and nouns & ctypes.get("Organization", frozenset()):
        m.label = "Organization"
        return
    if span[0].lower_ in ctx.lex.particles or (m.label == "Person" and is_given_name(span[0].text)):
        return
    # "a village", "a district": a place below a city; "a town", "a province": that kind
    if nouns & ctx.lex.sites["below_city"]:
        m.label = "Place"
        return
    for typ in ("Province", "City"):
        if nouns & ctypes[typ]:
            m.label = typ
            return
    # a list of places: the parser hangs the items on one another as conjuncts
    root = span.root
    for other in (*[c for c in root.children if c.dep_ == "conj"], root.head if root.dep_ == "conj" else None):
        oi = ctx.tok_mention.get(other.i) if other is not None else None
        if oi is not None and ctx.x.mentions[oi].label in PLACE_TYPES and ctx.x.mentions[oi].kind == "name":
            m.label = "Place"
            return


def _countries(ctx: Context) -> None:
    """Attribute mentions to countries from possessives and demonyms: "Iran's IRGC"."""
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.kind != "name" or m.label == "Country":
            continue
        head = np_head(span)
        for tok in (*span.root.children, *head.children):
            if tok.dep_ in ("poss", "amod", "compound") and tok.i not in range(span.start, span.end):
                other = ctx.tok_mention.get(tok.i)
                if other is not None and ctx.x.mentions[other].label == "Country":
                    m.country = ctx.x.mentions[other].gaz_id
                    break


def _metonymy(ctx: Context) -> None:
    """A capital named as an actor stands for its country: "Tehran lists ...", "ties with
    Islamabad", "Kabul's response"; a capital as a place ("in Tehran") stays a city."""
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.kind != "name" or m.label not in ("City", "Place", "Organization") or span.start in ctx.datelines:
            continue
        country = ctx.gaz.capital_of(m.text)
        if country and _acts(ctx, span.root):
            m.label, m.gaz_id, m.kind = "Country", country, "metonym"


def _acts(ctx: Context, tok: Token) -> bool:
    lex = ctx.lex
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head  # "Islamabad, Riyadh and Abu Dhabi all deny"
    dep, head = tok.dep_, tok.head
    if dep == "nsubj":
        return head.lemma_.lower() not in lex.city_verbs
    if dep == "poss":
        return head.lower_ not in lex.city_nouns and head.i not in ctx.tok_mention
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


def _governments(ctx: Context) -> None:
    """"the government of Pakistan" is a mention of Pakistan as an actor."""
    for mi, (m, span) in enumerate(zip(ctx.x.mentions, ctx.spans)):
        if m.label != "Country" or m.kind != "name":
            continue
        prep = span.root.head
        gov = prep.head
        if span.root.dep_ != "pobj" or prep.lower_ != "of" or gov.lower_ not in ctx.lex.government_nouns:
            continue
        det = next((c for c in gov.children if c.dep_ == "det"), None)
        whole = ctx.doc[(det or gov).i : span.end]
        m.text, m.start = whole.text, whole.start_char
        ctx.spans[mi] = whole
        for t in whole:
            ctx.tok_mention.setdefault(t.i, mi)


def _units(ctx: Context) -> None:
    """Branches of an organisation named by description: "the Guards' ground forces", "the
    ground forces of the Guards", "the intelligence department of the IRGC". Each is a
    mention of kind "unit" whose owner is the organisation's mention (resolve names it and
    looks it up in the gazetteer), and a memberOf relation to the owner."""
    heads = ctx.lex.unit_heads
    for i, lemma in enumerate(ctx.lemmas):
        if lemma not in heads and ctx.lowers[i] not in heads or i in ctx.tok_mention:
            continue
        if ctx.pos[i] not in ("NOUN", "PROPN"):
            continue
        tok = ctx.toks[i]
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                and c.i not in ctx.tok_mention and c.is_alpha]
        if not mods:
            continue  # "the forces of X" is X itself
        owner, end = None, tok.i + 1
        for c in tok.children:
            om = ctx.tok_mention.get(c.i)
            if c.dep_ == "poss" and om is not None:
                owner = om
            elif c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    pm = ctx.tok_mention.get(p.i)
                    if p.dep_ == "pobj" and pm is not None:
                        owner, end = pm, ctx.spans[pm].end
        if owner is None or ctx.x.mentions[owner].label not in ORG_TYPES:
            continue
        start = min([m.i for m in mods] + ([ctx.spans[owner].start] if end == tok.i + 1 else []))
        while start > 0 and ctx.doc[start - 1].dep_ == "det" and ctx.doc[start - 1].head is tok:
            start -= 1
        span = ctx.doc[start:end]
        if any(t.i in ctx.tok_mention and ctx.tok_mention[t.i] != owner for t in span):
            continue
        words = tuple(t.lower_ for t in sorted(mods, key=lambda t: t.i)) + (tok.lower_,)
        owner_label = ctx.x.mentions[owner].label
        label = owner_label if owner_label in ("MilitaryOrganization", "GovernmentBody", "ArmedGroup") \
            else "Organization"
        # the unit's span swallows its owner's tokens: they keep pointing at the owner
        idx = len(ctx.x.mentions)
        ctx.x.mentions.append(Mention(span.text, label, span.start_char, span.end_char, ctx.sent_of[tok.i],
                                      kind="unit", role_words=words, owner=owner))
        ctx.spans.append(span)
        for t in span:
            if t.i not in ctx.tok_mention:
                ctx.tok_mention[t.i] = idx
        ctx.tok_mention[tok.i] = idx
        add_relation(ctx, idx, "memberOf", owner, tok, 0.8)


def _seated_in(ctx: Context) -> None:
    """"the Foreign Office in Islamabad", "the General Headquarters in Rawalpindi": a body
    placed in a known place belongs to that place's country (which picks the right entry for
    a generic name)."""
    for m, span in zip(ctx.x.mentions, ctx.spans):
        if m.label not in ORG_TYPES or m.gaz_id or m.country or m.kind not in ("name",):
            continue
        for c in span.root.children:
            if c.dep_ != "prep" or c.lower_ != "in":
                continue
            for p in c.children:
                pm = ctx.tok_mention.get(p.i)
                if p.dep_ != "pobj" or pm is None:
                    continue
                place = ctx.x.mentions[pm]
                entry = ctx.gaz.entries.get(place.gaz_id) if place.gaz_id else ctx.gaz.lookup(place.text)
                if entry is not None:
                    m.country = entry.id if entry.type == "Country" else entry.country
